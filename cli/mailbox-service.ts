/**
 * How the mailbox commands (fetch, list, show, export, demo) reach the engine: through the typed contract
 * (core/api), with the service in a worker thread as the desktop app has it in its utility process — the same
 * handlers, validation and errors. Also opens (or, for fetch, creates) the store named by `--store`. The settings'
 * problems, too, are the service's (`config.get`): the command line reads no store and no settings of its own.
 */
import path from 'node:path';
import { readAppVersion } from '../core/api/app-version.js';
import type { PostfachApi } from '../core/api/api-types.js';
import type { MethodInput } from '../core/api/contract.js';
import { createApiClient } from '../core/api/client.js';
import type { StoreStatus } from '../core/api/contract/mailbox.js';
import type { MachineConfigDto } from '../core/api/contract/ops.js';
import type { SupervisedService } from '../core/api/supervised-service.js';
import { startSupervisedWorkerService, type WorkerOptions } from '../core/api/worker-service.js';
import { PostfachError } from '../core/errors.js';
import { passwordFromEnv } from './output.js';

export const DEFAULT_STORE_PASSWORD_ENV = 'POSTFACH_STORE_PASSWORD';

export interface StoreOptions {
  readonly store: string;
  readonly storePasswordEnv?: string;
}

export interface MailboxSession {
  readonly api: PostfachApi;
  readonly storePath: string;
  close(): Promise<void>;
}

/** Warnings about broken settings on stderr, as the service read them (`config.get`). */
export function printConfigProblems(config: MachineConfigDto): void {
  for (const p of config.problems) process.stderr.write(`Warnung: ${p.message}\n  Technische Angabe: ${p.detail}\n`);
}

/**
 * Starts the service for the store's folder (its data folder: technical log, work in progress); `work` runs with
 * the API; the service is closed afterwards. Every command that touches a store or the mailbox goes through here.
 */
export async function withMailboxService<T>(storePath: string, work: (session: MailboxSession) => Promise<T>, worker: WorkerOptions = {}): Promise<T> {
  const resolved = path.resolve(storePath);
  return withServiceIn(path.dirname(resolved), (api, close) => work({ api, storePath: resolved, close }), worker);
}

/**
 * Starts the service with `dataDir` as its data folder (`postfach demo`: the demo folder, where the service sets the
 * demo up), runs `work` with the API and closes the service afterwards.
 */
export async function withServiceIn<T>(dataDir: string, work: (api: PostfachApi, close: () => Promise<void>) => Promise<T>, worker: WorkerOptions = {}): Promise<T> {
  let host: SupervisedService | undefined;
  try {
    // one command, one service: a crash is recorded (the message it worked on is refused that work next time) and
    // reported with its words, not restarted
    host = await startSupervisedWorkerService({ dataDir: path.resolve(dataDir), appVersion: readAppVersion(), host: 'cli' }, {}, worker, { maxRestarts: 0 });
    const api = createApiClient(host.asBridge());
    // settings problems are reported on every command that works with a mailbox (the service applies the valid rest)
    printConfigProblems(await api.call('config.get', {}));
    const opened = host;
    return await work(api, () => opened.close());
  } finally {
    await host?.close();
  }
}

/**
 * The store's number of a message given as its number or its OSCI message id (`postfach export`, `abnahme`): the
 * id is looked up in the inbox and in the Papierkorb.
 */
export async function storeIdOf(api: PostfachApi, ref: string): Promise<number> {
  if (/^\d+$/.test(ref) && Number.isSafeInteger(Number(ref)) && Number(ref) > 0) return Number(ref);
  for (const folder of ['inbox', 'trash'] as const) {
    const found = (await api.call('messages.list', { search: ref, folder, limit: 10 })).items.find((i) => i.messageId === ref);
    if (found) return found.id;
  }
  throw new PostfachError(
    'store-unknown-message',
    { de: 'Diese Nachricht gibt es im Datenspeicher nicht (mehr).', en: 'This message is not (or no longer) in the data store.' },
    'no message with that OSCI message id',
  );
}

/** The recovery key of a new store: shown once, on stderr, with what to do with it. */
export function printRecoveryKey(storePath: string, recoveryKey: string): void {
  process.stderr.write(
    `\nNeuer Datenspeicher angelegt: ${storePath}\n` +
      '\n' +
      '  WIEDERHERSTELLUNGSSCHLÜSSEL (wird nur dieses eine Mal angezeigt):\n' +
      `\n      ${recoveryKey}\n\n` +
      '  Bitte jetzt ausdrucken oder abschreiben und sicher verwahren (z. B. im Tresor). Mit diesem Schlüssel lässt sich\n' +
      '  der Datenspeicher öffnen, wenn das Passwort verloren geht. Er wird nirgends gespeichert und kann nicht erneut\n' +
      '  angezeigt werden.\n\n',
  );
}

/** What a first fetch brings to create the store with: the one-off identity from files, if any was given. */
export interface FirstFetch {
  readonly identity: MethodInput<'mailbox.testConnection'>['identity'];
  /**
   * Called once `store.open` of an existing store is sent, before its answer: the fetch may be sent now, so that
   * the service fetches and decodes the first delivery while the store's key is derived (MailboxService
   * `firstWhileOpening`; it commits and acknowledges nothing before the open has completed).
   */
  readonly whileOpening?: () => void;
}

/**
 * Opens the store with the password from the environment. For a first fetch (`firstFetch`), a missing store is
 * created — but only once the key files, the connection and the intermediary's signer have been checked (an
 * InitDialog/ExitDialog with the one-off identity): a first fetch that cannot succeed leaves no store behind and
 * prints no recovery key. Returns the status.
 */
export async function openStore(api: PostfachApi, options: StoreOptions, firstFetch?: FirstFetch): Promise<StoreStatus> {
  const password = passwordFromEnv(options.storePasswordEnv ?? DEFAULT_STORE_PASSWORD_ENV);
  const status = await api.call('store.status', { path: options.store });
  if (status.state === 'none') {
    if (firstFetch === undefined) {
      throw new PostfachError(
        'store-not-found',
        {
          de: 'Der Datenspeicher wurde nicht gefunden. Bitte den Pfad prüfen (er wird beim ersten Abruf angelegt).',
          en: 'The data store was not found. Please check the path (it is created by the first fetch).',
        },
        'no database or key file at the --store path',
      );
    }
    if (firstFetch.identity === undefined) {
      throw new PostfachError(
        'store-not-found',
        {
          de: 'Der Datenspeicher wurde nicht gefunden. Der erste Abruf legt ihn an und braucht dafür die Schlüsseldatei und den Intermediär (--p12, --intermediary, --intermediary-cert).',
          en: 'The data store was not found. The first fetch creates it and needs the key file and the intermediary for that (--p12, --intermediary, --intermediary-cert).',
        },
        'no store at the --store path and no one-off identity to fetch with; nothing created',
      );
    }
    if (password.length < 8) {
      throw new PostfachError(
        'store-weak-password',
        {
          de: 'Das Passwort für den neuen Datenspeicher ist zu kurz. Bitte mindestens 8 Zeichen verwenden.',
          en: 'The password for the new data store is too short. Please use at least 8 characters.',
        },
        `password in the environment variable has ${password.length} characters, at least 8 needed`,
      );
    }
    // keys, connection and the intermediary's signer first: the store is created only when the fetch can work
    await api.call('mailbox.testConnection', { identity: firstFetch.identity });
    const created = await api.call('store.create', { path: options.store, password });
    printRecoveryKey(created.status.path, created.recoveryKey);
    return created.status;
  }
  const opened = api.call('store.open', { path: options.store, unlock: { password } });
  firstFetch?.whileOpening?.();
  return opened;
}
