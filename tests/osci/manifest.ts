/** Typed access to ../shared/osci/vectors/manifest.json for the OSCI tests. */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { vectorPath } from '../helpers/shared.js';
import { vectorKey } from '../helpers/vector-keys.js';
import type { KeyEntry } from '../../core/pki/pkcs12.js';

export type Json = any;

export const manifest: Json = JSON.parse(readFileSync(vectorPath('manifest.json'), 'utf8'));

export function readVector(relative: string): Buffer {
  return readFileSync(vectorPath(relative));
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** `certs/bob_cipher_4096.p12` → key entry. */
export function keyFor(p12Path: string): KeyEntry {
  const m = /certs\/(.+)\.p12$/.exec(p12Path);
  if (!m) throw new Error(`not a key path: ${p12Path}`);
  return vectorKey(m[1]!);
}

export function certDer(cerPath: string): Buffer {
  return readVector(cerPath);
}

/** Every cipher key of the vectors (the decoder must pick the right one by certificate). */
export function allCipherKeys(): KeyEntry[] {
  return ['osci_manager_cipher_4096', 'alice_cipher_4096', 'bob_cipher_4096', 'carol_cipher_4096'].map(vectorKey);
}

/** All message entries that are complete messages: storedelivery, exchange, chunked steps, reassembled. */
export function allMessageEntries(): Json[] {
  return [...manifest.vectors, ...manifest.chunked.messages, ...manifest.chunked.reassembled];
}

/** The error kind a negative vector's expectation names. */
export function expectedKind(n: Json): string {
  if (n.expected.outer_decryption.startsWith('FAILS')) return 'transport-decryption';
  if (/digest mismatch/.test(n.expected.message_signature)) return 'digest-mismatch';
  if (/signature value does not verify/.test(n.expected.message_signature)) return 'signature-invalid';
  throw new Error(`no kind for ${n.id}`);
}
