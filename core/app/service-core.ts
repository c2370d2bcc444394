/**
 * What the service's first answers need of the application layer, without the mailbox's code: the store session
 * (SQLite or PostgreSQL), the machine settings, the technical log, heavy work in progress and the Übungsmodus. The
 * MailboxService (mailbox-service.ts: fetch engine, trust lists, hand-over, message views — most of the service's
 * modules) is built over one ServiceCore, so that `app.info`, `workspace.resume`, `store.status` and the store's
 * unlocking (the password's scrypt) run while those modules load (core/api/service-start.ts; issue 14, app start).
 */
import type { HandlerInput } from '../api/contract.js';
import type { StoreStatus } from '../api/contract/mailbox.js';
import type { PgSettings } from '../api/service-protocol.js';
import { loadConfig, type ResolvedConfig } from '../config/load-config.js';
import { mailboxError } from '../mailbox/errors.js';
import { StoreSession } from '../mailbox/store-session.js';
import { TechLog } from '../ops/tech-log.js';
import type { KeyProtector } from '../store/index.js';
import { HeavyWork, type InsideHeavyWorkHook } from './heavy-work.js';
import { OpenFlights, type OpenTicket } from './open-flights.js';
import { PgStoreSession } from './pg-session.js';
import { TrainingRunner, trainingUnavailable, type DemoStarter, type DemoWarmer } from './training.js';

/** A service composed without the demo (none today): the Übungsmodus says it cannot start. */
const noDemo: DemoStarter = () => Promise.reject(trainingUnavailable('no demo starter in this service'));

export interface ServiceCoreOptions {
  /** The data folder: the default store, the technical log, heavy work in progress, the Übungsmodus. */
  readonly dataDir: string;
  /** The host's OS key store (desktop app), where there is one. */
  readonly protector?: KeyProtector | undefined;
  /** The shared store on PostgreSQL instead of the embedded SQLite store (postfach serve, issue 13). */
  readonly postgresql?: PgSettings | undefined;
}

export interface ServiceCoreDeps {
  /** The machine settings (core/config); default: loaded once from policy and machine file. */
  readonly config?: () => Promise<ResolvedConfig>;
  /** Test-only: runs inside heavy work once it is recorded as in progress (heavy-work.ts); never set by the product. */
  readonly insideHeavyWork?: InsideHeavyWorkHook;
  /** The Übungsmodus's demo mailbox (app/, loaded on first use) and, optionally, its keys made ahead. */
  readonly startDemo?: DemoStarter;
  readonly warmDemo?: DemoWarmer;
}

export class ServiceCore {
  readonly session: StoreSession;
  /** The shared store on PostgreSQL, when the service is configured for it (else the SQLite store of `session`). */
  readonly pg: PgStoreSession | undefined;
  /** Heavy work on a message: recorded as in progress, refused where it brought the service down before. */
  readonly heavy: HeavyWork;
  readonly log: TechLog;
  /** The Übungsmodus: at most one demo mailbox, its store opened through `openStore` like any other. */
  readonly training: TrainingRunner;
  /** The opens under way, from `store.open`'s start until its second half ended: what a fetch waits for. */
  readonly opens = new OpenFlights();
  private configLoaded: Promise<ResolvedConfig> | undefined;
  private loadedConfig: ResolvedConfig | undefined;

  constructor(
    options: ServiceCoreOptions,
    private readonly deps: ServiceCoreDeps = {},
  ) {
    this.session = new StoreSession({ dataDir: options.dataDir, ...(options.protector ? { protector: options.protector } : {}) });
    this.pg = options.postgresql === undefined ? undefined : new PgStoreSession(options.postgresql);
    this.heavy = new HeavyWork(options.dataDir, deps.insideHeavyWork);
    this.log = new TechLog(options.dataDir);
    this.training = new TrainingRunner(options.dataDir, deps.startDemo ?? noDemo, undefined, deps.warmDemo);
  }

  /** The machine settings, loaded on first use (policy, machine file); they apply to every identity used. */
  readonly config = async (): Promise<ResolvedConfig> => {
    if (this.configLoaded === undefined) {
      this.configLoaded = (this.deps.config ?? (() => loadConfig()))();
      this.configLoaded.then(
        (c) => {
          this.log.write('info', 'config.loaded', { policy: c.origins.policy, machineFile: c.origins.machineFile, locked: Object.values(c.state).filter((x) => x.locked).length });
          for (const p of c.problems) this.log.write('warn', 'config.problem', { layer: p.layer, setting: p.setting ?? null, detail: p.detail });
        },
        () => undefined,
      );
    }
    this.loadedConfig = await this.configLoaded;
    this.session.setStoreFolder(this.loadedConfig.values.storeFolder);
    return this.loadedConfig;
  };

  /** The machine settings once loaded (undefined before the first `config()`). */
  get configNow(): ResolvedConfig | undefined {
    return this.loadedConfig;
  }

  async status(wanted?: string): Promise<StoreStatus> {
    await this.config();
    if (this.pg !== undefined) return this.pg.status();
    return this.session.status(wanted);
  }

  /**
   * The store's unlocking alone (the password's key derivation, the database key, the migrations check): the first
   * half of `store.open`, which MailboxService.storeOpened completes. On PostgreSQL the key file named in the
   * service's settings, whatever path the call names.
   */
  async unlock(input: HandlerInput<'store.open'>): Promise<OpenTicket> {
    // marked before the first await: a fetch sent beside store.open finds the open under way (open-flights.ts)
    const flight = this.opens.begin();
    try {
      await this.config();
      if (this.pg !== undefined) await this.pg.open(input.unlock);
      else {
        flight.setFile(this.session.resolvePath(input.path));
        await this.session.open(input.path, input.unlock);
      }
    } catch (error) {
      flight.end(error);
      throw error;
    }
    // ended by the open's second half (MailboxService.storeOpened) or by `lock`
    return flight;
  }

  /** Undoes `unlock` where `store.open` cannot be completed: the store closed again, its key out of memory. */
  async lock(open: OpenTicket): Promise<void> {
    open.end(mailboxError('store-not-open', 'store.open could not be completed: the store was locked again'));
    if (this.pg !== undefined) await this.pg.close();
    else this.session.close();
  }
}
