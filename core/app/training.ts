/**
 * The Übungsmodus as the workspace runs it: the demo mailbox (a local OSCI intermediary in the service, a test PKI,
 * synthetic applications waiting to be fetched, a store of its own) in `<data folder>/uebungsmodus/`. Started when
 * the caseworker chooses it and on every later start in that mode; its data stays between runs, so fetched
 * applications are still there and the intermediary only offers new ones.
 *
 * The demo itself is the application layer's `startDemoMailbox` (app/demo-mailbox.ts); it is passed in, so the
 * workspace does not depend on how the demo is built.
 *
 * Preparing a new demo costs seconds (RSA keys, a store, invented applications signed and encrypted as the
 * Sozialplattform does): every step is reported (`workspace.trainingProgress`), the mailbox opens once the first
 * TRAINING_FIRST_BATCH applications are at the intermediary, and the rest are sent in the background after that.
 * The keys, the largest part, may be made ahead while the first-start screen is read (`warmUp`).
 */
import path from 'node:path';
import type { TrainingPreparation } from '../api/contract/workspace.js';
import { trainingUnavailable, type PostfachError } from '../errors.js';

export interface DemoMailbox {
  /** The demo store (its mailbox identity is set up); closed, to be opened through `store.open`. */
  readonly storePath: string;
  /** Stays in the service: the renderer never sees it. */
  readonly unlock: { readonly password: string };
  readonly intermediaryUrl: string;
  /**
   * Sends the applications after the first batch, each after `before` settled; settles when they are at the
   * intermediary, never rejects (`error`).
   */
  sendRest(before?: () => Promise<void>): Promise<{ readonly error?: unknown }>;
  close(): Promise<void>;
}

export interface DemoStartOptions {
  /** Applications to send before the demo is handed over; the rest go in the background. */
  readonly firstBatch: number;
  readonly onProgress: (progress: Omit<TrainingPreparation, 'failed'>) => void;
  /**
   * Aborted by a stop that comes while the demo is still being prepared: the demo sends nothing after the
   * application on its way and the start rejects (app/demo-mailbox.ts `stoppedWhilePreparing`).
   */
  readonly signal?: AbortSignal;
}

export type DemoStarter = (dir: string, options: DemoStartOptions) => Promise<DemoMailbox>;
/** Makes what a new demo in `dir` needs first and costs most (its keys), without starting it. */
export type DemoWarmer = (dir: string) => Promise<void>;

/** How many invented applications are at the intermediary when the Übungsmodus opens (the rest follow). */
export const TRAINING_FIRST_BATCH = 2;

export const TRAINING_FOLDER = 'uebungsmodus';

export function trainingDir(dataDir: string): string {
  return path.join(dataDir, TRAINING_FOLDER);
}

/** The Übungsmodus's own „kann gerade nicht gestartet werden“ (in core/errors.ts: app/demo-mailbox.ts uses it too). */
export { trainingUnavailable } from '../errors.js';

/** A start that a stop overtook before its demo was handed over (the demo starter's own error, if it threw one, wins). */
const stoppedBeforeReady = (): PostfachError => trainingUnavailable('Übungsmodus start stopped before it was ready (a stop came first); nothing more is sent');

/** Where the preparation stands: each step while it runs; null once it ended (`ended` after the background part). */
export interface PreparationListener {
  progress(preparation: TrainingPreparation): void;
  ended(): void;
}

/** Keeps at most one demo mailbox running; a second start returns the running one. */
export class TrainingRunner {
  private running: DemoMailbox | undefined;
  private starting: Promise<DemoMailbox> | undefined;
  /** Aborts the preparation of `starting`: a stop wins over a start still being prepared. */
  private startAbort: AbortController | undefined;
  private preparing: TrainingPreparation | null = null;
  /** A stop waiting for its demo to close: a start meanwhile waits for it, so one folder never has two demos. */
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly startDemo: DemoStarter,
    private listener: PreparationListener = { progress: () => undefined, ended: () => undefined },
    private readonly warmDemo?: DemoWarmer,
  ) {}

  /**
   * While the first-start screen is read: make the demo's keys ahead, so choosing the Übungsmodus skips the slowest
   * step. Nothing is shown and nothing is lost if it fails: the start itself makes them then, and says what failed.
   */
  warmUp(): void {
    if (this.running !== undefined || this.starting !== undefined || this.warmDemo === undefined) return;
    this.warmDemo(trainingDir(this.dataDir)).catch(() => undefined);
  }

  /** Who is told where the preparation stands (the workspace area, through the service's events). */
  listen(listener: PreparationListener): void {
    this.listener = listener;
  }

  get current(): DemoMailbox | undefined {
    return this.running;
  }

  /** The step the preparation is at (also while the rest is sent in the background), or null. */
  get preparation(): TrainingPreparation | null {
    return this.preparing;
  }

  private report(preparation: TrainingPreparation): void {
    this.preparing = preparation;
    this.listener.progress(preparation);
  }

  async start(): Promise<DemoMailbox> {
    if (this.running) return this.running;
    if (this.starting !== undefined) return this.starting;
    const abort = new AbortController();
    const { signal } = abort;
    // a second tab, a reload, the UI's resume may ask while a stop still waits for the application on its way: the
    // demo started now would send it again (its list of what is owed is taken before the stopping one records it)
    const starting = this.afterStop(signal)
      .then(() => {
        if (signal.aborted) throw stoppedBeforeReady();
        return this.startDemo(trainingDir(this.dataDir), {
          firstBatch: TRAINING_FIRST_BATCH,
          signal,
          onProgress: (progress) => {
            // a stopped start reports nothing more: the stop has said the preparation is over
            if (!signal.aborted) this.report({ ...progress, failed: false });
          },
        });
      })
      .then(
        async (demo) => {
          if (signal.aborted) {
            // ready just as the stop came: the stop waits for this close before it answers
            await demo.close().catch(() => undefined);
            throw stoppedBeforeReady();
          }
          this.running = demo;
          this.starting = undefined;
          this.startAbort = undefined;
          return demo;
        },
        (error: unknown) => {
          if (this.starting === starting) {
            this.starting = undefined;
            this.startAbort = undefined;
            this.preparing = null;
          }
          throw error;
        },
      );
    this.starting = starting;
    this.startAbort = abort;
    return starting;
  }

  /**
   * The caller has opened the demo's store: now the rest of the applications, in the background (not before, so the
   * two do not compete for the processor), each after `idle` (a fetch that runs meanwhile ends first, quickly, with
   * what is there). Reports each; `ended` when all are there.
   */
  continueInBackground(idle?: () => Promise<void>): void {
    const demo = this.running;
    if (demo === undefined) return;
    void demo.sendRest(idle).then(({ error }) => {
      if (this.running !== demo) return; // left the Übungsmodus meanwhile
      if (this.preparing === null) return; // nothing was being prepared (a demo complete from an earlier start)
      if (error !== undefined) {
        this.report({ ...this.preparing, failed: true });
        return;
      }
      this.preparing = null;
      this.listener.ended();
    });
  }

  /**
   * Settles once no stop is closing a demo (also after several stops in turn) — or, for a start that a stop has
   * aborted meanwhile, at once: that stop waits for the start, the start must not wait for it.
   */
  private async afterStop(aborted?: AbortSignal): Promise<void> {
    while (this.stopping !== undefined && aborted?.aborted !== true) await this.stopping;
  }

  /**
   * Closes the running demo, and stops a start still being prepared: it sends nothing after the application on its
   * way and rejects; this settles only once it has ended, so after the stop's answer nothing more is sent.
   */
  async stop(): Promise<void> {
    const demo = this.running;
    const starting = this.starting;
    this.startAbort?.abort();
    this.running = undefined;
    this.starting = undefined;
    this.startAbort = undefined;
    this.preparing = null;
    if (demo === undefined && starting === undefined) return this.afterStop();
    const before = this.stopping;
    const closing = (async () => {
      await before;
      await starting?.catch(() => undefined);
      await demo?.close();
    })();
    const stopping: Promise<void> = closing
      .catch(() => undefined)
      .finally(() => {
        if (this.stopping === stopping) this.stopping = undefined;
      });
    this.stopping = stopping;
    return closing;
  }

  /**
   * At the service's end (its `shutdown`, service-runtime.ts bounds the wait): a demo being started is stopped like
   * the running one — the sending stops after the application on its way and the intermediary closes, so a normal
   * close leaves no intent open (a cut one is checked at the next start: demo-applications.ts).
   */
  async finish(): Promise<void> {
    await this.stop();
  }
}
