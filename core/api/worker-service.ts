/**
 * Runs the service in a worker thread (Node: the loopback bridge, the CLI, tests). The desktop app runs the same
 * entry point in an Electron utility process instead (electron/service-process.ts); both speak
 * service-protocol.ts through a ServiceChannel.
 *
 * The worker has a memory limit of its own ({@link SERVICE_HEAP_LIMIT_MB}): work that runs away ends the worker
 * (`ERR_WORKER_OUT_OF_MEMORY`), not the process that hosts the window or the bridge, and the supervisor
 * (supervised-service.ts) starts a new one.
 */
import type { Worker } from 'node:worker_threads';
import { ServiceHost, type HostServices, type ServiceChannel } from './service-host.js';
import type { ServiceOptions } from './service-protocol.js';
import { SERVICE_HEAP_LIMIT_MB } from './service-limits.js';
import { takeServiceWorker, type WorkerOptions } from './service-worker-thread.js';
import { SupervisedService, type SupervisorOptions } from './supervised-service.js';

export { SERVICE_HEAP_LIMIT_MB };
export type { WorkerOptions };

export function workerChannel(worker: Worker): ServiceChannel {
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) => {
      let reported = false;
      const report = (reason: string): void => {
        if (reported) return;
        reported = true;
        listener(reason);
      };
      worker.on('error', (error) => report(`worker error: ${error.name}: ${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`));
      worker.on('exit', (code) => report(`worker exited with code ${code}`));
    },
    kill: () => void worker.terminate(),
    // a thread of this process: its runtime checks every answer with this process's contract code
    inThisProcess: true,
  };
}

export async function startWorkerService(options: ServiceOptions, hostServices: HostServices = {}, worker: WorkerOptions = {}): Promise<ServiceHost> {
  return ServiceHost.start(workerChannel(takeServiceWorker(worker)), options, undefined, hostServices);
}

/** The service in a worker thread that is started again when it dies (the browser mode, the command line, tests). */
export async function startSupervisedWorkerService(
  options: ServiceOptions,
  hostServices: HostServices = {},
  worker: WorkerOptions = {},
  supervisor: Omit<SupervisorOptions, 'start' | 'dataDir'> = {},
): Promise<SupervisedService> {
  return SupervisedService.start({ ...supervisor, dataDir: options.dataDir, start: () => startWorkerService(options, hostServices, worker) });
}
