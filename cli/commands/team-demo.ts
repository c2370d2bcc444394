/**
 * `postfach team-demo [--dir DIR] [--port P]`: a team set-up on one machine for trying it out, in one command — the
 * demo mailbox of `postfach demo` (test PKI, the local intermediary with invented applications waiting, a single-PC
 * store with the mailbox identity), a throw-away PostgreSQL cluster on loopback (initdb + pg_ctl in a temporary
 * folder, no system service; core/store-pg/local-cluster.ts), two personal accounts (anna: Sachbearbeitung, bernd:
 * Leitung, passwords made up now and printed) and `postfach serve` on the shared store in PostgreSQL, plain HTTP on
 * 127.0.0.1 only. The service takes the demo store over at its start and fetches the waiting applications into
 * PostgreSQL; two persons sign in from two browser windows that do not share cookies (two profiles, or a normal and a
 * private window). Runs until Ctrl+C (or SIGTERM), then stops the service, the intermediary and the cluster (its
 * folder removed); the demo folder stays. Invented data only: never for real applications.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { readAppVersion } from '../../core/api/app-version.js';
import type { PostfachApi } from '../../core/api/api-types.js';
import { createApiClient } from '../../core/api/client.js';
import { startSupervisedWorkerService } from '../../core/api/worker-service.js';
import { PostfachError } from '../../core/errors.js';
import { AccountStore } from '../../core/serve/accounts.js';
import { defaultAccountsFile } from '../../core/serve/serve-config.js';
import { startLocalCluster, type LocalCluster } from '../../core/store-pg/index.js';
import { ExitCode } from '../exit-codes.js';
import { runAction } from '../output.js';

interface TeamDemoCli {
  readonly dir?: string;
  readonly port?: string;
}

/** The two persons of the try-out. */
const PERSONS = [
  { name: 'anna', role: 'sachbearbeitung', words: 'Sachbearbeitung' },
  { name: 'bernd', role: 'leitung', words: 'Leitung' },
] as const;

function teamDemoError(detail: string, de: string, en: string): PostfachError {
  return new PostfachError('usage', { de, en }, detail);
}

/** The folder: new or empty (a second run must not meet the first run's keys for a cluster that is gone). */
function prepareFolder(dir: string | undefined): string {
  if (dir === undefined) return mkdtempSync(path.join(os.tmpdir(), 'osci-postfach-team-'));
  const resolved = path.resolve(dir);
  if (existsSync(resolved) && readdirSync(resolved).length > 0) {
    throw teamDemoError(
      'team-demo folder not empty',
      'Der Ordner für die Team-Demo ist nicht leer. Bitte einen neuen Ordner angeben (die Datenbank der Demo ist nach jedem Lauf weg).',
      'The folder for the team demo is not empty. Please name a new folder (the demo’s database is gone after each run).',
    );
  }
  mkdirSync(resolved, { recursive: true, mode: 0o700 });
  return resolved;
}

/**
 * The demo's service (data folder `dataDir`, as `postfach demo` has it; the command line's host, which alone may
 * start a demo): `work` runs with its API, the service is closed afterwards.
 */
async function withDemoService<T>(dataDir: string, work: (api: PostfachApi) => Promise<T>): Promise<T> {
  const host = await startSupervisedWorkerService({ dataDir, appVersion: readAppVersion(), host: 'cli' }, {}, {}, { maxRestarts: 0 });
  try {
    return await work(createApiClient(host.asBridge()));
  } finally {
    await host.close();
    // recorded in the data folder's service-incidents.json too; said here, where someone reads it
    const failure = host.closeFailure;
    if (failure !== undefined) process.stderr.write(`${failure.text.de}\n${failure.text.en}\n  Detail: ${failure.detail}\n`);
  }
}

function portOf(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw teamDemoError(`--port ${value}`, '--port erwartet eine Portnummer (0–65535).', '--port expects a port number (0–65535).');
  return port;
}

/** `postfach serve` as a child process; resolves with its address once it says it runs, rejects if it ends first. */
function startServe(configFile: string): { child: ChildProcess; origin: Promise<string> } {
  const main = process.argv[1] ?? '';
  const child = spawn(process.execPath, [main, 'serve', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const origin = new Promise<string>((resolve, reject) => {
    let buffered = '';
    const onLine = (line: string): void => {
      process.stdout.write(`  [Dienst / service] ${line}\n`);
      const match = /^Abrufdienst läuft \/ fetch service running: (\S+)$/.exec(line);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      reject(teamDemoError(`postfach serve ended (${signal ?? `exit ${code}`})`, 'Der Abrufdienst hat sich beendet.', 'The fetch service ended.')),
    );
  });
  return { child, origin };
}

/** How a child asked to stop ended: by itself after SIGTERM, after SIGKILL, or not seen ending at all. */
export type ChildStop = 'exited' | 'killed' | 'unconfirmed';

export interface StopTimes {
  /** After SIGTERM: how long the child may take to end on its own before SIGKILL. */
  readonly termGraceMs: number;
  /** After SIGKILL: how long to wait for its exit before giving up on seeing it (a process stuck in the kernel). */
  readonly killWaitMs: number;
}

/** `postfach serve` gets a minute to finish its fetch and close its stores; a SIGKILL'd process ends in milliseconds. */
const STOP_TIMES: StopTimes = { termGraceMs: 60_000, killWaitMs: 5_000 };

/**
 * SIGTERM, SIGKILL after `termGraceMs`, then at most `killWaitMs` for the exit: a child whose exit never comes (stuck
 * in the kernel, its exit lost) must not hold the team demo's end — and with it the cluster's stop — forever.
 */
export function stopChild(child: ChildProcess, times: StopTimes = STOP_TIMES): Promise<ChildStop> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve('exited');
  return new Promise((resolve) => {
    let killed = false;
    let giveUp: NodeJS.Timeout | undefined;
    const kill = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
      giveUp = setTimeout(() => {
        child.off('exit', onExit);
        resolve('unconfirmed');
      }, times.killWaitMs);
    }, times.termGraceMs);
    const onExit = (): void => {
      clearTimeout(kill);
      clearTimeout(giveUp);
      resolve(killed ? 'killed' : 'exited');
    };
    child.once('exit', onExit);
    child.kill('SIGTERM');
  });
}

/** What the caseworker reads (and IT the detail) when the service was not seen ending. */
export function unconfirmedStopWords(child: ChildProcess, times: StopTimes = STOP_TIMES): string {
  return [
    `Der Abrufdienst (Prozess ${child.pid ?? '?'}) hat sich nach dem Beenden nicht abgemeldet. Bitte prüfen, ob er noch läuft, und ihn dann beenden (Task-Manager bzw. „kill -9 ${child.pid ?? 'PID'}“). Die Team-Demo wird trotzdem beendet.`,
    `The fetch service (process ${child.pid ?? '?'}) was not seen ending after its stop. Please check whether it still runs and end it (task manager or "kill -9 ${child.pid ?? 'PID'}"). The team demo ends anyway.`,
    `  Detail: no exit event ${times.killWaitMs} ms after SIGKILL (SIGTERM ${times.termGraceMs} ms before); pid ${child.pid ?? 'unknown'}`,
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('team-demo')
    .description('Team-Einrichtung zum Ausprobieren auf einem Rechner: Demo-Postfach, Wegwerf-PostgreSQL auf 127.0.0.1, Abrufdienst, zwei Konten (Ende mit Strg+C)')
    .option('--dir <dir>', 'neuer oder leerer Ordner der Team-Demo (Standard: ein neuer Ordner im Temp-Ordner)')
    .option('--port <port>', 'Port des Abrufdienstes auf 127.0.0.1 (Standard 0: ein freier Port)')
    .action((opts: TeamDemoCli) => {
      // listening for the stop before anything starts: Ctrl+C while the cluster starts still cleans up
      let stop = (): void => undefined;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      process.once('SIGINT', () => stop());
      process.once('SIGTERM', () => stop());
      return runAction(false, async () => {
        // the service not seen ending: the team demo still ends (and stops its cluster), but says so by its exit code
        let serviceLeft = false;
        const port = portOf(opts.port);
        const dir = prepareFolder(opts.dir);
        const demoDir = path.join(dir, 'demo');
        process.stderr.write(`Team-Demo in ${dir} wird vorbereitet … / team demo being prepared …\n`);
        const code = await withDemoService(demoDir, async (api) => {
          let cluster: LocalCluster | undefined;
          let serve: ChildProcess | undefined;
          try {
            // the demo mailbox with its applications waiting at the intermediary (not fetched: the service does that)
            const demo = await api.call('demo.start', {});
            await api.call('store.close', {});
            cluster = await startLocalCluster().catch((error: unknown) => {
              throw new PostfachError(
                'serve-config',
                {
                  de: 'PostgreSQL für die Team-Demo konnte nicht gestartet werden. Ist das Paket „postgresql“ installiert (oder POSTGRES_BIN gesetzt)?',
                  en: 'PostgreSQL for the team demo could not be started. Is the package "postgresql" installed (or POSTGRES_BIN set)?',
                },
                `local cluster: ${error instanceof Error ? error.message.slice(0, 300) : 'error'}`,
              );
            });
            const pgPassword = path.join(dir, 'pg-password');
            writeFileSync(pgPassword, `${cluster.password}\n`, { mode: 0o600 });
            const config = {
              store: demo.store.path,
              listen: `127.0.0.1:${port}`,
              plainHttpOnLoopback: true,
              fetchIntervalMinutes: 1,
              storePasswordFile: demo.storePasswordFile,
              postgresql: {
                host: cluster.host,
                port: cluster.port,
                database: cluster.database,
                user: cluster.user,
                passwordFile: pgPassword,
                tls: 'disable',
                keyFile: path.join(dir, 'postfach.pg-keys.json'),
              },
            };
            const configFile = path.join(dir, 'serve.json');
            writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
            const accounts = new AccountStore(defaultAccountsFile(demo.store.path));
            const passwords: string[] = [];
            for (const person of PERSONS) {
              const password = `${person.name}-${randomBytes(9).toString('base64url')}`;
              await accounts.add(person.name, person.role, password);
              passwords.push(password);
            }
            const started = startServe(configFile);
            serve = started.child;
            // its end after a stop (or after it said it runs) is handled below, not as an unhandled rejection
            started.origin.catch(() => undefined);
            const origin = await Promise.race([started.origin, stopped.then(() => undefined)]);
            if (origin === undefined) return ExitCode.ok;
            process.stdout.write(
              [
                '',
                `Team-Demo läuft / team demo running: ${origin}/`,
                ...PERSONS.map((p, i) => `  Person ${i + 1}: ${p.name.padEnd(6)} Passwort / password: ${passwords[i]}   (${p.words})`),
                '  Zwei Personen: zwei Browserprofile oder ein normales und ein privates Fenster; je eine Person anmelden.',
                '  Two persons: two browser profiles, or a normal and a private window; sign one person in in each.',
                `  PostgreSQL (Wegwerf / throw-away): ${cluster.host}:${cluster.port}, Datenbank / database ${cluster.database}`,
                `  Einstellungen / settings: ${configFile}`,
                `  Weitere Anträge / more applications: postfach send --intermediary ${demo.intermediaryUrl} --pki ${demo.pkiDir} --count 5`,
                '  Ende mit Strg+C / stop with Ctrl+C.',
                '',
              ].join('\n'),
            );
            const ended = new Promise<'ended'>((resolve) => serve?.once('exit', () => resolve('ended')));
            const why = await Promise.race([stopped.then(() => 'stopped' as const), ended]);
            return why === 'stopped' ? ExitCode.ok : ExitCode.failed;
          } finally {
            if (serve !== undefined && (await stopChild(serve)) === 'unconfirmed') {
              serviceLeft = true;
              process.stderr.write(`${unconfirmedStopWords(serve)}\n`);
            }
            await cluster?.stop().catch(() => undefined);
            await api.call('demo.stop', {}).catch(() => undefined);
            process.stderr.write('Team-Demo beendet / team demo stopped\n');
          }
        });
        return serviceLeft ? ExitCode.failed : code;
      });
    });
}
