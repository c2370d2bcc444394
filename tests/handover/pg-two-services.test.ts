/**
 * The hand-over folder on the shared store on PostgreSQL, in-process, with two programs at once: two services (two
 * connection pools on one database of a real throw-away cluster) hand the same pending deliveries over into the same
 * real folder at the same moment. Each delivery lands exactly once, complete (every file as its manifest says), with
 * one record and one audit entry; neither run reports an error (without the store's hand-over lock one run removes the
 * other's folder in progress as "left by a stopped run" and its rename fails). A delivery stored afterwards by the
 * other program goes over on the next run.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handOverPending, type HandoverOptions } from '../../core/handover/hand-over.js';
import { deliveryFolderName } from '../../core/handover/names.js';
import { ViewCache } from '../../core/mailbox/message-detail.js';
import type { ServiceStore } from '../../core/store/index.js';
import { PgMailboxStore, startLocalCluster, type LocalCluster } from '../../core/store-pg/index.js';
import { butApplication } from '../helpers/but-application.js';
import { tempDir } from '../mailbox/helpers.js';
import { readHandoverFolder, sha256 } from './helpers.js';

let cluster: LocalCluster;
const stores: PgMailboxStore[] = [];

beforeAll(async () => {
  cluster = await startLocalCluster();
}, 120_000);

afterAll(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  await cluster?.stop();
}, 60_000);

async function twoPrograms(database: string): Promise<[PgMailboxStore, PgMailboxStore]> {
  const admin = new pg.Client({ connectionString: cluster.url });
  admin.on('error', () => undefined);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const connection = { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database };
  const dataKey = randomBytes(32);
  const a = await PgMailboxStore.open({ connection, dataKey, osUser: 'dienst-a' });
  const b = await PgMailboxStore.open({ connection, dataKey, osUser: 'dienst-b' });
  stores.push(a, b);
  return [a, b];
}

async function save(store: ServiceStore, messageId: string): Promise<string> {
  const { xml } = butApplication({ messageId });
  await store.saveDelivery({
    messageId,
    content: xml,
    processCard: { creation: '2026-12-01T09:30:00Z' },
    summary: { applicants: ['Mia Müller'], benefitCode: '123', benefitText: 'Schulbedarf' },
  });
  return sha256(xml);
}

const options = (store: ServiceStore, folder: string): HandoverOptions => ({ store, folder, cache: new ViewCache(), timeZone: 'Europe/Berlin', appVersion: '0.0.0-test' });

describe('hand-over folder on PostgreSQL, two services at once', () => {
  it('hands every delivery over exactly once, complete, whichever service runs', async () => {
    const [a, b] = await twoPrograms(`handover_two_${process.pid}`);
    const folder = path.join(tempDir('postfach-pg-handover-two-'), 'fachverfahren-import');
    await a.startHandover();
    const sent = new Map<string, string>();
    for (let i = 0; i < 6; i++) {
      const messageId = `zwei-dienste-${i}`;
      sent.set(messageId, await save(i % 2 === 0 ? a : b, messageId));
    }
    const [runA, runB] = await Promise.all([handOverPending(options(a, folder)), handOverPending(options(b, folder))]);
    expect(runA.error, runA.error?.detail).toBeUndefined();
    expect(runB.error, runB.error?.detail).toBeUndefined();
    expect(runA.handedOver + runB.handedOver).toBe(6);
    expect(runA.pending + runB.pending).toBe(0);

    // a delivery the other service stored later goes over on the next run, the rest stays as it is
    sent.set('zwei-dienste-spaet', await save(b, 'zwei-dienste-spaet'));
    const before = readHandoverFolder(folder);
    const late = await handOverPending(options(a, folder));
    expect(late).toEqual({ handedOver: 1, refused: 0, pending: 0 });

    const state = readHandoverFolder(folder);
    expect(state.temporary).toEqual([]);
    expect(state.undone).toEqual([]);
    expect([...state.done.keys()].sort()).toEqual([...sent.keys()].map(deliveryFolderName).sort());
    for (const [name, manifestSha] of before.done) expect(state.done.get(name), `${name} was written again`).toBe(manifestSha);
    for (const [messageId, xmlSha] of sent) expect(sha256(readFileSync(path.join(folder, deliveryFolderName(messageId), 'Antrag.xml')))).toBe(xmlSha);

    expect(await b.pendingHandovers()).toEqual([]);
    const audited = (await b.auditEntries({ limit: 1000 })).filter((e) => e.action === 'handed-over');
    expect(audited.map((e) => e.messageId).sort()).toEqual([...sent.keys()].sort());
    for (const messageId of sent.keys()) {
      const id = await a.findByMessageId(messageId);
      expect(await a.handoverOf(id!)).toMatchObject({ state: 'done', folder: deliveryFolderName(messageId) });
    }
    expect((await a.verifyAuditLog()).ok).toBe(true);
  }, 300_000);
});
