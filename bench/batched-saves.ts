/**
 * Saving many deliveries into a store through the store's own writer (core/store/delivery-writer.ts), with one
 * commit per batch instead of one per delivery: for filling large benchmark and test stores only. Every row is
 * written by the same code as PostfachStore.saveDelivery (tests/bench/batched-saves.test.ts compares the rows of
 * both); what it saves is the commit (WAL frames, the FTS5 segment, index pages) per delivery. Nothing is fsynced.
 */
import { nodeBlobFileIo } from '../core/store/blob-files.js';
import { DEFAULT_CHUNK_BYTES } from '../core/store/blob-crypto.js';
import { openEncryptedDatabase } from '../core/store/database.js';
import { saveDelivery, type WriterContext } from '../core/store/delivery-writer.js';
import { readKeyFile } from '../core/store/key-file.js';
import { unlockDataKey, type StoreUnlock } from '../core/store/keyring.js';
import { storePaths } from '../core/store/paths.js';
import type { NewDelivery } from '../core/store/records.js';

/** The same as OpenStoreOptions' default (core/store/store.ts): contents up to it stay inside the database. */
const INLINE_LIMIT = 256 * 1024;

/**
 * Saves `deliveries` (in their order) into the existing, closed store at `databasePath`, `batch` per transaction.
 * The store must not be open elsewhere while this runs (it holds the write lock for a whole batch).
 */
export async function saveInBatches(
  databasePath: string,
  unlock: StoreUnlock,
  osUser: string,
  deliveries: Iterable<NewDelivery>,
  options: { readonly batch?: number; readonly onProgress?: (done: number) => void } = {},
): Promise<number> {
  const paths = storePaths(databasePath);
  const dataKey = await unlockDataKey(readKeyFile(paths.keyFile), unlock);
  const db = openEncryptedDatabase(paths.database, dataKey, { create: false, durable: false });
  dataKey.fill(0);
  const ctx: WriterContext = { db, filesDir: paths.filesDir, io: nodeBlobFileIo, osUser, inlineLimit: INLINE_LIMIT, chunkBytes: DEFAULT_CHUNK_BYTES, durable: false };
  const batch = options.batch ?? 5_000;
  let done = 0;
  try {
    for (const delivery of deliveries) {
      if (done % batch === 0) db.exec('BEGIN IMMEDIATE');
      // inside the open transaction the writer's own transaction becomes a savepoint: same statements, same rows
      await saveDelivery(ctx, delivery);
      done++;
      if (done % batch === 0) {
        db.exec('COMMIT');
        options.onProgress?.(done);
      }
    }
    if (db.inTransaction) db.exec('COMMIT');
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  }
  return done;
}
