/**
 * `postfach demo` in the service (contract area "demo"): the demo mailbox in the service's data folder, every
 * application it owes sent before it answers, its store opened through the MailboxService like any other store
 * (the password stays in the service), its local intermediary kept running until `stop` or the end of the service.
 *
 * The command line's only: the service of the desktop app or of `postfach serve` refuses it — their data folder
 * holds the real store, and they have the Übungsmodus (training.ts), which prepares a demo of its own in a folder
 * of its own. The demo itself is passed in (core/api/service.ts loads app/demo-mailbox.ts on first use), as for the
 * Übungsmodus, so this layer does not depend on how the demo is built.
 */
import type { ServiceContext } from '../api/api-types.js';
import type { DemoStarted } from '../api/contract/demo.js';
import type { StoreStatus } from '../api/contract/mailbox.js';
import type { ServiceOptions } from '../api/service-protocol.js';
import type { MailboxService } from './mailbox-service.js';
import { trainingUnavailable } from './training.js';

/** What `postfach demo` needs of a started demo mailbox (app/demo-mailbox.ts). */
export interface DemoFolder {
  readonly dir: string;
  /** The demo store (identity set up); closed until opened here. */
  readonly storePath: string;
  readonly unlock: { readonly password: string };
  readonly intermediaryUrl: string;
  readonly pkiDir: string;
  readonly passwordFile: string;
  readonly recoveryKeyFile: string | undefined;
  readonly intermediaryDir: string;
  readonly created: boolean;
  /** What this start sent. */
  readonly sent: readonly { readonly messageId: string }[];
  /** What this start found at the intermediary by an intent left open (recorded as sent, not sent again). */
  readonly found: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts the demo in a folder with every application it owes sent (none held back for later); `signal`: a stop
 * while it is still being prepared (the start then ends with an error, nothing more sent).
 */
export type DemoFolderStarter = (dir: string, signal: AbortSignal) => Promise<DemoFolder>;

/** At most one demo per service; a second start takes the running one. */
export class DemoCommand {
  private running: Promise<DemoFolder> | undefined;
  /** Aborts the running start's preparation (its sending), for a stop that comes before it is ready. */
  private abort: AbortController | undefined;
  /** Starts opening the demo store now: a stop waits for them. */
  private readonly opening = new Set<Promise<StoreStatus>>();

  constructor(
    private readonly options: Pick<ServiceOptions, 'dataDir' | 'host'>,
    private readonly startDemo: DemoFolderStarter,
    private readonly mailbox: MailboxService,
  ) {}

  async start(context: ServiceContext): Promise<DemoStarted> {
    if (this.options.host !== 'cli') throw trainingUnavailable(`demo.start in the service of host ${this.options.host}: the command line's only`);
    if (this.running === undefined) {
      this.abort = new AbortController();
      this.running = this.startDemo(this.options.dataDir, this.abort.signal);
    }
    const starting = this.running;
    let demo: DemoFolder;
    try {
      demo = await starting;
    } catch (error) {
      if (this.running === starting) this.running = undefined;
      throw error;
    }
    // a stop came between the demo's readiness and here: it closes the demo; its store is not opened
    if (this.running !== starting) throw trainingUnavailable('demo.start overtaken by demo.stop: the demo is closed');
    // a demo like the Übungsmodus: IT's intermediary, proxy, trusted CAs and hand-over folder are for the real mailbox
    this.mailbox.treatAsDemo(demo.storePath);
    const opening = this.openDemoStore(demo, starting, context);
    this.opening.add(opening);
    let store: StoreStatus;
    try {
      store = await opening;
    } finally {
      this.opening.delete(opening);
    }
    return {
      dir: demo.dir,
      store,
      storePasswordFile: demo.passwordFile,
      recoveryKeyFile: demo.recoveryKeyFile ?? null,
      pkiDir: demo.pkiDir,
      intermediaryDir: demo.intermediaryDir,
      intermediaryUrl: demo.intermediaryUrl,
      created: demo.created,
      sent: demo.sent.map((s) => s.messageId),
      found: [...demo.found],
    };
  }

  /** The demo store opened; a stop meanwhile (it waits for this) has it closed again and the start refused. */
  private async openDemoStore(demo: DemoFolder, starting: Promise<DemoFolder>, context: ServiceContext): Promise<StoreStatus> {
    const store = await this.mailbox.openStore({ path: demo.storePath, unlock: demo.unlock }, context);
    if (this.running !== starting) {
      await this.mailbox.closeStore(context);
      throw trainingUnavailable('demo.start overtaken by demo.stop while its store was being opened: the store is closed again, the demo too');
    }
    return store;
  }

  /**
   * Stops the intermediary (after the application on its way); false when no start was made (or it was already
   * stopped), true otherwise — also when that start had failed on its own. A start still being prepared is stopped
   * too: it sends nothing after its application on its way, and this answers only once it has ended.
   */
  async stop(): Promise<boolean> {
    const running = this.running;
    this.running = undefined;
    this.abort?.abort();
    this.abort = undefined;
    if (running === undefined) return false;
    // a start stopped while being prepared ends with an error and closes its intermediary itself
    const demo = await running.catch(() => undefined);
    // a start opening the demo store sees this stop and closes the store again: this answers only after that, so
    // no start answers "running" after the stop did
    await Promise.all([...this.opening].map((opening) => opening.catch(() => undefined)));
    await demo?.close();
    return true;
  }
}
