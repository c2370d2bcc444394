/**
 * `postfach ui` (what `npm start` runs): opens the desktop app where the Electron runtime is present; elsewhere
 * says so in German and English and serves the same UI in browser mode through the loopback bridge, printing the
 * address with the per-run token. `--browser` forces browser mode.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { readAppVersion } from '../../core/api/app-version.js';
import { startBridge } from '../../core/api/bridge-server.js';
import { whenStarted } from '../../core/api/starting-service.js';
import { PostfachError } from '../../core/errors.js';
import { findElectronRuntime } from '../electron-runtime.js';
import { ExitCode } from '../exit-codes.js';
import { runAction } from '../output.js';

/** The project (or installed app) root: dist/cli/commands → three levels up; cli/commands in sources → two. */
function appRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

interface UiOptions {
  readonly browser?: boolean;
  readonly port: string;
  readonly data?: string;
}

/** Runs the desktop app; a start that fails or an app that ends with an error says so instead of ending silently. */
function runElectron(executable: string, root: string): Promise<ExitCode> {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return new Promise((resolve, reject) => {
    const child = spawn(executable, [root], { stdio: 'inherit', env });
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(ExitCode.ok);
      else reject(electronFailed(signal === null ? `the desktop app ended with exit code ${code ?? '?'}` : `the desktop app ended by signal ${signal}`));
    });
    child.on('error', (error: NodeJS.ErrnoException) => reject(electronFailed(`cannot start ${path.basename(executable)}: ${error.code ?? error.message}`)));
  });
}

const electronFailed = (detail: string): PostfachError =>
  new PostfachError(
    'electron-failed',
    {
      de: 'Das Desktop-Programm konnte nicht gestartet werden oder wurde mit einem Fehler beendet. Im Browser-Modus starten: „postfach ui --browser“.',
      en: 'The desktop program could not be started or ended with an error. To start in browser mode: "postfach ui --browser".',
    },
    detail,
  );

async function runBrowserMode(root: string, options: UiOptions): Promise<ExitCode> {
  const rendererDir = path.join(root, 'dist', 'renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new PostfachError(
      'ui-not-built',
      { de: 'Die Oberfläche ist nicht gebaut. Bitte zuerst „npm run build“ ausführen.', en: 'The user interface is not built. Please run "npm run build" first.' },
      `missing ${path.join(rendererDir, 'index.html')}`,
    );
  }
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new PostfachError('usage', { de: 'Ungültige Portnummer.', en: 'Invalid port number.' }, `--port ${options.port}`);
  }
  const dataDir = options.data ?? path.join(os.homedir(), '.osci-postfach');
  // started again when it dies (memory limit, crash); the UI hears `service.restarted` and says so
  // listening for the stop before the address is printed: a stop right after it still ends the bridge cleanly
  const stop = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  // the address is printed while the service still starts: the browser loads the UI meanwhile (starting-service.ts);
  // the host side (service host, supervisor: the zod contract) loads meanwhile too, not before the bridge listens
  const appVersion = readAppVersion();
  const starting = import('../../core/api/worker-service.js').then(({ startSupervisedWorkerService }) => startSupervisedWorkerService({ dataDir, appVersion, host: 'browser' }));
  let bridge: Awaited<ReturnType<typeof startBridge>>;
  try {
    bridge = await startBridge({ service: whenStarted(starting), rendererDir, port });
  } catch (error) {
    await starting.then((s) => s.close()).catch(() => undefined);
    throw error;
  }
  process.stdout.write(
    `Adresse / Address: ${bridge.launchUrl}\n` + 'Nur auf diesem Rechner erreichbar. Beenden mit Strg+C. / Reachable from this computer only. Stop with Ctrl+C.\n',
  );
  let service: Awaited<typeof starting>;
  try {
    service = await starting;
  } catch (error) {
    await bridge.close();
    throw error;
  }
  await stop;
  await bridge.close();
  await service.close();
  return ExitCode.ok;
}

/**
 * Why the UI runs in browser mode, as the first lines on stdout: asked for with --browser (whether Electron is on
 * this machine does not matter then), or Electron missing here (with the technical reason).
 */
export function browserModeNotice(why: { readonly browserAsked: true } | { readonly electronMissing: string }): string {
  if ('browserAsked' in why) return 'Die Oberfläche läuft im Browser-Modus (--browser).\nThe interface runs in browser mode (--browser).\n';
  return (
    'Electron ist auf diesem Rechner nicht vorhanden: Die Oberfläche läuft im Browser-Modus.\n' +
    'Electron is not available on this machine: the interface runs in browser mode.\n' +
    `  (${why.electronMissing})\n`
  );
}

export function register(program: Command): void {
  program
    .command('ui')
    .description('Oberfläche öffnen: Desktop-Programm, ohne Electron im Browser-Modus (npm start)')
    .option('--browser', 'immer im Browser-Modus (Loopback-Brücke) starten')
    .option('--port <port>', 'Port der Loopback-Brücke (0: ein freier Port)', '0')
    .option('--data <dir>', 'Datenordner (Standard: ~/.osci-postfach)')
    .action((options: UiOptions) =>
      runAction(false, async () => {
        const root = appRoot();
        if (options.browser === true) {
          process.stdout.write(browserModeNotice({ browserAsked: true }));
        } else {
          const runtime = findElectronRuntime(root);
          if (runtime.available) return runElectron(runtime.executable, root);
          process.stdout.write(browserModeNotice({ electronMissing: runtime.reason }));
        }
        return runBrowserMode(root, options);
      }),
    );
}
