/**
 * Key files loaded ahead of their use (issue 14, cold `postfach fetch --p12`): the command line knows the mailbox's
 * key file before the store is open, and the service thread waits for the store password's scrypt with nothing to
 * do, so the PKCS#12 load (60–77 ms in the fetch of one delivery) can run in that wait instead of after it.
 *
 * Nothing is decided here: the use reads the file again and takes the early result only for the same path, the
 * same password and byte-for-byte the same file, once. An early load that fails leaves nothing behind, so the use
 * loads again and fails exactly as it would have (the same error, the same words).
 */
import { readFileSync } from 'node:fs';
import { loadPkcs12, type Pkcs12Contents } from './pkcs12.js';

/** A key file to load ahead: its path as the command will give it, and its password. */
export interface KeyFileToPreload {
  readonly file: string;
  readonly password: string;
}

interface Preloaded extends KeyFileToPreload {
  readonly bytes: Buffer;
  readonly contents: Pkcs12Contents;
}

// at most the cipher and the signature key file of one fetch
const MAX_PRELOADED = 2;
const preloaded: Preloaded[] = [];

/** Loads `file` now for a use soon after; any failure is left to that use. */
export function preloadPkcs12({ file, password }: KeyFileToPreload): void {
  if (preloaded.length >= MAX_PRELOADED) return;
  try {
    const bytes = readFileSync(file);
    preloaded.push({ file, password, bytes, contents: loadPkcs12(bytes, password) });
  } catch {
    // not readable, wrong password, damaged, too costly …: the load at use reports it with its words
  }
}

/**
 * The early load of exactly this file (path, password, the bytes read now), handed out once; else undefined. An
 * early load of the same path that does not match (another password, the file changed since) is dropped.
 */
export function takePreloadedPkcs12(file: string, password: string, bytes: Uint8Array): Pkcs12Contents | undefined {
  const i = preloaded.findIndex((p) => p.file === file);
  if (i < 0) return undefined;
  const [early] = preloaded.splice(i, 1);
  return early!.password === password && early!.bytes.equals(bytes) ? early!.contents : undefined;
}

/** Whether an early load waits to be taken (tests). */
export function preloadedPkcs12Count(): number {
  return preloaded.length;
}
