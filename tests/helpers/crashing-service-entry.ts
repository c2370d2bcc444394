/**
 * Test-only entry of the service's worker thread (passed to startWorkerService as `entry`): the product's handlers
 * with hooks that bring the worker down at chosen moments — injected through the handler factory, never read from
 * the environment by the product:
 *  - a PDF or receipt export of store id 1 (PDF) or of any message (receipt) allocates until the worker reaches its
 *    memory limit (ERR_WORKER_OUT_OF_MEMORY), after the work is recorded as in progress;
 *  - a fetch ends the worker (exit code 70) when it reports storing its second delivery: received, not yet stored.
 */
import { parentPort } from 'node:worker_threads';
import type { ServiceContext, ServiceHandlers } from '../../core/api/api-types.js';
import type { HandlerInput } from '../../core/api/contract.js';
import type { InsideHeavyWorkHook } from '../../core/app/heavy-work.js';
import { createServiceHandlers } from '../../core/api/service.js';
import { runService } from '../../core/api/service-runtime.js';

const port = parentPort!;

/** Holds what the hog allocated, so that nothing can be collected. */
const hoard: number[][] = [];

function exhaustMemory(): never {
  for (;;) hoard.push(new Array<number>(1_000_000).fill(Math.random()));
}

const insideHeavyWork: InsideHeavyWorkHook = (operation, subject) => {
  if ((operation === 'export-pdf' && subject.storeId === 1) || operation === 'export-receipt') exhaustMemory();
};

runService(
  { post: (message) => port.postMessage(message), onMessage: (listener) => port.on('message', listener) },
  async (options, host) => {
    const handlers: ServiceHandlers = createServiceHandlers(options, host, undefined, { insideHeavyWork });
    const fetch = handlers['mailbox.fetch'];
    return {
      ...handlers,
      'mailbox.fetch': (input: HandlerInput<'mailbox.fetch'>, context: ServiceContext) =>
        fetch(input, {
          emit(event, payload) {
            context.emit(event, payload);
            const progress = payload as { phase?: string; messagesDone?: number };
            if (event === 'fetch.progress' && progress.phase === 'storing' && (progress.messagesDone ?? 0) >= 1) process.exit(70);
          },
        }),
    };
  },
  () => process.exit(0),
);
