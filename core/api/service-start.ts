/**
 * The service's start in two stages (issue 14, app start). A window's first calls — `app.info`, `settings.get`,
 * `workspace.resume`, `store.status` — and the unlocking half of `store.open` answer from the service's core
 * (core/app/service-core.ts: about half of the service's modules); the MailboxService with the fetch engine, the
 * trust lists, the hand-over and the message views (service.ts `mailboxStage`) loads when `store.open` starts —
 * while the password's scrypt runs on libuv's pool — or at the first call that needs it, or
 * {@link SECOND_STAGE_AFTER_MS} after the service is ready (while a person types the password). Every other method
 * waits for it (service-runtime.ts); every input and answer is checked against the contract as before.
 *
 * Where the second stage cannot be loaded (a damaged installation), the calls that need it fail with a clear error
 * (German for the caseworker, the module's failure for IT) and the technical log names it: never a hang.
 */
import { PostfachError } from '../errors.js';
import type { MailboxDeps, MailboxService } from '../app/mailbox-service.js';
import { ServiceCore } from '../app/service-core.js';
import type { DemoStarter, DemoWarmer } from '../app/training.js';
import { effectiveSettings } from '../app/user-settings.js';
import { WorkspaceFile } from '../app/workspace-file.js';
import { Workspace, type WorkspaceMailbox } from '../app/workspace.js';
import type { ViewSettings } from '../mailbox/message-detail.js';
import type { ServiceContext, ServiceHandlers } from './api-types.js';
import type { HandlerInput } from './contract.js';
import { appHandlers } from './handlers/app.js';
import { workspaceHandlers } from './handlers/workspace.js';
import { layoutHandlers } from './handlers/workspace-layout.js';
import type { HostLink, StagedHandlers } from './service-runtime.js';
import type { ServiceOptions } from './service-protocol.js';

/** The Übungsmodus: the application layer's demo mailbox (app/), loaded on first use (it brings the local intermediary along). */
export const startDemoMailbox: DemoStarter = async (dir, options) => (await import('../../app/demo-mailbox.js')).startDemoMailbox(dir, options);
/** Its keys, made ahead while the first-start choice is read (app/demo-pki.ts; the same run the demo then waits for). */
const warmDemo: DemoWarmer = async (dir) => {
  const keys = import('../../app/demo-pki.js').then(({ demoPkiDir, ensureDemoPki }) => ensureDemoPki(demoPkiDir(dir)));
  // the demo's modules (intermediary, generator, PDF) are loaded meanwhile too: seconds on a busy machine
  await Promise.all([keys, import('../../app/demo-mailbox.js')]);
};

/** What both stages share: one core, one workspace file, one Workspace; the MailboxService's dependencies. */
export interface ServiceStart {
  readonly host: HostLink;
  readonly core: ServiceCore;
  readonly workspaceFile: WorkspaceFile;
  readonly workspace: Workspace;
  readonly deps: MailboxDeps;
  /** The methods that answer before the MailboxService exists (store.open: its unlocking half). */
  readonly early: EarlyHandlers;
}

/**
 * The first stage. `mailbox` gives the MailboxService over this core once it is loaded (at once where the caller
 * has it already: service.ts `createServiceHandlers`).
 */
export function serviceStart(options: ServiceOptions, host: HostLink, startDemo: DemoStarter, extraDeps: MailboxDeps, mailbox: () => Promise<MailboxService>): ServiceStart {
  const workspaceFile = new WorkspaceFile(options.dataDir);
  // a demo starter of a test's own has no keys to make ahead
  const demo = { startDemo, ...(startDemo === startDemoMailbox ? { warmDemo } : {}) };
  // the name order is the caseworker's setting (app area); the mailbox area writes views with it
  const viewSettings = async (): Promise<ViewSettings> => ({ familyNameFirst: (await effectiveSettings(workspaceFile, core.config)).familyNameFirst });
  const deps: MailboxDeps = { viewSettings, ...demo, ...extraDeps };
  const core = new ServiceCore({ dataDir: options.dataDir, protector: host.protector, ...(options.postgresql === undefined ? {} : { postgresql: options.postgresql }) }, deps);
  // the service's end waits (bounded) for the Übungsmodus's application on its way: nothing cut between its steps
  host.atShutdown?.(() => core.training.finish());
  const forWorkspace: WorkspaceMailbox = {
    training: core.training,
    config: core.config,
    status: (wanted) => core.status(wanted),
    openStore: async (input, context) => (await mailbox()).openStore(input, context),
    closeStore: async (context) => (await mailbox()).closeStore(context),
    fetchIdle: async () => (await mailbox()).fetchIdle(),
  };
  const workspace = new Workspace(workspaceFile, forWorkspace);
  return { host, core, workspaceFile, workspace, deps, early: earlyHandlers(options, core, workspaceFile, workspace, mailbox) };
}

function earlyHandlers(options: ServiceOptions, core: ServiceCore, workspaceFile: WorkspaceFile, workspace: Workspace, mailbox: () => Promise<MailboxService>) {
  return {
    ...appHandlers(options, workspaceFile, core.config),
    ...workspaceHandlers(options, workspace),
    ...layoutHandlers(workspaceFile),
    'store.status': (input: HandlerInput<'store.status'>) => core.status(input.path),
    'store.open': async (input: HandlerInput<'store.open'>, context: ServiceContext) => {
      // the password's key derivation runs on libuv's pool while the mailbox's modules load on this thread
      const [loaded, unlocked] = await Promise.allSettled([mailbox(), core.unlock(input)]);
      if (loaded.status === 'rejected') {
        // no store left open behind the error the caseworker sees (no retention, no events, the key in memory)
        if (unlocked.status === 'fulfilled') await core.lock(unlocked.value);
        throw loaded.reason;
      }
      if (unlocked.status === 'rejected') throw unlocked.reason;
      return loaded.value.storeOpened(input, context, unlocked.value);
    },
  } satisfies Partial<ServiceHandlers>;
}

/** The methods of the first stage. */
export type EarlyHandlers = ReturnType<typeof earlyHandlers>;

/** The second stage could not be loaded: what the caseworker and IT are told for every call that needs it. */
export function secondStageFailed(error: unknown): PostfachError {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new PostfachError(
    'service-protocol',
    {
      de: 'Ein Teil des Programms konnte nicht geladen werden. Bitte starten Sie das Programm neu; besteht der Fehler weiter, wenden Sie sich an Ihre IT.',
      en: 'Part of the program could not be loaded. Please restart the program; if the error persists, contact your IT.',
    },
    `the service's mailbox stage (core/api/service.js) failed to load: ${detail.slice(0, 500)}`,
    { cause: error },
  );
}

/**
 * The second stage's load at the latest this long after `ready`, where no call asked for it before: the window's
 * first page and the unlock form are drawn meanwhile, and a person types the password for longer than this.
 */
export const SECOND_STAGE_AFTER_MS = 1500;

/**
 * The service as the worker thread runs it (service-entry.ts): the first stage at once, the second loaded by
 * `rest`, which the runtime calls as soon as it posted `ready`. `load` is the second stage's module (a test's
 * own to prove the failure path); by default service.ts.
 */
export function createStagedHandlers(
  options: ServiceOptions,
  host: HostLink = { protector: undefined },
  load: () => Promise<Pick<typeof import('./service.js'), 'mailboxStage'>> = () => import('./service.js'),
): StagedHandlers {
  let second: Promise<{ service: MailboxService; handlers: ServiceHandlers }> | undefined;
  const loadSecond = (): Promise<{ service: MailboxService; handlers: ServiceHandlers }> =>
    // a failure to load the module or to build the stage over it: both are the same failure for the caseworker and IT
    (second ??= load()
      .then(({ mailboxStage }) => mailboxStage(options, start))
      .catch((error: unknown) => {
        start.core.log.write('error', 'service.stage-failed', { detail: (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500) });
        throw secondStageFailed(error);
      }));
  const start: ServiceStart = serviceStart(options, host, startDemoMailbox, {}, async () => (await loadSecond()).service);
  return { early: start.early, rest: async () => (await loadSecond()).handlers, restAfterMs: SECOND_STAGE_AFTER_MS };
}
