/**
 * `postfach serve` put together: the one-service lock, the service (worker thread, restarted when it dies) with the
 * store opened by password, the real mailbox chosen, the fetch schedule, and the HTTPS front. Used by the command
 * (cli/commands/serve.ts) and by the tests, which run it in-process and through the built command.
 */
import type { SessionLimits } from './sessions.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readAppVersion } from '../api/app-version.js';
import type { SupervisedService } from '../api/supervised-service.js';
import { startSupervisedWorkerService } from '../api/worker-service.js';
import { errorFromJson, type CallResult } from '../api/wire.js';
import { AccountStore, SERVICE_ACTOR } from './accounts.js';
import { PostfachError } from '../errors.js';
import { serveError } from './errors.js';
import { startFetchSchedule, SCHEDULE_ACTOR, type FetchSchedule } from './schedule.js';
import { defaultAccountsFile, parseListen, readStorePassword, resolvePgSettings, type ServeConfig } from './serve-config.js';
import { takeServeLock, type ServeLock } from '../store/serve-lock.js';
import { PostfachStore } from '../store/index.js';
import { refuseWithoutTls, startServeServer, type RunningServeServer } from './server.js';

/** The service's own actions (opening the store at start and after a restart). */
export { SERVICE_ACTOR };

export interface RunningServe {
  readonly origin: string;
  readonly service: SupervisedService;
  readonly accounts: AccountStore;
  close(): Promise<void>;
}

export interface RunServeOptions {
  readonly rendererDir: string;
  /** Lines for IT (stdout of the service, the journal under systemd): no personal data. */
  readonly report: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** Aborted (the service is being stopped): waiting for another service's lock ends. */
  readonly signal?: AbortSignal;
  /** Tests: session limits in milliseconds instead of the configured minutes and hours (an expiry in seconds). */
  readonly sessions?: SessionLimits;
}

function unwrap<T>(result: CallResult<T>): T {
  if (!result.ok) throw errorFromJson(result.error);
  return result.value;
}

export async function runServe(config: ServeConfig, options: RunServeOptions): Promise<RunningServe> {
  const { host, port } = parseListen(config.listen);
  // no TLS, no start: before anything is opened or locked
  refuseWithoutTls(host, config.plainHttpOnLoopback, config.tlsCert === undefined ? undefined : { cert: Buffer.alloc(0), key: Buffer.alloc(0) });
  const tls = config.tlsCert !== undefined && config.tlsKey !== undefined ? { cert: readTlsFile(config.tlsCert), key: readTlsFile(config.tlsKey) } : undefined;
  const password = readStorePassword(config, options.env);
  const postgresql = resolvePgSettings(config, options.env);
  const lock: ServeLock = await takeServeLock(config.store, config.waitSeconds * 1000, undefined, options.signal);
  let service: SupervisedService | undefined;
  let schedule: FetchSchedule | undefined;
  let server: RunningServeServer | undefined;
  try {
    service = await startSupervisedWorkerService({
      dataDir: path.dirname(config.store),
      appVersion: readAppVersion(),
      host: 'serve',
      ...(postgresql === undefined ? {} : { postgresql }),
    });
    const running = service;
    const openStore = async (): Promise<void> => {
      const status = unwrap(await running.invoke('store.status', { path: config.store }, SERVICE_ACTOR)) as { state: string };
      if (status.state === 'none' && postgresql !== undefined) {
        if (!PostfachStore.exists(config.store)) {
          throw serveError(
            'serve-config',
            {
              de: 'Für PostgreSQL gibt es noch keinen Postfachschlüssel, und unter „store“ liegt kein Einzelplatz-Datenspeicher zum Übernehmen. Bitte das Postfach zuerst mit dem Programm einrichten und dessen Datenspeicher als „store“ angeben.',
              en: 'There is no mailbox key for PostgreSQL yet, and "store" names no single-PC store to take over. Please set up the mailbox with the program first and name its data store as "store".',
            },
            'postgresql key file missing and no SQLite store at the store path',
          );
        }
        // the first start on PostgreSQL: the single-PC store at `store` is taken over (key, identity, CAs, code lists)
        unwrap(await running.invoke('store.create', { path: config.store, password }, SERVICE_ACTOR));
        options.report('Postfach aus dem Einzelplatz-Datenspeicher nach PostgreSQL übernommen / mailbox taken over from the single-PC store into PostgreSQL');
      } else if (status.state === 'none') {
        throw serveError(
          'serve-config',
          {
            de: 'Unter diesem Pfad gibt es keinen Datenspeicher. Bitte zuerst mit „postfach fetch“ oder dem Programm einrichten.',
            en: 'There is no data store at this path. Please set it up first with "postfach fetch" or the program.',
          },
          'no store at the configured path',
        );
      }
      unwrap(await running.invoke('store.open', { path: config.store, unlock: { password } }, SERVICE_ACTOR));
      // the service works on the real mailbox; the first-start choice and the Übungsmodus are not offered
      unwrap(await running.invoke('workspace.chooseReal', {}, SERVICE_ACTOR));
    };
    await openStore();
    // a new worker holds no key: open the store again (the UIs hear service.restarted and load again)
    service.on('service.restarted', () => {
      openStore().then(
        () => options.report('Dienst neu gestartet, Datenspeicher wieder geöffnet / service restarted, store opened again'),
        (error: unknown) => options.report(`Datenspeicher nach Neustart nicht geöffnet / store not reopened after restart: ${error instanceof Error ? error.message : 'error'}`),
      );
    });
    const accounts = new AccountStore(config.accountsFile ?? defaultAccountsFile(config.store));
    server = await startServeServer({
      service,
      accounts,
      rendererDir: options.rendererDir,
      transferRoot: path.join(path.dirname(config.store), 'transfer'),
      host,
      port,
      ...(tls === undefined ? { plainHttpOnLoopback: true } : { tls }),
      sessions: options.sessions ?? { idleMs: config.sessionIdleMinutes * 60_000, maxMs: config.sessionMaxHours * 3_600_000 },
    });
    const audit = startAccountAudit(accounts, running, options.report);
    await audit.now();
    if (config.fetchIntervalMinutes > 0) {
      schedule = startFetchSchedule({
        intervalMs: config.fetchIntervalMinutes * 60_000,
        fetch: () => running.invoke('mailbox.fetch', {}, SCHEDULE_ACTOR),
        // the scheduled fetch is the team's usual one: its end is what "Zuletzt abgerufen" shows every person
        record: async (outcome, newMessages, errorKind) =>
          unwrap(await running.invoke('workspace.recordFetch', { outcome, newMessages, ...(errorKind === undefined ? {} : { errorKind }) }, SCHEDULE_ACTOR)),
        report: options.report,
      });
    }
    const served = server;
    const scheduled = schedule;
    return {
      origin: served.origin,
      service: running,
      accounts,
      close: async () => {
        await audit.stop();
        await served.close();
        await scheduled?.stop();
        await running.close();
        lock.release();
      },
    };
  } catch (error) {
    await server?.close();
    await schedule?.stop();
    await service?.close();
    lock.release();
    throw error;
  }
}

function readTlsFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw serveError(
      'serve-no-tls',
      { de: 'Zertifikat oder Schlüssel für TLS ist nicht lesbar.', en: 'The TLS certificate or key cannot be read.' },
      `${path.basename(file)}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
    );
  }
}

/** How often the account file is looked at for changes to record (a command of IT, a lockout). */
const ACCOUNT_AUDIT_MS = 2_000;

/**
 * Writes the account changes the account file keeps (accounts.ts `changes`) into the store's audit log, each as the
 * person who made it, then removes them from the file: at start, and every ACCOUNT_AUDIT_MS while the service runs.
 */
function startAccountAudit(accounts: AccountStore, service: SupervisedService, report: (line: string) => void): { now: () => Promise<void>; stop: () => Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const once = async (): Promise<void> => {
    const recorded: string[] = [];
    try {
      for (const change of accounts.pendingChanges()) {
        const { by, ...rest } = change;
        const result = await service.invoke('serve.recordAccountChange', rest, by);
        if (!result.ok) {
          report(`Kontoänderung nicht ins Protokoll übernommen / account change not recorded: ${result.error.kind}`);
          break;
        }
        recorded.push(change.id);
      }
    } catch (error) {
      report(`Kontenänderungen nicht lesbar / account changes unreadable: ${error instanceof PostfachError ? error.kind : 'error'}`);
    }
    if (recorded.length > 0) await accounts.dropChanges(recorded).catch(() => report('Kontendatei nicht geschrieben / account file not written'));
  };
  const now = (): Promise<void> => {
    running = running.then(once);
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void now();
  }, ACCOUNT_AUDIT_MS);
  timer.unref();
  return {
    now,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
