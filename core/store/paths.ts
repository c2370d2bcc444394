/**
 * Where a store's files live. `--store PATH` names the database; everything else sits beside it, so that
 * copying or backing up "PATH*" takes the whole store:
 *   PATH              the SQLCipher-encrypted database (PATH-wal, PATH-shm beside it in WAL mode)
 *   PATH.keys.json    the data key, wrapped several ways (no secret in clear)
 *   PATH.keys.lock    held briefly while the key file is rewritten
 *   PATH.files/       encrypted content and attachment files, named by random ids
 */
import path from 'node:path';

export interface StorePaths {
  readonly database: string;
  readonly keyFile: string;
  readonly keyLock: string;
  readonly filesDir: string;
}

export function storePaths(databasePath: string): StorePaths {
  const database = path.resolve(databasePath);
  return {
    database,
    keyFile: `${database}.keys.json`,
    keyLock: `${database}.keys.lock`,
    filesDir: `${database}.files`,
  };
}
