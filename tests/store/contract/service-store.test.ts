/**
 * What the service keeps besides deliveries, against both backends of ServiceStore (a real SQLite store and a real
 * throw-away PostgreSQL cluster): the mailbox identity with its sealed keys read back exactly, the office's trusted
 * CAs (each once, audited with its origin), IT's code lists (created / unchanged / replaced, the stamp moving) —
 * and, on PostgreSQL, the fetch lock: exactly one holder per mailbox across two programs (two connection pools),
 * refused at once with `fetch-running` naming that another program fetches, free again after release or when the
 * holder's connection dies (a killed service); and confirm() (called by the fetch before every acknowledge) taking a
 * lost lock again when nobody else took it, refusing when another program did.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostfachError } from '../../../core/errors.js';
import { identityFromFiles, identityRecord } from '../../../core/mailbox/identity.js';
import { testPkiFiles } from '../../../core/pki/test-pki.js';
import type { MailboxStore, ServiceStore } from '../../../core/store/index.js';
import { PgMailboxStore } from '../../../core/store-pg/index.js';
import { pkiPassword, sharedPki } from '../../mailbox/helpers.js';
import { sqliteBackend, usePgCluster, type Backend } from './backends.js';

const pgCluster = usePgCluster();
const BACKENDS: ReadonlyArray<readonly [string, Backend]> = [
  ['sqlite', sqliteBackend],
  ['postgresql', pgCluster.backend],
];

let pkiDir = '';
beforeAll(async () => {
  pkiDir = await sharedPki();
}, 180_000);

const opened: MailboxStore[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

/** Both backends implement the service's interface; a store that does not is a failure of this test. */
function serviceStore(store: MailboxStore): ServiceStore {
  if (!('takeFetchLock' in store)) throw new Error(`${store.backend} store does not implement ServiceStore`);
  return store as ServiceStore;
}

const codeList = (sha: string, codes: Record<string, string>) => ({
  listURI: 'urn:xoev-de:test:codeliste:leistung',
  listVersionID: '2',
  canonicalVersionUri: 'urn:xoev-de:test:codeliste:leistung_2',
  name: 'Leistung',
  origin: 'import' as const,
  fileName: 'leistung.xml',
  sha256: sha.repeat(64),
  codes,
});

describe.each(BACKENDS)('service store: %s', (_name, backend) => {
  async function open(): Promise<ServiceStore> {
    const store = serviceStore(await backend.open());
    opened.push(store);
    return store;
  }

  it('keeps the mailbox identity with its keys sealed and gives it back exactly', async () => {
    const store = await open();
    expect(await store.hasMailboxIdentity()).toBe(false);
    expect(await store.readMailboxIdentity()).toBeUndefined();
    const f = testPkiFiles(pkiDir);
    const record = identityRecord(
      identityFromFiles({
        keyFile: f.municipality.p12,
        password: pkiPassword(pkiDir),
        intermediaryUrl: 'http://127.0.0.1:1/osci',
        intermediaryCertificateFile: f.intermediary.cer,
      }),
    );
    await store.saveMailboxIdentity(record);
    expect(await store.hasMailboxIdentity()).toBe(true);
    const back = await store.readMailboxIdentity();
    expect(back?.cipherKeyPkcs8.equals(record.cipherKeyPkcs8)).toBe(true);
    expect(back?.cipherCertificate.equals(record.cipherCertificate)).toBe(true);
    expect(back?.signatureKeyPkcs8 === null ? null : back?.signatureKeyPkcs8.equals(record.signatureKeyPkcs8 ?? Buffer.alloc(0))).toBe(
      record.signatureKeyPkcs8 === null ? null : true,
    );
    expect(back?.chainCertificates.map((c) => c.toString('hex'))).toEqual(record.chainCertificates.map((c) => c.toString('hex')));
    expect(back?.connection).toEqual(record.connection);
    const audit = await store.auditEntries();
    expect(audit.filter((e) => e.action === 'settings-changed' && e.detail?.includes('identity-set'))).toHaveLength(1);
  });

  it('keeps each trusted CA once with its origin, audited', async () => {
    const store = await open();
    const der = new (await import('node:crypto')).X509Certificate(readFileSync(testPkiFiles(pkiDir).ca)).raw;
    expect(await store.addTrustedCas([der], 'setup')).toHaveLength(1);
    expect(await store.addTrustedCas([der], 'import')).toEqual([]);
    const cas = await store.trustedCas();
    expect(cas).toHaveLength(1);
    expect(cas[0]?.origin).toBe('setup');
    expect(cas[0]?.certificate.equals(der)).toBe(true);
    expect((await store.auditEntries()).filter((e) => e.action === 'trusted-ca-added')).toHaveLength(1);
    await expect(store.addTrustedCas([Buffer.alloc(0)], 'import')).rejects.toMatchObject({ kind: 'store-invalid-input' });
  });

  it('keeps code lists by version: created, unchanged, replaced; the stamp follows', async () => {
    const store = await open();
    const empty = await store.codeListsStamp();
    expect(await store.saveCodeList(codeList('a', { '01': 'Hilfe zum Lebensunterhalt' }))).toBe('created');
    const first = await store.codeListsStamp();
    expect(first).not.toBe(empty);
    expect(await store.saveCodeList(codeList('a', { '01': 'Hilfe zum Lebensunterhalt' }))).toBe('unchanged');
    expect(await store.codeListsStamp()).toBe(first);
    expect(await store.saveCodeList(codeList('b', { '01': 'Hilfe zum Lebensunterhalt', '02': 'Grundsicherung' }))).toBe('replaced');
    expect(await store.codeListsStamp()).not.toBe(first);
    const lists = await store.codeLists();
    expect(lists).toHaveLength(1);
    expect(lists[0]?.codes).toEqual({ '01': 'Hilfe zum Lebensunterhalt', '02': 'Grundsicherung' });
    expect((await store.auditEntries()).filter((e) => e.action === 'codelist-imported')).toHaveLength(2);
  });

  it('refuses a code list without identification, with a bad digest or too many codes, and stores nothing', async () => {
    const store = await open();
    const refused = [
      { ...codeList('a', {}), listURI: '' },
      { ...codeList('a', {}), listVersionID: 'v'.repeat(201) },
      { ...codeList('a', {}), fileName: 'n'.repeat(256) },
      { ...codeList('a', {}), sha256: 'A'.repeat(64) },
      codeList('a', Object.fromEntries(Array.from({ length: 100_001 }, (_, i) => [String(i), 'x']))),
    ];
    for (const list of refused) await expect(store.saveCodeList(list)).rejects.toMatchObject({ kind: 'store-invalid-input' });
    expect(await store.codeLists()).toEqual([]);
    expect((await store.auditEntries()).filter((e) => e.action === 'codelist-imported')).toEqual([]);
  });
});

describe('fetch lock on PostgreSQL: exactly one fetcher per mailbox', () => {
  it('refuses a second program at once, lets it in after release, and frees the lock of a dead connection', async () => {
    const cluster = pgCluster.cluster();
    const admin = new pg.Client({ connectionString: cluster.url });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      const database = `postfach_lock_${process.pid}`;
      await admin.query(`CREATE DATABASE ${database}`);
      const connection = { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database, application_name: 'osci-postfach' };
      const dataKey = randomBytes(32);
      // two programs: two pools, as two services on two machines
      const a = await PgMailboxStore.open({ connection, dataKey });
      const b = await PgMailboxStore.open({ connection, dataKey });
      opened.push(a, b);
      const held = await a.takeFetchLock('mailbox-1');
      const refused = await b.takeFetchLock('mailbox-1').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(PostfachError);
      expect((refused as PostfachError).kind).toBe('fetch-running');
      expect((refused as PostfachError).text.de).toContain('von einem anderen Programm abgerufen');
      expect((refused as PostfachError).text.en).toContain('Another program');
      expect((refused as PostfachError).detail).toMatch(/advisory fetch lock .* held by backend pid \d+/);
      // another mailbox (on PostgreSQL: another database, the lock is named by its mailbox id) is not held up
      await admin.query(`CREATE DATABASE ${database}_2`);
      const c = await PgMailboxStore.open({ connection: { ...connection, database: `${database}_2` }, dataKey });
      opened.push(c);
      const other = await c.takeFetchLock('mailbox-2');
      await other.release();
      await held.release();
      const second = await b.takeFetchLock('mailbox-1');
      // the holder's connection dies (a service killed with -9): the lock goes with it
      const { rows } = await admin.query<{ pid: number }>(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = $1)",
        [database],
      );
      expect(rows).toHaveLength(1);
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await expect
        .poll(
          async () =>
            await a.takeFetchLock('mailbox-1').then(
              (l) => l.release().then(() => 'taken'),
              () => 'refused',
            ),
          { timeout: 10_000 },
        )
        .toBe('taken');
      await second.release();
    } finally {
      await admin.end();
    }
  }, 60_000);

  it('confirm(): holds while the session lives, re-takes a lost lock nobody took, refuses once another program took it', async () => {
    const cluster = pgCluster.cluster();
    const admin = new pg.Client({ connectionString: cluster.url });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      const database = `postfach_confirm_${process.pid}`;
      await admin.query(`CREATE DATABASE ${database}`);
      const connection = { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database, application_name: 'osci-postfach' };
      const dataKey = randomBytes(32);
      const a = await PgMailboxStore.open({ connection, dataKey });
      const b = await PgMailboxStore.open({ connection, dataKey });
      opened.push(a, b);
      const lockHolders = async (): Promise<number[]> =>
        (
          await admin.query<{ pid: number }>("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = $1)", [
            database,
          ])
        ).rows.map((r) => r.pid);
      const refusedToB = async (): Promise<boolean> =>
        await b.takeFetchLock('mailbox-1').then(
          (l) => l.release().then(() => false),
          (error: unknown) => error instanceof PostfachError && error.kind === 'fetch-running',
        );

      const lock = await a.takeFetchLock('mailbox-1');
      await lock.confirm();
      const [first] = await lockHolders();
      expect(first).toBeDefined();
      // the lock's backend is terminated: confirm() finds the session gone and takes the lock again (nobody else did)
      await admin.query('SELECT pg_terminate_backend($1)', [first]);
      await lock.confirm();
      const holders = await lockHolders();
      expect(holders).toHaveLength(1);
      expect(holders[0]).not.toBe(first);
      expect(await refusedToB()).toBe(true);

      // terminated again, and this time a second program takes the lock before the next confirm(): refused
      await admin.query('SELECT pg_terminate_backend($1)', [holders[0]]);
      let intruder: Awaited<ReturnType<typeof b.takeFetchLock>> | undefined;
      await expect
        .poll(
          async () => {
            intruder ??= await b.takeFetchLock('mailbox-1').catch(() => undefined);
            return intruder !== undefined;
          },
          { timeout: 10_000 },
        )
        .toBe(true);
      const lost = await lock.confirm().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(lost).toBeInstanceOf(PostfachError);
      expect((lost as PostfachError).kind).toBe('fetch-running');
      expect((lost as PostfachError).detail).toMatch(/lost with its connection during the fetch; now held by backend pid \d+/);
      await lock.release();
      // the intruder still holds it: a's release of a lost lock freed nothing of b's
      expect(await lockHolders()).toHaveLength(1);
      await intruder!.release();
      expect(await lockHolders()).toHaveLength(0);
    } finally {
      await admin.end();
    }
  }, 60_000);
});
