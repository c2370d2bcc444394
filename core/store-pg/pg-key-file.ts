/**
 * The mailbox key of the shared store on PostgreSQL, sealed outside the database: a key file in the format of the
 * SQLite store's `PATH.keys.json` (core/store/key-file.ts) — the random data key wrapped by the store password
 * (scrypt + AES-256-GCM) and by a recovery key shown once — written with mode 0600. Whoever can read the database
 * sees only sealed values; whoever has the file still needs the password. On Linux a key file readable by group or
 * others is refused (the rule: "a key file with 0600 plus a store password").
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { storeError } from '../store/errors.js';
import { readKeyFile } from '../store/key-file.js';
import { createKeyring, unlockDataKey } from '../store/keyring.js';
import { checkPasswordStrength } from '../store/key-wrapping.js';
import { storePaths } from '../store/paths.js';

/** Creates the key file (fails with `store-exists` when there is one): the data key and the recovery key, shown once. */
export async function createPgKeyFile(file: string, password: string): Promise<{ dataKey: Buffer; recoveryKey: string }> {
  checkPasswordStrength(password);
  const created = await createKeyring({ ...storePaths(file), keyFile: path.resolve(file) }, { password });
  return { dataKey: created.dataKey, recoveryKey: created.recoveryKey };
}

export function pgKeyFileExists(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The data key, unwrapped by the store password or the recovery key. */
export async function unlockPgKeyFile(file: string, unlock: { password: string } | { recoveryKey: string }): Promise<Buffer> {
  if (process.platform !== 'win32') {
    let mode: number;
    try {
      mode = statSync(file).mode;
    } catch (error) {
      throw storeError('store-not-found', 'mailbox key file missing', error);
    }
    if ((mode & 0o077) !== 0) throw storeError('store-key-unavailable', 'mailbox key file is readable by group or others (chmod 600)');
  }
  return unlockDataKey(readKeyFile(file), unlock);
}
