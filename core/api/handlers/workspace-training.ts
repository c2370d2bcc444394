/**
 * The Übungsmodus as the workspace runs it: the demo mailbox (a local OSCI intermediary in the service, a test PKI,
 * synthetic applications waiting to be fetched, a store of its own) in `<data folder>/uebungsmodus/`. Started when
 * the caseworker chooses it and on every later start in that mode; its data stays between runs, so fetched
 * applications are still there and the intermediary only offers new ones.
 *
 * The demo itself is the application layer's `startDemoMailbox` (app/demo-mailbox.ts); it is passed in, so the
 * workspace does not depend on how the demo is built.
 */
import path from 'node:path';
import { PostfachError } from '../../errors.js';

export interface DemoMailbox {
  /** The demo store (its mailbox identity is set up); closed, to be opened through `store.open`. */
  readonly storePath: string;
  /** Stays in the service: the renderer never sees it. */
  readonly unlock: { readonly password: string };
  readonly intermediaryUrl: string;
  close(): Promise<void>;
}

export type DemoStarter = (dir: string) => Promise<DemoMailbox>;

export const TRAINING_FOLDER = 'uebungsmodus';

export function trainingDir(dataDir: string): string {
  return path.join(dataDir, TRAINING_FOLDER);
}

export const trainingUnavailable = (detail: string): PostfachError =>
  new PostfachError(
    'training-unavailable',
    {
      de: 'Der Übungsmodus kann gerade nicht gestartet werden. Bitte das Programm neu starten; hilft das nicht, die IT fragen.',
      en: 'The training mode cannot be started right now. Please restart the program; if that does not help, ask IT support.',
    },
    detail,
  );

/** Keeps at most one demo mailbox running; a second start returns the running one. */
export class TrainingRunner {
  private running: DemoMailbox | undefined;
  private starting: Promise<DemoMailbox> | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly startDemo: DemoStarter,
  ) {}

  get current(): DemoMailbox | undefined {
    return this.running;
  }

  async start(): Promise<DemoMailbox> {
    if (this.running) return this.running;
    this.starting ??= this.startDemo(trainingDir(this.dataDir)).then(
      (demo) => {
        this.running = demo;
        this.starting = undefined;
        return demo;
      },
      (error: unknown) => {
        this.starting = undefined;
        throw error;
      },
    );
    return this.starting;
  }

  async stop(): Promise<void> {
    const demo = this.running;
    this.running = undefined;
    await demo?.close();
  }
}
