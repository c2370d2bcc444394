/**
 * Handlers of the contract area "demo" (core/api/contract/demo.ts): `postfach demo`'s demo mailbox in the service's
 * data folder, one-liners over the application layer's DemoCommand (core/app/demo-command.ts).
 */
import type { ServiceContext } from '../api-types.js';
import type { HandlerInput } from '../contract.js';
import type { DemoCommand } from '../../app/demo-command.js';

export function demoHandlers(demo: DemoCommand) {
  return {
    'demo.start': (_input: HandlerInput<'demo.start'>, context: ServiceContext) => demo.start(context),
    'demo.stop': async () => ({ stopped: await demo.stop() }),
  };
}
