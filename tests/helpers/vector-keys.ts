import { readFileSync } from 'node:fs';
import type { X509Certificate } from 'node:crypto';
import { loadCertificate, loadPkcs12, type KeyEntry } from '../../core/pki/pkcs12.js';
import { VECTOR_PIN, vectorPath } from './shared.js';

// Loading a legacy PKCS#12 costs ~0.3-1 s of pure-JS key derivation: load each vector key once per test file.
const keys = new Map<string, KeyEntry>();

/** The key of `certs/<name>.p12` (e.g. `bob_cipher_4096`). */
export function vectorKey(name: string): KeyEntry {
  let entry = keys.get(name);
  if (!entry) {
    const contents = loadPkcs12(readFileSync(vectorPath(`certs/${name}.p12`)), VECTOR_PIN);
    const first = contents.keys[0];
    if (!first || contents.keys.length !== 1) throw new Error(`expected exactly one key in ${name}.p12`);
    entry = first;
    keys.set(name, entry);
  }
  return entry;
}

/** The certificate `certs/<name>.cer`. */
export function vectorCertificate(name: string): X509Certificate {
  return loadCertificate(readFileSync(vectorPath(`certs/${name}.cer`)));
}
