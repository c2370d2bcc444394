/**
 * The one error type every part of OSCI-Postfach throws for expected failures (bad input, wrong key,
 * intermediary faults, ...). It carries two audiences at once:
 *  - `de` / `en`: a plain sentence for the caseworker (German first), no jargon, no personal data;
 *  - `detail`: the technical detail for local IT (algorithms, OSCI codes, file offsets), no personal data.
 * `kind` is a stable machine-readable token (used by `--json` output, tests and the UI to pick its texts).
 * Anything that is not a PostfachError is a bug and is reported as kind `internal`.
 */
import type { ErrorKind } from './error-kinds.js';

export type { ErrorKind } from './error-kinds.js';

export interface UserText {
  readonly de: string;
  readonly en: string;
}

export interface PostfachErrorOptions {
  /** OSCI feedback or fault code (four digits) where the failure comes from the protocol. */
  readonly osciCode?: string;
  readonly cause?: unknown;
}

export class PostfachError extends Error {
  readonly kind: ErrorKind;
  readonly text: UserText;
  readonly detail: string;
  readonly osciCode: string | undefined;

  constructor(kind: ErrorKind, text: UserText, detail: string, options: PostfachErrorOptions = {}) {
    super(`${text.de} (${detail})`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PostfachError';
    this.kind = kind;
    this.text = text;
    this.detail = detail;
    this.osciCode = options.osciCode;
  }

  /** Serialisable form for `--json` output and the IPC contract. */
  toJSON(): PostfachErrorJson {
    return {
      kind: this.kind,
      ...(this.osciCode === undefined ? {} : { osciCode: this.osciCode }),
      message: this.text.de,
      messageEn: this.text.en,
      detail: this.detail,
    };
  }
}

export interface PostfachErrorJson {
  kind: ErrorKind;
  osciCode?: string;
  /** German sentence for the caseworker. */
  message: string;
  messageEn: string;
  /** Technical detail for IT. */
  detail: string;
}

/** The words of `input-file`: a file named by the user (a key, a certificate, a message to inspect) cannot be read. */
export const INPUT_FILE_TEXT: UserText = {
  de: 'Eine angegebene Datei kann nicht gelesen werden. Bitte Pfad und Berechtigung prüfen.',
  en: 'A file given cannot be read. Please check its path and permissions.',
};

/** A file named by the user cannot be read (the detail names its role and the system's code, never its content). */
export function inputFileError(detail: string, cause?: unknown): PostfachError {
  return new PostfachError('input-file', INPUT_FILE_TEXT, detail, cause === undefined ? {} : { cause });
}

/** The Übungsmodus cannot be started (its demo mailbox, its local intermediary); `detail` for IT. */
export const trainingUnavailable = (detail: string, cause?: unknown): PostfachError =>
  new PostfachError(
    'training-unavailable',
    {
      de: 'Der Übungsmodus kann gerade nicht gestartet werden. Bitte das Programm neu starten; hilft das nicht, die IT fragen.',
      en: 'The training mode cannot be started right now. Please restart the program; if that does not help, ask IT support.',
    },
    detail,
    cause === undefined ? {} : { cause },
  );

/** The program's background service has ended (or is ending) and answers no more; `reason` for IT. */
export const serviceStopped = (reason: string): PostfachError =>
  new PostfachError(
    'service-stopped',
    {
      de: 'Der Hintergrunddienst des Programms wurde beendet. Bitte starten Sie das Programm neu.',
      en: 'The background service of the program has stopped. Please restart the program.',
    },
    reason,
  );

/** Wraps anything thrown into a PostfachError; unexpected errors become kind `internal`. */
export function toPostfachError(error: unknown): PostfachError {
  if (error instanceof PostfachError) return error;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new PostfachError(
    'internal',
    {
      de: 'Ein interner Fehler ist aufgetreten. Bitte wenden Sie sich an die IT.',
      en: 'An internal error occurred. Please contact IT support.',
    },
    detail,
    { cause: error },
  );
}
