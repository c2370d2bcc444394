/**
 * What the PostgreSQL store keeps encrypted, and under which keys. PostgreSQL itself stores in clear (a dump, a
 * base backup or a database administrator sees every column), so everything that is document content or may name
 * a person beyond the list's columns is sealed with AES-256-GCM under keys derived from the mailbox data key
 * (HKDF-SHA-256, one key per purpose):
 *
 * - contents and attachments: one random key per blob (as the SQLite store's blob files), wrapped under the
 *   "blob key" with the blob id as additional data; the chunks are sealed by core/store/blob-crypto.ts exactly as
 *   in a blob file (header, chunk index and final flag authenticated);
 * - small fields (attachment names, the note, the evidence JSON with certificates and signature results): sealed
 *   under the "field key" with additional data naming the column and the row (message id or blob id), so a value
 *   moved to another row or column fails authentication instead of being shown there.
 *
 * The key check (`store_meta`) lets a wrong data key be refused on open before anything is written.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { storeError } from '../store/errors.js';

const NONCE = 12;
const TAG = 16;

export interface SealingKeys {
  /** Wraps each blob's own key. */
  readonly blob: Buffer;
  /** Seals small fields. */
  readonly field: Buffer;
}

export function sealingKeys(dataKey: Buffer): SealingKeys {
  if (dataKey.length !== 32) throw storeError('store-invalid-input', 'data key: 32 bytes expected');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `osci-postfach pg ${info} v1`, 32));
  return { blob: derive('blob key wrap'), field: derive('field') };
}

/** nonce ‖ ciphertext ‖ tag. */
export function seal(key: Buffer, aad: string, plaintext: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** The plaintext; `store-corrupt` when the value was altered, moved to another row, or sealed under another key. */
export function unseal(key: Buffer, aad: string, sealed: Buffer, what: string): Buffer {
  if (sealed.length < NONCE + TAG) throw storeError('store-corrupt', `${what}: sealed value too short`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    return Buffer.concat([decipher.update(sealed.subarray(NONCE, sealed.length - TAG)), decipher.final()]);
  } catch {
    throw storeError('store-corrupt', `${what}: fails authentication`);
  }
}

export const sealText = (key: Buffer, aad: string, text: string): Buffer => seal(key, aad, Buffer.from(text, 'utf8'));
export const unsealText = (key: Buffer, aad: string, sealed: Buffer, what: string): string => unseal(key, aad, sealed, what).toString('utf8');

/** The known plaintext of the key check. */
export const KEY_CHECK_AAD = 'store_meta:key-check';
export const KEY_CHECK_TEXT = 'osci-postfach data key check';
