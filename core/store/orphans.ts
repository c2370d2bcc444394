/**
 * The orphan sweep, run on every open: removes blob files no row points to — left by a crash during a save
 * (before its commit) or during a deletion (after its commit). Files of saves in progress are listed in
 * pending_blobs and left alone while their writer lives (same host: the process exists; another host: 24 hours).
 * The folder is listed before the database is read, so a save committing meanwhile is seen as committed or pending.
 */
import os from 'node:os';
import { stmt } from './statements.js';
import type { Db } from './database.js';
import { deleteBlobFile, listBlobFiles } from './blob-files.js';
import { DAY_MS } from './time.js';

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writerAlive(owner: string, createdAt: number, now: number): boolean {
  const separator = owner.lastIndexOf(':');
  const host = owner.slice(0, separator);
  const pid = Number(owner.slice(separator + 1));
  if (host === os.hostname() && Number.isInteger(pid) && pid > 0) return processAlive(pid);
  return now - createdAt < DAY_MS;
}

/** Returns how many files were removed. */
export async function sweepOrphans(db: Db, filesDir: string, now: number = Date.now()): Promise<number> {
  const files = await listBlobFiles(filesDir);
  // one read snapshot for both tables: a save committing between two separate reads would move its ids from
  // pending to committed unseen by either, and its files would be taken for orphans
  const { committed, pending } = db.transaction(() => ({
    committed: new Set((stmt(db, 'SELECT id FROM blobs').all() as Array<{ id: string }>).map((r) => r.id)),
    pending: stmt(db, 'SELECT id, owner, created_at FROM pending_blobs').all() as Array<{ id: string; owner: string; created_at: number }>,
  }))();
  const inProgress = new Set<string>();
  const abandoned: string[] = [];
  for (const p of pending) {
    if (writerAlive(p.owner, p.created_at, now)) inProgress.add(p.id);
    else abandoned.push(p.id);
  }
  let removed = 0;
  for (const id of files) {
    if (committed.has(id) || inProgress.has(id)) continue;
    await deleteBlobFile(filesDir, id);
    removed++;
  }
  if (abandoned.length > 0) {
    const del = stmt(db, 'DELETE FROM pending_blobs WHERE id = ?');
    db.transaction(() => abandoned.forEach((id) => del.run(id)))();
  }
  return removed;
}
