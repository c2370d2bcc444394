/**
 * Removing a delivery for good: its rows (details and attachments by cascade), its search entry and its blobs'
 * rows — and with them the blob keys — in the caller's transaction; the caller unlinks the files after the commit.
 * A crash between commit and unlink leaves files no row points to, which the next orphan sweep removes; the
 * data in them is already unreadable because their keys are gone (secure_delete overwrites the rows).
 */
import { stmt } from './statements.js';
import type { Db } from './database.js';

/** Deletes the rows; returns the blob ids whose files are to be unlinked after the commit. */
export function deleteDeliveryRows(db: Db, id: number): string[] {
  const blobIds = [
    ...(stmt(db, 'SELECT blob_id AS id FROM attachments WHERE delivery_id = ?').all(id) as Array<{ id: string }>).map((r) => r.id),
    ...(stmt(db, 'SELECT content_blob AS id FROM delivery_details WHERE delivery_id = ? AND content_blob IS NOT NULL').all(id) as Array<{ id: string }>).map((r) => r.id),
  ];
  stmt(db, 'DELETE FROM delivery_search WHERE rowid = ?').run(id);
  stmt(db, 'DELETE FROM case_work_search WHERE rowid = ?').run(id);
  stmt(db, 'DELETE FROM deliveries WHERE id = ?').run(id);
  const deleteBlob = stmt(db, 'DELETE FROM blobs WHERE id = ?');
  for (const blobId of blobIds) deleteBlob.run(blobId);
  return blobIds;
}
