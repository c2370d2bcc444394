/**
 * Entry point of the service process: started as a worker thread (Node: loopback bridge, CLI) or as an Electron
 * utility process (desktop app). Connects the message loop to whichever parent port exists.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { deriveStoreKekEarly } from '../store/early-kek.js';
import type { ServicePort } from './service-runtime.js';

/**
 * What a thread started early (service-worker-thread.ts) may bring: the store the command will open and its
 * password, so that the password's key derivation (scrypt, about 0.4 s on the libuv pool) runs while the service's
 * modules load below — loaded only after it has started, for that reason (issue 14, cold start).
 */
const earlyUnlock = (workerData as { earlyUnlock?: { databasePath?: unknown; password?: unknown } } | null | undefined)?.earlyUnlock;
if (typeof earlyUnlock?.databasePath === 'string' && typeof earlyUnlock.password === 'string') deriveStoreKekEarly(earlyUnlock.databasePath, earlyUnlock.password);
// the first stage only (service-start.ts): the MailboxService's modules load once the service answers
const [{ createStagedHandlers }, { runService }, { shutdownOnSigterm }] = await Promise.all([
  import('./service-start.js'),
  import('./service-runtime.js'),
  import('./service-sigterm.js'),
]);

/** Electron's utility-process port, typed here because core/ never imports electron. */
interface UtilityParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function connect(): ServicePort {
  if (parentPort !== null) {
    const port = parentPort;
    return { post: (message) => port.postMessage(message), onMessage: (listener) => port.on('message', listener) };
  }
  const utilityPort = (process as unknown as { parentPort?: UtilityParentPort }).parentPort;
  if (utilityPort !== undefined) {
    return { post: (message) => utilityPort.postMessage(message), onMessage: (listener) => utilityPort.on('message', (event) => listener(event.data)) };
  }
  throw new Error('service-entry must run as a worker thread or an Electron utility process');
}

const service = runService(
  connect(),
  (options, host) => createStagedHandlers(options, host),
  () => process.exit(0),
);
// a process of its own (Electron utility process): SIGTERM ends it as the host's shutdown does, a second one at
// once (a thread gets none)
if (parentPort === null) shutdownOnSigterm(() => service.shutdown());
