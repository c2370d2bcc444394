/**
 * Backups of the open store as the contract makes them (`backup.create`, `backup.restore`; core/backup writes and
 * reads the files): into a folder the settings allow, with the caseworker's settings file; restored only into an
 * empty place, never over the open store. On PostgreSQL a backup is a move of the shared store (pg-backup.ts); it is
 * restored with `postfach serve restore`. Each is written to the technical log. The PostgreSQL parts (pg-backup.ts,
 * core/store-pg with the `pg` client) are loaded only for a PostgreSQL store: this module is part of every
 * service's start (the handlers), and they cost a single-PC service's start about 60 ms of CPU (issue 14).
 */
import path from 'node:path';
import type { HandlerInput, HandlerResult } from '../api/contract.js';
import { createBackup, restoreBackup } from '../backup/backup.js';
import { assertExportAllowed } from '../config/export-folders.js';
import { PostfachError } from '../errors.js';
import type { MailboxService } from './mailbox-service.js';

export interface BackupPlace {
  /** The service's data folder: settings are restored into it. */
  readonly dataDir: string;
  readonly appVersion: string;
  /** The browser mode's download folders, allowed whatever IT's export folders say. */
  readonly downloads: readonly string[];
  /** The settings files a backup carries beside the store. */
  readonly settingsFiles: readonly { readonly name: string; readonly path: string }[];
}

export async function backUpStore(mailbox: MailboxService, input: HandlerInput<'backup.create'>, place: BackupPlace): Promise<HandlerResult<'backup.create'>> {
  assertExportAllowed(await mailbox.config(), input.target, place.downloads);
  if (mailbox.pg !== undefined) {
    // the shared store: a move (pg-backup.ts) — the rows of the open database and its key file; IT's PostgreSQL
    // backup stays the office's backup
    mailbox.pg.require();
    const [{ createPgBackup }, { pgPoolConfig }] = await Promise.all([import('../backup/pg-backup.js'), import('../store-pg/index.js')]);
    const moved = await createPgBackup({
      connection: pgPoolConfig(mailbox.pg.settings),
      keyFile: mailbox.pg.settings.keyFile,
      out: input.target,
      replace: input.replace === true,
      password: input.password,
      appVersion: place.appVersion,
    });
    mailbox.log.write('info', 'backup.created', { messages: moved.summary.messages, files: moved.summary.files, bytes: moved.summary.bytes, backend: 'postgresql' });
    return { path: path.resolve(input.target), summary: moved.summary, entries: moved.entries.length };
  }
  const manifest = await createBackup({
    store: mailbox.store(),
    out: input.target,
    replace: input.replace === true,
    password: input.password,
    appVersion: place.appVersion,
    settingsFiles: [...place.settingsFiles],
  });
  mailbox.log.write('info', 'backup.created', { messages: manifest.summary.messages, files: manifest.summary.files, bytes: manifest.summary.bytes });
  return { path: path.resolve(input.target), summary: manifest.summary, entries: manifest.entries.length };
}

export async function restoreStore(mailbox: MailboxService, input: HandlerInput<'backup.restore'>, place: BackupPlace): Promise<HandlerResult<'backup.restore'>> {
  await mailbox.config();
  const target = mailbox.session.resolvePath(input.storePath);
  if (mailbox.session.store !== undefined && path.resolve(mailbox.session.store.paths.database) === target) {
    throw new PostfachError(
      'backup-target-exists',
      { de: 'Der Datenspeicher ist geöffnet; zurückgespielt wird nur in einen leeren Ort.', en: 'The data store is open; a backup is only restored into an empty place.' },
      'restore target is the open store',
    );
  }
  const restored = await restoreBackup({
    file: input.file,
    password: input.password,
    storePath: target,
    ...(input.settings === false ? {} : { settingsDir: place.dataDir }),
  });
  mailbox.log.write('info', 'backup.restored', { messages: restored.summary.messages, files: restored.summary.files });
  return { storePath: restored.storePath, summary: restored.summary, createdAt: restored.createdAt, settingsRestored: restored.settingsRestored };
}
