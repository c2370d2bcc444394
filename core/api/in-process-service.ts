/**
 * The service in the calling thread, over a MessageChannel: the same protocol, validation and handlers as the
 * worker thread (worker-service.ts), without a second thread. For library callers that are off the UI thread
 * already (the demo mailbox set-up, tests); the UI always gets the worker or the utility process.
 */
import { MessageChannel } from 'node:worker_threads';
import { createServiceHandlers } from './service.js';
import { ServiceHost, type HostServices, type ServiceChannel } from './service-host.js';
import type { ServiceOptions } from './service-protocol.js';
import { runService } from './service-runtime.js';

export async function startInProcessService(options: ServiceOptions, hostServices: HostServices = {}): Promise<ServiceHost> {
  const { port1, port2 } = new MessageChannel();
  let exitListener: ((reason: string) => void) | undefined;
  const stop = (reason: string): void => {
    port1.close();
    port2.close();
    exitListener?.(reason);
    exitListener = undefined;
  };
  runService({ post: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) }, createServiceHandlers, () => stop('shut down'));
  const channel: ServiceChannel = {
    post: (m) => port1.postMessage(m),
    onMessage: (l) => port1.on('message', l),
    onExit: (l) => (exitListener = l),
    kill: () => stop('killed'),
  };
  return ServiceHost.start(channel, options, undefined, hostServices);
}
