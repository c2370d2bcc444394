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
