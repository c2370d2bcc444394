/**
 * SIGTERM in the service's own process (core/api/service-sigterm.ts), with a real child process: the first one
 * starts the service's shutdown and does not end the process by itself; a second one while that shutdown runs ends
 * it at once, with SIGTERM's exit code.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SIGTERM_EXIT_CODE } from '../../core/api/service-sigterm.js';

const CHILD = fileURLToPath(new URL('../helpers/sigterm-child.ts', import.meta.url));

describe.skipIf(process.platform === 'win32')('SIGTERM in the service process', () => {
  it('shuts down at the first, ends at once at the second', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let out = '';
      const seen = (text: string): Promise<void> =>
        new Promise((resolve) => {
          const check = (): void => {
            if (out.includes(text)) resolve();
          };
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            check();
          });
          check();
        });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await seen('ready');
      child.kill('SIGTERM');
      await seen('shutdown');
      const afterFirst = await Promise.race([exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 300))]);
      expect(afterFirst).toBe('running');
      const sent = performance.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(SIGTERM_EXIT_CODE);
      expect(performance.now() - sent).toBeLessThan(1_000);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
