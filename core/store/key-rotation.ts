/**
 * The rows of a mailbox key rotation (migration 007): the staged new key, the state of the rotation, the retired
 * keys. Private keys are sealed exactly like the identity's (mailbox-identity.ts), each with its own role in the AAD.
 */
import type { Db } from './database.js';
import { storeError } from './errors.js';
import { sealingKey, seal, unseal } from './mailbox-identity.js';
import { stmt } from './statements.js';

export type RotationState = 'staged' | 'draining' | 'drained';

export interface KeyMaterial {
  readonly cipherKeyPkcs8: Buffer;
  readonly cipherCertificate: Buffer;
  /** null: the cipher key signs too. */
  readonly signatureKeyPkcs8: Buffer | null;
  readonly signatureCertificate: Buffer | null;
}

export interface KeyRotationRecord extends KeyMaterial {
  readonly state: RotationState;
  readonly chainCertificates: readonly Buffer[];
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly fetched: number;
  readonly lastError: string | null;
}

export interface RetiredKey extends KeyMaterial {
  readonly retiredAt: string;
}

interface KeyRow {
  cipher_key: Buffer;
  cipher_cert: Buffer;
  signature_key: Buffer | null;
  signature_cert: Buffer | null;
}

function sealedKeys(key: Buffer, k: KeyMaterial, prefix: string): [Buffer, Buffer | null] {
  if ((k.signatureKeyPkcs8 === null) !== (k.signatureCertificate === null)) throw storeError('store-invalid-input', `${prefix}: signature key and certificate go together`);
  return [seal(key, k.cipherKeyPkcs8, `${prefix}-cipher`), k.signatureKeyPkcs8 === null ? null : seal(key, k.signatureKeyPkcs8, `${prefix}-signature`)];
}

function openedKeys(key: Buffer, row: KeyRow, prefix: string): KeyMaterial {
  return {
    cipherKeyPkcs8: unseal(key, row.cipher_key, `${prefix}-cipher`),
    cipherCertificate: Buffer.from(row.cipher_cert),
    signatureKeyPkcs8: row.signature_key === null ? null : unseal(key, row.signature_key, `${prefix}-signature`),
    signatureCertificate: row.signature_cert === null ? null : Buffer.from(row.signature_cert),
  };
}

export function stageRotation(db: Db, dataKey: Buffer, storeId: string, keys: KeyMaterial, chain: readonly Buffer[], at: number): void {
  const key = sealingKey(dataKey, storeId);
  try {
    const [cipher, signature] = sealedKeys(key, keys, 'rotation');
    stmt(
      db,
      `INSERT INTO key_rotation(id, state, cipher_key, cipher_cert, signature_key, signature_cert, chain_certs, started_at, updated_at, fetched, last_error)
       VALUES (1, 'staged', ?, ?, ?, ?, ?, ?, ?, 0, NULL)
       ON CONFLICT(id) DO UPDATE SET state = 'staged', cipher_key = excluded.cipher_key, cipher_cert = excluded.cipher_cert,
         signature_key = excluded.signature_key, signature_cert = excluded.signature_cert, chain_certs = excluded.chain_certs,
         started_at = excluded.started_at, updated_at = excluded.updated_at, fetched = 0, last_error = NULL`,
    ).run(cipher, keys.cipherCertificate, signature, keys.signatureCertificate, JSON.stringify(chain.map((c) => c.toString('base64'))), at, at);
  } finally {
    key.fill(0);
  }
}

export function readRotation(db: Db, dataKey: Buffer, storeId: string): KeyRotationRecord | undefined {
  const row = stmt(db, 'SELECT * FROM key_rotation WHERE id = 1').get() as
    (KeyRow & { state: RotationState; chain_certs: string; started_at: number; updated_at: number; fetched: number; last_error: string | null }) | undefined;
  if (row === undefined) return undefined;
  const key = sealingKey(dataKey, storeId);
  try {
    let chain: string[];
    try {
      chain = JSON.parse(row.chain_certs) as string[];
    } catch (error) {
      throw storeError('store-corrupt', 'key rotation: chain JSON unreadable', error);
    }
    return {
      ...openedKeys(key, row, 'rotation'),
      state: row.state,
      chainCertificates: chain.map((c) => Buffer.from(c, 'base64')),
      startedAt: new Date(row.started_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
      fetched: row.fetched,
      lastError: row.last_error,
    };
  } finally {
    key.fill(0);
  }
}

export function updateRotation(db: Db, state: RotationState, at: number, change: { fetched?: number; lastError?: string | null }): boolean {
  return (
    stmt(db, 'UPDATE key_rotation SET state = ?, updated_at = ?, fetched = fetched + ?, last_error = ? WHERE id = 1').run(state, at, change.fetched ?? 0, change.lastError ?? null)
      .changes > 0
  );
}

export function deleteRotation(db: Db): boolean {
  return stmt(db, 'DELETE FROM key_rotation WHERE id = 1').run().changes > 0;
}

/**
 * The switch, inside the caller's transaction: the identity's current keys are retired, the staged keys become the
 * identity's (connection and chain kept), the rotation row goes.
 */
export function switchToStagedKeys(db: Db, dataKey: Buffer, storeId: string, at: number): { oldCipherCertificate: Buffer; newCipherCertificate: Buffer } {
  const key = sealingKey(dataKey, storeId);
  try {
    const current = stmt(db, 'SELECT cipher_key, cipher_cert, signature_key, signature_cert FROM mailbox_identity WHERE id = 1').get() as KeyRow | undefined;
    const staged = stmt(db, 'SELECT cipher_key, cipher_cert, signature_key, signature_cert, chain_certs FROM key_rotation WHERE id = 1').get() as
      (KeyRow & { chain_certs: string }) | undefined;
    if (current === undefined) throw storeError('store-invalid-input', 'key rotation: no mailbox identity to rotate');
    if (staged === undefined) throw storeError('store-invalid-input', 'key rotation: nothing staged');
    // re-sealed under their new roles: a sealed key is bound (AAD) to where it is kept
    const oldKeys: KeyMaterial = {
      cipherKeyPkcs8: unseal(key, current.cipher_key, 'cipher'),
      cipherCertificate: Buffer.from(current.cipher_cert),
      signatureKeyPkcs8: current.signature_key === null ? null : unseal(key, current.signature_key, 'signature'),
      signatureCertificate: current.signature_cert === null ? null : Buffer.from(current.signature_cert),
    };
    const newKeys = openedKeys(key, staged, 'rotation');
    const [retiredCipher, retiredSignature] = sealedKeys(key, oldKeys, 'retired');
    stmt(db, 'INSERT INTO retired_keys(cipher_key, cipher_cert, signature_key, signature_cert, retired_at) VALUES (?, ?, ?, ?, ?)').run(
      retiredCipher,
      oldKeys.cipherCertificate,
      retiredSignature,
      oldKeys.signatureCertificate,
      at,
    );
    const chain = [
      ...new Set([
        ...(JSON.parse((stmt(db, 'SELECT chain_certs FROM mailbox_identity WHERE id = 1').get() as { chain_certs: string }).chain_certs) as string[]),
        ...(JSON.parse(staged.chain_certs) as string[]),
      ]),
    ];
    stmt(db, 'UPDATE mailbox_identity SET cipher_key = ?, cipher_cert = ?, signature_key = ?, signature_cert = ?, chain_certs = ?, configured_at = ? WHERE id = 1').run(
      seal(key, newKeys.cipherKeyPkcs8, 'cipher'),
      newKeys.cipherCertificate,
      newKeys.signatureKeyPkcs8 === null ? null : seal(key, newKeys.signatureKeyPkcs8, 'signature'),
      newKeys.signatureCertificate,
      JSON.stringify(chain),
      at,
    );
    stmt(db, 'DELETE FROM key_rotation WHERE id = 1').run();
    return { oldCipherCertificate: oldKeys.cipherCertificate, newCipherCertificate: newKeys.cipherCertificate };
  } finally {
    key.fill(0);
  }
}

export function readRetiredKeys(db: Db, dataKey: Buffer, storeId: string): RetiredKey[] {
  const rows = stmt(db, 'SELECT cipher_key, cipher_cert, signature_key, signature_cert, retired_at FROM retired_keys ORDER BY id').all() as Array<KeyRow & { retired_at: number }>;
  const key = sealingKey(dataKey, storeId);
  try {
    return rows.map((row) => ({ ...openedKeys(key, row, 'retired'), retiredAt: new Date(row.retired_at).toISOString() }));
  } finally {
    key.fill(0);
  }
}
