/**
 * The engine's side of the contract: one handler per service method, composed from one module per contract area
 * (core/api/handlers/). Runs inside the service (worker thread or Electron utility process), never on the UI
 * thread. Handlers receive parsed input and return plain data; the runtime (service-runtime.ts) validates both and
 * turns thrown errors into serialised PostfachErrors.
 */
import type { ServiceHandlers } from './api-types.js';
import { appHandlers, effectiveSettings } from './handlers/app.js';
import { codelistsHandlers } from './handlers/codelists.js';
import { mailboxHandlers } from './handlers/mailbox.js';
import { MailboxService, type MailboxDeps } from '../app/mailbox-service.js';
import type { ViewSettings } from '../mailbox/message-detail.js';
import { opsHandlers } from './handlers/ops.js';
import { trustHandlers } from './handlers/trust.js';
import { workspaceHandlers } from './handlers/workspace.js';
import { WorkspaceFile } from './handlers/workspace-file.js';
import { layoutHandlers } from './handlers/workspace-layout.js';
import type { DemoStarter, DemoWarmer } from '../app/training.js';
import type { HostLink } from './service-runtime.js';
import type { ServiceOptions } from './service-protocol.js';

/** The Übungsmodus: the application layer's demo mailbox (app/), loaded on first use (it brings the local intermediary along). */
const startDemoMailbox: DemoStarter = async (dir, options) => (await import('../../app/demo-mailbox.js')).startDemoMailbox(dir, options);
/** Its keys, made ahead while the first-start choice is read (app/demo-pki.ts; the same run the demo then waits for). */
const warmDemo: DemoWarmer = async (dir) => {
  const keys = import('../../app/demo-pki.js').then(({ demoPkiDir, ensureDemoPki }) => ensureDemoPki(demoPkiDir(dir)));
  // the demo's modules (intermediary, generator, PDF) are loaded meanwhile too: seconds on a busy machine
  await Promise.all([keys, import('../../app/demo-mailbox.js')]);
};

export function createServiceHandlers(options: ServiceOptions, host: HostLink = { protector: undefined }, startDemo: DemoStarter = startDemoMailbox, deps: MailboxDeps = {}) {
  const workspace = new WorkspaceFile(options.dataDir);
  // the name order is the caseworker's setting (app area); the mailbox area writes views with it
  const viewSettings = async (): Promise<ViewSettings> => ({ familyNameFirst: (await effectiveSettings(workspace, service.config)).familyNameFirst });
  // the application layer: one MailboxService that every area's handlers are thin over
  // (a demo starter of a test's own has no keys to make ahead)
  const demo = { startDemo, ...(startDemo === startDemoMailbox ? { warmDemo } : {}) };
  const service = new MailboxService(
    {
      dataDir: options.dataDir,
      protector: host.protector,
      appVersion: options.appVersion,
      resumeHandoverAtOpen: options.host !== 'cli',
      ...(options.postgresql === undefined ? {} : { postgresql: options.postgresql }),
    },
    { viewSettings, ...demo, ...deps },
  );
  const mailbox = mailboxHandlers(options, service);
  return {
    ...appHandlers(options, workspace, service.config),
    ...mailbox,
    ...workspaceHandlers(options, { file: workspace, mailbox, training: service.training, config: service.config, fetchIdle: service.fetchIdle }),
    ...layoutHandlers(workspace),
    ...opsHandlers(options, service),
    ...trustHandlers(service),
    ...codelistsHandlers(service),
    ...service.handover.handlers,
  } satisfies ServiceHandlers;
}
