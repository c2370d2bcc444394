/**
 * The rows of a mailbox key rotation, against both backends of ServiceStore (a real SQLite store and a real
 * throw-away PostgreSQL cluster): a staged key read back exactly, the state with its running count and last error,
 * cancel, the switch (old keys retired and read back exactly, new keys in force, connection kept, chains merged,
 * audited, chain valid), two rotations in order — and, on PostgreSQL, the sealed rows showing no private key bytes
 * and the fetch lock staying the mailbox's across a switch: a service still holding the old key and one that has
 * switched exclude each other.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostfachError } from '../../../core/errors.js';
import { mailboxLockKey } from '../../../core/mailbox/fetch-engine.js';
import { identityFromFiles, identityFromRecord, identityRecord } from '../../../core/mailbox/identity.js';
import { issueCertificate } from '../../../core/pki/index.js';
import { testPkiFiles } from '../../../core/pki/test-pki.js';
import type { KeyMaterial, MailboxIdentityRecord, MailboxStore, ServiceStore } from '../../../core/store/index.js';
import { PgMailboxStore } from '../../../core/store-pg/index.js';
import { pkiPassword, sharedPki } from '../../mailbox/helpers.js';
import { sqliteBackend, usePgCluster, type Backend } from './backends.js';

const pgCluster = usePgCluster();
const BACKENDS: ReadonlyArray<readonly [string, Backend]> = [
  ['sqlite', sqliteBackend],
  ['postgresql', pgCluster.backend],
];

let pkiDir = '';
let identity: MailboxIdentityRecord;
const fresh: KeyMaterial[] = [];
let extraChain: Buffer;

/** A new self-signed key pair fit for a mailbox (as a second certificate from the office's CA would be). */
function newKeys(name: string, separateSignature: boolean): KeyMaterial {
  const make = (cn: string) => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Date.now();
    const certificate = issueCertificate({
      subject: [
        { type: 'C', value: 'DE' },
        { type: 'CN', value: cn },
      ],
      publicKey,
      selfSigningKey: privateKey,
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 400 * 86_400_000),
      keyUsage: ['digitalSignature', 'keyEncipherment', 'dataEncipherment'],
    });
    return { pkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }), der: Buffer.from(certificate.raw) };
  };
  const cipher = make(`${name} Verschlüsselung`);
  const signature = separateSignature ? make(`${name} Signatur`) : undefined;
  return {
    cipherKeyPkcs8: cipher.pkcs8,
    cipherCertificate: cipher.der,
    signatureKeyPkcs8: signature?.pkcs8 ?? null,
    signatureCertificate: signature?.der ?? null,
  };
}

beforeAll(async () => {
  pkiDir = await sharedPki();
  const f = testPkiFiles(pkiDir);
  identity = identityRecord(
    identityFromFiles({ keyFile: f.municipality.p12, password: pkiPassword(pkiDir), intermediaryUrl: 'http://127.0.0.1:1/osci', intermediaryCertificateFile: f.intermediary.cer }),
  );
  fresh.push(newKeys('Sozialamt Musterstadt 2027', false), newKeys('Sozialamt Musterstadt 2029', true));
  extraChain = newKeys('Zwischen-CA', false).cipherCertificate;
}, 180_000);

const opened: MailboxStore[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

function serviceStore(store: MailboxStore): ServiceStore {
  if (!('stageKeyRotation' in store)) throw new Error(`${store.backend} store does not implement key rotation`);
  return store as ServiceStore;
}

const same = (a: Buffer | null, b: Buffer | null) => (a === null || b === null ? a === b : a.equals(b));
function expectKeys(got: KeyMaterial | undefined, want: KeyMaterial): void {
  expect(got).toBeDefined();
  expect(got!.cipherKeyPkcs8.equals(want.cipherKeyPkcs8)).toBe(true);
  expect(got!.cipherCertificate.equals(want.cipherCertificate)).toBe(true);
  expect(same(got!.signatureKeyPkcs8, want.signatureKeyPkcs8)).toBe(true);
  expect(same(got!.signatureCertificate, want.signatureCertificate)).toBe(true);
}

const details = async (store: ServiceStore) =>
  (await store.auditEntries({ limit: 1000 })).filter((e) => e.action === 'settings-changed').map((e) => JSON.parse(e.detail ?? '{}') as Record<string, unknown>);

describe.each(BACKENDS)('key rotation rows: %s', (_name, backend) => {
  async function open(): Promise<ServiceStore> {
    const store = serviceStore(await backend.open());
    opened.push(store);
    await store.saveMailboxIdentity(identity);
    return store;
  }

  it('stages a key and gives it back exactly, counts the drain, records the last error, cancels', async () => {
    const store = await open();
    expect(await store.readKeyRotation()).toBeUndefined();
    expect(await store.updateKeyRotation('draining', { fetched: 1 })).toBe(false);
    await store.stageKeyRotation(fresh[0]!, [extraChain]);
    const staged = await store.readKeyRotation();
    expectKeys(staged, fresh[0]!);
    expect(staged).toMatchObject({ state: 'staged', fetched: 0, lastError: null });
    expect(staged!.chainCertificates.map((c) => c.toString('hex'))).toEqual([extraChain.toString('hex')]);
    expect(await store.updateKeyRotation('draining', { fetched: 2, lastError: 'network' })).toBe(true);
    expect(await store.updateKeyRotation('draining', { fetched: 1, lastError: 'network' })).toBe(true);
    expect(await store.readKeyRotation()).toMatchObject({ state: 'draining', fetched: 3, lastError: 'network' });
    expect(await store.updateKeyRotation('drained', { lastError: null })).toBe(true);
    expect(await store.readKeyRotation()).toMatchObject({ state: 'drained', fetched: 3, lastError: null });
    // staging again replaces the staged key and starts over
    await store.stageKeyRotation(fresh[1]!, []);
    expectKeys(await store.readKeyRotation(), fresh[1]!);
    expect(await store.readKeyRotation()).toMatchObject({ state: 'staged', fetched: 0 });
    expect(await store.cancelKeyRotation()).toBe(true);
    expect(await store.cancelKeyRotation()).toBe(false);
    expect(await store.readKeyRotation()).toBeUndefined();
    // the identity in force did not change
    expectKeys(await store.readMailboxIdentity(), identity);
    expect((await details(store)).map((d) => d['event'])).toEqual(['identity-set', 'rotation-started', 'rotation-started', 'rotation-cancelled']);
    expect((await store.verifyAuditLog()).ok).toBe(true);
  });

  it('switches: the old keys retired exactly, the new in force with the connection kept, twice in order', async () => {
    const store = await open();
    await expect(store.completeKeyRotation()).rejects.toMatchObject({ kind: 'store-invalid-input' });
    await store.stageKeyRotation(fresh[0]!, [extraChain]);
    await store.completeKeyRotation();
    expect(await store.readKeyRotation()).toBeUndefined();
    const now = await store.readMailboxIdentity();
    expectKeys(now, fresh[0]!);
    expect(now!.connection).toEqual(identity.connection);
    // the chains of both key files are kept, each certificate once
    const chain = now!.chainCertificates.map((c) => c.toString('hex'));
    expect(chain).toEqual([...new Set([...identity.chainCertificates.map((c) => c.toString('hex')), extraChain.toString('hex')])]);
    let retired = await store.retiredKeys();
    expect(retired).toHaveLength(1);
    expectKeys(retired[0], identity);
    expect(Number.isNaN(Date.parse(retired[0]!.retiredAt))).toBe(false);

    await store.stageKeyRotation(fresh[1]!, []);
    await store.completeKeyRotation();
    expectKeys(await store.readMailboxIdentity(), fresh[1]!);
    retired = await store.retiredKeys();
    expect(retired).toHaveLength(2);
    expectKeys(retired[0], identity);
    expectKeys(retired[1], fresh[0]!);
    const rotated = (await details(store)).filter((d) => d['event'] === 'rotated');
    expect(rotated).toHaveLength(2);
    expect(rotated[0]!['retired']).toBe(identityFromRecord(identity).cipherKey.certificate.fingerprint256.replaceAll(':', '').toLowerCase());
    expect((await store.verifyAuditLog()).ok).toBe(true);
  });
});

describe('key rotation on PostgreSQL', () => {
  async function database(name: string): Promise<pg.ClientConfig> {
    const cluster = pgCluster.cluster();
    const admin = new pg.Client({ connectionString: cluster.url });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    return { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database: name };
  }

  it('keeps staged and retired private keys sealed: no key bytes in the rows', async () => {
    const connection = await database(`postfach_rot_sealed_${process.pid}`);
    const store = await PgMailboxStore.open({ connection, dataKey: randomBytes(32) });
    opened.push(store);
    await store.saveMailboxIdentity(identity);
    await store.stageKeyRotation(fresh[0]!, []);
    const raw = new pg.Client(connection);
    raw.on('error', () => undefined);
    await raw.connect();
    try {
      const rows = async (sql: string) => Buffer.concat((await raw.query<{ b: Buffer }>(sql)).rows.map((r) => r.b));
      const needle = (key: Buffer) => key.subarray(key.length - 64);
      expect((await rows('SELECT sealed AS b FROM key_rotation')).includes(needle(fresh[0]!.cipherKeyPkcs8))).toBe(false);
      await store.completeKeyRotation();
      expect((await rows('SELECT sealed AS b FROM retired_keys')).includes(needle(identity.cipherKeyPkcs8))).toBe(false);
      expect((await rows('SELECT sealed AS b FROM mailbox_identity')).includes(needle(fresh[0]!.cipherKeyPkcs8))).toBe(false);
      // a sealed key moved to another row is refused, not used
      await raw.query("UPDATE retired_keys SET cipher_cert_sha256 = repeat('0', 64)");
      await expect(store.retiredKeys()).rejects.toMatchObject({ kind: 'store-corrupt' });
    } finally {
      await raw.end();
    }
  });

  it('names the fetch lock by the mailbox: a service with the old key and one after the switch exclude each other', async () => {
    const connection = await database(`postfach_rot_lock_${process.pid}`);
    const dataKey = randomBytes(32);
    // two services: two pools; "old" read the identity before the switch and still fetches with that key
    const old = await PgMailboxStore.open({ connection, dataKey });
    const switched = await PgMailboxStore.open({ connection, dataKey });
    opened.push(old, switched);
    await old.saveMailboxIdentity(identity);
    const oldKey = mailboxLockKey(identityFromRecord((await old.readMailboxIdentity())!));
    await switched.stageKeyRotation(fresh[0]!, []);
    await switched.completeKeyRotation();
    const newKey = mailboxLockKey(identityFromRecord((await switched.readMailboxIdentity())!));
    expect(newKey).not.toBe(oldKey);

    const held = await old.takeFetchLock(oldKey);
    const refused = await switched.takeFetchLock(newKey).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(PostfachError);
    expect((refused as PostfachError).kind).toBe('fetch-running');
    await held.release();
    // and the other way round
    const after = await switched.takeFetchLock(newKey);
    await expect(old.takeFetchLock(oldKey)).rejects.toMatchObject({ kind: 'fetch-running' });
    await after.release();
    const again = await old.takeFetchLock(oldKey);
    await again.release();
  }, 60_000);
});
