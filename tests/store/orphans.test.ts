/**
 * The orphan sweep: files of crashed saves are removed, files of saves in progress (pending, writer alive) and of
 * committed deliveries are kept, and files that are not the store's are left alone.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newBlobId } from '../../core/store/blob-files.js';
import { delivery, newStore, rawDatabase } from './helpers.js';

const DAY = 86_400_000;

function deadPid(): number {
  // a process that has exited and been reaped: its pid names no living process
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('orphan sweep', () => {
  it('removes only files no committed row or living writer claims', async () => {
    const { store, dbPath, dir } = await newStore();
    await store.saveDelivery(delivery(1, { attachments: [{ name: 'a', mimeType: 'x/y', content: Buffer.alloc(10) }] }));
    const filesDir = path.join(dir, 'postfach.db.files');
    const committed = readdirSync(filesDir);
    expect(committed).toHaveLength(1);

    const ids = { untracked: newBlobId(), deadWriter: newBlobId(), liveWriter: newBlobId(), otherHostOld: newBlobId(), otherHostFresh: newBlobId() };
    for (const id of Object.values(ids)) writeFileSync(path.join(filesDir, `${id}.blob`), 'partial');
    writeFileSync(path.join(filesDir, 'notiz.txt'), "not the store's");
    const { db } = await rawDatabase(dbPath);
    const pend = db.prepare('INSERT INTO pending_blobs(id, owner, created_at) VALUES (?, ?, ?)');
    pend.run(ids.deadWriter, `${os.hostname()}:${deadPid()}`, Date.now());
    pend.run(ids.liveWriter, `${os.hostname()}:${process.pid}`, Date.now() - 3 * DAY);
    pend.run(ids.otherHostOld, 'other-pc:1234', Date.now() - 2 * DAY);
    pend.run(ids.otherHostFresh, 'other-pc:1234', Date.now() - 60_000);
    db.close();

    expect(await store.cleanupOrphans()).toBe(3);
    expect(readdirSync(filesDir).sort()).toEqual([...committed, `${ids.liveWriter}.blob`, `${ids.otherHostFresh}.blob`, 'notiz.txt'].sort());
    const check = await rawDatabase(dbPath);
    expect((check.db.prepare('SELECT id FROM pending_blobs ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id).sort()).toEqual(
      [ids.liveWriter, ids.otherHostFresh].sort(),
    );
    check.db.close();
    // the committed delivery still reads
    const r = store.getDelivery(1);
    expect((await store.readAttachment(r.attachments[0]?.id ?? -1)).length).toBe(10);
    store.close();
  });
});
