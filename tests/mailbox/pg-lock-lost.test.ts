/**
 * The fetch lock's connection dies mid-fetch (PostgreSQL): the real fetch engine on a real throw-away cluster fetches
 * from the real local intermediary; right after the second delivery's response arrived the test terminates the
 * lock's backend (pg_terminate_backend, as a server restart or a DBA would).
 *
 * - Another program takes the lock in that gap: the fetch stops before its next request, which would acknowledge
 *   the second delivery — no request is sent after the loss; the second delivery is committed but not acknowledged,
 *   so the intermediary still offers it; the next fetch recognises it as stored and fetches the rest once.
 * - Nobody takes it: the fetch takes the lock again on a fresh connection and completes; a second program is refused
 *   while it runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailboxLockKey, runFetch } from '../../core/mailbox/fetch-engine.js';
import { identityFromFiles, type MailboxIdentity } from '../../core/mailbox/identity.js';
import { httpTransport } from '../../core/mailbox/transport.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import type { FetchLock } from '../../core/store/index.js';
import { PgMailboxStore, startLocalCluster, type LocalCluster } from '../../core/store-pg/index.js';
import type { PostFunction } from '../../core/osci/client/dialog.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { vectorPath } from '../helpers/shared.js';
import { KillScenario } from './kill-scaffold.js';
import { pkiPassword, send, sharedPki, startTestIntermediary, tempDir } from './helpers.js';
import { createDatabase } from './pg-helpers.js';

const root = tempDir('postfach-pg-lock-lost-');
let cluster: LocalCluster;
let admin: pg.Client;
let pkiDir = '';
let intermediary: RunningIntermediary;
const document = readFileSync(vectorPath('content/antrag-1.xml'));
const scenario = new KillScenario(
  () => intermediary.url,
  () => pkiDir,
  () => document,
);

function identity(): MailboxIdentity {
  const f = testPkiFiles(pkiDir);
  return identityFromFiles({
    keyFile: f.municipality.p12,
    password: pkiPassword(pkiDir),
    intermediaryUrl: intermediary.url,
    intermediaryCertificateFile: f.intermediary.cer,
    trustedCaFiles: [f.ca],
    timeoutSeconds: 30,
  });
}

/** A store of its own database, opened as a program opens it (its own pool). */
async function openStore(database: string, dataKey: Buffer): Promise<PgMailboxStore> {
  return PgMailboxStore.open({
    connection: { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database, application_name: 'osci-postfach' },
    dataKey,
    osUser: 'test',
  });
}

/** Backends holding an advisory lock in `database`. */
async function lockHolders(database: string): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = $1)",
    [database],
  );
  return rows.map((r) => r.pid);
}

/** The transport to the intermediary, counting requests; `afterResponse(n)` runs once the n-th response has arrived. */
function countingPost(afterResponse: (n: number) => Promise<void>): { post: PostFunction; requests: () => number } {
  const inner = httpTransport({ url: intermediary.url, proxy: { mode: 'direct' } });
  let n = 0;
  return {
    post: async (body) => {
      n += 1;
      const response = await inner(body);
      await afterResponse(n);
      return response;
    },
    requests: () => n,
  };
}

beforeAll(async () => {
  cluster = await startLocalCluster();
  admin = new pg.Client({ connectionString: cluster.url });
  admin.on('error', () => undefined);
  await admin.connect();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
}, 180_000);

afterAll(async () => {
  await admin?.end();
  await intermediary?.close();
  await cluster?.stop();
}, 60_000);

describe('the fetch lock lost mid-fetch on PostgreSQL', () => {
  it('stops before the next acknowledge when another program took the lock; the next fetch completes once', async () => {
    const database = 'lock_lost_taken';
    await createDatabase(cluster, database);
    const dataKey = randomBytes(32);
    const store = await openStore(database, dataKey);
    const other = await openStore(database, dataKey);
    const sent = await send(intermediary.url, pkiDir, { content: document, count: 4 });
    for (const s of sent) scenario.expected.set(s.messageId, { content: s.content.sha256, attachments: [] });
    let intruder: FetchLock | undefined;
    let requestsAtLoss = 0;
    try {
      // requests: 1 InitDialog, 2 FetchDelivery (the first delivery), 3 FetchDelivery (acknowledges the first, brings the second)
      const { post, requests } = countingPost(async (n) => {
        if (n !== 3) return;
        const holders = await lockHolders(database);
        expect(holders).toHaveLength(1);
        await admin.query('SELECT pg_terminate_backend($1)', [holders[0]]);
        await expect
          .poll(
            async () => {
              intruder ??= await other.takeFetchLock(mailboxLockKey(identity())).catch(() => undefined);
              return intruder !== undefined;
            },
            { timeout: 10_000 },
          )
          .toBe(true);
        requestsAtLoss = n;
      });
      const result = await runFetch({ store, identity: identity(), post });
      expect(result.outcome).toBe('failed');
      expect(result.error).toMatchObject({ kind: 'fetch-running' });
      expect(result.error?.detail).toMatch(/lost with its connection during the fetch; now held by backend pid \d+/);
      // nothing sent after the loss: the second delivery is committed, not acknowledged
      expect(requestsAtLoss).toBe(3);
      expect(requests()).toBe(3);
      expect(result.newMessages).toBe(1);
      expect((await store.list({ limit: 100 })).total).toBe(2);
      const acknowledged = new Set(await scenario.acknowledgedAtIntermediary());
      const stored = new Set((await store.list({ limit: 100 })).items.map((i) => i.messageId));
      expect([...acknowledged].filter((id) => sent.some((s) => s.messageId === id))).toHaveLength(1);
      for (const id of acknowledged) expect(stored.has(id)).toBe(true);

      // the other program's fetch ends (it released); the next run fetches the rest, the second delivery once
      await intruder!.release();
      intruder = undefined;
      const next = await runFetch({ store, identity: identity() });
      expect(next).toMatchObject({ outcome: 'complete', newMessages: 2, duplicates: 1 });
      const all = await store.list({ limit: 100 });
      expect(new Set(all.items.map((i) => i.messageId))).toEqual(new Set(sent.map((s) => s.messageId)));
      expect((await store.auditEntries({ limit: 1000 })).filter((e) => e.action === 'fetched')).toHaveLength(4);
      expect((await store.verifyAuditLog()).ok).toBe(true);
      expect(await lockHolders(database)).toHaveLength(0);
    } finally {
      await intruder?.release();
      await store.close();
      await other.close();
    }
  }, 180_000);

  it('takes the lock again when nobody took it and completes; a second program stays refused', async () => {
    const database = 'lock_lost_free';
    await createDatabase(cluster, database);
    const dataKey = randomBytes(32);
    const store = await openStore(database, dataKey);
    const other = await openStore(database, dataKey);
    const sent = await send(intermediary.url, pkiDir, { content: document, count: 3 });
    let first = 0;
    const refusals: string[] = [];
    try {
      const { post } = countingPost(async (n) => {
        if (n === 3) {
          [first = 0] = await lockHolders(database);
          await admin.query('SELECT pg_terminate_backend($1)', [first]);
          await expect.poll(async () => (await lockHolders(database)).length, { timeout: 10_000 }).toBe(0);
        }
        // from the next request on, the lock is this fetch's again: a second program is refused
        if (n === 4) {
          const holders = await lockHolders(database);
          expect(holders).toHaveLength(1);
          expect(holders[0]).not.toBe(first);
          await other.takeFetchLock(mailboxLockKey(identity())).then(
            (l) => l.release(),
            (error: unknown) => refusals.push((error as { kind?: string }).kind ?? 'unknown'),
          );
        }
      });
      const result = await runFetch({ store, identity: identity(), post });
      expect(result).toMatchObject({ outcome: 'complete', newMessages: 3, duplicates: 0 });
      expect(first).toBeGreaterThan(0);
      expect(refusals).toEqual(['fetch-running']);
      const all = await store.list({ limit: 100 });
      expect(new Set(all.items.map((i) => i.messageId))).toEqual(new Set(sent.map((s) => s.messageId)));
      expect(await lockHolders(database)).toHaveLength(0);
    } finally {
      await store.close();
      await other.close();
    }
  }, 180_000);
});
