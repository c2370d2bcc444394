/**
 * Which mailbox the program works on — the real one or the Übungsmodus — and the last fetch for the status bar, as
 * the UI's area "workspace" asks for them (core/api/handlers/workspace.ts is thin over it); kept in workspace.json.
 *
 * The Übungsmodus store is opened through the MailboxService like any other store, so there is one store session in
 * the service, whichever mailbox it holds. Its preparation is reported also after the call that started it returned
 * (the background part): through the service's one event channel, kept from the last call that started it.
 */
import type { ServiceContext } from '../api/api-types.js';
import type { HandlerInput } from '../api/contract.js';
import type { StoreStatus } from '../api/contract/mailbox.js';
import type { WorkspaceState } from '../api/contract/workspace.js';
import { PostfachError } from '../errors.js';
import type { MailboxService } from './mailbox-service.js';
import { trainingUnavailable } from './training.js';
import type { WorkspaceFile } from './workspace-file.js';

/**
 * What the workspace uses of the mailbox: `workspace.resume` answers from the service's core before the
 * MailboxService's modules are loaded (core/api/service-start.ts), opening and closing a store wait for them.
 */
export type WorkspaceMailbox = Pick<MailboxService, 'training' | 'config' | 'status' | 'openStore' | 'closeStore' | 'fetchIdle'>;

const trainingNotOffered = (): PostfachError =>
  new PostfachError(
    'training-not-offered',
    { de: 'Ihre IT hat den Übungsmodus auf diesem PC abgeschaltet.', en: 'Your IT has switched the training mode off on this PC.' },
    'trainingModeOffered is false in the machine settings',
  );

/** A start that a stop overtook after its demo was handed over: the demo is closed, its store is not left open. */
const stoppedWhileOpening = (): PostfachError =>
  trainingUnavailable('Übungsmodus start stopped while its store was being opened (a stop came first); the store is closed, the demo too');

/** The state and the store after a change of mailbox. */
export interface WorkspaceSwitch {
  readonly state: WorkspaceState;
  readonly store: StoreStatus;
}

export class Workspace {
  private events: ServiceContext | undefined;
  /** Counts the stops: a start compares it before and after its steps, so a stop in between wins. */
  private stops = 0;
  /** Starts opening the demo's store now: a stop waits for them (they see it and close the store again). */
  private readonly opening = new Set<Promise<WorkspaceSwitch>>();
  /** A stop under way: a start waits for it. */
  private stopping: Promise<WorkspaceSwitch> | undefined;

  constructor(
    private readonly file: WorkspaceFile,
    private readonly mailbox: WorkspaceMailbox,
  ) {
    mailbox.training.listen({
      progress: (preparation) => this.events?.emit('workspace.trainingProgress', preparation),
      ended: () => this.events?.emit('workspace.changed', this.state()),
    });
  }

  state(): WorkspaceState {
    const data = this.file.get();
    const training = this.mailbox.training;
    return {
      mode: data.mode,
      trainingRunning: training.current !== undefined,
      trainingIntermediaryUrl: training.current?.intermediaryUrl ?? null,
      trainingPreparation: training.preparation,
      lastFetch: data.lastFetch,
      lastSuccessfulFetchAt: data.lastSuccessfulFetchAt,
    };
  }

  private changed(context: ServiceContext): WorkspaceState {
    const now = this.state();
    context.emit('workspace.changed', now);
    return now;
  }

  /** Whether IT offers the Übungsmodus on this PC (machine settings). */
  private async offered(): Promise<boolean> {
    return (await this.mailbox.config()).values.trainingModeOffered;
  }

  /** Back to the real mailbox where one exists at the default place, else to the first-start choice. */
  private async leaveTraining(): Promise<StoreStatus> {
    const real = await this.mailbox.status();
    this.file.update((current) => ({ ...current, mode: real.state === 'none' ? 'unset' : 'real', lastFetch: null, lastSuccessfulFetchAt: null }));
    return real;
  }

  async startTraining(context: ServiceContext): Promise<WorkspaceSwitch> {
    // a start while a stop runs (a second tab, a reload) begins after it: it would take the demo being closed
    while (this.stopping !== undefined) await this.stopping.catch(() => undefined);
    const stopsBefore = this.stops;
    if (!(await this.offered())) throw trainingNotOffered();
    // a stop while the settings were read: nothing started yet, nothing to undo (from here on the stop's own
    // TrainingRunner.stop reaches the demo this start begins)
    if (this.stops !== stopsBefore) throw stoppedWhileOpening();
    this.events = context;
    const training = this.mailbox.training;
    let demo;
    try {
      demo = await training.start();
    } catch (error) {
      if (error instanceof PostfachError) throw error;
      throw trainingUnavailable(`demo mailbox: ${error instanceof Error ? error.name : 'error'}`);
    }
    // a stop came after the demo was handed over, before its store was opened: that stop has closed the demo
    if (this.stops !== stopsBefore) throw stoppedWhileOpening();
    const opening = this.openDemo(demo, stopsBefore, context);
    this.opening.add(opening);
    try {
      return await opening;
    } finally {
      this.opening.delete(opening);
    }
  }

  /** The demo's store opened; a stop meanwhile (it waits for this) has it closed again and the start refused. */
  private async openDemo(
    demo: { readonly storePath: string; readonly unlock: { readonly password: string } },
    stopsBefore: number,
    context: ServiceContext,
  ): Promise<WorkspaceSwitch> {
    const store = await this.mailbox.openStore({ path: demo.storePath, unlock: demo.unlock }, context);
    if (this.stops !== stopsBefore) {
      await this.mailbox.closeStore(context);
      throw stoppedWhileOpening();
    }
    this.mailbox.training.continueInBackground(this.mailbox.fetchIdle);
    if (this.file.get().mode !== 'training') this.file.update((current) => ({ ...current, mode: 'training', lastFetch: null, lastSuccessfulFetchAt: null }));
    return { state: this.changed(context), store };
  }

  /**
   * Called once by the UI after it has loaded: in the Übungsmodus starts it again (unless IT switched it off since:
   * then back to the real mailbox, or to the first start); otherwise only answers — and while the first-start
   * choice is on screen (no store yet), the Übungsmodus's keys are made meanwhile, should it be chosen.
   */
  async resume(context: ServiceContext): Promise<WorkspaceSwitch> {
    const mode = this.file.get().mode;
    if (mode === 'training' && !(await this.offered())) {
      const real = await this.leaveTraining();
      return { state: this.state(), store: real };
    }
    if (mode === 'training') return this.startTraining(context);
    const store = await this.mailbox.status();
    // the first-start choice is on screen only where there is no store yet; beside the password form the keys'
    // making (about 1.5 s of CPU) would only slow down the opening of the mailbox
    if (mode === 'unset' && store.state === 'none' && (await this.offered())) this.mailbox.training.warmUp();
    return { state: this.state(), store };
  }

  async stopTraining(context: ServiceContext): Promise<WorkspaceSwitch> {
    this.stops += 1;
    const stopping = this.stopNow(context);
    this.stopping = stopping;
    try {
      return await stopping;
    } finally {
      if (this.stopping === stopping) this.stopping = undefined;
    }
  }

  private async stopNow(context: ServiceContext): Promise<WorkspaceSwitch> {
    // a start opening the demo's store sees this stop, closes that store again and ends: its store is not left open
    // on the intermediary closed below, nor the mode set to training after this answer
    await Promise.all([...this.opening].map((opening) => opening.catch(() => undefined)));
    if (this.mailbox.training.current !== undefined) await this.mailbox.closeStore(context);
    await this.mailbox.training.stop();
    const real = await this.leaveTraining();
    return { state: this.changed(context), store: real };
  }

  chooseReal(context: ServiceContext): WorkspaceState {
    this.file.update((current) => ({ ...current, mode: 'real' }));
    return this.changed(context);
  }

  /** How a fetch ended, for "Zuletzt abgerufen" in the status bar (kept across restarts). */
  recordFetch(input: HandlerInput<'workspace.recordFetch'>, context: ServiceContext): WorkspaceState {
    const at = new Date().toISOString();
    this.file.update((current) => ({
      ...current,
      lastFetch: { at, outcome: input.outcome, newMessages: input.newMessages, ...(input.errorKind === undefined ? {} : { errorKind: input.errorKind }) },
      lastSuccessfulFetchAt: input.outcome === 'complete' ? at : current.lastSuccessfulFetchAt,
    }));
    return this.changed(context);
  }
}
