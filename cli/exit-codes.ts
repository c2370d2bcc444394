/**
 * Exit codes of the `postfach` command, a contract for scripts of local IT (documented in README.md).
 */
export const ExitCode = {
  ok: 0,
  /** The operation failed (bad input, wrong key, intermediary fault, ...); stderr says why. */
  failed: 1,
  /** Wrong command-line usage. */
  usage: 2,
  /** Some items were processed, some not (e.g. fetch stored a delivery marked "nicht lesbar"). */
  partial: 3,
  /** The intermediary could not be reached. */
  unreachable: 4,
  /** Unexpected internal error (a bug). */
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Error kinds that mean the intermediary could not be reached (safely): the network, an HTTP status, TLS refused,
 * the proxy refused. Every command that talks to the intermediary exits with `unreachable` for them (README).
 */
export const UNREACHABLE_KINDS: ReadonlySet<string> = new Set([
  'network',
  'http-status',
  'tls-untrusted',
  'tls-expired',
  'tls-wrong-host',
  'tls-failed',
  'proxy-auth',
  'proxy-pac',
]);
