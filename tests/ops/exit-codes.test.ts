/**
 * The exit code is a contract for IT's scripts (README): every error kind that means "the intermediary could not be
 * reached" exits 4 from any command, not only from `postfach fetch`, which had its own list. Read through
 * `reportError`, the one place the CLI turns an error into an exit code.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode, UNREACHABLE_KINDS } from '../../cli/exit-codes.js';
import { reportError } from '../../cli/output.js';
import { PostfachError } from '../../core/errors.js';
import type { ErrorKind } from '../../core/error-kinds.js';

afterEach(() => vi.restoreAllMocks());

function exitFor(kind: ErrorKind): number {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return reportError(new PostfachError(kind, { de: 'x', en: 'x' }, 'detail'), false);
}

describe('exit codes of the postfach command', () => {
  it.each(['network', 'http-status', 'tls-untrusted', 'tls-expired', 'tls-wrong-host', 'tls-failed', 'proxy-auth', 'proxy-pac'] as const)('%s exits 4', (kind) => {
    expect(UNREACHABLE_KINDS.has(kind)).toBe(true);
    expect(exitFor(kind)).toBe(ExitCode.unreachable);
  });

  it('usage exits 2, a store fault 1', () => {
    expect(exitFor('usage')).toBe(ExitCode.usage);
    expect(exitFor('store-corrupt')).toBe(ExitCode.failed);
  });
});
