/**
 * The engine's side of the contract: one handler per service method, composed from one module per contract area
 * (core/api/handlers/). Runs inside the service (worker thread or Electron utility process), never on the UI
 * thread. Handlers receive parsed input and return plain data; the runtime (service-runtime.ts) validates both and
 * turns thrown errors into serialised PostfachErrors.
 *
 * This module is the service's second stage (service-start.ts): the MailboxService and every area over it. The
 * worker thread loads it right after its first stage answers; `createServiceHandlers` composes both at once.
 */
import type { ServiceHandlers } from './api-types.js';
import { codelistsHandlers } from './handlers/codelists.js';
import { inboxHandlers } from './handlers/inbox.js';
import { demoHandlers } from './handlers/demo.js';
import { mailboxHandlers } from './handlers/mailbox.js';
import { MailboxService, type MailboxDeps } from '../app/mailbox-service.js';
import { opsHandlers } from './handlers/ops.js';
import { trustHandlers } from './handlers/trust.js';
import type { DemoStarter } from '../app/training.js';
import { DemoCommand, type DemoFolderStarter } from '../app/demo-command.js';
import type { HostLink } from './service-runtime.js';
import type { ServiceOptions } from './service-protocol.js';
import { serviceStart, startDemoMailbox, type ServiceStart } from './service-start.js';

/** `postfach demo`: the same demo mailbox in the service's data folder, every application sent before it answers. */
const startDemoFolder: DemoFolderStarter = async (dir, signal) => (await import('../../app/demo-mailbox.js')).startDemoMailbox(dir, { signal });

/** The second stage over the first's core: the application layer's MailboxService and every area's handlers. */
export function mailboxStage(options: ServiceOptions, start: ServiceStart): { service: MailboxService; handlers: ServiceHandlers } {
  // the application layer: one MailboxService that every area's handlers are thin over
  const service = new MailboxService(
    {
      dataDir: options.dataDir,
      protector: start.host.protector,
      appVersion: options.appVersion,
      resumeHandoverAtOpen: options.host !== 'cli',
      ...(options.postgresql === undefined ? {} : { postgresql: options.postgresql }),
    },
    start.deps,
    start.core,
  );
  const handlers = {
    ...mailboxHandlers(options, service),
    ...opsHandlers(options, service),
    ...trustHandlers(service),
    ...codelistsHandlers(service),
    ...service.handover.handlers,
    ...inboxHandlers(options, service),
    ...demoHandlers(new DemoCommand(options, startDemoFolder, service)),
    ...start.early,
  } satisfies ServiceHandlers;
  return { service, handlers };
}

/** Both stages at once (the desktop's service bundle, tests): the same handlers the worker thread ends up with. */
export function createServiceHandlers(options: ServiceOptions, host: HostLink = { protector: undefined }, startDemo: DemoStarter = startDemoMailbox, deps: MailboxDeps = {}) {
  // the first stage asks for the service only in calls, by when the second stage below has built it
  const built: { service?: MailboxService } = {};
  const start = serviceStart(options, host, startDemo, deps, () =>
    built.service === undefined ? Promise.reject(new Error('the mailbox stage is not built yet')) : Promise.resolve(built.service),
  );
  const stage = mailboxStage(options, start);
  built.service = stage.service;
  return stage.handlers;
}
