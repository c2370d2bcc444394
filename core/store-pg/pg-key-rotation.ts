/**
 * A mailbox key rotation on the shared store (schema version 4; the SQLite store's counterpart is
 * core/store/key-rotation.ts, the steps are core/mailbox/rotation.ts): the staged new key, the rotation's state, the
 * switch and the retired keys. Private keys are sealed under the field key like the identity (pg-service-data.ts),
 * each row's additional data naming the table and the certificate, so a sealed key moved to another row fails
 * authentication; only the certificates' SHA-256 stays readable, for IT. The switch is one transaction that locks
 * the identity and rotation rows, so two services switching at the same moment switch once.
 */
import { createHash } from 'node:crypto';
import { PostfachError } from '../errors.js';
import type { NewAuditEntry } from '../store/audit-log.js';
import { auditDetail } from '../store/audit-words.js';
import { storeError } from '../store/errors.js';
import type { KeyMaterial, KeyRotationRecord, RetiredKey, RotationState } from '../store/key-rotation.js';
import type { Queryable } from './pg-queries.js';
import { pgReadIdentity, pgWriteIdentity } from './pg-service-data.js';
import { sealText, unsealText } from './sealing.js';

type Audit = (db: Queryable, entry: NewAuditEntry) => Promise<number>;

interface SealedKeys {
  v: 1;
  cipherKey: string;
  cipherCertificate: string;
  signatureKey: string | null;
  signatureCertificate: string | null;
  chain?: string[];
}

const ROTATION_AAD = (sha256: string) => `key_rotation:1:${sha256}`;
const RETIRED_AAD = (sha256: string) => `retired_keys:${sha256}`;
const sha256Of = (der: Buffer) => createHash('sha256').update(der).digest('hex');
const b64 = (b: Buffer) => b.toString('base64');
const bytes = (s: string) => Buffer.from(s, 'base64');

function sealKeys(fieldKey: Buffer, aad: string, keys: KeyMaterial, chain?: readonly Buffer[]): Buffer {
  if ((keys.signatureKeyPkcs8 === null) !== (keys.signatureCertificate === null)) {
    throw storeError('store-invalid-input', 'key rotation: signature key and certificate go together');
  }
  const plain: SealedKeys = {
    v: 1,
    cipherKey: b64(keys.cipherKeyPkcs8),
    cipherCertificate: b64(keys.cipherCertificate),
    signatureKey: keys.signatureKeyPkcs8 === null ? null : b64(keys.signatureKeyPkcs8),
    signatureCertificate: keys.signatureCertificate === null ? null : b64(keys.signatureCertificate),
    ...(chain === undefined ? {} : { chain: chain.map(b64) }),
  };
  return sealText(fieldKey, aad, JSON.stringify(plain));
}

function openKeys(fieldKey: Buffer, aad: string, sealed: Buffer, what: string): KeyMaterial & { chain: Buffer[] } {
  let plain: SealedKeys;
  try {
    plain = JSON.parse(unsealText(fieldKey, aad, sealed, what)) as SealedKeys;
  } catch (error) {
    if (error instanceof PostfachError) throw error;
    throw storeError('store-corrupt', `${what}: sealed JSON unreadable`, error);
  }
  if (plain.v !== 1) throw storeError('store-corrupt', `${what}: unknown sealed version`);
  return {
    cipherKeyPkcs8: bytes(plain.cipherKey),
    cipherCertificate: bytes(plain.cipherCertificate),
    signatureKeyPkcs8: plain.signatureKey === null ? null : bytes(plain.signatureKey),
    signatureCertificate: plain.signatureCertificate === null ? null : bytes(plain.signatureCertificate),
    chain: (plain.chain ?? []).map(bytes),
  };
}

export async function pgStageRotation(db: Queryable, fieldKey: Buffer, audit: Audit, keys: KeyMaterial, chain: readonly Buffer[], at = Date.now()): Promise<void> {
  const fingerprint = sha256Of(keys.cipherCertificate);
  await db.query(
    `INSERT INTO key_rotation(id, state, sealed, cipher_cert_sha256, started_at, updated_at, fetched, last_error)
     VALUES (1, 'staged', $1, $2, $3, $3, 0, NULL)
     ON CONFLICT (id) DO UPDATE SET state = 'staged', sealed = excluded.sealed, cipher_cert_sha256 = excluded.cipher_cert_sha256,
       started_at = excluded.started_at, updated_at = excluded.updated_at, fetched = 0, last_error = NULL`,
    [sealKeys(fieldKey, ROTATION_AAD(fingerprint), keys, chain), fingerprint, at],
  );
  await audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'rotation-started', sha256: fingerprint }) });
}

interface RotationRow {
  state: RotationState;
  sealed: Buffer;
  cipher_cert_sha256: string;
  started_at: number;
  updated_at: number;
  fetched: number;
  last_error: string | null;
}

export async function pgReadRotation(db: Queryable, fieldKey: Buffer, forUpdate = false): Promise<KeyRotationRecord | undefined> {
  const row = (
    await db.query<RotationRow>(
      `SELECT state, sealed, cipher_cert_sha256, started_at, updated_at, fetched, last_error FROM key_rotation WHERE id = 1${forUpdate ? ' FOR UPDATE' : ''}`,
    )
  ).rows[0];
  if (row === undefined) return undefined;
  const { chain, ...keys } = openKeys(fieldKey, ROTATION_AAD(row.cipher_cert_sha256), row.sealed, 'key rotation');
  return {
    ...keys,
    state: row.state,
    chainCertificates: chain,
    startedAt: new Date(row.started_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    fetched: row.fetched,
    lastError: row.last_error,
  };
}

export async function pgUpdateRotation(db: Queryable, state: RotationState, change: { fetched?: number; lastError?: string | null }, at = Date.now()): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE key_rotation SET state = $1, updated_at = $2, fetched = fetched + $3, last_error = $4 WHERE id = 1', [
    state,
    at,
    change.fetched ?? 0,
    change.lastError ?? null,
  ]);
  return (rowCount ?? 0) > 0;
}

export async function pgCancelRotation(db: Queryable, audit: Audit): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM key_rotation WHERE id = 1');
  const removed = (rowCount ?? 0) > 0;
  if (removed) await audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'rotation-cancelled' }) });
  return removed;
}

/**
 * The switch, inside the caller's transaction: the identity's current keys are retired, the staged keys become the
 * identity's (connection kept, chains merged), the rotation row goes. Audited as the SQLite store does ("rotated").
 */
export async function pgSwitchToStagedKeys(db: Queryable, fieldKey: Buffer, audit: Audit, at = Date.now()): Promise<void> {
  await db.query('SELECT 1 FROM mailbox_identity WHERE id = 1 FOR UPDATE');
  const current = await pgReadIdentity(db, fieldKey);
  const staged = await pgReadRotation(db, fieldKey, true);
  if (current === undefined) throw storeError('store-invalid-input', 'key rotation: no mailbox identity to rotate');
  if (staged === undefined) throw storeError('store-invalid-input', 'key rotation: nothing staged');
  const retired = sha256Of(current.cipherCertificate);
  await db.query('INSERT INTO retired_keys(sealed, cipher_cert_sha256, retired_at) VALUES ($1, $2, $3)', [sealKeys(fieldKey, RETIRED_AAD(retired), current), retired, at]);
  const chain = [...new Set([...current.chainCertificates.map(b64), ...staged.chainCertificates.map(b64)])].map(bytes);
  const inForce = await pgWriteIdentity(
    db,
    fieldKey,
    {
      cipherKeyPkcs8: staged.cipherKeyPkcs8,
      cipherCertificate: staged.cipherCertificate,
      signatureKeyPkcs8: staged.signatureKeyPkcs8,
      signatureCertificate: staged.signatureCertificate,
      chainCertificates: chain,
      connection: current.connection,
    },
    at,
  );
  await db.query('DELETE FROM key_rotation WHERE id = 1');
  await audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'rotated', retired, inForce }) });
}

export async function pgRetiredKeys(db: Queryable, fieldKey: Buffer): Promise<RetiredKey[]> {
  const { rows } = await db.query<{ sealed: Buffer; cipher_cert_sha256: string; retired_at: number }>(
    'SELECT sealed, cipher_cert_sha256, retired_at FROM retired_keys ORDER BY id',
  );
  return rows.map((r) => {
    const { chain: _chain, ...keys } = openKeys(fieldKey, RETIRED_AAD(r.cipher_cert_sha256), r.sealed, 'retired key');
    return { ...keys, retiredAt: new Date(r.retired_at).toISOString() };
  });
}

/** The mailbox id (schema version 4): names the fetch lock, the same before and after a key rotation. */
export async function pgMailboxId(db: Queryable): Promise<string> {
  const row = (await db.query<{ id: string }>("SELECT convert_from(value, 'UTF8') AS id FROM store_meta WHERE key = 'mailbox-id'")).rows[0];
  if (row === undefined) throw storeError('store-corrupt', 'store_meta: mailbox id missing');
  return row.id;
}
