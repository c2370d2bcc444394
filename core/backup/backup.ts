/**
 * Backing up and moving a mailbox: the whole store — the database (a consistent snapshot, still encrypted with the
 * store's data key), its key file (the data key wrapped by password, recovery key and OS key stores), every
 * attachment and content file — and the program's settings go into one encrypted, password-protected file
 * (format.ts). Restored into an empty place on this or another PC, the store opens with its password or recovery
 * key as before (the OS key store of another PC or user profile cannot open it: use the recovery key there, then
 * let the program add the new user's key store).
 *
 * The backup password protects the file in transit and on the backup medium; the store inside stays encrypted as
 * it was, so a backup is never more readable than the store itself.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import { randomBytes, createHash } from 'node:crypto';
import path from 'node:path';
import { PostfachError } from '../errors.js';
import { syncFolder } from '../io/durable-file.js';
import { PostfachStore, storePaths } from '../store/index.js';
import { writeBackupTarget } from './backup-target.js';
import { BackupWriter, backupError, openBackup, readRecords, type BackupHeader, type ManifestEntry, type ScryptCost } from './format.js';

export const DATABASE_ENTRY = 'store/database';
export const KEY_FILE_ENTRY = 'store/keys.json';
export const BLOB_PREFIX = 'store/files/';
export const SETTINGS_PREFIX = 'settings/';

export interface BackupSummary {
  /** Messages (all folders), attachments and audit entries in the backed-up store. */
  readonly messages: number;
  readonly auditEntries: number;
  readonly storeId: string;
  readonly files: number;
  readonly bytes: number;
}

export interface BackupManifest {
  readonly entries: readonly ManifestEntry[];
  readonly summary: BackupSummary;
}

export interface CreateBackupOptions {
  readonly store: PostfachStore;
  /** The backup file to write (must not exist, unless `replace`). */
  readonly out: string;
  /**
   * The user chose to replace an existing file (the desktop save dialog asked): the backup is written to a
   * temporary file beside it and renamed over it only once complete — on failure the old file stays as it was.
   */
  readonly replace?: boolean;
  readonly password: string;
  readonly appVersion: string;
  /** Settings files to take along (e.g. `<data folder>/workspace.json`), by their name in the backup. */
  readonly settingsFiles?: ReadonlyArray<{ readonly name: string; readonly path: string }>;
  /** Key derivation cost (tests use a low one; the header records it). */
  readonly cost?: ScryptCost;
  readonly chunkBytes?: number;
}

async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
}

const ioError = (what: string, error: unknown): PostfachError =>
  error instanceof PostfachError ? error : backupError('backup-io', `${what}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, error);

/** Writes the backup; on any failure the half-written file is removed. */
export async function createBackup(options: CreateBackupOptions): Promise<BackupManifest> {
  const { store } = options;
  const paths = store.paths;
  const target = path.resolve(options.out);
  if ([paths.database, paths.keyFile].some((p) => path.resolve(p) === target)) {
    throw new PostfachError(
      'backup-io',
      {
        de: 'Die Sicherung kann nicht in den Datenspeicher selbst geschrieben werden. Bitte einen anderen Namen wählen.',
        en: 'The backup cannot be written over the data store itself. Please choose another name.',
      },
      'backup target is a store file',
    );
  }
  const snapshot = path.join(path.dirname(paths.database), `.backup-${randomBytes(6).toString('hex')}.db`);
  try {
    return await writeBackupTarget(target, options.replace === true, async (out) => {
      const writer = await BackupWriter.start(out, options.password, {
        appVersion: options.appVersion,
        ...(options.cost ? { cost: options.cost } : {}),
        ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
      });
      const entries: ManifestEntry[] = [];
      const add = async (name: string, file: string): Promise<void> => {
        let size: number;
        try {
          size = (await stat(file)).size;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT' && name.startsWith(BLOB_PREFIX)) {
            throw backupError('backup-io', `${name}: deleted while the backup was made; please run the backup again`, error);
          }
          throw ioError(name, error);
        }
        entries.push(await writer.file(name, size, fileChunks(file)));
      };

      const { blobIds } = store.snapshotDatabase(snapshot);
      const summary: BackupSummary = {
        messages: store.counts().inbox + store.counts().trash,
        auditEntries: store.verifyAuditLog().entries,
        storeId: store.storeId,
        files: 0,
        bytes: 0,
      };
      await add(DATABASE_ENTRY, snapshot);
      await add(KEY_FILE_ENTRY, paths.keyFile);
      for (const id of blobIds) await add(`${BLOB_PREFIX}${id}.blob`, path.join(paths.filesDir, `${id}.blob`));
      for (const s of options.settingsFiles ?? []) {
        try {
          await stat(s.path);
        } catch {
          continue; // no settings saved yet
        }
        await add(`${SETTINGS_PREFIX}${s.name}`, s.path);
      }
      const manifest: BackupManifest = { entries, summary: { ...summary, files: entries.length, bytes: entries.reduce((n, e) => n + e.size, 0) } };
      await writer.finish(manifest);
      return manifest;
    });
  } finally {
    await rm(snapshot, { force: true }).catch(() => undefined);
  }
}

// pg/<table>.jsonl: the rows of a shared store on PostgreSQL (pg-backup.ts)
const SAFE_NAME = /^(store\/database|store\/keys\.json|store\/files\/[0-9a-f]{32}\.blob|settings\/[A-Za-z0-9._-]{1,100}|pg\/[a-z_][a-z0-9_]{0,62}\.jsonl)$/;

interface ReadResult {
  readonly header: BackupHeader;
  readonly manifest: BackupManifest;
}

/**
 * Reads a backup to its authenticated end, handing each file to `sink` (or only hashing it); checks every entry
 * against the manifest. Throws backup-wrong-password / backup-corrupt / backup-too-new.
 */
async function readBackup(file: string, password: string, sink?: (name: string, data: AsyncGenerator<Buffer>) => Promise<void>): Promise<ReadResult> {
  let handle: FileHandle;
  try {
    handle = await open(path.resolve(file), 'r');
  } catch (error) {
    throw ioError(`backup file ${path.basename(file)}`, error);
  }
  try {
    const opened = await openBackup(handle, password);
    const seen = new Map<string, { size: number; sha256: string }>();
    let manifest: BackupManifest | undefined;
    await readRecords(opened.plaintext(), {
      file: async (name, size, data) => {
        if (!SAFE_NAME.test(name) || seen.has(name)) throw backupError('backup-corrupt', `unexpected entry name ${name.slice(0, 100)}`);
        const hash = createHash('sha256');
        async function* hashed(): AsyncGenerator<Buffer> {
          for await (const piece of data) {
            hash.update(piece);
            yield piece;
          }
        }
        if (sink) await sink(name, hashed());
        else for await (const _ of hashed()) void _;
        seen.set(name, { size, sha256: hash.digest('hex') });
      },
      manifest: (meta) => {
        manifest = meta as BackupManifest;
      },
    });
    if (manifest === undefined || !Array.isArray(manifest.entries)) throw backupError('backup-corrupt', 'no manifest');
    const entries: readonly ManifestEntry[] = manifest.entries;
    if (entries.length !== seen.size) throw backupError('backup-corrupt', `manifest lists ${entries.length} entries, the backup holds ${seen.size}`);
    for (const entry of entries) {
      const got = seen.get(entry.name);
      if (got === undefined || got.size !== entry.size || got.sha256 !== entry.sha256)
        throw backupError('backup-corrupt', `entry ${entry.name.slice(0, 100)} does not match the manifest (SHA-256)`);
    }
    const shared = (manifest as { postgresql?: unknown }).postgresql !== undefined;
    if ((!shared && !seen.has(DATABASE_ENTRY)) || !seen.has(KEY_FILE_ENTRY)) throw backupError('backup-corrupt', 'database or key file missing');
    return { header: opened.header, manifest };
  } finally {
    await handle.close();
  }
}

export interface VerifiedBackup {
  readonly createdAt: string;
  readonly appVersion: string;
  readonly summary: BackupSummary;
}

/** readBackup for the backup of a shared store on PostgreSQL (pg-backup.ts). */
export const readBackupFile = readBackup;

/** Decrypts and checks the whole backup without writing anything. */
export async function verifyBackup(file: string, password: string): Promise<VerifiedBackup> {
  const { header, manifest } = await readBackup(file, password);
  return { createdAt: header.createdAt, appVersion: header.appVersion, summary: manifest.summary };
}

export interface RestoreOptions {
  readonly file: string;
  readonly password: string;
  /** The store's database path to restore to (nothing of a store may be there yet). */
  readonly storePath: string;
  /** Where settings files go (the data folder); absent: settings are not restored. Existing files are kept. */
  readonly settingsDir?: string;
}

/**
 * Restores into an empty place: everything is written into a staging folder beside the target first and moved
 * into place only after the whole backup has authenticated and matched its manifest — a wrong password, a damaged
 * file or a full disk leave the target as it was.
 */
export async function restoreBackup(options: RestoreOptions): Promise<VerifiedBackup & { storePath: string; settingsRestored: string[] }> {
  const paths = storePaths(options.storePath);
  if (PostfachStore.exists(paths.database)) throw backupError('backup-target-exists', 'a database or key file exists at the target path');
  try {
    const files = await readdir(paths.filesDir);
    if (files.length > 0) throw backupError('backup-target-exists', 'the target files folder is not empty');
  } catch (error) {
    if (error instanceof PostfachError) throw error;
  }
  const parent = path.dirname(paths.database);
  // the first folder this restore made (undefined: the target folder was there): removed again when it fails
  const madeFolder = await mkdir(parent, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw ioError('target folder', error);
  });
  const staging = path.join(parent, `.postfach-restore-${randomBytes(6).toString('hex')}`);
  let restored = false;
  /** What was moved into place before the database (a failure then would leave a key file that blocks the next try). */
  const moved: string[] = [];
  try {
    await mkdir(path.join(staging, 'files'), { recursive: true, mode: 0o700 });
    await mkdir(path.join(staging, 'settings'), { recursive: true, mode: 0o700 });
    const local = (name: string): string =>
      name === DATABASE_ENTRY
        ? path.join(staging, 'database')
        : name === KEY_FILE_ENTRY
          ? path.join(staging, 'keys.json')
          : name.startsWith(BLOB_PREFIX)
            ? path.join(staging, 'files', name.slice(BLOB_PREFIX.length))
            : path.join(staging, 'settings', name.slice(SETTINGS_PREFIX.length));
    const { header, manifest } = await readBackup(options.file, options.password, async (name, data) => {
      if (name.startsWith('pg/')) throw notSingleStore();
      const handle = await open(local(name), 'wx', 0o600).catch((error: unknown) => {
        throw ioError(name, error);
      });
      try {
        for await (const piece of data) await handle.write(piece);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
    // all authenticated and checked: move into place (the database last, so a half-moved store is not "a store")
    await rmdir(paths.filesDir).catch(() => undefined); // an empty folder left by an earlier attempt
    moved.push(paths.filesDir);
    await rename(path.join(staging, 'files'), paths.filesDir);
    moved.push(paths.keyFile);
    await rename(path.join(staging, 'keys.json'), paths.keyFile);
    await rename(path.join(staging, 'database'), paths.database);
    // the store is in place: nothing of it is taken back from here on
    restored = true;
    // the renames (and the blob files' entries in their folder) on disk before the restore is said to be done
    for (const folder of new Set([paths.filesDir, path.dirname(paths.filesDir), path.dirname(paths.keyFile), path.dirname(paths.database)])) await syncFolder(folder);
    const settingsRestored: string[] = [];
    if (options.settingsDir !== undefined) {
      await mkdir(options.settingsDir, { recursive: true, mode: 0o700 });
      for (const name of await readdir(path.join(staging, 'settings'))) {
        const target = path.join(options.settingsDir, name);
        try {
          await stat(target);
          continue; // the settings of this PC stay
        } catch {
          await rename(path.join(staging, 'settings', name), target);
          settingsRestored.push(name);
        }
      }
      if (settingsRestored.length > 0) await syncFolder(options.settingsDir);
    }
    return { createdAt: header.createdAt, appVersion: header.appVersion, summary: manifest.summary, storePath: paths.database, settingsRestored };
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (!restored) for (const placed of moved) await rm(placed, { recursive: true, force: true }).catch(() => undefined);
    // a wrong password or a damaged backup leaves nothing behind, not even the empty folder made for it
    if (!restored && madeFolder !== undefined) await removeEmptyFolders(parent, madeFolder);
  }
}

/** A backup of a team's shared store restored as a single-PC store: refused before anything is written. */
function notSingleStore(): PostfachError {
  return new PostfachError(
    'backup-corrupt',
    {
      de: 'Diese Sicherung stammt aus einem Team-Datenspeicher auf PostgreSQL. Sie wird mit „postfach serve restore“ in eine leere PostgreSQL-Datenbank zurückgespielt.',
      en: 'This backup is of a team store on PostgreSQL. It is restored into an empty PostgreSQL database with "postfach serve restore".',
    },
    'backup of a shared store on PostgreSQL given to the single-PC restore',
  );
}

/** Removes `folder` and its parents up to `top` (inclusive) as long as they are empty. */
async function removeEmptyFolders(folder: string, top: string): Promise<void> {
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    if (current === path.resolve(top) || path.dirname(current) === current) return;
  }
}
