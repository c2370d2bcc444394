/**
 * The service's worker thread itself, without the host side (service-host.ts, supervised-service.ts and the zod
 * contract they load): so that the command line can start the thread before it loads its own modules
 * ({@link startServiceWorkerEarly}). The thread then loads the service's modules (about half a second of CPU) on
 * the other core while the command line loads commander, its command and the contract; the host takes the waiting
 * thread over when it starts the service ({@link takeServiceWorker}). Issue 14: `postfach fetch` cold start.
 *
 * The service posts nothing before the host's `init` (service-runtime.ts), so a thread taken over late has lost no
 * message; one that ended before it was taken over (its entry failed to load) is not handed out: the host starts a
 * new one and reports that one's failure as always.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SERVICE_HEAP_LIMIT_MB } from './service-limits.js';

export interface WorkerOptions {
  /** Heap limit in MB (default {@link SERVICE_HEAP_LIMIT_MB}). */
  readonly maxHeapMb?: number;
  /** Young-generation limit in MB (default: V8's); see EXPORT_SERVICE_YOUNG_GENERATION_MB. */
  readonly maxYoungGenerationMb?: number;
  /**
   * Test-only: another entry module for the worker thread, which tests use to inject hooks into the service's
   * handlers (never an environment variable read by the product). Default: the service's own entry.
   */
  readonly entry?: URL;
}

/**
 * The compiled entry beside this module (dist/core/api/service-entry.js); when this module itself runs from source
 * (Vitest, tsx), the TypeScript entry through service-entry-from-source.mjs.
 */
export function createServiceWorker(options: WorkerOptions, earlyUnlock?: EarlyUnlock): Worker {
  const compiled = new URL('./service-entry.js', import.meta.url);
  const entry = options.entry ?? (existsSync(fileURLToPath(compiled)) ? compiled : new URL('./service-entry-from-source.mjs', import.meta.url));
  return new Worker(entry, {
    ...(earlyUnlock === undefined ? {} : { workerData: { earlyUnlock } }),
    stdout: false,
    stderr: false,
    resourceLimits: {
      maxOldGenerationSizeMb: options.maxHeapMb ?? SERVICE_HEAP_LIMIT_MB,
      ...(options.maxYoungGenerationMb === undefined ? {} : { maxYoungGenerationSizeMb: options.maxYoungGenerationMb }),
    },
  });
}

/**
 * The store a command is about to open and its password: the thread starts the password's key derivation before
 * it loads the service (service-entry.ts, core/store/early-kek.ts); the open takes the result when the inputs match.
 */
export interface EarlyUnlock {
  readonly databasePath: string;
  readonly password: string;
}

interface EarlyWorker {
  readonly worker: Worker;
  ended: boolean;
}

let early: EarlyWorker | undefined;

/**
 * Starts the next service's thread now, with the default options. It does not keep the process alive (a command
 * that ends with a usage error exits as before) until {@link takeServiceWorker} hands it out.
 */
export function startServiceWorkerEarly(earlyUnlock?: EarlyUnlock): void {
  if (early !== undefined) return;
  const started: EarlyWorker = { worker: createServiceWorker({}, earlyUnlock), ended: false };
  // an error before the take-over is the thread's end, seen here; the host's listeners come with the take-over
  started.worker.on('error', () => (started.ended = true));
  started.worker.on('exit', () => (started.ended = true));
  started.worker.unref();
  early = started;
}

const isDefault = (options: WorkerOptions): boolean => options.maxHeapMb === undefined && options.maxYoungGenerationMb === undefined && options.entry === undefined;

/** The thread started early when it fits `options` and still runs, else a new one. Each early thread is handed out once. */
export function takeServiceWorker(options: WorkerOptions): Worker {
  const waiting = early;
  early = undefined;
  if (waiting !== undefined) {
    if (!waiting.ended && isDefault(options)) {
      waiting.worker.ref();
      return waiting.worker;
    }
    void waiting.worker.terminate();
  }
  return createServiceWorker(options);
}

/** Whether a thread started early waits to be taken over (tests). */
export function earlyServiceWorkerWaiting(): boolean {
  return early !== undefined;
}
