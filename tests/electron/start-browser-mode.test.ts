/**
 * `npm start` (`postfach ui`) where Electron is missing: says so in German and English, serves the UI through the
 * loopback bridge, prints the address with the token, and stops cleanly on Ctrl+C (SIGINT; not on Windows, where a
 * child cannot be sent one).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/shared.js';
import { ensureRendererBuilt } from '../ui/helpers/renderer-build.js';
import { electronRuntime } from './helpers/electron-app.js';

describe('postfach ui (npm start) in browser mode', () => {
  it('prints the notice and the tokenised address, serves the UI and stops on SIGINT', async () => {
    await ensureRendererBuilt();
    const data = mkdtempSync(path.join(tmpdir(), 'postfach-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'cli', 'main.ts'), 'ui', '--browser', '--data', data], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      await expect.poll(() => out, { timeout: 30_000 }).toContain('Adresse / Address:');
      if (!electronRuntime.available) {
        expect(out).toContain('Electron ist auf diesem Rechner nicht vorhanden: Die Oberfläche läuft im Browser-Modus.');
        expect(out).toContain('Electron is not available on this machine: the interface runs in browser mode.');
      }
      const url = /Adresse \/ Address: (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]{43})/.exec(out);
      expect(url).not.toBeNull();
      const [, origin, token] = url as RegExpExecArray;
      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const info = await fetch(`${origin}/api/call/app.info`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, Origin: origin ?? '', 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(await info.json()).toMatchObject({ ok: true, value: { host: 'browser' } });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGINT');
      // Windows has no signal to send a child: kill('SIGINT') ends it at once (no exit code), so the clean stop on
      // Ctrl+C is checked where signals exist
      if (process.platform === 'win32') await exited;
      else expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(data, { recursive: true, force: true });
    }
  });
});
