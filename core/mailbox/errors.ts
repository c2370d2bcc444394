/**
 * The mailbox engine's own expected failures (kinds are stable tokens for `--json`, the UI and tests):
 *
 * | kind | when |
 * |---|---|
 * | `store-not-open` | a call needs the store, but it has not been opened (or created) yet |
 * | `identity-missing` | fetching or testing the connection before the mailbox identity is set up |
 * | `input-file` | a key or certificate file named for set-up cannot be read |
 * | `identity-invalid` | the set-up data does not fit together (URL, keys) |
 * | `fetch-running` | a second fetch while one is running |
 * | `network` | the intermediary cannot be reached (connection refused, DNS, proxy, TLS, timeout) |
 * | `http-status` | the intermediary (or a proxy) answered with an HTTP error and no OSCI message |
 * | `document-missing` | the document asked for is not part of the message |
 * | `value-missing` | the value asked for in full (`messages.value`) is not part of the message |
 *
 * Texts and details carry ids, codes, sizes and file roles — never names, subjects or content.
 */
import { INPUT_FILE_TEXT, PostfachError, type UserText } from '../errors.js';

export type MailboxErrorKind =
  'store-not-open' | 'identity-missing' | 'input-file' | 'identity-invalid' | 'fetch-running' | 'network' | 'http-status' | 'document-missing' | 'value-missing';

const texts: Record<MailboxErrorKind, UserText> = {
  'store-not-open': {
    de: 'Der Datenspeicher ist nicht geöffnet. Bitte zuerst das Postfach öffnen.',
    en: 'The data store is not open. Please open the mailbox first.',
  },
  'identity-missing': {
    de: 'Das Postfach ist noch nicht eingerichtet (Schlüssel und Intermediär fehlen).',
    en: 'The mailbox is not set up yet (key and intermediary missing).',
  },
  'input-file': INPUT_FILE_TEXT,
  'identity-invalid': {
    de: 'Die Angaben zur Einrichtung des Postfachs passen nicht zusammen.',
    en: 'The mailbox set-up data does not fit together.',
  },
  'fetch-running': {
    de: 'Es läuft bereits ein Abruf. Bitte warten, bis er beendet ist.',
    en: 'A fetch is already running. Please wait until it has finished.',
  },
  network: {
    de: 'Der Intermediär ist nicht erreichbar. Bitte Netzwerk, Proxy und Adresse prüfen; es wurde nichts verloren.',
    en: 'The intermediary cannot be reached. Please check network, proxy and address; nothing was lost.',
  },
  'http-status': {
    de: 'Der Intermediär hat mit einem HTTP-Fehler geantwortet. Bitte später erneut versuchen; es wurde nichts verloren.',
    en: 'The intermediary answered with an HTTP error. Please try again later; nothing was lost.',
  },
  'value-missing': {
    de: 'Diese Angabe gehört nicht zu dieser Nachricht.',
    en: 'This value does not belong to this message.',
  },
  'document-missing': {
    de: 'Das Dokument gehört nicht zu dieser Nachricht.',
    en: 'The document does not belong to this message.',
  },
};

export function mailboxError(kind: MailboxErrorKind, detail: string, options: { cause?: unknown; text?: UserText } = {}): PostfachError {
  return new PostfachError(kind, options.text ?? texts[kind], detail, options.cause === undefined ? {} : { cause: options.cause });
}
