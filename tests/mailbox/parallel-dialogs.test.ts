/**
 * The fetch's second dialog (core/mailbox/parallel-dialogs.ts), against the real local intermediary and a real
 * store: waiting deliveries are fetched by message id in two dialogs side by side, and still no request of either
 * dialog acknowledges a delivery before it is committed — checked at the intermediary's every Reception stamp
 * (the delivery it stamps must already be in the fetching store), while commits are made slow at random so that
 * the two dialogs overtake each other. An intermediary that refuses the second dialog is fetched from in one.
 */
import { createHash, randomInt } from 'node:crypto';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFetch } from '../../core/mailbox/fetch-engine.js';
import { identityFromFiles, type MailboxIdentity } from '../../core/mailbox/identity.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { SqliteMailboxStore, type PostfachStore } from '../../core/store/index.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { DialogRegistry } from '../../intermediary/dialogs.js';
import { MailboxStore } from '../../intermediary/mailbox-store.js';
import { SupplierFault } from '../../intermediary/request-decoder.js';
import { vectorPath } from '../helpers/shared.js';
import { createStore, openStore, pkiPassword, send, sharedPki, startTestIntermediary, tempDir } from './helpers.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const root = tempDir('postfach-mailbox-parallel-');
const document = readFileSync(vectorPath('content/antrag-1.xml'));
let pkiDir = '';
let intermediary: RunningIntermediary;
const log: string[] = [];

function identity(url: string): MailboxIdentity {
  const f = testPkiFiles(pkiDir);
  return identityFromFiles({
    keyFile: f.municipality.p12,
    password: pkiPassword(pkiDir),
    intermediaryUrl: url,
    intermediaryCertificateFile: f.intermediary.cer,
    trustedCaFiles: [f.ca],
    timeoutSeconds: 30,
  });
}

/** The ConversationIds in which the intermediary answered a FetchDelivery since `from` (its log lines). */
const fetchDialogs = (from: number): Set<string> =>
  new Set(
    log
      .slice(from)
      .map((l) => /FetchDelivery dialog (\d+)\//.exec(l)?.[1])
      .filter((d): d is string => d !== undefined),
  );

beforeAll(async () => {
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'), { log: (line) => log.push(line) });
}, 180_000);

afterAll(async () => {
  await intermediary?.close();
});

describe('fetch in two dialogs', () => {
  it('fetches waiting deliveries in two dialogs; every Reception stamp finds its delivery already committed', async () => {
    const dbPath = path.join(root, 'two', 'postfach.db');
    await createStore(dbPath);
    const sent = [
      ...(await send(intermediary.url, pkiDir, { content: document, count: 9 })),
      ...(await send(intermediary.url, pkiDir, { content: document, attachments: 2, attachmentSize: 40_000, seed: 'mit-anlagen' })),
    ];
    const store: PostfachStore = await openStore(dbPath);
    // the intermediary stamps Reception when the next request of a dialog arrives: the fetching store must hold
    // the delivery by then (one process here: the stamp looks into the store directly)
    const stamped: string[] = [];
    const early: string[] = [];
    const original = MailboxStore.prototype.stampReception;
    MailboxStore.prototype.stampReception = function (this: MailboxStore, seq: number, time: string): void {
      const messageId = this.bySeq(seq)!.messageId;
      stamped.push(messageId);
      if (store.findByMessageId(messageId) === undefined) early.push(messageId);
      original.call(this, seq, time);
    };
    // commits slow at random (0–120 ms more): the two dialogs overtake each other
    const service = new SqliteMailboxStore(store);
    const save = service.saveDelivery.bind(service);
    service.saveDelivery = async (delivery) => {
      await new Promise((r) => setTimeout(r, randomInt(0, 120)));
      return save(delivery);
    };
    const from = log.length;
    try {
      const result = await runFetch({ store: service, identity: identity(intermediary.url) });
      expect(result).toMatchObject({ outcome: 'complete', newMessages: sent.length, duplicates: 0, receiptsRecorded: sent.length });
      expect(early).toEqual([]);
      expect(new Set(stamped)).toEqual(new Set(sent.map((s) => s.messageId)));
      expect(fetchDialogs(from).size).toBe(2);
      expect(log.slice(from).filter((l) => l.includes('FetchProcessCard') && l.includes('0801')).length).toBeGreaterThanOrEqual(1);
      for (const s of sent) {
        const id = store.findByMessageId(s.messageId)!;
        expect(sha256(await store.readContent(id))).toBe(s.content.sha256);
        expect(store.getDelivery(id).attachments.map((a) => a.sha256).sort()).toEqual(s.attachments.map((a) => a.sha256).sort());
      }
      expect(store.list({ limit: 100 }).total).toBe(sent.length);
      // nothing left and nothing offered twice
      expect(await runFetch({ store: service, identity: identity(intermediary.url) })).toMatchObject({ outcome: 'complete', newMessages: 0, duplicates: 0 });
    } finally {
      MailboxStore.prototype.stampReception = original;
      store.close();
    }
  }, 180_000);

  it('maxDeliveries holds across both dialogs', async () => {
    const dbPath = path.join(root, 'max', 'postfach.db');
    await createStore(dbPath);
    const sent = await send(intermediary.url, pkiDir, { content: document, count: 6 });
    const store = await openStore(dbPath);
    try {
      expect(await runFetch({ store, identity: identity(intermediary.url), maxDeliveries: 4 })).toMatchObject({ outcome: 'complete', newMessages: 4, receiptsRecorded: 4 });
      expect(await runFetch({ store, identity: identity(intermediary.url) })).toMatchObject({ outcome: 'complete', newMessages: 2, duplicates: 0 });
      expect(new Set(store.list().items.map((i) => i.messageId))).toEqual(new Set(sent.map((s) => s.messageId)));
    } finally {
      store.close();
    }
  }, 180_000);

  it('an intermediary that refuses a second dialog (SOAP fault) is fetched from in one', async () => {
    const dbPath = path.join(root, 'one', 'postfach.db');
    await createStore(dbPath);
    const sent = await send(intermediary.url, pkiDir, { content: document, count: 4 });
    const store = await openStore(dbPath);
    const original = DialogRegistry.prototype.open;
    let refusals = 0;
    DialogRegistry.prototype.open = function (this: DialogRegistry, ...args: Parameters<DialogRegistry['open']>) {
      if (this.size > 0) {
        refusals++;
        throw new SupplierFault('9000', 'one dialog per client at a time');
      }
      return original.apply(this, args);
    };
    const from = log.length;
    try {
      const result = await runFetch({ store, identity: identity(intermediary.url) });
      expect(result).toMatchObject({ outcome: 'complete', newMessages: sent.length, duplicates: 0, receiptsRecorded: sent.length });
      expect(refusals).toBe(1);
      expect(fetchDialogs(from).size).toBe(1);
    } finally {
      DialogRegistry.prototype.open = original;
      store.close();
    }
  }, 180_000);
});
