/**
 * Launches the built desktop app with Playwright's `_electron` on a temporary profile (Element Desktop's test
 * fixture does the same): a fresh user-data folder per launch, so tests never see each other's settings or a
 * caseworker's real data. On Linux without a display, a private Xvfb is started (CI installs xvfb).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { findElectronRuntime, type ElectronRuntime } from '../../../cli/electron-runtime.js';
import { projectRoot } from '../../helpers/shared.js';

export const electronRuntime: ElectronRuntime = findElectronRuntime(projectRoot);

/** Prints why the shell tests are skipped, once per test file, so a skipped run is visible in the log. */
export function announceSkip(suite: string): void {
  if (!electronRuntime.available) {
    console.warn(`[${suite}] SKIPPED: Electron runtime not available (${electronRuntime.reason}). Run on a machine with the Electron binary to test the desktop shell.`);
  }
}

let xvfb: ChildProcess | undefined;

async function display(): Promise<Record<string, string>> {
  if (process.platform !== 'linux' || process.env.DISPLAY) return {};
  if (xvfb === undefined) {
    if (!existsSync('/usr/bin/Xvfb')) throw new Error('no DISPLAY and no /usr/bin/Xvfb (apt-get install xvfb)');
    xvfb = spawn('/usr/bin/Xvfb', [':97', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 500));
  }
  return { DISPLAY: ':97' };
}

export interface LaunchedApp {
  readonly app: ElectronApplication;
  readonly userDataDir: string;
  close(): Promise<void>;
}

export async function launchDesktopApp(userDataDir = mkdtempSync(path.join(tmpdir(), 'postfach-electron-'))): Promise<LaunchedApp> {
  if (!electronRuntime.available) throw new Error(electronRuntime.reason);
  if (!existsSync(path.join(projectRoot, 'dist', 'electron', 'main.cjs'))) throw new Error('dist/electron/main.cjs missing: run npm run build');
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...(await display()) };
  delete env.ELECTRON_RUN_AS_NODE;
  const app = await _electron.launch({
    executablePath: electronRuntime.executable,
    args: [projectRoot, `--user-data-dir=${userDataDir}`, ...(process.platform === 'linux' ? ['--no-sandbox'] : [])],
    env,
    timeout: 60_000,
  });
  return {
    app,
    userDataDir,
    close: async () => {
      await app.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export function stopDisplay(): void {
  xvfb?.kill();
  xvfb = undefined;
}
