/**
 * The intermediary's mailbox and dialog behaviour with core/osci's client over loopback HTTP: receipts (the next
 * request of the dialog — FetchDelivery, FetchProcessCard or ExitDialog — stamps Reception; no next request, no
 * receipt), the idle timeout, selection rules (MessageId, ReceptionOfDelivery; process cards by MessageId,
 * Quantity with 3801, NoReception, Role), chunked fetch (PartialFetchDelivery), the sender's view of its own
 * deliveries, and the data folder across restarts (including what a crash leaves behind).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExplicitDialog, type ClientOptions } from '../../core/osci/client/dialog.js';
import { fetchAll, withContent } from '../helpers/dialog-loop.js';
import { httpTransport } from '../../core/mailbox/transport.js';
import type { ProcessCardBundle } from '../../core/osci/messages/model.js';
import { sendApplications, type SentApplication } from '../../intermediary/sender/send.js';
import { osciTime } from '../../intermediary/time.js';
import type { IntermediaryOptions } from '../../intermediary/server.js';
import { KEY_TRANSPORT, SYM } from '../../core/osci/crypto/algorithms.js';
import type { TransportAlgorithms } from '../../core/osci/transport-encryption.js';
import { fixturePki, fixtureSenderSetup, municipalityClient, startTestIntermediary, tempDir, type TestIntermediary } from './helpers.js';

async function send(url: string, count: number, extra: Partial<Parameters<typeof sendApplications>[0]> = {}): Promise<SentApplication[]> {
  return sendApplications({ intermediaryUrl: url, setup: fixtureSenderSetup(), count, seed: `protokoll-${Math.random()}`, ...extra });
}

async function cards(
  url: string,
  client: Partial<ClientOptions> = {},
  ...args: Parameters<ExplicitDialog['fetchProcessCards']>
): Promise<{ cards: readonly ProcessCardBundle[]; more: boolean }> {
  const dialog = await ExplicitDialog.open(municipalityClient(url, client));
  try {
    const result = await dialog.fetchProcessCards(...args);
    await dialog.exit();
    return result;
  } finally {
    await dialog.release();
  }
}

const cardOf = (list: readonly ProcessCardBundle[], id: string) => list.find((c) => c.messageId === id)?.processCard;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('receipts', () => {
  let im: TestIntermediary;
  beforeAll(async () => {
    im = await startTestIntermediary();
  });
  afterAll(() => im.dispose());

  it('the next request of the dialog stamps Reception: FetchDelivery, FetchProcessCard, ExitDialog; none without one', async () => {
    const [a, b, c, d] = await send(im.url, 4);
    const dialog = await ExplicitDialog.open(municipalityClient(im.url));
    const first = await dialog.fetchDelivery();
    expect(first?.messageId).toBe(a!.messageId);
    expect(first?.moreWaiting).toBe(true);
    expect(first?.processCard?.processCard).toMatchObject({ creation: { plain: a!.creation }, forwarding: { plain: expect.any(String) } });
    expect(first?.processCard?.processCard?.reception).toBeUndefined();
    dialog.confirmPersisted();
    const second = await dialog.fetchDelivery(); // receipt for a
    expect(second?.messageId).toBe(b!.messageId);
    dialog.confirmPersisted();
    const afterB = await dialog.fetchProcessCards(); // receipt for b
    expect(cardOf(afterB.cards, a!.messageId)?.reception?.plain).toBeDefined();
    expect(cardOf(afterB.cards, b!.messageId)?.reception?.plain).toBeDefined();
    expect(cardOf(afterB.cards, c!.messageId)?.forwarding).toBeUndefined();
    const third = await dialog.fetchDelivery();
    expect(third?.messageId).toBe(c!.messageId);
    dialog.confirmPersisted();
    await dialog.exit(); // receipt for c
    await dialog.release();
    const after = (await cards(im.url)).cards;
    expect(cardOf(after, c!.messageId)?.reception?.plain).toBeDefined();

    // d is handed out, but the dialog ends without a further request: no receipt, offered again next time
    const abandoned = await ExplicitDialog.open(municipalityClient(im.url));
    expect((await abandoned.fetchDelivery())?.messageId).toBe(d!.messageId);
    await abandoned.release();
    const pending = (await cards(im.url)).cards;
    expect(cardOf(pending, d!.messageId)?.forwarding?.plain).toBeDefined();
    expect(cardOf(pending, d!.messageId)?.reception).toBeUndefined();
    let again: string[] = [];
    await fetchAll(municipalityClient(im.url), { onDelivery: async (x) => void (again = [...again, x.messageId!]) });
    expect(again).toEqual([d!.messageId]);
    // Creation ≤ Forwarding ≤ Reception
    for (const card of (await cards(im.url)).cards) {
      const pc = card.processCard!;
      expect(pc.creation!.plain! <= pc.forwarding!.plain!).toBe(true);
      expect(pc.forwarding!.plain! <= pc.reception!.plain!).toBe(true);
      expect(pc.recentModification).toBe(pc.reception!.plain);
    }
  });

  it('a FetchDelivery whose selection is refused (9300) still stamps the Reception of the delivery before it', async () => {
    const [e] = await send(im.url, 1);
    const dialog = await ExplicitDialog.open(municipalityClient(im.url));
    try {
      expect((await dialog.fetchDelivery({ messageIds: [e!.messageId] }))?.messageId).toBe(e!.messageId);
      dialog.confirmPersisted();
      // the receipt and the next hand-out are one commit at the intermediary; a refused selection keeps the receipt
      await expect(dialog.fetchDelivery({ receptionOfDelivery: 'gestern' })).rejects.toMatchObject({ kind: 'fault', osciCode: '9300' });
    } finally {
      await dialog.release();
    }
    expect(cardOf((await cards(im.url)).cards, e!.messageId)?.reception?.plain).toBeDefined();
  });

  it('a received delivery can be fetched again by MessageId; its Reception stays the first', async () => {
    const [x] = await send(im.url, 1);
    await fetchAll(municipalityClient(im.url), { onDelivery: async () => undefined });
    const before = cardOf((await cards(im.url)).cards, x!.messageId)!;
    await sleep(1100);
    const dialog = await ExplicitDialog.open(municipalityClient(im.url));
    const refetched = await dialog.fetchDelivery({ messageIds: [x!.messageId] });
    expect(refetched?.messageId).toBe(x!.messageId);
    expect(refetched?.moreWaiting).toBe(false);
    expect((await withContent(refetched!, municipalityClient(im.url))).content.firstError).toBeUndefined();
    dialog.confirmPersisted();
    await dialog.exit();
    await dialog.release();
    const after = cardOf((await cards(im.url)).cards, x!.messageId)!;
    expect(after.reception?.plain).toBe(before.reception?.plain);
    expect(after.forwarding!.plain! > before.forwarding!.plain!).toBe(true);
  });
});

describe('dialog timeout', () => {
  it('a dialog idle beyond the timeout ends: its next request is refused (9400), the delivery stays unreceived', async () => {
    const im = await startTestIntermediary({ dialogTimeoutMs: 400 });
    try {
      const [x] = await send(im.url, 1);
      const dialog = await ExplicitDialog.open(municipalityClient(im.url));
      expect((await dialog.fetchDelivery())?.messageId).toBe(x!.messageId);
      dialog.confirmPersisted();
      await sleep(900);
      await expect(dialog.fetchDelivery()).rejects.toMatchObject({ kind: 'fault', osciCode: '9400' });
      await dialog.release();
      const card = cardOf((await cards(im.url)).cards, x!.messageId)!;
      expect(card.forwarding?.plain).toBeDefined();
      expect(card.reception).toBeUndefined();
    } finally {
      await im.dispose();
    }
  });
});

describe('selection rules', () => {
  let im: TestIntermediary;
  let sent: SentApplication[];
  beforeAll(async () => {
    im = await startTestIntermediary();
    sent = await send(im.url, 2);
    await sleep(1100);
    sent.push(...(await send(im.url, 1)));
  });
  afterAll(() => im.dispose());

  it('FetchDelivery with ReceptionOfDelivery: only deliveries that arrived at or after the time', async () => {
    const from = sent[2]!.creation!;
    const dialog = await ExplicitDialog.open(municipalityClient(im.url));
    const d = await dialog.fetchDelivery({ receptionOfDelivery: from });
    expect(d?.messageId).toBe(sent[2]!.messageId);
    expect(d?.moreWaiting).toBe(false);
    dialog.confirmPersisted();
    expect(await dialog.fetchDelivery({ receptionOfDelivery: from })).toBeUndefined(); // received now
    await dialog.exit();
    await dialog.release();
  });

  it('FetchProcessCard: Quantity with 3801, MessageId, NoReception, ReceptionOfDelivery', async () => {
    const limited = await cards(im.url, {}, undefined, 2);
    expect(limited.cards.map((c) => c.messageId)).toEqual([sent[0]!.messageId, sent[1]!.messageId]);
    expect(limited.more).toBe(true);
    const byId = await cards(im.url, {}, { messageIds: [sent[1]!.messageId] });
    expect(byId.cards.map((c) => c.messageId)).toEqual([sent[1]!.messageId]);
    expect(byId.more).toBe(false);
    const open = await cards(im.url, {}, { recentModification: '2000-01-01T00:00:00Z', noReception: true, role: 'Addressee' });
    expect(open.cards.map((c) => c.messageId)).toEqual([sent[0]!.messageId, sent[1]!.messageId]);
    const recent = await cards(im.url, {}, { receptionOfDelivery: sent[2]!.creation! });
    expect(recent.cards.map((c) => c.messageId)).toEqual([sent[2]!.messageId]);
    // every card carries the intermediary's inspection of the sender's certificates
    const inspection = limited.cards[0]!.inspections[0]!;
    expect(inspection).toMatchObject({ subjectName: 'CN=Sozialplattform (Test),O=Sozialplattform Musterland,C=DE', mathResult: 'ok', offlineResult: 'valid' });
  });

  it('the sender sees its deliveries with Role="Originator", none as addressee (9804)', async () => {
    const s = fixtureSenderSetup();
    const asSender: Partial<ClientOptions> = { cipherKey: s.sender, signatureKey: s.sender };
    const mine = await cards(im.url, asSender, { recentModification: '2000-01-01T00:00:00Z', role: 'Originator' });
    expect(mine.cards.map((c) => c.messageId)).toEqual(sent.map((x) => x.messageId));
    expect((await cards(im.url, asSender, { recentModification: '2000-01-01T00:00:00Z', role: 'Addressee' })).cards).toEqual([]);
    // the municipality has sent nothing
    expect((await cards(im.url, {}, { recentModification: '2000-01-01T00:00:00Z', role: 'Originator' })).cards).toEqual([]);
  });
});

describe('PartialFetchDelivery', () => {
  it('large deliveries come in chunks and arrive intact; small ones as a normal response; receipt after the last chunk', async () => {
    const im = await startTestIntermediary({ chunkSize: 64 * 1024 });
    try {
      const [big] = await send(im.url, 1, { attachments: 2, attachmentSize: 150_000 });
      const got: Array<{ id: string | undefined; chunks: number; hashes: string[] }> = [];
      await fetchAll(municipalityClient(im.url), {
        chunkSizeKb: 1024,
        onDelivery: async (d) => {
          expect(d.content?.firstError).toBeUndefined();
          expect(d.content?.allContainers[0]?.signatures[0]?.valid).toBe(true);
          got.push({ id: d.messageId, chunks: d.chunks, hashes: d.content.allContainers[0]!.contents.map((c) => ('sha256' in c ? c.sha256 : '')) });
        },
      });
      expect(got).toHaveLength(1);
      expect(got[0]!.id).toBe(big!.messageId);
      expect(got[0]!.chunks).toBeGreaterThan(5); // > 300 KB in 64 KB chunks
      expect(got[0]!.hashes).toEqual([big!.content.sha256, ...big!.attachments.map((a) => a.sha256)]);
      expect(cardOf((await cards(im.url)).cards, big!.messageId)?.reception?.plain).toBeDefined();

      // a client chunk size above the message: one normal ResponseToFetchDelivery
      const small = await startTestIntermediary();
      try {
        const [s] = await send(small.url, 1);
        const sizes: number[] = [];
        await fetchAll(municipalityClient(small.url), { chunkSizeKb: 4096, onDelivery: async (d) => void sizes.push(d.chunks) });
        expect(sizes).toEqual([1]);
        expect(cardOf((await cards(small.url)).cards, s!.messageId)?.reception?.plain).toBeDefined();
      } finally {
        await small.dispose();
      }
    } finally {
      await im.dispose();
    }
  });
});

describe('legacy answer modes', () => {
  const cases: Array<[string, IntermediaryOptions['answer'], Partial<TransportAlgorithms>]> = [
    [
      'AES-256-CBC, RSA-1.5, base64 part, base64 attachments',
      { transport: { symmetric: SYM.aes256cbc, keyTransport: { algorithm: KEY_TRANSPORT.rsa15 }, base64: true }, attachmentEncoding: 'base64' },
      { symmetric: SYM.aes256cbc, keyTransport: KEY_TRANSPORT.rsa15, partBase64: true, weak: true },
    ],
    [
      'AES-GCM with a 16-byte IV and no IvLength, 8-bit attachments',
      { transport: { ivLength: 16 }, attachmentEncoding: '8-bit' },
      { symmetric: SYM.aes256gcm, ivLength: 16, ivLengthElement: undefined, partBase64: false },
    ],
    ['3DES', { transport: { symmetric: SYM.tripledes } }, { symmetric: SYM.tripledes, ivLength: 8 }],
  ];
  for (const [name, answer, expected] of cases) {
    it(`${name}: the client reads them`, async () => {
      const im = await startTestIntermediary({ answer: answer! });
      try {
        const [x] = await send(im.url, 1, { attachments: 1, attachmentSize: 10_000 });
        const seen: Array<{ algorithms: TransportAlgorithms | undefined; cte: string | undefined; ok: boolean }> = [];
        await fetchAll(municipalityClient(im.url), {
          onDelivery: async (d) => {
            const attachment = [...d.decoded.message.attachments.values()][0];
            seen.push({ algorithms: d.decoded.transport?.algorithms, cte: attachment?.transferEncoding, ok: d.content?.firstError === undefined && d.messageId === x!.messageId });
          },
        });
        expect(seen).toHaveLength(1);
        expect(seen[0]!.ok).toBe(true);
        expect(seen[0]!.algorithms).toMatchObject(expected);
        expect(seen[0]!.cte).toBe(answer!.attachmentEncoding ?? '8bit');
      } finally {
        await im.dispose();
      }
    });
  }
});

describe('the data folder', () => {
  it('survives a restart; what a crash leaves half-written is cleaned up', async () => {
    const dir = tempDir('postfach-im-restart-');
    let im = await startTestIntermediary({}, dir);
    const [kept, fetched] = await send(im.url, 2, { attachments: 1, attachmentSize: 20_000 });
    const dialog = await ExplicitDialog.open(municipalityClient(im.url));
    await dialog.fetchDelivery({ messageIds: [fetched!.messageId] });
    dialog.confirmPersisted();
    await dialog.exit();
    await dialog.release();
    await im.close();
    // leftovers of a crash: a half-written delivery, and a folder no record refers to
    mkdirSync(path.join(dir, 'incoming', 'halb'), { recursive: true });
    writeFileSync(path.join(dir, 'incoming', 'halb', 'package.xml'), '<osci:ContentPackage');
    mkdirSync(path.join(dir, 'deliveries', 'verwaist'));
    im = await startTestIntermediary({}, dir);
    try {
      expect(readdirSync(path.join(dir, 'incoming'))).toEqual([]);
      expect(readdirSync(path.join(dir, 'deliveries'))).not.toContain('verwaist');
      const list = (await cards(im.url)).cards;
      expect(cardOf(list, fetched!.messageId)?.reception?.plain).toBeDefined();
      expect(cardOf(list, kept!.messageId)?.reception).toBeUndefined();
      const got: string[] = [];
      await fetchAll(municipalityClient(im.url), {
        onDelivery: async (d) => {
          expect(d.content?.firstError).toBeUndefined();
          got.push(d.messageId!);
        },
      });
      expect(got).toEqual([kept!.messageId]);
      // message ids issued before the restart stay valid, used ones stay used
      const ids = await sendApplications({ intermediaryUrl: im.url, setup: fixtureSenderSetup(), count: 1, seed: 'nach-neustart' });
      expect(ids).toHaveLength(1);
    } finally {
      await im.dispose();
    }
  });

  it('signs a hand-out with the digests kept at intake; a folder without them (an earlier version) is hashed as before', async () => {
    const im = await startTestIntermediary();
    try {
      const [older, tampered] = await send(im.url, 2, { attachments: 1, attachmentSize: 20_000 });
      const db = new Database(path.join(im.dataDir, 'intermediary.sqlite'), { readonly: true });
      const folderOf = (messageId: string) =>
        path.join(im.dataDir, 'deliveries', (db.prepare('SELECT folder FROM deliveries WHERE message_id = ?').get(messageId) as { folder: string }).folder);
      const [olderFolder, tamperedFolder] = [folderOf(older!.messageId), folderOf(tampered!.messageId)];
      db.close();
      const digestsOf = (f: string) => JSON.parse(readFileSync(path.join(f, 'digests.json'), 'utf8')) as { body?: string; attachments?: Record<string, string> };
      for (const f of [olderFolder, tamperedFolder])
        expect(digestsOf(f)).toMatchObject({ body: expect.any(String), attachments: { 'att-0.bin': expect.stringMatching(/^[0-9a-f]{64}$/) } });
      rmSync(path.join(olderFolder, 'digests.json'));
      writeFileSync(path.join(tamperedFolder, 'digests.json'), JSON.stringify({ ...digestsOf(tamperedFolder), body: Buffer.alloc(32, 1).toString('base64') }));

      const dialog = await ExplicitDialog.open(municipalityClient(im.url));
      try {
        const first = await dialog.fetchDelivery({ messageIds: [older!.messageId] });
        expect(first?.decoded.signature.valid).toBe(true);
        dialog.confirmPersisted();
        // the intermediary signed a digest that is not the Body's: the client refuses the response
        await expect(dialog.fetchDelivery({ messageIds: [tampered!.messageId] })).rejects.toMatchObject({ kind: 'digest-mismatch' });
      } finally {
        await dialog.release();
      }
    } finally {
      await im.dispose();
    }
  });

  it('mailboxes are separate: another certificate sees nothing of the municipality', async () => {
    const im = await startTestIntermediary();
    try {
      await send(im.url, 1);
      const s = fixtureSenderSetup();
      const other = await ExplicitDialog.open({
        post: httpTransport({ url: im.url, proxy: { mode: 'direct' } }),
        cipherKey: s.sender,
        signatureKey: s.sender,
        intermediaryCertificate: fixturePki().intermediary.certificate,
        intermediarySigner: { pinned: [fixturePki().intermediary.certificate] },
      });
      expect(await other.fetchDelivery()).toBeUndefined();
      await other.exit();
      await other.release();
      expect(osciTime(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05Z');
    } finally {
      await im.dispose();
    }
  });
});

describe('the fetch stamp commit is durable before it is answered', () => {
  /** A WAL fsync the test releases (or fails) by hand; each call is recorded with whether its file existed. */
  function gatedSync() {
    const calls: Array<{ file: string; existed: boolean }> = [];
    let gates: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
    const syncFile = (file: string): Promise<void> => {
      calls.push({ file, existed: existsSync(file) });
      return new Promise<void>((resolve, reject) => gates.push({ resolve, reject }));
    };
    const settle = (how: 'resolve' | 'reject') => {
      const open = gates;
      gates = [];
      for (const g of open)
        if (how === 'resolve') g.resolve();
        else g.reject(new Error('EIO: fsync failed'));
    };
    const waiting = () => gates.length;
    return { calls, syncFile, settle, waiting };
  }

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await sleep(10);
    expect(check()).toBe(true);
  };

  it('the FetchDelivery answer (Forwarding, and the Reception of the delivery before) waits for the fsync of the WAL', async () => {
    const sync = gatedSync();
    const im = await startTestIntermediary({ syncFile: sync.syncFile });
    try {
      const [a, b] = await send(im.url, 2);
      const dialog = await ExplicitDialog.open(municipalityClient(im.url));
      try {
        let answered = false;
        const first = dialog.fetchDelivery().then((d) => ((answered = true), d));
        await until(() => sync.waiting() === 1);
        // the stamps are committed into the WAL, whose fsync runs on the pool: the answer is held back meanwhile
        expect(sync.calls[0]).toEqual({ file: path.join(im.dataDir, 'intermediary.sqlite-wal'), existed: true });
        await sleep(150);
        expect(answered).toBe(false);
        sync.settle('resolve');
        expect((await first)?.messageId).toBe(a!.messageId);
        dialog.confirmPersisted();
        const second = dialog.fetchDelivery(); // the receipt of a, with the hand-out of b: one commit, one sync
        await until(() => sync.waiting() === 1);
        sync.settle('resolve');
        expect((await second)?.messageId).toBe(b!.messageId);
        dialog.confirmPersisted();
        await dialog.exit();
      } finally {
        await dialog.release();
      }
      expect(sync.calls).toHaveLength(2);
      expect(cardOf((await cards(im.url)).cards, a!.messageId)?.reception?.plain).toBeDefined();
    } finally {
      sync.settle('resolve');
      await im.dispose();
    }
  });

  it('a failed fsync is tried once more; failing again, the answer is a fault (9000), not the delivery', async () => {
    const sync = gatedSync();
    const im = await startTestIntermediary({ syncFile: sync.syncFile });
    try {
      const [a] = await send(im.url, 1);
      const once = await ExplicitDialog.open(municipalityClient(im.url));
      try {
        const fetched = once.fetchDelivery();
        await until(() => sync.waiting() === 1);
        sync.settle('reject');
        await until(() => sync.waiting() === 1); // the second try
        sync.settle('resolve');
        expect((await fetched)?.messageId).toBe(a!.messageId);
      } finally {
        await once.release();
      }

      const twice = await ExplicitDialog.open(municipalityClient(im.url));
      try {
        const fetched = twice.fetchDelivery();
        await until(() => sync.waiting() === 1);
        sync.settle('reject');
        await until(() => sync.waiting() === 1);
        sync.settle('reject');
        await expect(fetched).rejects.toMatchObject({ kind: 'fault', osciCode: '9000' });
      } finally {
        await twice.release();
      }
    } finally {
      sync.settle('resolve');
      await im.dispose();
    }
  });
});
