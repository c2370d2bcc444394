/**
 * The mailbox identity in the store (migration 6): a store at every earlier schema version migrates and then keeps
 * an identity; the private keys are sealed inside the encrypted database (not even the decrypted row shows the
 * PKCS#8); set-up from a p12 works once and the keys come back usable (they decrypt and sign as before).
 */
import { createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, sign, verify, constants } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { identityDto, identityFromFiles, identityFromRecord, identityRecord, keyExpiry, type MailboxIdentity } from '../../core/mailbox/identity.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { openEncryptedDatabase } from '../../core/store/database.js';
import { LATEST_SCHEMA_VERSION, PostfachStore } from '../../core/store/index.js';
import { createKeyring } from '../../core/store/keyring.js';
import { migrate, migrations } from '../../core/store/migrations/index.js';
import { storePaths } from '../../core/store/paths.js';
import { FAST_SCRYPT, pkiPassword, sharedPki, STORE_PASSWORD, tempDir } from './helpers.js';
import { rawDatabase } from '../store/helpers.js';

let pkiDir = '';
let identity: MailboxIdentity;

beforeAll(async () => {
  pkiDir = await sharedPki();
  const f = testPkiFiles(pkiDir);
  identity = identityFromFiles({
    keyFile: f.municipality.p12,
    password: pkiPassword(pkiDir),
    intermediaryUrl: 'https://intermediaer.example/osci',
    intermediaryCertificateFile: f.intermediary.cer,
    trustedCaFiles: [f.ca],
    partialFetchKb: 2048,
  });
}, 120_000);

async function storeAtVersion(version: number): Promise<string> {
  const dbPath = path.join(tempDir(), 'alt.db');
  const paths = storePaths(dbPath);
  mkdirSync(paths.filesDir);
  const { dataKey } = await createKeyring(paths, { password: STORE_PASSWORD, scrypt: FAST_SCRYPT });
  const db = openEncryptedDatabase(paths.database, dataKey, { create: true });
  expect(migrate(db, version)).toBe(version);
  db.close();
  return dbPath;
}

describe('migration 6: the mailbox identity', () => {
  it('is the latest migration, a module of its own', () => {
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(6);
    expect(migrations[5]?.name).toBe('mailbox-identity');
  });

  it.each(Array.from({ length: 6 }, (_, k) => k))('a store at version %i migrates and keeps an identity', async (version) => {
    const dbPath = await storeAtVersion(version);
    const store = await PostfachStore.open(dbPath, { password: STORE_PASSWORD });
    expect(store.hasMailboxIdentity()).toBe(false);
    expect(store.readMailboxIdentity()).toBeUndefined();
    store.saveMailboxIdentity(identityRecord(identity));
    store.close();
    const again = await PostfachStore.open(dbPath, { password: STORE_PASSWORD });
    const back = identityFromRecord(again.readMailboxIdentity()!);
    expect(back.cipherKey.certificateDer.equals(identity.cipherKey.certificateDer)).toBe(true);
    expect(back.connection.intermediaryUrl).toBe('https://intermediaer.example/osci');
    expect(back.connection.partialFetchKb).toBe(2048);
    // the trusted sender CAs are the store's own list (migration 9), not part of the identity's connection
    expect(identity.connection.trustedCas).toHaveLength(1);
    expect(back.connection.trustedCas).toEqual([]);
    expect(JSON.stringify(again.readMailboxIdentity()!.connection)).not.toContain('trustedCas');
    expect(again.auditEntries().some((e) => e.action === 'settings-changed' && e.detail !== null && (JSON.parse(e.detail) as { event?: string }).event === 'identity-set')).toBe(
      true,
    );
    again.close();
  });
});

describe('the keys inside the store', () => {
  it('come back usable: what the original key encrypts for, the stored key decrypts; signatures verify', async () => {
    const dbPath = await storeAtVersion(LATEST_SCHEMA_VERSION);
    const store = await PostfachStore.open(dbPath, { password: STORE_PASSWORD });
    store.saveMailboxIdentity(identityRecord(identity));
    const back = identityFromRecord(store.readMailboxIdentity()!);
    store.close();
    const secret = Buffer.from('Challenge 0123456789');
    const sealed = publicEncrypt(
      { key: createPublicKey(identity.cipherKey.certificate.publicKey.export({ format: 'pem', type: 'spki' })), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      secret,
    );
    expect(privateDecrypt({ key: back.cipherKey.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, sealed).equals(secret)).toBe(true);
    const signature = sign('sha256', secret, back.signatureKey.privateKey);
    expect(verify('sha256', secret, identity.signatureKey.certificate.publicKey, signature)).toBe(true);
    expect(back.signatureKey).toBe(back.cipherKey); // the test PKI key serves both roles: stored once
  });

  it('are sealed a second time: the decrypted database row holds no PKCS#8 key', async () => {
    const dbPath = await storeAtVersion(LATEST_SCHEMA_VERSION);
    const store = await PostfachStore.open(dbPath, { password: STORE_PASSWORD });
    store.saveMailboxIdentity(identityRecord(identity));
    store.close();
    const { db } = await rawDatabase(dbPath, { password: STORE_PASSWORD });
    const row = db.prepare('SELECT cipher_key, connection FROM mailbox_identity').get() as { cipher_key: Buffer; connection: string };
    db.close();
    const pkcs8 = identity.cipherKey.privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer;
    expect(row.cipher_key.includes(pkcs8.subarray(40, 80))).toBe(false);
    expect(row.cipher_key.length).toBeGreaterThan(pkcs8.length);
    expect(row.connection).not.toContain('PRIVATE');
    // the sealed bytes are not a key either
    expect(() => createPrivateKey({ key: row.cipher_key, format: 'der', type: 'pkcs8' })).toThrow();
  });

  it('say when the mailbox certificate expires', () => {
    const validTo = new Date(identity.cipherKey.certificate.validTo);
    expect(keyExpiry(identity, new Date(validTo.getTime() - 400 * 86_400_000)).status).toBe('ok');
    // the warning starts 60 days before (issue 6: "warnings from 60 days before")
    expect(keyExpiry(identity, new Date(validTo.getTime() - 61 * 86_400_000))).toMatchObject({ status: 'ok', daysLeft: 61 });
    expect(keyExpiry(identity, new Date(validTo.getTime() - 60 * 86_400_000))).toMatchObject({ status: 'expires-soon', daysLeft: 60 });
    // a day begun counts, as in the certificate's own warning ("läuft in N Tagen ab")
    expect(keyExpiry(identity, new Date(validTo.getTime() - 60 * 86_400_000 - 3_600_000))).toMatchObject({ status: 'ok', daysLeft: 61 });
    expect(keyExpiry(identity, new Date(validTo.getTime() - 19.5 * 86_400_000))).toMatchObject({ status: 'expires-soon', daysLeft: 20 });
    const soon = keyExpiry(identity, new Date(validTo.getTime() - 20 * 86_400_000));
    expect(soon).toMatchObject({ status: 'expires-soon', daysLeft: 20 });
    expect(soon.text.de).toContain('läuft in 20 Tagen ab');
    const expired = keyExpiry(identity, new Date(validTo.getTime() + 86_400_000));
    expect(expired.status).toBe('expired');
    expect(expired.text.de).toContain('abgelaufen');
    expect(identityDto(identity).cipherCertificate.subject).toContain('Sozialamt Musterstadt');
  });
});
