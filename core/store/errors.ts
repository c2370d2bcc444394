/**
 * The store's expected failures. Kinds are stable tokens (CLI `--json`, UI texts, tests):
 *
 * | kind | when |
 * |---|---|
 * | `store-not-found` | no store at the given path (database or key file missing) |
 * | `store-exists` | creating a store where one already is |
 * | `store-wrong-password` | the password does not unlock the store |
 * | `store-weak-password` | a new password is shorter than 8 characters |
 * | `store-wrong-recovery-key` | the recovery key is mistyped (check characters) or does not unlock the store |
 * | `store-key-unavailable` | no key wrapper of the requested kind, or the OS key store failed |
 * | `store-corrupt` | database, key file or an attachment file is damaged or was altered |
 * | `store-full` | the disk (or the configured size cap) is full; nothing was half-written |
 * | `store-busy` | another program holds the store's write lock longer than the busy timeout |
 * | `store-too-new` | the store was written by a newer program version |
 * | `store-unknown-message` | no message with that id |
 * | `store-legal-hold` | the message is on legal hold and may not be deleted |
 * | `store-claimed` | a colleague works on the message (shared inbox): release, hand-over or taking over first |
 * | `store-last-key-wrapper` | removing the only remaining way to open the store |
 * | `store-invalid-input` | the caller handed over something the store cannot keep (a bug in the caller) |
 * | `store-io` | any other file-system failure (permissions, ...) |
 * | `store-closed` | the store was used after close() |
 *
 * Texts and details never carry personal data: only ids, sizes, SQLite codes and file roles.
 */
import { PostfachError, type UserText } from '../errors.js';

export type StoreErrorKind =
  | 'store-not-found'
  | 'store-exists'
  | 'store-wrong-password'
  | 'store-weak-password'
  | 'store-wrong-recovery-key'
  | 'store-key-unavailable'
  | 'store-corrupt'
  | 'store-full'
  | 'store-busy'
  | 'store-too-new'
  | 'store-unknown-message'
  | 'store-legal-hold'
  | 'store-claimed'
  | 'store-last-key-wrapper'
  | 'store-invalid-input'
  | 'store-io'
  | 'store-closed';

const texts: Record<StoreErrorKind, UserText> = {
  'store-not-found': {
    de: 'Der Datenspeicher wurde nicht gefunden. Bitte den Speicherort prüfen.',
    en: 'The data store was not found. Please check its location.',
  },
  'store-exists': {
    de: 'An diesem Ort gibt es bereits einen Datenspeicher.',
    en: 'A data store already exists at this location.',
  },
  'store-wrong-password': {
    de: 'Das Passwort für den Datenspeicher ist falsch.',
    en: 'The password for the data store is wrong.',
  },
  'store-weak-password': {
    de: 'Das neue Passwort ist zu kurz. Bitte mindestens 8 Zeichen verwenden.',
    en: 'The new password is too short. Please use at least 8 characters.',
  },
  'store-wrong-recovery-key': {
    de: 'Der Wiederherstellungsschlüssel ist falsch. Bitte jede Zeichengruppe prüfen.',
    en: 'The recovery key is wrong. Please check each group of characters.',
  },
  'store-key-unavailable': {
    de: 'Der Datenspeicher kann auf diesem Weg nicht geöffnet werden. Bitte Passwort oder Wiederherstellungsschlüssel verwenden.',
    en: 'The data store cannot be opened this way. Please use the password or the recovery key.',
  },
  'store-corrupt': {
    de: 'Der Datenspeicher ist beschädigt. Bitte wenden Sie sich an die IT (Datensicherung).',
    en: 'The data store is damaged. Please contact IT support (backup).',
  },
  'store-full': {
    de: 'Der Speicherplatz ist voll. Es wurde nichts halb gespeichert; bitte Platz schaffen und erneut versuchen.',
    en: 'The disk is full. Nothing was half-saved; please free some space and try again.',
  },
  'store-busy': {
    de: 'Der Datenspeicher wird gerade von einem anderen Programm benutzt. Bitte gleich noch einmal versuchen.',
    en: 'The data store is in use by another program. Please try again shortly.',
  },
  'store-too-new': {
    de: 'Der Datenspeicher stammt von einer neueren Programmversion. Bitte das Programm aktualisieren.',
    en: 'The data store was written by a newer version of the program. Please update the program.',
  },
  'store-unknown-message': {
    de: 'Diese Nachricht gibt es im Datenspeicher nicht (mehr).',
    en: 'This message is not (or no longer) in the data store.',
  },
  'store-legal-hold': {
    de: 'Die Nachricht ist zur Aufbewahrung gesperrt und darf nicht gelöscht werden.',
    en: 'The message is on legal hold and may not be deleted.',
  },
  'store-claimed': {
    de: 'Diese Nachricht ist bei einer Kollegin oder einem Kollegen in Bearbeitung. Sie bleibt unverändert.',
    en: 'A colleague is working on this message. It stays unchanged.',
  },
  'store-last-key-wrapper': {
    de: 'Das ist der letzte Weg, den Datenspeicher zu öffnen; er kann nicht entfernt werden.',
    en: 'This is the last way to open the data store; it cannot be removed.',
  },
  'store-invalid-input': {
    de: 'Die Daten konnten nicht gespeichert werden (ungültige Angaben). Bitte wenden Sie sich an die IT.',
    en: 'The data could not be stored (invalid input). Please contact IT support.',
  },
  'store-io': {
    de: 'Auf den Datenspeicher kann nicht zugegriffen werden (Dateizugriff). Bitte wenden Sie sich an die IT.',
    en: 'The data store cannot be accessed (file access). Please contact IT support.',
  },
  'store-closed': {
    de: 'Der Datenspeicher ist bereits geschlossen.',
    en: 'The data store is already closed.',
  },
};

export function storeError(kind: StoreErrorKind, detail: string, cause?: unknown): PostfachError {
  return new PostfachError(kind, texts[kind], detail, cause === undefined ? {} : { cause });
}

const FULL_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** Node file-system error → store error (ENOSPC & co. become `store-full`). `role` names the file, never its content. */
export function fromFsError(error: unknown, role: string): PostfachError {
  if (error instanceof PostfachError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && FULL_ERRNOS.has(code)) return storeError('store-full', `${role}: ${code}`, error);
  if (code === 'ENOENT') return storeError('store-corrupt', `${role}: file missing (ENOENT)`, error);
  return storeError('store-io', `${role}: ${code ?? (error instanceof Error ? error.name : 'unknown error')}`, error);
}

/**
 * better-sqlite3 error → store error (SQLite messages carry no row data, only codes and schema names).
 * Anything else (a programming error) is passed through unchanged and surfaces as `internal`.
 */
export function fromSqliteError(error: unknown, operation: string): unknown {
  if (error instanceof PostfachError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return error;
  if (!code.startsWith('SQLITE_')) return /^E[A-Z]+$/.test(code) ? fromFsError(error, operation) : error;
  const primary = code.split('_').slice(0, 2).join('_');
  const detail = `${operation}: ${code}`;
  switch (primary) {
    case 'SQLITE_FULL':
      return storeError('store-full', detail, error);
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return storeError('store-corrupt', detail, error);
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return storeError('store-busy', detail, error);
    case 'SQLITE_IOERR':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
      return storeError('store-io', detail, error);
    default:
      return error;
  }
}
