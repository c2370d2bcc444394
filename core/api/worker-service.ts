/**
 * Runs the service in a worker thread (Node: the loopback bridge, the CLI, tests). The desktop app runs the same
 * entry point in an Electron utility process instead (electron/service-process.ts); both speak
 * service-protocol.ts through a ServiceChannel.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ServiceHost, type HostServices, type ServiceChannel } from './service-host.js';
import type { ServiceOptions } from './service-protocol.js';

/**
 * The compiled entry beside this module (dist/core/api/service-entry.js); when this module itself runs from source
 * (Vitest, tsx), the TypeScript entry through service-entry-from-source.mjs.
 */
function createWorker(): Worker {
  const compiled = new URL('./service-entry.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, { stdout: false, stderr: false });
  return new Worker(new URL('./service-entry-from-source.mjs', import.meta.url), { stdout: false, stderr: false });
}

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
      worker.on('error', (error) => report(`worker error: ${error.name}: ${error.message}`));
      worker.on('exit', (code) => report(`worker exited with code ${code}`));
    },
    kill: () => void worker.terminate(),
  };
}

export async function startWorkerService(options: ServiceOptions, hostServices: HostServices = {}): Promise<ServiceHost> {
  return ServiceHost.start(workerChannel(createWorker()), options, undefined, hostServices);
}
