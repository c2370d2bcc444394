/**
 * The application layer of the service: one MailboxService owns what the contract's handlers share between calls —
 * the store session, the machine settings, the technical log, the views read, heavy work, the mailbox identity
 * once loaded, the one running fetch (the fetch lock) and whether the open store is the Übungsmodus's. The handlers
 * (core/api/handlers/*) are thin over it: they take the contract's input, call one method, and map the result to
 * the contract's DTO. Every use of the store goes through `store()` (and `session`), so that another store behind
 * an interface can slot in at one place.
 */
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { ServiceContext } from '../api/api-types.js';
import type { HandlerInput, MethodName } from '../api/contract.js';
import type { FetchResult, StoreStatus } from '../api/contract/mailbox.js';
import { assertUnlocked, type ResolvedConfig } from '../config/load-config.js';
import { toPostfachError } from '../errors.js';
import { importCodeListFolder, type FolderImport } from '../mailbox/code-lists.js';
import { mailboxError } from '../mailbox/errors.js';
import { runFetch, startFirstDelivery, testConnection, type FirstDelivery } from '../mailbox/fetch-engine.js';
import {
  connectionRecord,
  identityFromFiles,
  identityFromRecord,
  identityRecord,
  keyExpiry,
  retiredKeyEntry,
  updatedConnection,
  type MailboxIdentity,
} from '../mailbox/identity.js';
import { checkKeyPolicy } from '../mailbox/key-policy.js';
import { ViewCache, type ViewSettings } from '../mailbox/message-detail.js';
import { startNameBackfill, type Backfill } from '../mailbox/name-backfill.js';
import { identityUnderPolicy, networkSettings } from '../mailbox/policy-connection.js';
import type { StoreSession } from '../mailbox/store-session.js';
import { assertOfficeListOpen, evaluationFor, readCaFile, reevaluateIfChanged, trustedCaList, withTrustAnchors, type TrustedCaList } from '../mailbox/trusted-cas.js';
import type { PostFunction } from '../osci/client/dialog.js';
import type { TechLog } from '../ops/tech-log.js';
import { PostfachStore, SqliteMailboxStore, type KeyProtector, type ReevaluationCount, type ServiceStore } from '../store/index.js';
import type { PgSettings } from '../api/service-protocol.js';
import type { PgStoreSession } from './pg-session.js';
import { readKeyFile } from '../store/key-file.js';
import { assertNoServiceElsewhere } from '../store/serve-lock.js';
import type { HeavyWork } from './heavy-work.js';
import { handoverService, type HandoverService } from './handover-runner.js';
import type { OpenFlight, OpenTicket } from './open-flights.js';
import { ServiceCore, type ServiceCoreDeps } from './service-core.js';
import { TRAINING_FOLDER, type TrainingRunner } from './training.js';

type In<M extends MethodName> = HandlerInput<M>;

/** What a fetch with a one-off identity prepared while the store was opened (MailboxService `firstWhileOpening`). */
interface EarlyFetch {
  readonly first: FirstDelivery;
  /** The key files and `--trusted-ca` CAs as read then: taken by the fetch, not read a second time. */
  readonly files: MailboxIdentity;
  readonly cas: X509Certificate[];
}

/**
 * The CA files of a set-up (or of `fetch --trusted-ca`), read and checked before anything is written: CA
 * certificates only; refused while IT fixed the list. DER of each CA.
 */
function setupCas(files: readonly string[] | undefined, config: ResolvedConfig | undefined): Buffer[] {
  if (files === undefined || files.length === 0) return [];
  assertOfficeListOpen(trustedCaList([], config));
  return files.flatMap((file) => readCaFile(file).cas.map((c) => c.raw));
}

export interface MailboxDeps extends ServiceCoreDeps {
  /**
   * A transport in place of Node's HTTP (the desktop app's Electron net: system proxy with NTLM/Kerberos, the Windows
   * certificate store). It may answer undefined — with extra TLS CAs (Chromium's network cannot take CAs per request)
   * or a proxy mode other than `system` — and Node's HTTP (system store + those CAs, the configured proxy) is used.
   */
  readonly transport?: (connection: { url: string; timeoutMs: number; tlsCas: readonly X509Certificate[]; proxyMode: string }) => PostFunction | undefined;
  /** The caseworker's settings that change how a message is written (name order); default "Nachname, Vorname". */
  readonly viewSettings?: () => Promise<ViewSettings>;
}

export interface MailboxServiceOptions {
  /** The data folder: the default store, the technical log, heavy work in progress, the Übungsmodus. */
  readonly dataDir: string;
  /** The host's OS key store (desktop app), where there is one. */
  readonly protector?: KeyProtector | undefined;
  /** The program's version, written into each hand-over manifest. */
  readonly appVersion: string;
  /** A command-line process ends after its one command: it hands over in `fetch`/`handover`, not in the background. */
  readonly resumeHandoverAtOpen: boolean;
  /** The shared store on PostgreSQL instead of the embedded SQLite store (postfach serve, issue 13). */
  readonly postgresql?: PgSettings | undefined;
}

export class MailboxService {
  readonly session: StoreSession;
  readonly views = new ViewCache();
  /** Heavy work on a message: recorded as in progress, refused where it brought the service down before. */
  readonly heavy: HeavyWork;
  readonly log: TechLog;
  /** The Übungsmodus: at most one demo mailbox, its store opened through `openStore` like any other. */
  readonly training: TrainingRunner;
  /** The hand-over folder for the case system (core/handover/): one run at a time, never in the Übungsmodus. */
  readonly handover: HandoverService;
  /** The shared store on PostgreSQL, when the service is configured for it (else the SQLite store of `session`). */
  readonly pg: PgStoreSession | undefined;
  private sqliteAdapter: SqliteMailboxStore | undefined;
  private identity: MailboxIdentity | undefined;
  /** PostgreSQL: the identity row's stamp when `identity` was read (another service may rotate the key meanwhile). */
  private identityStamp: string | undefined;
  /** The fetch lock: the one running fetch, if any. */
  private running: AbortController | undefined;
  // the running fetch's end, for those who wait until no fetch runs (fetchIdle)
  private fetchFinished: Promise<void> = Promise.resolve();
  private fetchEnded: (() => void) | undefined;
  private backfill: Backfill | undefined;
  private folderImport: FolderImport | undefined;
  /** One re-evaluation at a time: two runs over the same deliveries with different sets would leave them mixed. */
  private trustWork: Promise<unknown> = Promise.resolve();
  /** Demo stores besides the Übungsmodus's (`treatAsDemo`). */
  private readonly demoStores = new Set<string>();
  /** A first delivery being fetched while the store opens (one at a time; `firstWhileOpening`). */
  private earlyUnderWay = false;

  /** The machine settings, loaded on first use (policy, machine file); they apply to every identity used. */
  readonly config: () => Promise<ResolvedConfig>;

  /**
   * `core`: the session, settings, log and Übungsmodus the service's first answers already use
   * (core/api/service-start.ts); by default one of its own.
   */
  constructor(
    private readonly options: MailboxServiceOptions,
    private readonly deps: MailboxDeps = {},
    private readonly core: ServiceCore = new ServiceCore(options, deps),
  ) {
    this.session = core.session;
    this.pg = core.pg;
    this.heavy = core.heavy;
    this.log = core.log;
    this.training = core.training;
    this.config = core.config;
    this.handover = handoverService({
      config: this.config,
      store: () => this.serviceStore(),
      inTraining: () => this.inTraining(),
      views: this.views,
      heavy: this.heavy,
      log: this.log,
      appVersion: options.appVersion,
      resumeAtOpen: options.resumeHandoverAtOpen,
    });
  }

  /** The machine settings once loaded. */
  private get configNow(): ResolvedConfig | undefined {
    return this.core.configNow;
  }

  /**
   * The open embedded SQLite store, or `store-not-open` — also when the service works on PostgreSQL: what is not
   * yet behind the asynchronous interface (see serviceStore) runs on SQLite only.
   */
  store(): PostfachStore {
    return this.session.require();
  }

  /**
   * The store factory: the open store behind the asynchronous interface — the PostgreSQL store when the service is
   * configured for it, else the SQLite store of the session — or `store-not-open`. The fetch, the identity, the
   * trusted CAs and the code lists reach the store only through it.
   */
  serviceStore(): ServiceStore {
    if (this.pg !== undefined) return this.pg.require();
    const s = this.session.require();
    if (this.sqliteAdapter?.store !== s) this.sqliteAdapter = new SqliteMailboxStore(s);
    return this.sqliteAdapter;
  }

  /** The service works on the shared store on PostgreSQL. */
  onPostgres(): boolean {
    return this.pg !== undefined;
  }

  /** The settings that change how a view is written, read before each view. */
  async applyViewSettings(): Promise<void> {
    this.views.settings = this.deps.viewSettings ? await this.deps.viewSettings() : { familyNameFirst: true };
  }

  /**
   * The open store is a demo store: the Übungsmodus's (`<data folder>/uebungsmodus/`) or one `postfach demo` set up
   * (`treatAsDemo`). IT's settings are for the real mailbox: a demo fetches from its own local intermediary, directly,
   * trusts its own CA and hands nothing over to the case system.
   */
  inTraining(): boolean {
    const database = this.session.store?.paths.database;
    if (database === undefined) return false;
    return database.startsWith(path.join(path.resolve(this.options.dataDir), TRAINING_FOLDER) + path.sep) || this.demoStores.has(path.resolve(database));
  }

  /** `postfach demo`'s store (core/app/demo-command.ts), to be treated as the Übungsmodus's once it is open. */
  treatAsDemo(database: string): void {
    this.demoStores.add(path.resolve(database));
  }

  /** What the policy folder of code lists gave at the last opening of the store (undefined: no folder set). */
  codeListFolder(): FolderImport | undefined {
    return this.folderImport;
  }

  // ---- the store ----

  status(wanted?: string): Promise<StoreStatus> {
    return this.core.status(wanted);
  }

  /** store.create on PostgreSQL: the key file with the password, then the identity and its CAs in the database. */
  private async createPgStore(pg: PgStoreSession, input: In<'store.create'>, context: ServiceContext): Promise<{ status: StoreStatus; recoveryKey: string }> {
    if (input.password === undefined) {
      throw mailboxError('identity-invalid', 'store.create on PostgreSQL without password', {
        text: { de: 'Für den Postfachschlüssel des Dienstes ist ein Passwort nötig.', en: 'The service’s mailbox key needs a password.' },
      });
    }
    const c = await this.config();
    let recoveryKey = '';
    if (input.identity === undefined && input.path !== undefined && PostfachStore.exists(input.path)) {
      // the move from one PC to the team: the single-PC store's key, identity, CAs and code lists are taken over
      await this.adoptSingleStore(pg, input.path, input.password);
    } else {
      const setUp = input.identity === undefined ? undefined : identityFromFiles(input.identity);
      if (setUp) checkKeyPolicy(setUp, c);
      const setUpCas = setupCas(input.identity?.trustedCaFiles, c);
      const created = await pg.create(input.password, async (s) => {
        if (setUp) await s.saveMailboxIdentity(identityRecord(setUp));
        if (setUpCas.length > 0) await s.addTrustedCas(setUpCas, 'setup');
      });
      recoveryKey = created.recoveryKey;
    }
    await this.applyRetentionPolicy(c);
    await this.reevaluateStored(context);
    await this.afterOpen(c);
    this.identity = undefined;
    this.views.clear();
    const status = await pg.status();
    context.emit('store.changed', status);
    return { status, recoveryKey };
  }

  /** Opens the single-PC store with its password, copies what the service needs into PostgreSQL, closes it again. */
  private async adoptSingleStore(pg: PgStoreSession, file: string, password: string): Promise<void> {
    const single = await this.session.open(file, { password });
    try {
      const record = single.readMailboxIdentity();
      if (record === undefined) throw mailboxError('identity-missing', 'the single-PC store to take over has no mailbox identity');
      const cas = single.trustedCas();
      const lists = single.codeLists();
      await pg.adopt(readKeyFile(single.paths.keyFile), password, async (s) => {
        await s.saveMailboxIdentity(record);
        // each with its origin, as the single-PC store recorded it
        for (const ca of cas) await s.addTrustedCas([ca.certificate], ca.origin);
        for (const { importedAt: _at, ...list } of lists) await s.saveCodeList(list);
      });
      this.log.write('info', 'store.adopted', { backend: 'postgresql', cas: cas.length, codeLists: lists.length });
    } finally {
      this.session.close();
    }
  }

  async createStore(input: In<'store.create'>, context: ServiceContext): Promise<{ status: StoreStatus; recoveryKey: string }> {
    if (input.password === undefined && input.protector !== true) {
      throw mailboxError('identity-invalid', 'store.create without password and without protector', {
        text: {
          de: 'Für den Datenspeicher ist ein Passwort oder der Schlüsselspeicher des Betriebssystems nötig.',
          en: 'The data store needs a password or the operating system’s key store.',
        },
      });
    }
    if (this.pg !== undefined) return this.createPgStore(this.pg, input, context);
    const c = await this.config();
    // a set-up: the key files, the connection and the CA files are read and checked before anything is written
    const setUp = input.identity === undefined ? undefined : identityFromFiles(input.identity);
    if (setUp) checkKeyPolicy(setUp, c);
    const setUpCas = setupCas(input.identity?.trustedCaFiles, c);
    const created = await this.session.create(
      input.path,
      {
        ...(input.password === undefined ? {} : { password: input.password }),
        ...(input.protector === undefined ? {} : { protector: input.protector }),
      },
      setUp
        ? async (s) => {
            s.saveMailboxIdentity(identityRecord(setUp));
            if (setUpCas.length > 0) {
              s.addTrustedCas(setUpCas, 'setup');
              await s.reevaluateTrust(evaluationFor(s.trustedCas(), c, setUp.chain), 'ca-added');
            }
          }
        : undefined,
    );
    await this.applyRetentionPolicy(c);
    await this.reevaluateStored(context);
    await this.afterOpen(c);
    return { status: this.storeChanged(context), recoveryKey: created.recoveryKey };
  }

  async openStore(input: In<'store.open'>, context: ServiceContext): Promise<StoreStatus> {
    const open = await this.core.unlock(input);
    return this.storeOpened(input, context, open);
  }

  /**
   * The second half of `store.open`, once ServiceCore.unlock opened the session: IT's retention values, the stored
   * deliveries judged again where the CAs changed, the code-list folder, hand-over and name backfill, the UI told.
   */
  async storeOpened(input: In<'store.open'>, context: ServiceContext, open: OpenTicket): Promise<StoreStatus> {
    // the open is under way until all of this has ended (core/app/open-flights.ts): a fetch waits for it
    try {
      const status = await this.completeOpen(input, context);
      open.end();
      return status;
    } catch (error) {
      open.end(error);
      throw error;
    }
  }

  private async completeOpen(input: In<'store.open'>, context: ServiceContext): Promise<StoreStatus> {
    const c = await this.config();
    if (this.pg !== undefined) {
      await this.applyRetentionPolicy(c);
      await this.reevaluateStored(context);
      await this.afterOpen(c);
      this.log.write('info', 'store.opened', { way: 'password' in input.unlock ? 'password' : 'recovery-key', backend: 'postgresql' });
      this.identity = undefined;
      this.views.clear();
      const status = await this.pg.status();
      context.emit('store.changed', status);
      return status;
    }
    await this.applyRetentionPolicy(c);
    await this.reevaluateStored(context);
    await this.afterOpen(c);
    this.log.write('info', 'store.opened', { way: 'password' in input.unlock ? 'password' : 'recoveryKey' in input.unlock ? 'recovery-key' : 'os-key-store' });
    return this.storeChanged(context);
  }

  closeStore(context: ServiceContext): StoreStatus | Promise<StoreStatus> {
    this.running?.abort();
    this.backfill?.stop();
    if (this.pg !== undefined) {
      const pg = this.pg;
      return pg.close().then(async () => {
        this.identity = undefined;
        this.views.clear();
        const status = await pg.status();
        context.emit('store.changed', status);
        return status;
      });
    }
    this.session.close();
    return this.storeChanged(context);
  }

  /** The store changed (opened, closed, switched): identity and views forgotten, the UI told. */
  storeChanged(context: ServiceContext): StoreStatus {
    this.identity = undefined;
    this.views.clear();
    const status = this.session.status();
    context.emit('store.changed', status);
    return status;
  }

  /**
   * After a store opened: the code lists of the policy folder are checked and taken over (a broken file is named
   * in the technical log and in Settings, the others are kept), and rows stored before the names were kept in
   * their parts are read again in the background.
   */
  private async afterOpen(c: ResolvedConfig): Promise<void> {
    this.folderImport = undefined;
    if (c.values.codeListFolder !== undefined) {
      this.folderImport = await importCodeListFolder(this.serviceStore(), c.values.codeListFolder);
      const changed = this.folderImport.imported.filter((f) => f.result !== 'unchanged').length;
      this.log.write('info', 'codelists.folder', { imported: this.folderImport.imported.length, changed, refused: this.folderImport.refused.length });
      for (const r of this.folderImport.refused) this.log.write('warn', 'codelists.refused', { kind: r.kind, detail: r.detail.slice(0, 500) });
    }
    // what a stopped run left pending is handed over now (in the background; runs are serialized), on both backends
    this.handover.resume();
    // SQLite only: the name backfill — rows with guessed name parts (migration 9) exist only there; PostgreSQL keeps
    // every row as saveDelivery wrote it (tests/store/contract/trust-and-audit.test.ts)
    if (this.pg !== undefined) return;
    this.backfill?.stop();
    this.backfill = startNameBackfill(this.store());
  }

  /** Retention values IT fixed are written into the store when it opens (audited there as a settings change). */
  private async applyRetentionPolicy(c: ResolvedConfig): Promise<void> {
    if (this.pg === undefined && this.session.store === undefined) return;
    const s = this.serviceStore();
    const current = await s.getSettings();
    const patch: { retentionTransferredDays?: number; retentionTrashDays?: number } = {};
    if (c.state.retentionTransferredDays.locked && current.retentionTransferredDays !== c.values.retentionTransferredDays)
      patch.retentionTransferredDays = c.values.retentionTransferredDays;
    if (c.state.retentionTrashDays.locked && current.retentionTrashDays !== c.values.retentionTrashDays) patch.retentionTrashDays = c.values.retentionTrashDays;
    if (Object.keys(patch).length > 0) await s.updateSettings(patch);
  }

  async updateRetention(input: In<'retention.updateSettings'>) {
    const c = await this.config();
    if (input.retentionTransferredDays !== undefined) assertUnlocked(c, 'retentionTransferredDays');
    if (input.retentionTrashDays !== undefined) assertUnlocked(c, 'retentionTrashDays');
    return this.serviceStore().updateSettings(input);
  }

  // ---- the identity ----

  /** The mailbox identity of the store (with IT's connection values and the trusted CAs), read once. */
  storedIdentity(): MailboxIdentity {
    if (this.identity) return this.identity;
    const record = this.store().readMailboxIdentity();
    if (record === undefined) throw mailboxError('identity-missing', 'no mailbox identity in the store');
    const retired = this.store().retiredKeys().map(retiredKeyEntry);
    const own = { ...identityFromRecord(record), ...(retired.length > 0 ? { previousCipherKeys: retired } : {}) };
    // the Übungsmodus mailbox keeps its own local intermediary: IT's connection settings are for the real one
    this.identity = this.withTrust(this.inTraining() ? own : identityUnderPolicy(own, this.configNow));
    return this.identity;
  }

  /** The office time zone of the settings loaded (before they are: the default of core/time). */
  officeTimeZone(): string | undefined {
    return this.configNow?.values.officeTimeZone;
  }

  /** The identity of the store, undefined where none is set up. */
  async identityIfAny(): Promise<MailboxIdentity | undefined> {
    await this.config();
    if (this.pg !== undefined) return (await this.pg.require().hasMailboxIdentity()) ? this.loadIdentity() : undefined;
    return this.store().hasMailboxIdentity() ? this.storedIdentity() : undefined;
  }

  /**
   * The mailbox identity through the store factory (both backends): on SQLite the same as storedIdentity; on
   * PostgreSQL read from its sealed row with the retired keys of earlier rotations and the office's CAs there.
   */
  async loadIdentity(): Promise<MailboxIdentity> {
    if (this.pg === undefined) return this.storedIdentity();
    const shared = this.pg.require();
    // a key rotation by another service on the same database: read again, else this one fetched the old mailbox on
    const stamp = await shared.identityStamp();
    if (this.identity && stamp === this.identityStamp) return this.identity;
    this.identityStamp = stamp;
    const record = await shared.readMailboxIdentity();
    if (record === undefined) throw mailboxError('identity-missing', 'no mailbox identity in the store');
    const retired = (await shared.retiredKeys()).map(retiredKeyEntry);
    const own = { ...identityFromRecord(record), ...(retired.length > 0 ? { previousCipherKeys: retired } : {}) };
    this.identity = withTrustAnchors(identityUnderPolicy(own, this.configNow), await this.trustListOfStore());
    return this.identity;
  }

  /** The trusted CAs in force, read through the store factory (both backends). */
  private async trustListOfStore(): Promise<TrustedCaList> {
    return trustedCaList(await this.serviceStore().trustedCas(), this.trustConfig());
  }

  async setUpIdentity(input: In<'identity.setup'>, context: ServiceContext): Promise<MailboxIdentity> {
    const c = await this.config();
    const loaded = identityFromFiles(input);
    checkKeyPolicy(loaded, c);
    const cas = setupCas(input.trustedCaFiles, this.inTraining() ? undefined : c);
    if (this.pg !== undefined) {
      const shared = this.pg.require();
      await shared.saveMailboxIdentity(identityRecord(loaded));
      if (cas.length > 0) await shared.addTrustedCas(cas, 'setup');
      this.identity = undefined;
      this.views.clear();
      context.emit('store.changed', await this.pg.status());
      return this.loadIdentity();
    }
    const s = this.store();
    s.saveMailboxIdentity(identityRecord(loaded));
    if (cas.length > 0) {
      s.addTrustedCas(cas, 'setup');
      await this.reevaluateNow('ca-added', context);
    }
    this.identity = undefined;
    this.views.clear();
    context.emit('store.changed', this.session.status());
    return this.storedIdentity();
  }

  async updateConnection(input: In<'identity.updateConnection'>): Promise<MailboxIdentity> {
    const c = await this.config();
    if (input.intermediaryUrl !== undefined) assertUnlocked(c, 'intermediaryUrl');
    if (input.intermediaryCertificateFile !== undefined) assertUnlocked(c, 'intermediaryCertificateFile');
    if (input.intermediarySignerFiles !== undefined) assertUnlocked(c, 'intermediarySignerFiles');
    const next = updatedConnection((await this.loadIdentity()).connection, input);
    await this.serviceStore().updateMailboxConnection(connectionRecord(next));
    this.identity = undefined;
    return this.loadIdentity();
  }

  /** The identity changed in the store (rotation): read it again next time. */
  forgetIdentity(): void {
    this.identity = undefined;
  }

  /** The machine settings applied to an identity (locked connection values, the trusted CAs). */
  adapt = (identity: MailboxIdentity): MailboxIdentity => this.withTrust(identityUnderPolicy(identity, this.configNow));

  /** The same through the store factory (both backends): the trusted CAs read from the store in use. */
  adaptShared = async (identity: MailboxIdentity): Promise<MailboxIdentity> =>
    this.pg === undefined ? this.adapt(identity) : withTrustAnchors(identityUnderPolicy(identity, this.configNow), await this.trustListOfStore());

  // ---- trust ----

  /** IT's settings as they apply to trust: none in the Übungsmodus (its demo CA must count whatever IT fixed). */
  private trustConfig(): ResolvedConfig | undefined {
    return this.inTraining() ? undefined : this.configNow;
  }
  private trustListNow(): TrustedCaList {
    return trustedCaList(this.store().trustedCas(), this.trustConfig());
  }
  /** Certificates that may complete a sender's chain: those of the mailbox's own key files. */
  private async chainOf(s: ServiceStore): Promise<X509Certificate[]> {
    return ((await s.readMailboxIdentity())?.chainCertificates ?? []).map((der) => new X509Certificate(der));
  }
  private withTrust(using: MailboxIdentity): MailboxIdentity {
    return withTrustAnchors(using, this.trustListNow());
  }
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.trustWork.then(work, work);
    this.trustWork = next.catch(() => undefined);
    return next;
  }

  /** The trusted sender CAs of the open store with IT's (none of IT's in the Übungsmodus). */
  async trustList(): Promise<TrustedCaList> {
    await this.config();
    return this.trustListOfStore();
  }

  /** The stored deliveries judged again under the CAs now in force, when they are not those last judged with. */
  private async reevaluateStored(context?: ServiceContext): Promise<void> {
    const counted = await this.serialized(async () => {
      const s = this.serviceStore();
      return reevaluateIfChanged(s, await this.trustListOfStore(), await this.chainOf(s));
    });
    if (counted === undefined) return;
    this.log.write('info', 'trust.reevaluated', { reason: 'ca-set-changed', checked: counted.checked, changed: counted.changed });
    if (counted.changed > 0) {
      this.identity = undefined;
      this.views.clear();
      context?.emit('messages.changed', { reason: 'state' });
    }
  }

  /**
   * After a change of the office's list: the stored deliveries judged again under the CAs now in force (one run at a
   * time, audited by the store), the identity read again, views forgotten, lists told to reload.
   */
  async reevaluate(reason: 'ca-added' | 'ca-removed', context: ServiceContext): Promise<ReevaluationCount> {
    await this.config();
    return this.reevaluateNow(reason, context);
  }

  private async reevaluateNow(reason: 'ca-added' | 'ca-removed', context: ServiceContext): Promise<ReevaluationCount> {
    this.identity = undefined;
    const counted = await this.serialized(async () => {
      const s = this.serviceStore();
      return s.reevaluateTrust(evaluationFor(await s.trustedCas(), this.trustConfig(), await this.chainOf(s)), reason);
    });
    this.identity = undefined;
    this.views.clear();
    context.emit('messages.changed', { reason: 'state' });
    return counted;
  }

  /**
   * `fetch --trusted-ca`: the CAs given count for this fetch and, once it stored anything, are added to the store's
   * list (lasting, audited), so that what was stored with them is judged the same way later. A fetch that stored
   * nothing (the intermediary down) leaves the store as it was.
   */
  private async trustOneOff(cas: readonly X509Certificate[], result: FetchResult, context: ServiceContext): Promise<void> {
    if (cas.length === 0 || result.newMessages === 0) return;
    const added = await this.serviceStore().addTrustedCas(
      cas.map((c) => c.raw),
      'fetch',
    );
    if (added.length === 0) return;
    const counted = await this.reevaluateNow('ca-added', context);
    this.log.write('info', 'trust.added', { origin: 'fetch', added: added.length, checked: counted.checked, changed: counted.changed });
  }

  // ---- fetch ----

  /** The transport for an identity: the host's (Electron net) where it offers one, else Node's HTTP. */
  private transportOf(using: MailboxIdentity): PostFunction | undefined {
    return this.deps.transport?.({
      url: using.connection.intermediaryUrl,
      timeoutMs: using.connection.timeoutSeconds * 1000,
      tlsCas: using.connection.tlsCas,
      proxyMode: this.configNow?.values.proxyMode ?? 'system',
    });
  }

  async testConnection(input: In<'mailbox.testConnection'>) {
    const c = await this.config();
    if (input.identity) {
      // a one-off identity (the command line before its first fetch): loaded and tried, nothing stored
      const oneOff = identityUnderPolicy(identityFromFiles(input.identity), c);
      // its CA files too: a first fetch must not fail on them after the store was made
      setupCas(input.identity.trustedCaFiles, c);
      return testConnection(oneOff, this.transportOf(oneOff), networkSettings(c));
    }
    const using = await this.loadIdentity();
    if (this.inTraining()) return testConnection(using, undefined, { proxy: { mode: 'direct' } });
    return testConnection(using, this.transportOf(using), networkSettings(c));
  }

  /** `mailbox.fetch`: with the store's identity, or a one-off one from files (`--trusted-ca` CAs kept once it stored). */
  async fetch(input: In<'mailbox.fetch'>, context: ServiceContext): Promise<FetchResult> {
    const c = await this.config();
    const flight = this.core.opens.latest();
    const early = flight !== undefined && input.identity !== undefined ? this.firstWhileOpening(input.identity, flight, c, context) : undefined;
    try {
      if (flight !== undefined) await this.afterOpensUnderWay(flight);
      return await this.fetchOpen(input, c, context, early);
    } finally {
      if (early !== undefined) {
        // taken by the run (and released with its dialog) or not: never left open, never acknowledged here
        await early.first.abandon();
        this.earlyUnderWay = false;
      }
    }
  }

  private async fetchOpen(input: In<'mailbox.fetch'>, c: ResolvedConfig, context: ServiceContext, early: EarlyFetch | undefined): Promise<FetchResult> {
    this.serviceStore();
    if (this.running) throw mailboxError('fetch-running', 'mailbox.fetch while a fetch is running');
    if (input.identity === undefined) {
      const stored = await this.loadIdentity();
      return this.heavy.run('fetch', {}, () => this.fetchWith(stored, context, input.maxDeliveries));
    }
    // the key files as read while the store opened (one read of the PKCS#12 per fetch), else read now
    const files = early?.files ?? identityFromFiles(input.identity);
    // `--trusted-ca`: CA certificates only, refused while IT fixes the list
    const cas = early?.cas ?? setupCas(input.identity.trustedCaFiles, c).map((der) => new X509Certificate(der));
    const using = withTrustAnchors(identityUnderPolicy({ ...files, connection: { ...files.connection, trustedCas: cas } }, c), await this.trustListOfStore());
    const result = await this.heavy.run('fetch', {}, () => this.fetchWith(using, context, input.maxDeliveries, early?.first));
    try {
      await this.trustOneOff(cas, result, context);
    } catch (error) {
      // the fetch itself is done and stored; the list is completed on the next fetch with --trusted-ca
      this.log.write('warn', 'trust.add-failed', { origin: 'fetch', errorKind: toPostfachError(error).kind });
    }
    return result;
  }

  /**
   * A fetch that arrives while `store.open` is under way (the command line sends both at once, issue 14) waits until
   * every open has ended — its unlock and its whole second half (retention, stored deliveries judged again, the
   * code-list folder): the content layer, the XSozial facts with the store's code lists, the commit and the
   * acknowledgement all come after that. A failed open is this call's error (the early transport, if any, was
   * aborted with it: `firstWhileOpening`).
   */
  private async afterOpensUnderWay(flight: OpenFlight): Promise<void> {
    await flight.ended;
    await this.core.opens.idle();
  }

  /**
   * The transport layer of a one-off identity's first delivery, begun while `flight` opens the store: the dialog and
   * its first delivery fetched, decrypted and the intermediary's signature checked with the mailbox's own keys — no
   * store, no code list, no setting of the store. Only on the embedded store that is not a demo's (their transport
   * and settings are known only once it is open), and only where no `postfach serve` holds it. A failed open aborts
   * it at once (`flight.failed`: the HTTP request torn down; nothing stored, nothing acknowledged). Undefined where
   * nothing goes ahead.
   */
  private firstWhileOpening(input: NonNullable<In<'mailbox.fetch'>['identity']>, flight: OpenFlight, c: ResolvedConfig, context: ServiceContext): EarlyFetch | undefined {
    const file = flight.file;
    if (this.pg !== undefined || file === undefined || this.running || this.earlyUnderWay) return undefined;
    if (file.startsWith(path.join(path.resolve(this.options.dataDir), TRAINING_FOLDER) + path.sep) || this.demoStores.has(path.resolve(file))) return undefined;
    assertNoServiceElsewhere(file);
    const files = identityFromFiles(input);
    const cas = setupCas(input.trustedCaFiles, c).map((der) => new X509Certificate(der));
    // the transport layer's inputs are these: the store's trusted CAs judge the content, after the open
    const ahead = identityUnderPolicy({ ...files, connection: { ...files.connection, trustedCas: cas } }, c);
    const post = this.transportOf(ahead);
    context.emit('fetch.progress', { phase: 'connecting', messagesDone: 0, bytesDone: 0 });
    const first: FirstDelivery = startFirstDelivery(ahead, {
      ...(post ? { post } : {}),
      network: networkSettings(c),
      signal: flight.failed,
      onDecoded: () => context.emit('fetch.progress', { phase: 'storing', messagesDone: 0, bytesDone: first.bytes() }),
    });
    // set once it is under way (reset by `fetch` when it is abandoned): a start that threw leaves no mark behind
    this.earlyUnderWay = true;
    return { first, files, cas };
  }

  /** Asks the running fetch to stop; false if none runs. */
  cancelFetch(): boolean {
    if (!this.running) return false;
    this.running.abort();
    return true;
  }

  /** One fetch run for an identity (the fetch lock held): progress events, the technical log, the events after it. */
  readonly fetchWith = async (using: MailboxIdentity, context: ServiceContext, maxDeliveries?: number, first?: FirstDelivery): Promise<FetchResult> => {
    const c = await this.config();
    const s = this.serviceStore();
    if (this.running) throw mailboxError('fetch-running', 'fetch while a fetch is running');
    const post = this.transportOf(using);
    const controller = new AbortController();
    this.running = controller;
    const ended = new Promise<void>((resolve) => (this.fetchEnded = resolve));
    this.fetchFinished = ended;
    try {
      const training = this.inTraining();
      await this.handover.prepare();
      const fetched = await runFetch({
        store: s,
        identity: using,
        signal: controller.signal,
        onProgress: (progress) => context.emit('fetch.progress', progress),
        // the Übungsmodus intermediary is on this machine's loopback address: never through IT's proxy
        network: training ? { proxy: { mode: 'direct' } } : networkSettings(c),
        timeZone: c.values.officeTimeZone,
        ...(post && !training ? { post } : {}),
        ...(maxDeliveries === undefined ? {} : { maxDeliveries }),
        ...(first && !training ? { first } : {}),
      });
      // the hand-over folder for the case system: what was committed, whatever the outcome of the dialog
      const handedOver = await this.handover.runPending();
      const result: FetchResult = { ...fetched, expiry: keyExpiry(using, new Date(), c.values.officeTimeZone), ...(handedOver ? { handover: handedOver } : {}) };
      for (const id of result.newIds.slice(0, 1000)) {
        const stored = await s.getDelivery(id);
        this.log.write(stored.unreadableReason ? 'warn' : 'info', 'delivery.stored', {
          id,
          messageId: stored.messageId,
          readable: stored.unreadableReason === null,
          test: stored.isTest,
        });
      }
      this.log.write(result.outcome === 'failed' ? 'error' : 'info', 'fetch.finished', {
        outcome: result.outcome,
        newMessages: result.newMessages,
        duplicates: result.duplicates,
        unreadable: result.unreadable,
        receipts: result.receiptsRecorded,
        bytes: result.bytes,
        durationMs: result.durationMs,
        errorKind: result.error?.kind ?? null,
        errorDetail: result.error?.detail ?? null,
        certificate: result.expiry?.status ?? null,
      });
      context.emit('fetch.finished', result);
      if (result.newIds.length > 0) {
        context.emit('messages.changed', { reason: 'fetched', ids: result.newIds.slice(0, 1000) });
        context.emit('mailbox.newApplications', { count: result.newIds.length });
      }
      return result;
    } finally {
      this.running = undefined;
      this.fetchEnded?.();
    }
  };

  /** Settles when no fetch is running (at once if none is). */
  readonly fetchIdle = async (): Promise<void> => {
    while (this.running !== undefined) await this.fetchFinished;
  };

  // ---- messages ----

  /** A message changed: its view forgotten, the lists told. */
  changed(context: ServiceContext, id: number, reason: 'state' | 'deleted' = 'state'): void {
    this.views.forget(id);
    context.emit('messages.changed', { reason, ids: [id] });
  }
}
