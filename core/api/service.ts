/**
 * The engine's side of the contract: one handler per service method, composed from one module per contract area
 * (core/api/handlers/). Runs inside the service (worker thread or Electron utility process), never on the UI
 * thread. Handlers receive parsed input and return plain data; the runtime (service-runtime.ts) validates both and
 * turns thrown errors into serialised PostfachErrors.
 */
import type { ServiceHandlers } from './api-types.js';
import { appHandlers } from './handlers/app.js';
import { mailboxHandlers } from './handlers/mailbox.js';
import { workspaceHandlers } from './handlers/workspace.js';
import type { HostLink } from './service-runtime.js';
import type { ServiceOptions } from './service-protocol.js';

export function createServiceHandlers(options: ServiceOptions, host: HostLink = { protector: undefined }) {
  return {
    ...appHandlers(options),
    ...mailboxHandlers(options, host),
    ...workspaceHandlers(options),
  } satisfies ServiceHandlers;
}
