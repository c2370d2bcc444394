/**
 * Opening the encrypted SQLite database.
 *
 * Cipher: SQLite3 Multiple Ciphers in its SQLCipher 4 scheme (AES-256-CBC per page, random IV per page write,
 * HMAC-SHA512 per page), keyed with the raw 256-bit data key ("raw:" prefix: no PBKDF2 on each open — the key is
 * random, the slow KDF already sits in front of it in the key file). Chosen over the library's default
 * ChaCha20-Poly1305 scheme because both are authenticated, but SQLCipher 4 is an openly documented, audited and
 * widely deployed format that independent tools (sqlcipher, DB Browser for SQLite) can open with the raw key — IT
 * and the data-protection officer are not tied to this program to read or recover their data. AES runs on AES-NI.
 * The cipher VFS encrypts the WAL and rollback journal the same way (tests/store/encryption.test.ts checks it);
 * temp_store=MEMORY keeps sort and temp tables out of the file system.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import { fromSqliteError, storeError } from './errors.js';

export type Db = Database.Database;

export const BUSY_TIMEOUT_MS = 10_000;

export interface OpenDatabaseOptions {
  readonly create: boolean;
  /** Caps the database size (SQLite max_page_count): IT's quota, and how tests simulate a full disk. */
  readonly maxBytes?: number;
  /** false: commits are not fsynced (bulk loading, benchmarks). Default true. */
  readonly durable?: boolean;
}

export function openEncryptedDatabase(file: string, dataKey: Buffer, options: OpenDatabaseOptions): Db {
  if (!options.create && !existsSync(file)) throw storeError('store-not-found', 'database file missing');
  let db: Db | undefined;
  try {
    db = new Database(file, { fileMustExist: !options.create });
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    const keyMaterial = Buffer.concat([Buffer.from('raw:', 'ascii'), dataKey]);
    try {
      db.key(keyMaterial);
    } finally {
      keyMaterial.fill(0);
    }
    // first read: with the key already verified by the key file, a failure here means a damaged database
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    // a new database frees pages after deletions (retention) with incremental_vacuum; must precede any table
    if (options.create) db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('temp_store = MEMORY');
    // up to 64 MiB of decrypted pages: a wide search (20,000 hits in 100,000 messages) looks up every hit's row;
    // with SQLite's default 2 MiB each lookup decrypts a page again (240 ms instead of 25 ms). Grows only with use.
    db.pragma('cache_size = -65536');
    db.pragma('foreign_keys = ON');
    // deleted rows are overwritten, not left in free pages: deletion by retention is real deletion
    db.pragma('secure_delete = ON');
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    // FULL: every commit is fsynced before it returns — a delivery committed is a delivery kept
    db.pragma(options.durable === false ? 'synchronous = NORMAL' : 'synchronous = FULL');
    if (options.maxBytes !== undefined) {
      const pageSize = Number(db.pragma('page_size', { simple: true }));
      db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxBytes / pageSize))}`);
    }
    return db;
  } catch (error) {
    try {
      db?.close();
    } catch {
      // closing a half-opened handle: nothing more to do
    }
    const mapped = fromSqliteError(error, 'open database');
    throw mapped;
  }
}
