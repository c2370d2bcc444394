/**
 * `postfach serve` on PostgreSQL (issue 13), in-process with its real worker service, a real throw-away cluster on
 * loopback and the real local intermediary: the first start takes the single-PC store over (key, identity, CA),
 * the service fetches every delivery into PostgreSQL byte-exact with one "fetched" entry each (nothing into the
 * SQLite file), a second fetch finds nothing new, and a second service on the same database is refused while the
 * first fetches — no parallel dialog, the German and English words naming that another program fetches — and
 * fetches normally once the first is done.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '../../core/api/wire.js';
import { runServe, type RunningServe } from '../../core/serve/run.js';
import { resolveServeConfig } from '../../core/serve/serve-config.js';
import { PostfachStore } from '../../core/store/index.js';
import { startLocalCluster, type LocalCluster } from '../../core/store-pg/index.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { send, sharedPki, startTestIntermediary, STORE_PASSWORD } from '../mailbox/helpers.js';
import { createDatabase, openSharedStore, pgSection, serveEnv, singlePcStore } from '../mailbox/pg-helpers.js';
import { projectRoot, vectorPath } from '../helpers/shared.js';
import { tempDir } from './helpers.js';

const rendererDir = path.join(projectRoot, 'dist', 'renderer');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const DATABASE = 'team_postfach';

let dir = '';
let cluster: LocalCluster;
let intermediary: RunningIntermediary;
let pkiDir = '';
let document: Buffer;
let keyFile = '';
const services: RunningServe[] = [];
const lines: string[] = [];
const expected = new Map<string, { content: string; attachments: string[] }>();

interface FetchValue {
  outcome: string;
  newMessages: number;
  duplicates: number;
}

function value<T>(result: CallResult<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.detail}`);
  return result.value as T;
}

async function sendSome(count: number, attachments = 0): Promise<void> {
  const sent = await send(intermediary.url, pkiDir, { content: document, count, ...(attachments ? { attachments, attachmentSize: 20_000, seed: `pg-${expected.size}` } : {}) });
  for (const s of sent) expected.set(s.messageId, { content: s.content.sha256, attachments: s.attachments.map((a) => a.sha256) });
}

async function startService(folder: string): Promise<RunningServe> {
  const config = resolveServeConfig(undefined, {
    store: path.join(dir, folder, 'postfach.db'),
    listen: '127.0.0.1:0',
    plainHttpOnLoopback: true,
    fetchIntervalMinutes: 0,
    storePasswordEnv: 'SERVE_TEST_STORE_PASSWORD',
    postgresql: pgSection(cluster, DATABASE, keyFile),
  });
  const running = await runServe(config, { rendererDir, report: (line) => lines.push(line), env: serveEnv(cluster) });
  services.push(running);
  return running;
}

beforeAll(async () => {
  dir = tempDir('postfach-pg-serve-');
  keyFile = path.join(dir, 'postfach-pg.keys.json');
  cluster = await startLocalCluster();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(dir, 'intermediary'));
  document = readFileSync(vectorPath('content/antrag-1.xml'));
  await createDatabase(cluster, DATABASE);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(path.join(dir, 'a'));
  mkdirSync(path.join(dir, 'b'));
  await singlePcStore(path.join(dir, 'a', 'postfach.db'), pkiDir, intermediary.url);
}, 180_000);

afterAll(async () => {
  for (const s of services.splice(0)) await s.close();
  await intermediary?.close();
  await cluster?.stop();
}, 60_000);

describe('postfach serve on PostgreSQL', () => {
  it('takes the single-PC store over, fetches every delivery into PostgreSQL byte-exact, and nothing again', async () => {
    await sendSome(20);
    await sendSome(1, 2);
    const a = await startService('a');
    expect(lines.join('\n')).toContain('nach PostgreSQL übernommen');
    const status = value<{ state: string; path: string; identityConfigured: boolean }>(await a.service.invoke('store.status', {}, 'test:it'));
    expect(status).toMatchObject({ state: 'open', path: keyFile, identityConfigured: true });

    const fetched = value<FetchValue>(await a.service.invoke('mailbox.fetch', {}, 'test:it'));
    expect(fetched).toMatchObject({ outcome: 'complete', newMessages: expected.size, duplicates: 0 });

    const shared = await openSharedStore(cluster, DATABASE, keyFile);
    try {
      const page = await shared.list({ limit: 1000 });
      expect(page.total).toBe(expected.size);
      for (const item of page.items) {
        const want = expected.get(item.messageId);
        expect(want, `stored ${item.messageId} was never sent`).toBeDefined();
        expect(item.unreadableReason).toBeNull();
        expect(sha256(await shared.readContent(item.id))).toBe(want!.content);
        const record = await shared.getDelivery(item.id);
        expect(record.attachments.map((x) => x.sha256).sort()).toEqual([...want!.attachments].sort());
        for (const x of record.attachments) expect(sha256(await shared.readAttachment(x.id))).toBe(x.sha256);
        // the Reception was fetched in the same dialog (FetchProcessCard) and recorded
        expect(record.processCard.reception).not.toBeNull();
      }
      expect((await shared.verifyAuditLog()).ok).toBe(true);
      const audit = await shared.auditEntries({ limit: 10_000 });
      expect(audit.filter((e) => e.action === 'fetched')).toHaveLength(expected.size);
      // the fetch names who asked for it (the service's actor for this call)
      expect(audit.filter((e) => e.action === 'fetched').every((e) => e.osUser === 'test:it')).toBe(true);
    } finally {
      await shared.close();
    }

    // what a signed-in person's UI asks: the list, the folder counts, a step — answered from PostgreSQL
    const page = value<{ total: number; items: Array<{ id: number; messageId: string }> }>(await a.service.invoke('messages.list', { limit: 5 }, 'test:anna'));
    expect(page.total).toBe(expected.size);
    expect(page.items).toHaveLength(5);
    const first = page.items[0]!;
    expect(value<{ id: number }>(await a.service.invoke('messages.setRead', { id: first.id, read: true }, 'test:anna')).id).toBe(first.id);
    // the detail: read again from the sealed content in PostgreSQL, the application's view and the Laufzettel
    const detail = value<{ item: { id: number; messageId: string }; view: unknown; viewError?: unknown; documents: unknown[] }>(
      await a.service.invoke('messages.detail', { ref: { id: page.items[1]!.id } }, 'test:anna'),
    );
    expect(detail.item.messageId).toBe(page.items[1]!.messageId);
    expect(detail.viewError).toBeUndefined();
    expect(detail.view).not.toBeNull();
    // the export: the application's XML byte-exact from the sealed content, and a PDF
    const exportDir = path.join(dir, 'a', 'transfer', 'downloads');
    const xml = value<{ files: Array<{ path: string; sha256?: string }> }>(
      await a.service.invoke('messages.export', { id: page.items[2]!.id, format: 'xml', target: path.join(exportDir, 'antrag.xml') }, 'test:anna'),
    );
    expect(sha256(readFileSync(xml.files[0]!.path))).toBe(expected.get(page.items[2]!.messageId)!.content);
    const pdf = value<{ files: Array<{ path: string }> }>(
      await a.service.invoke('messages.export', { id: page.items[2]!.id, format: 'pdf', target: path.join(exportDir, 'antrag.pdf') }, 'test:anna'),
    );
    expect(readFileSync(pdf.files[0]!.path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const counts = value<Record<string, unknown>>(await a.service.invoke('messages.counts', {}, 'test:anna'));
    // opened (setRead, detail) and exported: three no longer unread
    expect(counts).toMatchObject({ inbox: expected.size, unread: expected.size - 3 });
    expect(
      (await (async () => value<{ items: Array<{ id: number; state: string }> }>(await a.service.invoke('messages.list', { limit: 5 }, 'test:anna')))()).items.find(
        (i) => i.id === page.items[2]!.id,
      )?.state,
    ).toBe('exported');
    const check = await openSharedStore(cluster, DATABASE, keyFile);
    try {
      expect((await check.getDelivery(first.id)).times.readAt).not.toBeNull();
      // the private keys are sealed: a dump of the database shows neither their bytes nor their Base64
      const identity = await check.readMailboxIdentity();
      expect(identity).toBeDefined();
      const { stdout: dump } = await cluster.client('pg_dump', ['--dbname', cluster.url.replace(/\/postgres$/, `/${DATABASE}`)]);
      const key = identity!.cipherKeyPkcs8;
      const probe = key.subarray(key.length - 48);
      expect(dump).toContain('mailbox_identity');
      expect(dump).not.toContain(probe.toString('hex'));
      expect(dump).not.toContain(probe.toString('base64').slice(0, 40));
    } finally {
      await check.close();
    }

    // IT imports a code list through the service: kept in PostgreSQL, listed beside the shipped ones
    const codeListFile = path.join(projectRoot, 'tests', 'fixtures', 'codelists', 'leistungsart_1.xml');
    const imported = value<{ result: string; list: { origin: string } }>(
      await a.service.invoke('codelists.import', { data: readFileSync(codeListFile).toString('base64'), name: 'leistungsart_1.xml' }, 'test:ida'),
    );
    expect(imported).toMatchObject({ result: 'created', list: { origin: 'imported' } });
    const listed = value<{ lists: Array<{ origin: string }> }>(await a.service.invoke('codelists.list', {}, 'test:ida'));
    expect(listed.lists.filter((l) => l.origin === 'imported')).toHaveLength(1);
    const lists = await openSharedStore(cluster, DATABASE, keyFile);
    try {
      expect((await lists.codeLists()).map((l) => l.fileName)).toEqual(['leistungsart_1.xml']);
    } finally {
      await lists.close();
    }

    const again = value<FetchValue>(await a.service.invoke('mailbox.fetch', {}, 'test:it'));
    expect(again).toMatchObject({ outcome: 'complete', newMessages: 0, duplicates: 0 });
    // nothing went into the single-PC store's file
    const single = await PostfachStore.open(path.join(dir, 'a', 'postfach.db'), { password: STORE_PASSWORD });
    expect(single.list({ limit: 10 }).total).toBe(0);
    single.close();
  }, 300_000);

  it('refuses a second service’s fetch while the first fetches: no parallel dialog; it fetches once the first is done', async () => {
    const [a] = services;
    if (a === undefined) throw new Error('first service not running');
    const b = await startService('b');
    await sendSome(30);
    const bProgress: unknown[] = [];
    const stopB = b.service.on('fetch.progress', (p) => bProgress.push(p));
    let storing!: () => void;
    const firstStoring = new Promise<void>((resolve) => (storing = resolve));
    const stopA = a.service.on('fetch.progress', (p) => {
      if ((p as { phase: string }).phase === 'storing') storing();
    });
    const running = a.service.invoke('mailbox.fetch', {}, 'test:anna');
    await firstStoring;
    const refused = await b.service.invoke('mailbox.fetch', {}, 'test:bernd');
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.kind).toBe('fetch-running');
    expect(refused.error.message).toContain('von einem anderen Programm abgerufen');
    expect(refused.error.messageEn).toContain('Another program');
    expect(refused.error.detail).toContain('advisory fetch lock');
    // refused before any dialog: the second service never even connected
    expect(bProgress).toEqual([]);
    const first = value<FetchValue>(await running);
    expect(first).toMatchObject({ outcome: 'complete', newMessages: 30 });
    stopA();
    const later = value<FetchValue>(await b.service.invoke('mailbox.fetch', {}, 'test:bernd'));
    expect(later).toMatchObject({ outcome: 'complete', newMessages: 0 });
    stopB();
    const shared = await openSharedStore(cluster, DATABASE, keyFile);
    try {
      expect((await shared.list({ limit: 1 })).total).toBe(expected.size);
      expect((await shared.auditEntries({ limit: 10_000 })).filter((e) => e.action === 'fetched')).toHaveLength(expected.size);
    } finally {
      await shared.close();
    }
  }, 300_000);
});
