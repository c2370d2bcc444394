/**
 * The mailbox identity row (migration 006): the private keys as PKCS#8 DER, sealed with AES-256-GCM under a key
 * derived (HKDF-SHA256) from the data key and the store id — a second layer inside the encrypted database, so a
 * page of the database decrypted on its own, a memory dump of SQLite's page cache or a careless `SELECT` never
 * shows a usable key — plus the certificates and the connection settings. The store does not interpret the
 * connection: it is the JSON the mailbox engine hands over (core/mailbox/identity.ts).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Db } from './database.js';
import { storeError } from './errors.js';
import type { JsonValue } from './records.js';
import { stmt } from './statements.js';

export interface MailboxIdentityRecord {
  /** PKCS#8 DER of the cipher key (the mailbox identity). */
  readonly cipherKeyPkcs8: Buffer;
  readonly cipherCertificate: Buffer;
  /** null: the cipher key signs too. */
  readonly signatureKeyPkcs8: Buffer | null;
  readonly signatureCertificate: Buffer | null;
  /** Further certificates from the key files (chain up to the CA), DER. */
  readonly chainCertificates: readonly Buffer[];
  readonly connection: JsonValue;
  /** ISO 8601; set by the store when saving. */
  readonly configuredAt?: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function sealingKey(dataKey: Buffer, storeId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.from(storeId, 'utf8'), 'osci-postfach mailbox identity v1', 32));
}

export function seal(key: Buffer, plaintext: Buffer, role: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`mailbox-identity|${role}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

export function unseal(key: Buffer, sealed: Buffer, role: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw storeError('store-corrupt', `mailbox identity: sealed ${role} key too short`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(`mailbox-identity|${role}`));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch (error) {
    throw storeError('store-corrupt', `mailbox identity: ${role} key does not authenticate`, error);
  }
}

interface Row {
  cipher_key: Buffer;
  cipher_cert: Buffer;
  signature_key: Buffer | null;
  signature_cert: Buffer | null;
  chain_certs: string;
  connection: string;
  configured_at: number;
}

export function writeMailboxIdentity(db: Db, dataKey: Buffer, storeId: string, record: MailboxIdentityRecord, at: number): void {
  if ((record.signatureKeyPkcs8 === null) !== (record.signatureCertificate === null)) {
    throw storeError('store-invalid-input', 'mailbox identity: signature key and certificate go together');
  }
  const key = sealingKey(dataKey, storeId);
  try {
    stmt(
      db,
      `INSERT INTO mailbox_identity(id, cipher_key, cipher_cert, signature_key, signature_cert, chain_certs, connection, configured_at)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET cipher_key = excluded.cipher_key, cipher_cert = excluded.cipher_cert,
         signature_key = excluded.signature_key, signature_cert = excluded.signature_cert, chain_certs = excluded.chain_certs,
         connection = excluded.connection, configured_at = excluded.configured_at`,
    ).run(
      seal(key, record.cipherKeyPkcs8, 'cipher'),
      record.cipherCertificate,
      record.signatureKeyPkcs8 === null ? null : seal(key, record.signatureKeyPkcs8, 'signature'),
      record.signatureCertificate,
      JSON.stringify(record.chainCertificates.map((c) => c.toString('base64'))),
      JSON.stringify(record.connection),
      at,
    );
  } finally {
    key.fill(0);
  }
}

export function updateMailboxConnection(db: Db, connection: JsonValue, at: number): boolean {
  return stmt(db, 'UPDATE mailbox_identity SET connection = ?, configured_at = ? WHERE id = 1').run(JSON.stringify(connection), at).changes > 0;
}

export function hasMailboxIdentity(db: Db): boolean {
  return stmt(db, 'SELECT 1 AS one FROM mailbox_identity WHERE id = 1').get() !== undefined;
}

export function readMailboxIdentity(db: Db, dataKey: Buffer, storeId: string): MailboxIdentityRecord | undefined {
  const row = stmt(db, 'SELECT * FROM mailbox_identity WHERE id = 1').get() as Row | undefined;
  if (row === undefined) return undefined;
  const key = sealingKey(dataKey, storeId);
  try {
    let chain: string[];
    let connection: JsonValue;
    try {
      chain = JSON.parse(row.chain_certs) as string[];
      connection = JSON.parse(row.connection) as JsonValue;
    } catch (error) {
      throw storeError('store-corrupt', 'mailbox identity: JSON columns unreadable', error);
    }
    return {
      cipherKeyPkcs8: unseal(key, row.cipher_key, 'cipher'),
      cipherCertificate: Buffer.from(row.cipher_cert),
      signatureKeyPkcs8: row.signature_key === null ? null : unseal(key, row.signature_key, 'signature'),
      signatureCertificate: row.signature_cert === null ? null : Buffer.from(row.signature_cert),
      chainCertificates: chain.map((c) => Buffer.from(c, 'base64')),
      connection,
      configuredAt: new Date(row.configured_at).toISOString(),
    };
  } finally {
    key.fill(0);
  }
}
