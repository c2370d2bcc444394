/**
 * Handlers of the contract area "mailbox" (core/api/contract/mailbox.ts). Thin: each one checks what it needs
 * (an open store, an identity) and calls core/mailbox. State kept between calls: the open store, the last views
 * read, the mailbox identity once loaded, the running fetch.
 */
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { ServiceContext } from '../api-types.js';
import type { HandlerInput, HandlerResult, MethodName } from '../contract.js';
import type { FetchResult } from '../contract/mailbox.js';
import type { HostLink } from '../service-runtime.js';
import type { ServiceOptions } from '../service-protocol.js';
import { AUDIT_ACTIONS, auditWords, type ListQuery, type PostfachStore, type ReevaluationCount } from '../../store/index.js';
import { mailboxError } from '../../mailbox/errors.js';
import { toPostfachError } from '../../errors.js';
import { runFetch, testConnection } from '../../mailbox/fetch-engine.js';
import {
  connectionRecord,
  identityDto,
  identityFromFiles,
  identityFromRecord,
  identityRecord,
  keyCandidates,
  keyExpiry,
  retiredKeyEntry,
  updatedConnection,
  type MailboxIdentity,
} from '../../mailbox/identity.js';
import { importCodeListFolder, type FolderImport } from '../../mailbox/code-lists.js';
import { activeFindings } from '../contract/active-content.js';
import { documentActiveContent } from '../../mailbox/active-content-check.js';
import { documentChunk, fullValue, messageDetail, ViewCache, type ViewSettings } from '../../mailbox/message-detail.js';
import { startNameBackfill, type Backfill } from '../../mailbox/name-backfill.js';
import { listItemDto, messageDetailDto } from './evidence-dto.js';
import { StoreSession } from '../../mailbox/store-session.js';
import { assertUnlocked, loadConfig, type ResolvedConfig } from '../../config/load-config.js';
import { assertExportAllowed } from '../../config/export-folders.js';
import { checkKeyPolicy } from '../../mailbox/key-policy.js';
import { identityUnderPolicy, networkSettings } from '../../mailbox/policy-connection.js';
import type { PostFunction } from '../../osci/client/dialog.js';
import { TechLog } from '../../ops/tech-log.js';
import { assertOfficeListOpen, evaluationFor, readCaFile, reevaluateIfChanged, trustedCaList, withTrustAnchors, type TrustedCaList } from '../../mailbox/trusted-cas.js';
import { TRAINING_FOLDER } from './workspace-training.js';
import { HeavyWork, type InsideHeavyWorkHook } from '../heavy-work.js';
import { quarantinedError, type HeavyOperation } from '../service-incidents.js';

type In<M extends MethodName> = HandlerInput<M>;

const EXPORT_OPERATIONS: Readonly<Record<HandlerInput<'messages.export'>['format'], HeavyOperation | undefined>> = {
  pdf: 'export-pdf',
  receipt: 'export-receipt',
  attachments: 'export-attachments',
  xml: undefined,
};

function listQuery(input: HandlerInput<'messages.list'>): ListQuery {
  const { folder, ...rest } = input;
  return { ...rest, trash: folder === 'trash' };
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

export interface MailboxDeps {
  /** The machine settings (core/config); default: loaded once from policy and machine file. */
  readonly config?: () => Promise<ResolvedConfig>;
  /**
   * A transport in place of Node's HTTP (the desktop app's Electron net: system proxy with NTLM/Kerberos, the Windows
   * certificate store). It may answer undefined — with extra TLS CAs (Chromium's network cannot take CAs per request)
   * or a proxy mode other than `system` — and Node's HTTP (system store + those CAs, the configured proxy) is used.
   */
  readonly transport?: (connection: { url: string; timeoutMs: number; tlsCas: readonly X509Certificate[]; proxyMode: string }) => PostFunction | undefined;
  /** Test-only: runs inside heavy work once it is recorded as in progress (heavy-work.ts); never set by the product. */
  readonly insideHeavyWork?: InsideHeavyWorkHook;
  /** The caseworker's settings that change how a message is written (name order); default "Nachname, Vorname". */
  readonly viewSettings?: () => Promise<ViewSettings>;
}

/** What the ops area (core/api/handlers/ops.ts) shares with the mailbox area: one store session, one fetch at a time. */
export interface MailboxInternals {
  readonly session: StoreSession;
  readonly config: () => Promise<ResolvedConfig>;
  readonly log: TechLog;
  readonly views: ViewCache;
  /** Heavy work on a message: recorded as in progress, refused where it brought the service down before. */
  readonly heavy: HeavyWork;
  readonly fetchWith: (identity: MailboxIdentity, context: ServiceContext, maxDeliveries?: number) => Promise<FetchResult>;
  /** Settles when no fetch is running (at once if none is). */
  readonly fetchIdle: () => Promise<void>;
  /** The machine settings applied to an identity (locked connection values). */
  readonly adapt: (identity: MailboxIdentity) => MailboxIdentity;
  /** The identity changed in the store (rotation): read it again next time. */
  readonly forgetIdentity: () => void;
  /** The trusted sender CAs of the open store with IT's (none of IT's in the Übungsmodus). */
  readonly trustList: () => Promise<TrustedCaList>;
  /**
   * After a change of the office's list: the stored deliveries judged again under the CAs now in force (one run at a
   * time), the identity read again, views forgotten, lists told to reload.
   */
  readonly reevaluate: (reason: 'ca-added' | 'ca-removed', context: ServiceContext) => Promise<ReevaluationCount>;
  readonly storeChanged: (context: ServiceContext) => HandlerResult<'store.status'>;
  /** What the policy folder of code lists gave at the last opening of the store (undefined: no folder set). */
  readonly codeListFolder: () => FolderImport | undefined;
}

/** The mailbox handlers and what the ops handlers share with them. */
export function mailboxService(options: ServiceOptions, host: HostLink, deps: MailboxDeps = {}) {
  let internals: MailboxInternals | undefined;
  const handlers = mailboxHandlers(options, host, deps, (i) => (internals = i));
  return { handlers, internals: internals as unknown as MailboxInternals };
}

export function mailboxHandlers(options: ServiceOptions, host: HostLink, deps: MailboxDeps = {}, share?: (internals: MailboxInternals) => void) {
  const session = new StoreSession({ dataDir: options.dataDir, ...(host.protector ? { protector: host.protector } : {}) });
  const views = new ViewCache();
  const heavy = new HeavyWork(options.dataDir, deps.insideHeavyWork);
  let identity: MailboxIdentity | undefined;
  let running: AbortController | undefined;
  // the running fetch's end, for those who wait until no fetch runs (fetchIdle)
  let fetchFinished: Promise<void> = Promise.resolve();
  let fetchEnded: (() => void) | undefined;
  let configLoaded: Promise<ResolvedConfig> | undefined;
  let configNow: ResolvedConfig | undefined;
  const log = new TechLog(options.dataDir);
  /** The machine settings, loaded on first use (policy, machine file); they apply to every identity used. */
  const config = async (): Promise<ResolvedConfig> => {
    if (configLoaded === undefined) {
      configLoaded = (deps.config ?? (() => loadConfig()))();
      configLoaded.then(
        (c) => {
          log.write('info', 'config.loaded', { policy: c.origins.policy, machineFile: c.origins.machineFile, locked: Object.values(c.state).filter((x) => x.locked).length });
          for (const p of c.problems) log.write('warn', 'config.problem', { layer: p.layer, setting: p.setting ?? null, detail: p.detail });
        },
        () => undefined,
      );
    }
    configNow = await configLoaded;
    session.setStoreFolder(configNow.values.storeFolder);
    return configNow;
  };

  const store = (): PostfachStore => session.require();
  let backfill: Backfill | undefined;
  let folderImport: FolderImport | undefined;

  /**
   * After a store opened: the code lists of the policy folder are checked and taken over (a broken file is named
   * in the technical log and in Settings, the others are kept), and rows stored before the names were kept in
   * their parts are read again in the background.
   */
  const afterOpen = async (c: ResolvedConfig): Promise<void> => {
    const s = store();
    folderImport = undefined;
    if (c.values.codeListFolder !== undefined) {
      folderImport = await importCodeListFolder(s, c.values.codeListFolder);
      const changed = folderImport.imported.filter((f) => f.result !== 'unchanged').length;
      log.write('info', 'codelists.folder', { imported: folderImport.imported.length, changed, refused: folderImport.refused.length });
      for (const r of folderImport.refused) log.write('warn', 'codelists.refused', { kind: r.kind, detail: r.detail.slice(0, 500) });
    }
    backfill?.stop();
    backfill = startNameBackfill(s);
  };
  /** The settings that change how a view is written, read before each view. */
  const applyViewSettings = async (): Promise<void> => {
    views.settings = deps.viewSettings ? await deps.viewSettings() : { familyNameFirst: true };
  };
  /** The open store is the Übungsmodus demo store (`<data folder>/uebungsmodus/`). */
  const inTraining = (): boolean => session.store?.paths.database.startsWith(path.join(path.resolve(options.dataDir), TRAINING_FOLDER) + path.sep) === true;

  const storedIdentity = (): MailboxIdentity => {
    if (identity) return identity;
    const record = store().readMailboxIdentity();
    if (record === undefined) throw mailboxError('identity-missing', 'no mailbox identity in the store');
    const retired = store().retiredKeys().map(retiredKeyEntry);
    const own = { ...identityFromRecord(record), ...(retired.length > 0 ? { previousCipherKeys: retired } : {}) };
    // the Übungsmodus mailbox keeps its own local intermediary: IT's connection settings are for the real one
    identity = withTrust(inTraining() ? own : identityUnderPolicy(own, configNow));
    return identity;
  };

  /** IT's settings as they apply to trust: none in the Übungsmodus (its demo CA must count whatever IT fixed). */
  const trustConfig = (): ResolvedConfig | undefined => (inTraining() ? undefined : configNow);
  const trustListNow = (): TrustedCaList => trustedCaList(store().trustedCas(), trustConfig());
  /** Certificates that may complete a sender's chain: those of the mailbox's own key files. */
  const chainOf = (s: PostfachStore): X509Certificate[] => (s.readMailboxIdentity()?.chainCertificates ?? []).map((der) => new X509Certificate(der));
  const withTrust = (using: MailboxIdentity): MailboxIdentity => withTrustAnchors(using, trustListNow());

  /** One re-evaluation at a time: two runs over the same deliveries with different sets would leave them mixed. */
  let trustWork: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = trustWork.then(work, work);
    trustWork = next.catch(() => undefined);
    return next;
  };

  /** The stored deliveries judged again under the CAs now in force, when they are not those last judged with. */
  const reevaluateStored = async (context?: ServiceContext): Promise<void> => {
    const counted = await serialized(async () => {
      const s = store();
      return reevaluateIfChanged(s, trustListNow(), chainOf(s));
    });
    if (counted === undefined) return;
    log.write('info', 'trust.reevaluated', { reason: 'ca-set-changed', checked: counted.checked, changed: counted.changed });
    if (counted.changed > 0) {
      identity = undefined;
      views.clear();
      context?.emit('messages.changed', { reason: 'state' });
    }
  };

  /** After a change of the office's list: judged again (audited by the store), the identity and views refreshed. */
  const reevaluate = async (reason: 'ca-added' | 'ca-removed', context: ServiceContext): Promise<ReevaluationCount> => {
    identity = undefined;
    const counted = await serialized(async () => {
      const s = store();
      return s.reevaluateTrust(evaluationFor(s.trustedCas(), trustConfig(), chainOf(s)), reason);
    });
    identity = undefined;
    views.clear();
    context.emit('messages.changed', { reason: 'state' });
    return counted;
  };

  /**
   * `fetch --trusted-ca`: the CAs given count for this fetch and, once it stored anything, are added to the store's
   * list (lasting, audited), so that what was stored with them is judged the same way later. A fetch that stored
   * nothing (the intermediary down) leaves the store as it was.
   */
  const trustOneOff = async (cas: readonly X509Certificate[], result: FetchResult, context: ServiceContext): Promise<void> => {
    if (cas.length === 0 || result.newMessages === 0) return;
    const added = store().addTrustedCas(cas.map((c) => c.raw), 'fetch');
    if (added.length === 0) return;
    const counted = await reevaluate('ca-added', context);
    log.write('info', 'trust.added', { origin: 'fetch', added: added.length, checked: counted.checked, changed: counted.changed });
  };

  /** The transport for an identity: the host's (Electron net) where it offers one, else Node's HTTP. */
  const transportOf = (using: MailboxIdentity): PostFunction | undefined =>
    deps.transport?.({ url: using.connection.intermediaryUrl, timeoutMs: using.connection.timeoutSeconds * 1000, tlsCas: using.connection.tlsCas, proxyMode: configNow?.values.proxyMode ?? 'system' });

  /** Retention values IT fixed are written into the store when it opens (audited there as a settings change). */
  const applyRetentionPolicy = (c: ResolvedConfig): void => {
    const s = session.store;
    if (s === undefined) return;
    const current = s.getSettings();
    const patch: { retentionTransferredDays?: number; retentionTrashDays?: number } = {};
    if (c.state.retentionTransferredDays.locked && current.retentionTransferredDays !== c.values.retentionTransferredDays) patch.retentionTransferredDays = c.values.retentionTransferredDays;
    if (c.state.retentionTrashDays.locked && current.retentionTrashDays !== c.values.retentionTrashDays) patch.retentionTrashDays = c.values.retentionTrashDays;
    if (Object.keys(patch).length > 0) s.updateSettings(patch);
  };

  const storeChanged = (context: ServiceContext): HandlerResult<'store.status'> => {
    identity = undefined;
    views.clear();
    const status = session.status();
    context.emit('store.changed', status);
    return status;
  };

  const changed = (context: ServiceContext, id: number, reason: 'state' | 'deleted' = 'state'): void => {
    views.forget(id);
    context.emit('messages.changed', { reason, ids: [id] });
  };

  const item = (id: number) => listItemDto(store().getDelivery(id));

  /** One fetch run for an identity: progress events, the technical log, the events after it. */
  const fetchWith = async (using: MailboxIdentity, context: ServiceContext, maxDeliveries?: number): Promise<FetchResult> => {
    const c = await config();
    const s = store();
    if (running) throw mailboxError('fetch-running', 'fetch while a fetch is running');
    const post = transportOf(using);
    const controller = new AbortController();
    running = controller;
    const ended = new Promise<void>((resolve) => (fetchEnded = resolve));
    fetchFinished = ended;
    try {
      const fetched = await runFetch({
        store: s,
        identity: using,
        signal: controller.signal,
        onProgress: (progress) => context.emit('fetch.progress', progress),
        // the Übungsmodus intermediary is on this machine's loopback address: never through IT's proxy
        network: inTraining() ? { proxy: { mode: 'direct' } } : networkSettings(c),
        timeZone: c.values.officeTimeZone,
        ...(post && !inTraining() ? { post } : {}),
        ...(maxDeliveries === undefined ? {} : { maxDeliveries }),
      });
      const result: FetchResult = { ...fetched, expiry: keyExpiry(using, new Date(), c.values.officeTimeZone) };
      for (const id of result.newIds.slice(0, 1000)) {
        const stored = s.getDelivery(id);
        log.write(stored.unreadableReason ? 'warn' : 'info', 'delivery.stored', { id, messageId: stored.messageId, readable: stored.unreadableReason === null, test: stored.isTest });
      }
      log.write(result.outcome === 'failed' ? 'error' : 'info', 'fetch.finished', {
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
      running = undefined;
      fetchEnded?.();
    }
  };
  const fetchIdle = async (): Promise<void> => {
    while (running !== undefined) await fetchFinished;
  };

  share?.({
    session,
    config,
    log,
    views,
    heavy,
    fetchWith,
    fetchIdle,
    adapt: (identity: MailboxIdentity) => withTrust(identityUnderPolicy(identity, configNow)),
    forgetIdentity: () => {
      identity = undefined;
    },
    trustList: async () => {
      await config();
      return trustListNow();
    },
    reevaluate: async (reason: 'ca-added' | 'ca-removed', context: ServiceContext) => {
      await config();
      return reevaluate(reason, context);
    },
    storeChanged: (context: ServiceContext) => storeChanged(context),
    codeListFolder: () => folderImport,
  });

  return {
    // ---- store ----
    'store.status': async (input: In<'store.status'>) => {
      await config();
      return session.status(input.path);
    },
    'store.create': async (input: In<'store.create'>, context: ServiceContext) => {
      if (input.password === undefined && input.protector !== true) {
        throw mailboxError('identity-invalid', 'store.create without password and without protector', {
          text: {
            de: 'Für den Datenspeicher ist ein Passwort oder der Schlüsselspeicher des Betriebssystems nötig.',
            en: 'The data store needs a password or the operating system’s key store.',
          },
        });
      }
      const c = await config();
      // a set-up: the key files, the connection and the CA files are read and checked before anything is written
      const setUp = input.identity === undefined ? undefined : identityFromFiles(input.identity);
      if (setUp) checkKeyPolicy(setUp, c);
      const setUpCas = setupCas(input.identity?.trustedCaFiles, c);
      const created = await session.create(
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
      applyRetentionPolicy(c);
      await reevaluateStored(context);
      await afterOpen(c);
      return { status: storeChanged(context), recoveryKey: created.recoveryKey };
    },
    'store.open': async (input: In<'store.open'>, context: ServiceContext) => {
      const c = await config();
      await session.open(input.path, input.unlock);
      applyRetentionPolicy(c);
      await reevaluateStored(context);
      await afterOpen(c);
      log.write('info', 'store.opened', { way: 'password' in input.unlock ? 'password' : 'recoveryKey' in input.unlock ? 'recovery-key' : 'os-key-store' });
      return storeChanged(context);
    },
    'store.close': (_input: In<'store.close'>, context: ServiceContext) => {
      running?.abort();
      backfill?.stop();
      session.close();
      return storeChanged(context);
    },
    'store.addProtector': async (_input: In<'store.addProtector'>) => {
      await session.addProtector();
      return session.status();
    },
    'store.setPassword': async (input: In<'store.setPassword'>) => {
      await store().changePassword(input.password);
      return session.status();
    },

    // ---- identity ----
    'identity.get': async () => {
      await config();
      const s = store();
      if (!s.hasMailboxIdentity()) return { identity: null };
      return { identity: identityDto(storedIdentity(), new Date(), configNow?.values.officeTimeZone) };
    },
    'identity.inspectKeyFile': (input: In<'identity.inspectKeyFile'>) => ({ keys: keyCandidates(input.keyFile, input.password) }),
    'identity.setup': async (input: In<'identity.setup'>, context: ServiceContext) => {
      const c = await config();
      const s = store();
      const loaded = identityFromFiles(input);
      checkKeyPolicy(loaded, c);
      const cas = setupCas(input.trustedCaFiles, inTraining() ? undefined : c);
      s.saveMailboxIdentity(identityRecord(loaded));
      if (cas.length > 0) {
        s.addTrustedCas(cas, 'setup');
        await reevaluate('ca-added', context);
      }
      identity = undefined;
      views.clear();
      context.emit('store.changed', session.status());
      return identityDto(storedIdentity(), new Date(), configNow?.values.officeTimeZone);
    },
    'identity.updateConnection': async (input: In<'identity.updateConnection'>) => {
      const c = await config();
      if (input.intermediaryUrl !== undefined) assertUnlocked(c, 'intermediaryUrl');
      if (input.intermediaryCertificateFile !== undefined) assertUnlocked(c, 'intermediaryCertificateFile');
      if (input.intermediarySignerFiles !== undefined) assertUnlocked(c, 'intermediarySignerFiles');
      const s = store();
      const next = updatedConnection(storedIdentity().connection, input);
      s.updateMailboxConnection(connectionRecord(next));
      identity = undefined;
      return identityDto(storedIdentity(), new Date(), configNow?.values.officeTimeZone);
    },

    // ---- fetch ----
    'mailbox.testConnection': async (input: In<'mailbox.testConnection'>) => {
      const c = await config();
      if (input.identity) {
        // a one-off identity (the command line before its first fetch): loaded and tried, nothing stored
        const oneOff = identityUnderPolicy(identityFromFiles(input.identity), c);
        // its CA files too: a first fetch must not fail on them after the store was made
        setupCas(input.identity.trustedCaFiles, c);
        return testConnection(oneOff, transportOf(oneOff), networkSettings(c));
      }
      const using = storedIdentity();
      if (inTraining()) return testConnection(using, undefined, { proxy: { mode: 'direct' } });
      return testConnection(using, transportOf(using), networkSettings(c));
    },
    'mailbox.fetch': async (input: In<'mailbox.fetch'>, context: ServiceContext): Promise<FetchResult> => {
      const c = await config();
      store();
      if (running) throw mailboxError('fetch-running', 'mailbox.fetch while a fetch is running');
      if (input.identity === undefined) return heavy.run('fetch', {}, () => fetchWith(storedIdentity(), context, input.maxDeliveries));
      const files = identityFromFiles(input.identity);
      // `--trusted-ca`: CA certificates only, refused while IT fixes the list
      const cas = setupCas(input.identity.trustedCaFiles, c).map((der) => new X509Certificate(der));
      const using = withTrust(identityUnderPolicy({ ...files, connection: { ...files.connection, trustedCas: cas } }, c));
      const result = await heavy.run('fetch', {}, () => fetchWith(using, context, input.maxDeliveries));
      try {
        await trustOneOff(cas, result, context);
      } catch (error) {
        // the fetch itself is done and stored; the list is completed on the next fetch with --trusted-ca
        log.write('warn', 'trust.add-failed', { origin: 'fetch', errorKind: toPostfachError(error).kind });
      }
      return result;
    },
    'mailbox.cancelFetch': () => {
      if (!running) return { cancelling: false };
      running.abort();
      return { cancelling: true };
    },

    // ---- messages ----
    'messages.list': (input: In<'messages.list'>) => {
      const page = store().list(listQuery(input));
      return { items: page.items.map(listItemDto), total: page.total, offset: page.offset, ...(page.atOrAfter === undefined ? {} : { atOrAfter: [...page.atOrAfter] }) };
    },
    'messages.counts': () => store().counts(),
    'messages.detail': async (input: In<'messages.detail'>, context: ServiceContext) => {
      const ref = 'id' in input.ref ? input.ref.id : { messageId: input.ref.messageId };
      await applyViewSettings();
      const messageId = 'id' in input.ref ? store().getDelivery(input.ref.id).messageId : input.ref.messageId;
      const timeZone = (await config()).values.officeTimeZone;
      // a message whose content brought the service down is shown without it (Laufzettel, documents, the reason)
      const refused = heavy.quarantined(messageId, 'message-detail');
      const detail = refused
        ? messageDetailDto(await messageDetail(store(), ref, views, { timeZone, viewRefused: quarantinedError(refused) }), timeZone)
        : messageDetailDto(await heavy.run('message-detail', { messageId, ...('id' in input.ref ? { storeId: input.ref.id } : {}) }, () => messageDetail(store(), ref, views, { timeZone })), timeZone);
      context.emit('messages.changed', { reason: 'state', ids: [detail.item.id] });
      return detail;
    },
    'messages.documentChunk': (input: In<'messages.documentChunk'>) => documentChunk(store(), input.id, input.document, input.offset, input.length, views),
    'messages.documentActiveContent': async (input: In<'messages.documentActiveContent'>) => ({ findings: activeFindings(await documentActiveContent(store(), input.id, input.document, views)) }),
    'messages.value': (input: In<'messages.value'>) =>
      heavy.run('message-detail', { storeId: input.id, messageId: store().getDelivery(input.id).messageId }, () => fullValue(store(), input.id, input.where, input.valueId, views)),
    'messages.setRead': (input: In<'messages.setRead'>, context: ServiceContext) => {
      if (input.read) store().markRead(input.id);
      else store().markUnread(input.id);
      changed(context, input.id);
      return item(input.id);
    },
    'messages.setTransferred': (input: In<'messages.setTransferred'>, context: ServiceContext) => {
      store().markTransferred(input.id, input.transferred);
      changed(context, input.id);
      return item(input.id);
    },
    'messages.setChecklist': (input: In<'messages.setChecklist'>) => {
      store().setChecklist(input.id, input.ticked);
      return { checklist: [...store().getDelivery(input.id).checklist] };
    },
    'messages.setTrashed': (input: In<'messages.setTrashed'>, context: ServiceContext) => {
      if (input.trashed) store().moveToTrash(input.id);
      else store().restoreFromTrash(input.id);
      changed(context, input.id);
      return item(input.id);
    },
    'messages.setLegalHold': (input: In<'messages.setLegalHold'>, context: ServiceContext) => {
      store().setLegalHold(input.id, input.hold);
      changed(context, input.id);
      return item(input.id);
    },
    'messages.setCaseWork': (input: In<'messages.setCaseWork'>, context: ServiceContext) => {
      const caseWork = store().setCaseWork(input.id, input.change);
      changed(context, input.id);
      return { item: item(input.id), caseWork };
    },
    'messages.deletePermanently': async (input: In<'messages.deletePermanently'>, context: ServiceContext) => {
      await store().deletePermanently(input.id);
      changed(context, input.id, 'deleted');
      return { deleted: true as const };
    },
    'messages.export': async (input: In<'messages.export'>, context: ServiceContext) => {
      // loaded on first use: the PDF libraries take a while to load and most service starts never export
      const { exportMessage } = await import('../../mailbox/export.js');
      const c = await config();
      assertExportAllowed(c, input.target, [path.join(options.dataDir, 'transfer', 'downloads')]);
      if (input.document !== undefined && input.format !== 'attachments') throw mailboxError('document-missing', `a single document is exported with the format attachments, not ${input.format}`);
      await applyViewSettings();
      const work = () => exportMessage(store(), input.id, input.format, path.resolve(input.target), views, { timeZone: c.values.officeTimeZone, ...(input.document === undefined ? {} : { only: input.document }) });
      // the XML is a byte copy: never heavy, never refused (the way out for a message that is refused otherwise)
      const operation = EXPORT_OPERATIONS[input.format];
      const result = operation === undefined ? await work() : await heavy.run(operation, { storeId: input.id, messageId: store().getDelivery(input.id).messageId }, work);
      changed(context, input.id);
      return result;
    },
    'messages.recordPrinted': (input: In<'messages.recordPrinted'>) => {
      store().recordPrinted(input.id);
      return { recorded: true as const };
    },

    // ---- audit log ----
    'audit.list': (input: In<'audit.list'>) => {
      // the contract checked that both parse
      const { from, to, ...rest } = input;
      const fromMs = from === undefined ? undefined : Date.parse(from);
      const toMs = to === undefined ? undefined : Date.parse(to);
      return {
        entries: store()
          .auditEntries({ ...rest, ...(fromMs === undefined ? {} : { from: fromMs }), ...(toMs === undefined ? {} : { to: toMs }) })
          .map((e) => ({ ...e, actionText: AUDIT_ACTIONS[e.action] ?? e.action, words: auditWords(e.action, e.detail) })),
      };
    },
    'audit.exportCsv': async (input: In<'audit.exportCsv'>) => {
      const target = path.resolve(input.target);
      const c = await config();
      assertExportAllowed(c, target, [path.join(options.dataDir, 'transfer', 'downloads')]);
      const s = store();
      await s.exportAuditCsv(target, input.delimiter ?? ',', c.values.officeTimeZone);
      return { path: target, entries: s.verifyAuditLog().entries };
    },
    'audit.verify': () => {
      const v = store().verifyAuditLog();
      return v.ok ? { ok: true, entries: v.entries } : { ok: false, entries: v.entries, firstBadSeq: v.firstBadSeq, problem: v.problem };
    },

    // ---- retention ----
    'retention.settings': () => store().getSettings(),
    'retention.updateSettings': async (input: In<'retention.updateSettings'>) => {
      const c = await config();
      if (input.retentionTransferredDays !== undefined) assertUnlocked(c, 'retentionTransferredDays');
      if (input.retentionTrashDays !== undefined) assertUnlocked(c, 'retentionTrashDays');
      return store().updateSettings(input);
    },
    'retention.plan': () => ({ candidates: store().planRetention() }),
    'retention.apply': async (input: In<'retention.apply'>, context: ServiceContext) => {
      const { deleted } = await store().applyRetention({ onlyIds: input.ids });
      if (deleted.length > 0) context.emit('messages.changed', { reason: 'retention', ids: deleted.slice(0, 1000).map((d) => d.id) });
      return { deleted: [...deleted] };
    },
  };
}
