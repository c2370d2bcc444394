/**
 * A full disk, simulated two ways: a capped database (max_page_count) and injected ENOSPC while writing blob
 * files. Each ends in `store-full`, leaves no half delivery and no stray file, and the store opens afterwards.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PostfachStore, type BlobFileIo } from '../../core/store/index.js';
import { nodeBlobFileIo } from '../../core/store/blob-files.js';
import { delivery, newStore, PASSWORD, patternBytes, rawDatabase, sha256 } from './helpers.js';

/** Blob writes fail with ENOSPC once `budget` bytes have been written in all, by any writer (as a filling disk would). */
function diskWithRoom(budget: number): BlobFileIo & { written: number } {
  const io = {
    written: 0,
    async create(file: string) {
      const real = await nodeBlobFileIo.create(file);
      return {
        async write(data: Uint8Array) {
          if (io.written + data.length > budget) {
            const room = Math.max(0, budget - io.written);
            // counted before the write is awaited: the store writes attachments side by side
            io.written += room;
            if (room > 0) await real.write(data.subarray(0, room));
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
          }
          io.written += data.length;
          await real.write(data);
        },
        sync: () => real.sync(),
        close: () => real.close(),
      };
    },
  };
  return io;
}

async function pendingRows(dbPath: string): Promise<number> {
  const { db } = await rawDatabase(dbPath);
  const n = (db.prepare('SELECT count(*) AS n FROM pending_blobs').get() as { n: number }).n;
  db.close();
  return n;
}

describe('full disk', () => {
  it('disk full while writing the second attachment: store-full, nothing kept, the next save (with room) works', async () => {
    const disk = diskWithRoom(1_500_000);
    const { store, dbPath, dir } = await newStore({ fileIo: disk });
    const a1 = patternBytes(1_000_000, 'a1');
    const a2 = patternBytes(1_000_000, 'a2');
    await expect(
      store.saveDelivery(
        delivery(1, {
          attachments: [
            { name: 'a1.pdf', mimeType: 'application/pdf', content: a1 },
            { name: 'a2.pdf', mimeType: 'application/pdf', content: a2 },
          ],
        }),
      ),
    ).rejects.toMatchObject({ kind: 'store-full', detail: expect.stringContaining('ENOSPC') });
    expect(disk.written).toBe(1_500_000);
    expect(store.list().total).toBe(0);
    expect(readdirSync(path.join(dir, 'postfach.db.files'))).toEqual([]);
    expect(await pendingRows(dbPath)).toBe(0);
    expect(store.auditEntries().filter((e) => e.action === 'fetched')).toHaveLength(0);
    store.close();

    const reopened = await PostfachStore.open(dbPath, { password: PASSWORD });
    const { id } = await reopened.saveDelivery(
      delivery(1, {
        attachments: [
          { name: 'a1.pdf', mimeType: 'application/pdf', content: a1 },
          { name: 'a2.pdf', mimeType: 'application/pdf', content: a2 },
        ],
      }),
    );
    const r = reopened.getDelivery(id);
    expect(sha256(await reopened.readAttachment(r.attachments[1]?.id ?? -1))).toBe(sha256(a2));
    reopened.close();
  });

  it('database at its size cap: store-full, no half delivery, no orphan file; the store opens and is intact', async () => {
    const { store, dbPath, dir } = await newStore();
    store.close();
    const capped = await PostfachStore.open(dbPath, { password: PASSWORD }, { maxDatabaseBytes: 600 * 1024 });
    const saved: number[] = [];
    let failure: unknown;
    for (let i = 0; i < 500 && failure === undefined; i++) {
      try {
        // 100 KiB inline content each, plus a small attachment in a blob file
        const r = await capped.saveDelivery(
          delivery(i, { content: patternBytes(100 * 1024, `c${i}`), attachments: [{ name: 'a.txt', mimeType: 'text/plain', content: patternBytes(5000, `a${i}`) }] }),
        );
        saved.push(r.id);
      } catch (error) {
        failure = error;
      }
    }
    expect(failure).toMatchObject({ kind: 'store-full', text: { de: expect.stringContaining('Speicherplatz ist voll') } });
    expect(saved.length).toBeGreaterThan(1);
    expect(capped.list({ limit: 1000 }).total).toBe(saved.length);
    // exactly one blob file per saved delivery: the failed one's file was taken back
    expect(readdirSync(path.join(dir, 'postfach.db.files'))).toHaveLength(saved.length);
    // reading and state changes still work at the cap (updates in place need no new pages)
    capped.close();

    const reopened = await PostfachStore.open(dbPath, { password: PASSWORD });
    expect(reopened.list({ limit: 1000 }).total).toBe(saved.length);
    for (const id of saved) {
      const record = reopened.getDelivery(id);
      expect(sha256(await reopened.readContent(id))).toBe(record.content.sha256);
      expect((await reopened.readAttachment(record.attachments[0]?.id ?? -1)).length).toBe(5000);
    }
    expect(reopened.checkIntegrity()).toEqual({ ok: true, problems: [] });
    expect(reopened.verifyAuditLog()).toMatchObject({ ok: true, entries: 1 + saved.length });
    expect(await pendingRows(dbPath)).toBe(0);
    // without the cap there is room again
    expect((await reopened.saveDelivery(delivery(999))).created).toBe(true);
    reopened.close();
  });
});
