/**
 * `postfach backup` of a team set-up on PostgreSQL as "a move" (issue 13), with a real throw-away cluster, the real
 * local intermediary and the service's contract in-process: a service on database A fetches deliveries (with
 * attachments), a person reads and claims one; `backup.create` writes the move file while the service runs;
 * `postfach serve restore` (restoreSharedStore) puts it into the EMPTY database B with a new key file. B then holds
 * every row byte-exact — contents, attachments, the audit log with a valid hash chain, the identity, the mailbox id
 * (the fetch lock's name) — opens with the same store password, and a service on B lists and fetches. Refused, and
 * leaving nothing behind: a wrong backup password, a database that holds a store, an existing key file, the
 * single-PC restore of such a backup.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '../../core/api/wire.js';
import { restoreBackup, verifyBackup } from '../../core/backup/backup.js';
import { restoreSharedStore } from '../../core/serve/pg-move.js';
import { runServe, type RunningServe } from '../../core/serve/run.js';
import { resolveServeConfig, type ServeConfig } from '../../core/serve/serve-config.js';
import { PgMailboxStore, startLocalCluster, unlockPgKeyFile, type LocalCluster } from '../../core/store-pg/index.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { postfach, send, sharedPki, startTestIntermediary, STORE_PASSWORD } from '../mailbox/helpers.js';
import { createDatabase, pgSection, serveEnv, singlePcStore, writeServeConfig } from '../mailbox/pg-helpers.js';
import { ensureCliBuilt } from '../helpers/build.js';
import { projectRoot } from '../helpers/shared.js';
import { tempDir } from './helpers.js';

const rendererDir = path.join(projectRoot, 'dist', 'renderer');
const BACKUP_PASSWORD = 'Umzug-Passwort-2027';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let dir = '';
let cluster: LocalCluster;
let intermediary: RunningIntermediary;
let pkiDir = '';
const services: RunningServe[] = [];

function value<T>(result: CallResult<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.detail}`);
  return result.value as T;
}

function configFor(folder: string, database: string, keyFile: string): ServeConfig {
  return resolveServeConfig(undefined, {
    store: path.join(dir, folder, 'postfach.db'),
    listen: '127.0.0.1:0',
    plainHttpOnLoopback: true,
    fetchIntervalMinutes: 0,
    storePasswordEnv: 'SERVE_TEST_STORE_PASSWORD',
    postgresql: pgSection(cluster, database, keyFile),
  });
}

async function start(config: ServeConfig): Promise<RunningServe> {
  const running = await runServe(config, { rendererDir, report: () => undefined, env: serveEnv(cluster) });
  services.push(running);
  return running;
}

async function openStore(database: string, keyFile: string): Promise<PgMailboxStore> {
  const dataKey = await unlockPgKeyFile(keyFile, { password: STORE_PASSWORD });
  return PgMailboxStore.open({ connection: { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database }, dataKey, osUser: 'test' });
}

async function raw<T extends pg.QueryResultRow>(database: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Everything a person can read of a store, as hashes: contents, attachments, audit log, identity. */
async function contents(store: PgMailboxStore) {
  const items = (await store.list({ limit: 1000 })).items;
  const messages = [];
  for (const item of items) {
    const record = await store.getDelivery(item.id);
    const attachments = [];
    for (const a of record.attachments) attachments.push([a.name, a.sha256, sha256(await store.readAttachment(a.id))]);
    messages.push({ id: item.id, messageId: item.messageId, content: sha256(await store.readContent(item.id)), attachments, claimedBy: record.claim?.by ?? null });
  }
  const identity = await store.readMailboxIdentity();
  return {
    messages,
    audit: await store.auditEntries({ limit: 10_000 }),
    identity: identity === undefined ? null : sha256(Buffer.concat([identity.cipherKeyPkcs8, identity.cipherCertificate])),
    cas: (await store.trustedCas()).map((c) => c.fingerprint),
  };
}

beforeAll(async () => {
  ensureCliBuilt(['serve.js']);
  dir = tempDir('postfach-pg-move-');
  cluster = await startLocalCluster();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(dir, 'intermediary'));
  for (const db of ['move_a', 'move_b', 'move_c']) await createDatabase(cluster, db);
  for (const folder of ['a', 'b', 'c']) mkdirSync(path.join(dir, folder));
  await singlePcStore(path.join(dir, 'a', 'postfach.db'), pkiDir, intermediary.url);
}, 180_000);

afterAll(async () => {
  for (const s of services.splice(0)) await s.close();
  await intermediary?.close();
  await cluster?.stop();
}, 60_000);

describe('postfach backup of the shared store on PostgreSQL: a move', () => {
  it('moves the store into an empty database byte-exact with a valid audit chain; refuses what is not empty', async () => {
    const keyA = path.join(dir, 'a', 'team.keys.json');
    const a = await start(configFor('a', 'move_a', keyA));
    await send(intermediary.url, pkiDir, { count: 3, seed: 'umzug' });
    await send(intermediary.url, pkiDir, { count: 2, seed: 'umzug-anlagen', attachments: 2, attachmentSize: 300_000 });
    expect(value<{ newMessages: number }>(await a.service.invoke('mailbox.fetch', {}, 'test:it')).newMessages).toBe(5);
    const first = value<{ items: Array<{ id: number }> }>(await a.service.invoke('messages.list', { limit: 1 }, 'test:anna')).items[0]!;
    value(await a.service.invoke('inbox.claim', { id: first.id }, 'test:anna'));

    const file = path.join(dir, 'a', 'transfer', 'downloads', 'umzug.pfbak');
    mkdirSync(path.dirname(file), { recursive: true });
    const made = value<{ path: string; summary: { messages: number; auditEntries: number } }>(
      await a.service.invoke('backup.create', { target: file, password: BACKUP_PASSWORD }, 'test:it'),
    );
    expect(made.summary.messages).toBe(5);
    expect((await verifyBackup(file, BACKUP_PASSWORD)).summary.messages).toBe(5);

    const before = await openStore('move_a', keyA);
    const want = await contents(before);
    await before.close();
    expect(want.messages).toHaveLength(5);
    expect(want.messages.flatMap((m) => m.attachments)).toHaveLength(4);
    expect(want.messages.filter((m) => m.claimedBy !== null)).toHaveLength(1);
    expect(made.summary.auditEntries).toBe(want.audit.length);

    // a wrong password: refused before the database is touched — no table made — and the key folder left empty
    const keyB = path.join(dir, 'b', 'team.keys.json');
    const configB = configFor('b', 'move_b', keyB);
    await expect(restoreSharedStore(configB, file, 'falsches-Passwort', serveEnv(cluster))).rejects.toMatchObject({ kind: 'backup-wrong-password' });
    expect(existsSync(keyB)).toBe(false);
    expect(await raw<{ n: number }>('move_b', "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([{ n: 0 }]);

    // the move: into the empty database B (after the failed try), with a new key file
    const restored = await restoreSharedStore(configB, file, BACKUP_PASSWORD, serveEnv(cluster));
    expect(restored.summary.messages).toBe(5);
    const after = await openStore('move_b', keyB);
    try {
      expect(await contents(after)).toEqual(want);
      const check = await after.verifyAuditLog();
      expect(check).toMatchObject({ ok: true, entries: want.audit.length });
      // the hashes of the chain themselves, row by row
      const hashes = (database: string) => raw<{ seq: number; hash: string }>(database, "SELECT seq, encode(hash, 'hex') AS hash FROM audit_log ORDER BY seq");
      expect(await hashes('move_b')).toEqual(await hashes('move_a'));
      const mailboxId = (database: string) => raw<{ id: string }>(database, "SELECT convert_from(value, 'UTF8') AS id FROM store_meta WHERE key = 'mailbox-id'");
      expect(await mailboxId('move_b')).toEqual(await mailboxId('move_a'));
    } finally {
      await after.close();
    }

    // restored twice: the key file is there, and so is the store
    await expect(restoreSharedStore(configB, file, BACKUP_PASSWORD, serveEnv(cluster))).rejects.toMatchObject({ kind: 'backup-target-exists' });
    await expect(restoreSharedStore(configFor('c', 'move_b', path.join(dir, 'c', 'other.keys.json')), file, BACKUP_PASSWORD, serveEnv(cluster))).rejects.toMatchObject({
      kind: 'backup-target-exists',
    });
    expect(existsSync(path.join(dir, 'c', 'other.keys.json'))).toBe(false);
    // the single-PC restore names what this backup is, and writes nothing
    const single = path.join(dir, 'c', 'einzelplatz', 'postfach.db');
    const refused = await restoreBackup({ file, password: BACKUP_PASSWORD, storePath: single }).then(
      () => undefined,
      (error: unknown) => error as { kind: string; text: { de: string } },
    );
    expect(refused?.kind).toBe('backup-corrupt');
    expect(refused?.text.de).toContain('postfach serve restore');
    expect(existsSync(path.dirname(single))).toBe(false);

    // the command IT runs: the built `postfach serve restore` into database C, from the settings file
    const keyC = path.join(dir, 'c', 'team.keys.json');
    const configFile = writeServeConfig(path.join(dir, 'c', 'serve.json'), {
      store: path.join(dir, 'c', 'postfach.db'),
      storePasswordEnv: 'SERVE_TEST_STORE_PASSWORD',
      postgresql: pgSection(cluster, 'move_c', keyC),
    });
    const run = await postfach(['serve', 'restore', file, '--config', configFile, '--json'], { ...serveEnv(cluster), POSTFACH_BACKUP_PASSWORD: BACKUP_PASSWORD });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, database: 'move_c', keyFile: keyC, summary: { messages: 5 } });
    const viaCli = await openStore('move_c', keyC);
    try {
      expect(await contents(viaCli)).toEqual(want);
    } finally {
      await viaCli.close();
    }

    // a service on the moved store: it opens with the same password, lists, and fetches what came since
    await a.close();
    services.splice(services.indexOf(a), 1);
    const b = await start(configB);
    expect(value<{ total: number }>(await b.service.invoke('messages.list', { limit: 1 }, 'test:anna')).total).toBe(5);
    await send(intermediary.url, pkiDir, { count: 1, seed: 'nach-umzug' });
    expect(value<{ newMessages: number; duplicates: number }>(await b.service.invoke('mailbox.fetch', {}, 'test:it'))).toMatchObject({ newMessages: 1, duplicates: 0 });
    expect(value<{ total: number }>(await b.service.invoke('messages.list', { limit: 1 }, 'test:anna')).total).toBe(6);
  }, 300_000);
});
