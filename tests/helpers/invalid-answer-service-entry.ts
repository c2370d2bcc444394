/**
 * Test-only entry of the service's worker thread (passed to startWorkerService as `entry`): the product's runtime
 * and handlers, but `settings.get` answers something the contract refuses (a language it does not know) — to show
 * that an answer failing the contract still fails in the service runtime when the front end no longer checks
 * answers of a service in its own process (core/api/checked-answers.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { ServiceHandlers } from '../../core/api/api-types.js';
import { createServiceHandlers } from '../../core/api/service.js';
import { runService } from '../../core/api/service-runtime.js';

const port = parentPort!;

runService(
  { post: (message) => port.postMessage(message), onMessage: (listener) => port.on('message', listener) },
  (options, host) => {
    const handlers: ServiceHandlers = createServiceHandlers(options, host);
    return { ...handlers, 'settings.get': () => ({ language: 'fr' }) as never };
  },
  () => process.exit(0),
);
