import { PostfachError, toPostfachError } from '../core/errors.js';
import { ExitCode, UNREACHABLE_KINDS } from './exit-codes.js';

/**
 * Reads a password from the environment variable the user named; never from argv (visible in `ps`). Unset or empty:
 * `password-missing`, exit code 2 (wrong usage, see reportError).
 */
export function passwordFromEnv(variable: string): string {
  const value = process.env[variable];
  if (value === undefined || value === '') {
    throw new PostfachError(
      'password-missing',
      {
        de: `Kein Passwort: Die Umgebungsvariable ${variable} ist nicht gesetzt.`,
        en: `No password: the environment variable ${variable} is not set.`,
      },
      `environment variable ${variable} empty or unset`,
    );
  }
  return value;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Reports an error on stderr (German sentence, then the technical detail for IT) or as JSON on stdout,
 * and returns the exit code to use.
 */
export function reportError(error: unknown, json: boolean): ExitCode {
  const e = toPostfachError(error);
  if (json) {
    printJson({ ok: false, error: e.toJSON() });
  } else {
    process.stderr.write(`Fehler: ${e.text.de}\n  Technische Angabe: ${e.detail}\n`);
  }
  if (e.kind === 'internal' && process.env.POSTFACH_DEBUG) {
    process.stderr.write(`${(error as Error).stack ?? ''}\n`);
  }
  if (e.kind === 'internal') return ExitCode.internal;
  if (UNREACHABLE_KINDS.has(e.kind)) return ExitCode.unreachable;
  // wrong usage found after parsing (a bad value, a missing choice), and a password variable that is not set (the
  // command line names it): exit code 2 like commander's own usage errors, not a failed operation
  if (e.kind === 'usage' || e.kind === 'password-missing') return ExitCode.usage;
  return ExitCode.failed;
}

/** Runs a command action and sets the process exit code; commands never call process.exit themselves. */
export async function runAction(json: boolean, action: () => Promise<ExitCode | void>): Promise<void> {
  try {
    const code = await action();
    process.exitCode = code ?? ExitCode.ok;
  } catch (error) {
    process.exitCode = reportError(error, json);
  }
}
