/**
 * `npm start` (`postfach ui`) in browser mode: asked for with --browser it says just that (never that Electron is
 * missing); without --browser where Electron is missing it says so in German and English. Either way it serves the
 * UI through the loopback bridge, prints the address with the token, and stops cleanly on Ctrl+C (SIGINT; not on
 * Windows, where a child cannot be sent one).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/shared.js';
import { ensureRendererBuilt } from '../ui/helpers/renderer-build.js';

/** Starts `postfach ui ARGS` from the sources; resolves with the process and its stdout so far (a getter). */
function startUi(args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const data = mkdtempSync(path.join(tmpdir(), 'postfach-start-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'cli', 'main.ts'), 'ui', ...args, '--data', data], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  return {
    child,
    out: () => out,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(data, { recursive: true, force: true });
    },
  };
}

describe('postfach ui (npm start) in browser mode', () => {
  beforeAll(async () => {
    await ensureRendererBuilt();
  });

  it('--browser: says it runs in browser mode as asked, serves the UI and stops on SIGINT', async () => {
    const ui = startUi(['--browser']);
    try {
      await expect.poll(ui.out, { timeout: 30_000 }).toContain('Adresse / Address:');
      expect(ui.out()).toContain('Die Oberfläche läuft im Browser-Modus (--browser).\nThe interface runs in browser mode (--browser).\n');
      // browser mode was asked for: whether Electron is on this machine is beside the point
      expect(ui.out()).not.toContain('Electron');
      const url = /Adresse \/ Address: (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]{43})/.exec(ui.out());
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
      const exited = new Promise<number | null>((resolve) => ui.child.on('exit', resolve));
      ui.child.kill('SIGINT');
      // Windows has no signal to send a child: kill('SIGINT') ends it at once (no exit code), so the clean stop on
      // Ctrl+C is checked where signals exist
      if (process.platform === 'win32') await exited;
      else expect(await exited).toBe(0);
    } finally {
      ui.stop();
    }
  });

  it('without --browser where the Electron binary is missing: says so in German and English, with the reason', async () => {
    const nowhere = mkdtempSync(path.join(tmpdir(), 'postfach-no-electron-'));
    const ui = startUi([], { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: nowhere });
    try {
      await expect.poll(ui.out, { timeout: 30_000 }).toContain('Adresse / Address:');
      expect(ui.out()).toContain('Electron ist auf diesem Rechner nicht vorhanden: Die Oberfläche läuft im Browser-Modus.\n');
      expect(ui.out()).toContain('Electron is not available on this machine: the interface runs in browser mode.\n');
      expect(ui.out()).not.toContain('(--browser)');
      // the technical reason for IT on the third line
      expect(ui.out()).toMatch(/browser mode\.\n {2}\((ELECTRON_OVERRIDE_DIST_PATH has no |the electron package is not installed).*\)\n/);
    } finally {
      ui.stop();
      rmSync(nowhere, { recursive: true, force: true });
    }
  });
});
