/**
 * `postfach backup` of the shared store on PostgreSQL — "a move" (issue 13: the office's backup is IT's PostgreSQL
 * backup; this file is for moving the team's mailbox to another database or server). One encrypted,
 * password-protected file in the format of the single-PC backup (format.ts) carries:
 * - every row of the program's tables (`pg/<table>.jsonl`, one JSON object per row as PostgreSQL's row_to_json
 *   gives it), read in ONE repeatable-read snapshot, so a running service may keep fetching — the sealed values and
 *   the encrypted blob chunks are copied as they are, never decrypted;
 * - the PG key file (`store/keys.json`: the data key wrapped by the store password and the recovery key).
 * Restored only into an EMPTY database, in ONE transaction that commits only after the whole backup has
 * authenticated and matched its manifest: a wrong password, a damaged file or a refused row leave the database
 * empty. A backup of an older program version is restored at its schema version and then migrated forward in the
 * same transaction, as the update would have migrated the store itself. Ids, the audit log with its hash chain, the mailbox id (the fetch lock's name) and the
 * contents come back byte-exact; the same store password and recovery key open it.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { PostfachError } from '../errors.js';
import { readKeyFile, writeKeyFile, type KeyFile } from '../store/key-file.js';
import { migratePgAfterRestore, migratePgForRestore, PG_LATEST_VERSION } from '../store-pg/migrations.js';
import { writeBackupTarget } from './backup-target.js';
import { BackupWriter, backupError, type ManifestEntry, type ScryptCost } from './format.js';
import { KEY_FILE_ENTRY, readBackupFile, type BackupManifest, type BackupSummary, type VerifiedBackup } from './backup.js';

export const PG_PREFIX = 'pg/';
/** Rows per read from the snapshot and per INSERT on restore. */
const BATCH = 200;

export interface PgBackupOptions {
  readonly connection: pg.ClientConfig;
  /** The PG key file of the service (serve.json `postgresql.keyFile`). */
  readonly keyFile: string;
  readonly out: string;
  readonly replace?: boolean;
  readonly password: string;
  readonly appVersion: string;
  readonly cost?: ScryptCost;
}

interface Table {
  readonly name: string;
  /** Columns a row is written with (generated columns are computed again). */
  readonly columns: readonly string[];
  /** Columns whose sequence (identity, serial) is set past the restored ids. */
  readonly sequenced: readonly string[];
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The program's tables in the public schema, each after the tables it references (schema_migrations left out). */
async function tables(db: pg.ClientBase): Promise<Table[]> {
  const { rows } = await db.query<{ table_name: string; column_name: string; generated: boolean; sequenced: boolean }>(
    `SELECT c.table_name, c.column_name, (c.is_generated = 'ALWAYS') AS generated,
            (c.is_identity = 'YES' OR coalesce(c.column_default, '') LIKE 'nextval(%') AS sequenced
     FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migrations'
     ORDER BY c.table_name, c.ordinal_position`,
  );
  const byName = new Map<string, { columns: string[]; sequenced: string[] }>();
  for (const r of rows) {
    const t = byName.get(r.table_name) ?? { columns: [], sequenced: [] };
    if (!r.generated) t.columns.push(r.column_name);
    if (r.sequenced) t.sequenced.push(r.column_name);
    byName.set(r.table_name, t);
  }
  const refs = await db.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent FROM pg_constraint c
     JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const ordered: string[] = [];
  const visit = (name: string, path: Set<string>): void => {
    if (ordered.includes(name) || path.has(name)) return;
    path.add(name);
    for (const r of refs.rows) if (r.child === name && r.parent !== name && byName.has(r.parent)) visit(r.parent, path);
    ordered.push(name);
  };
  for (const name of [...byName.keys()].sort()) visit(name, new Set());
  return ordered.map((name) => ({ name, ...byName.get(name)! }));
}

async function* rowsOf(db: pg.ClientBase, table: Table): AsyncGenerator<Buffer> {
  const cursor = `backup_${randomBytes(4).toString('hex')}`;
  await db.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS line FROM ${ident(table.name)} t ORDER BY ctid`);
  try {
    for (;;) {
      const { rows } = await db.query<{ line: string }>(`FETCH ${BATCH} FROM ${cursor}`);
      if (rows.length === 0) return;
      yield Buffer.from(rows.map((r) => `${r.line}\n`).join(''), 'utf8');
    }
  } finally {
    await db.query(`CLOSE ${cursor}`);
  }
}

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield await Promise.resolve(bytes);
}

const moveError = (de: string, en: string, detail: string): PostfachError => new PostfachError('backup-target-exists', { de, en }, detail);

/** Writes the backup of the shared store; on any failure the half-written file is removed. */
export async function createPgBackup(options: PgBackupOptions): Promise<BackupManifest> {
  const target = path.resolve(options.out);
  if (target === path.resolve(options.keyFile)) throw backupError('backup-io', 'backup target is the key file');
  const keyFile: KeyFile = readKeyFile(options.keyFile);
  const keyBytes = Buffer.from(`${JSON.stringify(keyFile, null, 2)}\n`, 'utf8');
  const db = new pg.Client({ ...options.connection, application_name: 'osci-postfach backup' });
  db.on('error', () => undefined);
  try {
    return await writeBackupTarget(target, options.replace === true, async (out) => {
      await db.connect();
      // one snapshot for every table: a service fetching meanwhile changes nothing of what is read
      await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const version = Number((await db.query<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')).rows[0]?.v ?? 0);
      const writer = await BackupWriter.start(out, options.password, { appVersion: options.appVersion, ...(options.cost ? { cost: options.cost } : {}) });
      const entries: ManifestEntry[] = [];
      const list = await tables(db);
      for (const table of list) {
        // the size first (the format names it before the bytes), then the same rows again from the same snapshot
        let size = 0;
        for await (const piece of rowsOf(db, table)) size += piece.length;
        entries.push(await writer.file(`${PG_PREFIX}${table.name}.jsonl`, size, rowsOf(db, table)));
      }
      entries.push(await writer.file(KEY_FILE_ENTRY, keyBytes.length, once(keyBytes)));
      const count = async (sql: string) => Number((await db.query<{ n: number }>(sql)).rows[0]?.n ?? 0);
      const summary: BackupSummary = {
        messages: await count('SELECT count(*)::int AS n FROM deliveries'),
        auditEntries: await count('SELECT count(*)::int AS n FROM audit_log'),
        storeId: keyFile.storeId,
        files: entries.length,
        bytes: entries.reduce((n, e) => n + e.size, 0),
      };
      await db.query('COMMIT');
      const manifest: BackupManifest & { postgresql: { schemaVersion: number; tables: string[] } } = {
        entries,
        summary,
        postgresql: { schemaVersion: version, tables: list.map((t) => t.name) },
      };
      await writer.finish(manifest);
      return manifest;
    });
  } catch (error) {
    if (error instanceof PostfachError) throw error;
    throw backupError('backup-io', `PostgreSQL backup: ${(error as { code?: string }).code ?? (error as Error).message.slice(0, 200)}`, error);
  } finally {
    await db.end().catch(() => undefined);
  }
}

export interface PgRestoreOptions {
  readonly file: string;
  readonly password: string;
  /** The EMPTY database to restore into. */
  readonly connection: pg.ClientConfig;
  /** Where the key file goes (must not exist). */
  readonly keyFile: string;
}

/** Lines of a JSONL stream (a row never holds a raw newline: row_to_json escapes it). */
async function* lines(data: AsyncGenerator<Buffer>): AsyncGenerator<string> {
  let rest = '';
  for await (const piece of data) {
    const text = rest + piece.toString('utf8');
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) if (p !== '') yield p;
  }
  if (rest !== '') yield rest;
}

/**
 * The schema version a backup's rows were written at (its manifest). Any version this program has migrations for is
 * restored (then migrated forward): a program update must not make yesterday's backup useless.
 */
function schemaVersionOf(manifest: BackupManifest): number {
  const pgInfo = (manifest as BackupManifest & { postgresql?: { schemaVersion?: unknown } }).postgresql;
  if (pgInfo === undefined) {
    throw backupError('backup-corrupt', 'not a backup of a shared store on PostgreSQL (restore it with postfach backup restore --store)');
  }
  const version = pgInfo.schemaVersion;
  if (typeof version === 'number' && Number.isInteger(version) && version > PG_LATEST_VERSION) {
    throw backupError('backup-too-new', `backup schema version ${version}, this program ${PG_LATEST_VERSION}`);
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw backupError('backup-corrupt', `backup schema version ${String(version)}`);
  return version;
}

/**
 * Restores a backup of a shared store into an empty database (and its key file beside). The backup is read twice:
 * first only authenticated, for the schema version its rows were written at (the manifest comes last); then, in one
 * transaction, the schema is made up to that version, every row goes in, the later migrations follow, and the
 * transaction commits once the whole backup has been read and checked again.
 */
export async function restorePgBackup(options: PgRestoreOptions): Promise<VerifiedBackup> {
  const keyFile = path.resolve(options.keyFile);
  try {
    await open(keyFile, 'r').then((h) => h.close());
    throw moveError(
      'Am Zielort gibt es schon eine Schlüsseldatei. Zurückgespielt wird nur in einen leeren Ort.',
      'A key file exists at the target. A backup is only restored into an empty place.',
      'restore target key file exists',
    );
  } catch (error) {
    if (error instanceof PostfachError) throw error;
  }
  const db = new pg.Client({ ...options.connection, application_name: 'osci-postfach restore' });
  db.on('error', () => undefined);
  let keyBytes: Buffer | undefined;
  let keyWritten = false;
  try {
    await db.connect();
    // a database with a store has its key check; one a failed restore left has only the empty schema
    const existing = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'store_meta'`);
    if ((existing.rows[0]?.n ?? 0) > 0 && (await db.query("SELECT 1 FROM store_meta WHERE key = 'key-check'")).rows.length > 0) {
      throw moveError(
        'Die Datenbank enthält schon einen Datenspeicher. Zurückgespielt wird nur in eine leere Datenbank.',
        'The database already holds a data store. A backup is only restored into an empty database.',
        'restore target database is not empty',
      );
    }
    const version = schemaVersionOf((await readBackupFile(options.file, options.password)).manifest);
    await db.query('BEGIN');
    const found = await migratePgForRestore(db, version);
    if (found > version) {
      // an empty schema of a later version (a restore by a newer program failed here): its tables do not take these rows
      throw moveError(
        'Die Datenbank enthält schon ein (leeres) Schema einer neueren Programmversion. Bitte in eine neue, leere Datenbank zurückspielen.',
        'The database already holds an (empty) schema of a newer program version. Please restore into a new, empty database.',
        `restore target schema version ${found}, backup ${version}`,
      );
    }
    const known = new Map((await tables(db)).map((t) => [t.name, t]));
    // what the migrations wrote (default settings, a new mailbox id) gives way to the backup's rows
    if (Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]?.n ?? 0) > 0) {
      throw moveError('Die Datenbank ist nicht leer.', 'The database is not empty.', 'restore target has audit entries');
    }
    for (const name of [...known.keys()].reverse()) if (name !== 'audit_log') await db.query(`DELETE FROM ${ident(name)}`);
    const restored: string[] = [];
    const { header, manifest } = await readBackupFile(options.file, options.password, async (name, data) => {
      if (name === KEY_FILE_ENTRY) {
        const parts: Buffer[] = [];
        for await (const piece of data) parts.push(piece);
        keyBytes = Buffer.concat(parts);
        return;
      }
      const table = known.get(name.slice(PG_PREFIX.length, -'.jsonl'.length));
      if (!name.startsWith(PG_PREFIX) || table === undefined) throw backupError('backup-corrupt', `entry ${name.slice(0, 100)} is not a table of this program`);
      const cols = table.columns.map(ident).join(', ');
      const insert = `INSERT INTO ${ident(table.name)} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM json_populate_recordset(NULL::${ident(table.name)}, $1::json)`;
      let batch: string[] = [];
      const flush = async () => {
        if (batch.length > 0) await db.query(insert, [`[${batch.join(',')}]`]);
        batch = [];
      };
      for await (const line of lines(data)) {
        batch.push(line);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      for (const column of table.sequenced) {
        await db.query(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${ident(column)}) FROM ${ident(table.name)}), 0) + 1, false)`, [table.name, column]);
      }
      restored.push(table.name);
    });
    // the same file read again: it must still be the backup of that version (it could have been replaced between)
    if (schemaVersionOf(manifest) !== version) throw backupError('backup-corrupt', 'backup changed while it was restored');
    await migratePgAfterRestore(db, version);
    if (keyBytes === undefined) throw backupError('backup-corrupt', 'key file missing');
    const parsed = JSON.parse(keyBytes.toString('utf8')) as KeyFile;
    // the key file first (its own name, link-exclusive), then the rows: a failed commit removes the key file again
    writeKeyFile(keyFile, parsed, true);
    keyWritten = true;
    await db.query('COMMIT');
    return { createdAt: header.createdAt, appVersion: header.appVersion, summary: manifest.summary };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    if (keyWritten) await rm(keyFile, { force: true }).catch(() => undefined);
    if (error instanceof PostfachError) throw error;
    throw backupError('backup-io', `PostgreSQL restore: ${(error as { code?: string }).code ?? (error as Error).message.slice(0, 200)}`, error);
  } finally {
    await db.end().catch(() => undefined);
  }
}
