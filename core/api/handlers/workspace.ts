/**
 * Handlers of the contract area "workspace" (core/api/contract/workspace.ts): which mailbox the program works on
 * (real or Übungsmodus), the last fetch, the browser mode's uploads and downloads, the licences.
 *
 * The Übungsmodus store is opened through the mailbox area's own `store.open`/`store.close` handlers, so there is
 * one store session in the service, whichever mailbox it holds.
 */
import type { ResolvedConfig } from '../../config/load-config.js';
import { PostfachError } from '../../errors.js';
import type { ServiceContext, ServiceHandlers } from '../api-types.js';
import type { HandlerInput } from '../contract.js';
import type { StoreStatus } from '../contract/mailbox.js';
import type { WorkspaceState } from '../contract/workspace.js';
import type { ServiceOptions } from '../service-protocol.js';
import type { WorkspaceFile } from './workspace-file.js';
import { serviceLicenses } from './workspace-licenses.js';
import { trainingUnavailable, type TrainingRunner } from '../../app/training.js';
import { TransferFolders } from './workspace-transfer.js';

/** What the workspace needs of the mailbox area. */
export type MailboxStoreHandlers = Pick<ServiceHandlers, 'store.open' | 'store.close' | 'store.status'>;

export interface WorkspaceDeps {
  readonly file: WorkspaceFile;
  readonly mailbox: MailboxStoreHandlers;
  /** The Übungsmodus runner, owned by the application layer's MailboxService. */
  readonly training: TrainingRunner;
  /** Settles when no fetch runs (the mailbox area's): the Übungsmodus sends its later applications only then. */
  readonly fetchIdle?: () => Promise<void>;
  /** The machine settings (core/config): whether IT offers the Übungsmodus on this PC. */
  readonly config?: () => Promise<ResolvedConfig>;
}

const trainingNotOffered = (): PostfachError =>
  new PostfachError(
    'training-not-offered',
    { de: 'Ihre IT hat den Übungsmodus auf diesem PC abgeschaltet.', en: 'Your IT has switched the training mode off on this PC.' },
    'trainingModeOffered is false in the machine settings',
  );

export function workspaceHandlers(options: ServiceOptions, deps: WorkspaceDeps) {
  const { file, mailbox } = deps;
  // the Übungsmodus reports its preparation also after the call that started it returned (the background part):
  // through the service's one event channel, kept from the last call
  let events: ServiceContext | undefined;
  const training = deps.training;
  training.listen({
    progress: (preparation) => events?.emit('workspace.trainingProgress', preparation),
    ended: () => events?.emit('workspace.changed', state()),
  });
  const transfer = new TransferFolders(options.dataDir);

  const state = (): WorkspaceState => {
    const data = file.get();
    return {
      mode: data.mode,
      trainingRunning: training.current !== undefined,
      trainingIntermediaryUrl: training.current?.intermediaryUrl ?? null,
      trainingPreparation: training.preparation,
      lastFetch: data.lastFetch,
      lastSuccessfulFetchAt: data.lastSuccessfulFetchAt,
    };
  };

  const changed = (context: ServiceContext): WorkspaceState => {
    const now = state();
    context.emit('workspace.changed', now);
    return now;
  };

  const offered = async (): Promise<boolean> => (deps.config ? (await deps.config()).values.trainingModeOffered : true);

  const startTraining = async (context: ServiceContext): Promise<{ state: WorkspaceState; store: StoreStatus }> => {
    if (!(await offered())) throw trainingNotOffered();
    events = context;
    let demo;
    try {
      demo = await training.start();
    } catch (error) {
      if (error instanceof PostfachError) throw error;
      throw trainingUnavailable(`demo mailbox: ${error instanceof Error ? error.name : 'error'}`);
    }
    const store = await mailbox['store.open']({ path: demo.storePath, unlock: demo.unlock }, context);
    training.continueInBackground(deps.fetchIdle);
    if (file.get().mode !== 'training') file.update((current) => ({ ...current, mode: 'training', lastFetch: null, lastSuccessfulFetchAt: null }));
    return { state: changed(context), store };
  };

  return {
    'workspace.state': () => state(),
    'workspace.resume': async (_input: HandlerInput<'workspace.resume'>, context: ServiceContext) => {
      if (file.get().mode === 'training' && !(await offered())) {
        // IT switched the Übungsmodus off since: back to the real mailbox, or to the first start
        const real = await mailbox['store.status']({}, context);
        file.update((current) => ({ ...current, mode: real.state === 'none' ? 'unset' : 'real', lastFetch: null, lastSuccessfulFetchAt: null }));
        return { state: state(), store: real };
      }
      if (file.get().mode === 'training') return startTraining(context);
      // the first-start choice is on screen: the Übungsmodus's keys are made meanwhile, should it be chosen
      if (file.get().mode === 'unset' && (await offered())) training.warmUp();
      return { state: state(), store: await mailbox['store.status']({}, context) };
    },
    'workspace.startTraining': async (_input: HandlerInput<'workspace.startTraining'>, context: ServiceContext) => startTraining(context),
    'workspace.stopTraining': async (_input: HandlerInput<'workspace.stopTraining'>, context: ServiceContext) => {
      if (training.current !== undefined) await mailbox['store.close']({}, context);
      await training.stop();
      // back to the real mailbox where one exists at the default place, else to the first-start choice
      const real = await mailbox['store.status']({}, context);
      file.update((current) => ({ ...current, mode: real.state === 'none' ? 'unset' : 'real', lastFetch: null, lastSuccessfulFetchAt: null }));
      return { state: changed(context), store: real };
    },
    'workspace.chooseReal': (_input: HandlerInput<'workspace.chooseReal'>, context: ServiceContext) => {
      file.update((current) => ({ ...current, mode: 'real' }));
      return changed(context);
    },
    'workspace.recordFetch': (input: HandlerInput<'workspace.recordFetch'>, context: ServiceContext) => {
      const at = new Date().toISOString();
      file.update((current) => ({
        ...current,
        lastFetch: { at, outcome: input.outcome, newMessages: input.newMessages, ...(input.errorKind === undefined ? {} : { errorKind: input.errorKind }) },
        lastSuccessfulFetchAt: input.outcome === 'complete' ? at : current.lastSuccessfulFetchAt,
      }));
      return changed(context);
    },

    'workspace.uploadFile': (input: HandlerInput<'workspace.uploadFile'>) => transfer.upload(input.kind, input.name, input.data),
    'workspace.discardUploads': () => ({ discarded: transfer.discardUploads() }),
    'workspace.createDownload': (input: HandlerInput<'workspace.createDownload'>) => transfer.createDownload(input.fileName),
    'workspace.downloadFiles': (input: HandlerInput<'workspace.downloadFiles'>) => ({ files: transfer.files(input.downloadId) }),
    'workspace.readDownload': (input: HandlerInput<'workspace.readDownload'>) => transfer.read(input.downloadId, input.file, input.offset, input.length),
    'workspace.releaseDownload': (input: HandlerInput<'workspace.releaseDownload'>) => ({ released: transfer.release(input.downloadId) }),

    'workspace.licenses': () => ({ licenses: serviceLicenses() }),
  };
}
