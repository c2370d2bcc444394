/**
 * Saving deliveries: idempotent by message id, content byte for byte (inline and as encrypted blob file),
 * attachment streams of every kind, input checks, and tamper detection in blob files.
 */
import { closeSync, openSync, readdirSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHUNK_BYTES } from '../../core/store/blob-crypto.js';
import { chunked, collect, contentXml, delivery, newStore, patternBytes, rawDatabase, sha256 } from './helpers.js';

const filesIn = (dir: string): string[] => readdirSync(path.join(dir, 'postfach.db.files'));

describe('saving a delivery', () => {
  it('keeps every field and gives it back', async () => {
    const { store } = await newStore();
    const cert = patternBytes(900, 'cert');
    const { id, created } = await store.saveDelivery(
      delivery(3, {
        senderCertificate: cert,
        addresseeCertificate: Buffer.from(cert).reverse(),
        processCard: { creation: '2026-11-28T15:02:11.000Z', forwarding: '2026-11-29T09:14:00.000Z', inspectionReport: { timestamps: 2, checks: ['ok'] } },
        attachments: [
          { name: 'Mietvertrag.pdf', mimeType: 'application/pdf', content: Buffer.from('%PDF-1.4 Mietvertrag') },
          { name: 'Foto.jpg', mimeType: 'image/jpeg', content: Buffer.alloc(0) },
        ],
      }),
    );
    expect(created).toBe(true);
    store.recordProcessCard(id, { reception: '2026-11-29T09:15:00.000Z' });
    const r = store.getDelivery({ messageId: 'osci-msg-00003-a1b2c3' });
    expect(r).toMatchObject({
      id,
      messageId: 'osci-msg-00003-a1b2c3',
      subject: 'Antrag Asylbewerberleistungen',
      eingang: '2026-11-28T15:02:11.000Z',
      eingangKnown: true,
      applicants: ['Müller, Jürgen'],
      benefitCode: 'ASYLBLG',
      applicationDate: '2026-10-30',
      isTest: false,
      attachmentCount: 2,
      signatureStatus: 'gueltig',
      state: 'new',
      unread: true,
      unreadableReason: null,
      legalHold: false,
      processCard: {
        creation: '2026-11-28T15:02:11.000Z',
        forwarding: '2026-11-29T09:14:00.000Z',
        reception: '2026-11-29T09:15:00.000Z',
        inspectionReport: { timestamps: 2, checks: ['ok'] },
      },
      signatureResult: { valid: true, signer: 'CN=Sozialplattform Test' },
      certificateResult: { status: 'trusted' },
      content: { size: contentXml('Müller, Jürgen').length, sha256: sha256(contentXml('Müller, Jürgen')), contentType: 'application/xml' },
      checklist: [],
    });
    expect(Buffer.from(r.senderCertificate ?? []).equals(cert)).toBe(true);
    expect(r.attachments.map((a) => [a.position, a.name, a.mimeType, a.size])).toEqual([
      [0, 'Mietvertrag.pdf', 'application/pdf', 20],
      [1, 'Foto.jpg', 'image/jpeg', 0],
    ]);
    expect((await store.readAttachment(r.attachments[1]?.id ?? -1)).length).toBe(0);
    expect((await store.readContent(id)).equals(contentXml('Müller, Jürgen'))).toBe(true);
    store.close();
  });

  it('is idempotent: the same message id again stores nothing, returns the existing id and leaves the stream unread', async () => {
    const { store, dir } = await newStore();
    const first = await store.saveDelivery(delivery(1, { attachments: [{ name: 'a', mimeType: 'text/plain', content: Buffer.alloc(10) }] }));
    const files = filesIn(dir);
    let pulled = 0;
    const stream = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(1000));
      },
    });
    const again = await store.saveDelivery(delivery(1, { subject: 'anders', content: stream, attachments: [{ name: 'b', mimeType: 'text/plain', content: Buffer.alloc(5) }] }));
    expect(again).toEqual({ id: first.id, created: false });
    expect(stream.destroyed).toBe(true);
    expect(pulled).toBeLessThanOrEqual(1);
    expect(filesIn(dir)).toEqual(files);
    expect(store.list().total).toBe(1);
    expect(store.getDelivery(first.id).subject).toBe('Antrag Grundsicherung im Alter und bei Erwerbsminderung');
    expect(store.auditEntries().filter((e) => e.action === 'fetched')).toHaveLength(1);
    // two saves of one message racing: one wins, both get its id, no file of the loser remains
    const racing = await Promise.all([
      store.saveDelivery(delivery(2, { attachments: [{ name: 'x', mimeType: 'text/plain', content: Buffer.alloc(3) }] })),
      store.saveDelivery(delivery(2, { attachments: [{ name: 'x', mimeType: 'text/plain', content: Buffer.alloc(3) }] })),
    ]);
    expect(racing.map((r) => r.created).sort()).toEqual([false, true]);
    expect(racing[0]?.id).toBe(racing[1]?.id);
    expect(filesIn(dir)).toHaveLength(2);
    const { db } = await rawDatabase(path.join(dir, 'postfach.db'));
    expect(db.prepare('SELECT count(*) AS n FROM pending_blobs').get()).toEqual({ n: 0 });
    db.close();
    store.close();
  });

  it('keeps large content in an encrypted file and gives it back byte for byte, from any kind of stream', async () => {
    const { store, dir } = await newStore();
    const sizes = [0, 1, 256 * 1024, 256 * 1024 + 1, DEFAULT_CHUNK_BYTES * 3, DEFAULT_CHUNK_BYTES * 3 + 17, 3_000_000];
    for (const [i, size] of sizes.entries()) {
      const bytes = patternBytes(size, `content-${size}`);
      const sources = [bytes, chunked(bytes, 7_001), Readable.from(chunked(bytes, 65_536)), () => Readable.from([bytes]), [bytes.subarray(0, 5), bytes.subarray(5)]];
      const source = sources[i % sources.length] as Parameters<typeof store.saveDelivery>[0]['content'];
      const { id } = await store.saveDelivery(delivery(100 + i, { content: source }));
      const back = await store.readContent(id);
      expect(back.length).toBe(size);
      expect(sha256(back)).toBe(sha256(bytes));
      expect(store.getDelivery(id).content).toMatchObject({ size, sha256: sha256(bytes) });
    }
    // inline up to 256 KiB, files beyond
    expect(filesIn(dir)).toHaveLength(4);
    store.close();
  });

  it('refuses bad input before writing anything', async () => {
    const { store, dir } = await newStore();
    const bad: Array<Parameters<typeof store.saveDelivery>[0]> = [
      delivery(1, { messageId: '' }),
      delivery(1, { messageId: 'x'.repeat(5000) }),
      delivery(1, { processCard: { creation: 'not a date' } }),
      delivery(1, { summary: { applicants: ['A'], applicationDate: '30.10.2026' } }),
      delivery(1, { attachments: [{ name: '', mimeType: 'text/plain', content: Buffer.alloc(1) }] }),
      delivery(1, { attachments: [{ name: 'a', mimeType: 'text/plain', content: Buffer.alloc(1), expectedSha256: 'zz' }] }),
      delivery(1, {
        content: (async function* () {
          yield 'text, not bytes' as unknown as Uint8Array;
        })(),
      }),
    ];
    for (const d of bad) await expect(store.saveDelivery(d)).rejects.toMatchObject({ kind: 'store-invalid-input' });
    expect(store.list().total).toBe(0);
    expect(filesIn(dir)).toEqual([]);
    store.close();
  });

  it('checks attachment bytes against an expected SHA-256 and keeps nothing of a mismatching delivery', async () => {
    const { store, dir } = await newStore();
    const data = patternBytes(500_000, 'att');
    await expect(
      store.saveDelivery(
        delivery(1, {
          attachments: [
            { name: 'ok.pdf', mimeType: 'application/pdf', content: data, expectedSha256: sha256(data) },
            { name: 'bad.pdf', mimeType: 'application/pdf', content: data, expectedSha256: sha256(Buffer.from('other')) },
          ],
        }),
      ),
    ).rejects.toMatchObject({ kind: 'store-invalid-input' });
    expect(store.list().total).toBe(0);
    expect(filesIn(dir)).toEqual([]);
    const ok = await store.saveDelivery(
      delivery(1, { attachments: [{ name: 'ok.pdf', mimeType: 'application/pdf', content: chunked(data, 9999), expectedSha256: sha256(data).toUpperCase() }] }),
    );
    expect(ok.created).toBe(true);
    store.close();
  });

  it('stores a poison delivery exactly as received with its "nicht lesbar" reason', async () => {
    const { store } = await newStore();
    const hostile = Buffer.from('<?xml version="1.0"?><!DOCTYPE b [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;&b;</x>\u0000\xff');
    const { id } = await store.saveDelivery({
      messageId: 'poison-1',
      content: hostile,
      unreadableReason: 'xml-hostile',
      unreadableKind: 'xml-hostile',
      processCard: { creation: '2026-11-27T08:30:00Z' },
    });
    expect(store.list({ unreadable: true }).items.map((i) => [i.id, i.unreadableReason, i.applicants])).toEqual([[id, 'xml-hostile', []]]);
    expect((await store.readContent(id)).equals(hostile)).toBe(true);
    expect(JSON.parse(store.auditEntries().find((e) => e.action === 'fetched')?.detail ?? '{}')).toMatchObject({ v: 1, unreadable: true });
    store.close();
  });
});

describe('tampered blob files', () => {
  async function storeWithBlob(): Promise<{ store: Awaited<ReturnType<typeof newStore>>['store']; file: string; attachmentId: number; dir: string; data: Buffer }> {
    const { store, dir } = await newStore({ chunkBytes: 4096 });
    const data = patternBytes(4096 * 5 + 100, 'tamper');
    const { id } = await store.saveDelivery(delivery(1, { attachments: [{ name: 'a.bin', mimeType: 'application/octet-stream', content: data }] }));
    const name = filesIn(dir)[0] as string;
    return { store, file: path.join(dir, 'postfach.db.files', name), attachmentId: store.getDelivery(id).attachments[0]?.id ?? -1, dir, data };
  }
  const sealed = 4096 + 16;
  const header = 28;

  it('reads back intact files', async () => {
    const { store, attachmentId, data } = await storeWithBlob();
    expect((await store.readAttachment(attachmentId)).equals(data)).toBe(true);
    store.close();
  });

  it.each([
    [
      'a flipped ciphertext bit',
      (b: Buffer) => {
        b[header + 10] = (b[header + 10] ?? 0) ^ 1;
        return b;
      },
    ],
    [
      'a flipped header byte',
      (b: Buffer) => {
        b[9] = (b[9] ?? 0) ^ 1;
        return b;
      },
    ],
    [
      'two chunks swapped',
      (b: Buffer) => Buffer.concat([b.subarray(0, header), b.subarray(header + sealed, header + 2 * sealed), b.subarray(header, header + sealed), b.subarray(header + 2 * sealed)]),
    ],
    ['a chunk repeated', (b: Buffer) => Buffer.concat([b.subarray(0, header + sealed), b.subarray(header, header + sealed), b.subarray(header + sealed)])],
    ['the last chunk cut off (truncated at a chunk boundary)', (b: Buffer) => b.subarray(0, header + 5 * sealed)],
    ['a few bytes cut off', (b: Buffer) => b.subarray(0, b.length - 3)],
    ['bytes appended', (b: Buffer) => Buffer.concat([b, Buffer.alloc(40)])],
    ['emptied', () => Buffer.alloc(0)],
  ])('detects %s: store-corrupt, and no unauthenticated byte is handed out', async (_name, tamper) => {
    const { store, file, attachmentId, data } = await storeWithBlob();
    writeFileSync(file, tamper(readFileSync(file)));
    const received: Buffer[] = [];
    const stream = store.openAttachment(attachmentId);
    await expect(
      (async () => {
        for await (const c of stream) received.push(c as Buffer);
      })(),
    ).rejects.toMatchObject({ kind: 'store-corrupt' });
    // whatever came before the failure is a correct prefix of the original
    const prefix = Buffer.concat(received);
    expect(data.subarray(0, prefix.length).equals(prefix)).toBe(true);
    store.close();
  });

  it("detects a blob file swapped for another blob's file", async () => {
    const { store, dir } = await newStore();
    const a = patternBytes(300_000, 'A');
    const b = patternBytes(300_000, 'B');
    const ra = await store.saveDelivery(delivery(1, { attachments: [{ name: 'a', mimeType: 'x/y', content: a }] }));
    const rb = await store.saveDelivery(delivery(2, { attachments: [{ name: 'b', mimeType: 'x/y', content: b }] }));
    const { db } = await rawDatabase(path.join(dir, 'postfach.db'));
    const blobOf = (id: number): string => (db.prepare('SELECT blob_id FROM attachments WHERE delivery_id = ?').get(id) as { blob_id: string }).blob_id;
    const fa = path.join(dir, 'postfach.db.files', `${blobOf(ra.id)}.blob`);
    const fb = path.join(dir, 'postfach.db.files', `${blobOf(rb.id)}.blob`);
    db.close();
    writeFileSync(fa, readFileSync(fb));
    await expect(collect(store.openAttachment(store.getDelivery(ra.id).attachments[0]?.id ?? -1))).rejects.toMatchObject({ kind: 'store-corrupt' });
    expect((await store.readAttachment(store.getDelivery(rb.id).attachments[0]?.id ?? -1)).equals(b)).toBe(true);
    store.close();
  });

  it('a missing blob file: store-corrupt', async () => {
    const { store, file, attachmentId } = await storeWithBlob();
    truncateSync(file, 0);
    const fd = openSync(file, 'w');
    writeSync(fd, 'x');
    closeSync(fd);
    await expect(store.readAttachment(attachmentId)).rejects.toMatchObject({ kind: 'store-corrupt' });
    const { rmSync } = await import('node:fs');
    rmSync(file);
    await expect(store.readAttachment(attachmentId)).rejects.toMatchObject({ kind: 'store-corrupt' });
    store.close();
  });
});
