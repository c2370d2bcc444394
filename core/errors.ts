/**
 * The one error type every part of OSCI-Postfach throws for expected failures (bad input, wrong key,
 * intermediary faults, ...). It carries two audiences at once:
 *  - `de` / `en`: a plain sentence for the caseworker (German first), no jargon, no personal data;
 *  - `detail`: the technical detail for local IT (algorithms, OSCI codes, file offsets), no personal data.
 * `kind` is a stable machine-readable token (used by `--json` output, tests and the UI to pick its texts).
 * Anything that is not a PostfachError is a bug and is reported as kind `internal`.
 */
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
  readonly kind: string;
  readonly text: UserText;
  readonly detail: string;
  readonly osciCode: string | undefined;

  constructor(kind: string, text: UserText, detail: string, options: PostfachErrorOptions = {}) {
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
  kind: string;
  osciCode?: string;
  /** German sentence for the caseworker. */
  message: string;
  messageEn: string;
  /** Technical detail for IT. */
  detail: string;
}

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
