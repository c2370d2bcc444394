/**
 * The fetch engine: one explicit dialog (PROTOCOL.md §2.2) —
 *
 *   InitDialog → FetchDelivery (or PartialFetchDelivery) until 9803 → FetchProcessCard for the deliveries just
 *   received (their Reception stamps) → ExitDialog
 *
 * Every delivery is committed to the store (blob files and one transaction, fsynced) BEFORE the next request of
 * the dialog is sent, because that request acknowledges it (Reception). A crash at any moment therefore loses
 * nothing (an unacknowledged delivery is offered again) and duplicates nothing (the store is idempotent by message
 * id; a delivery offered again is recognised before it is read). Content problems do not stop the mailbox
 * (accept-delivery.ts: "nicht lesbar"); a response that fails at the transport layer (undecryptable, signature,
 * dialog mismatch, fault, network) ends the run with nothing further sent in that dialog.
 */
import { PostfachError, toPostfachError, type PostfachErrorJson } from '../errors.js';
import { ExplicitDialog, type ClientOptions, type FetchedDelivery, type PostFunction } from '../osci/client/dialog.js';
import type { ProcessCardBundle } from '../osci/messages/model.js';
import { createHash } from 'node:crypto';
import { PostfachStore, SqliteMailboxStore, type FetchLock, type ProcessCardInput, type ServiceStore } from '../store/index.js';
import { acceptDelivery, inspectionsOf } from './accept-delivery.js';
import { certificateSummary } from './certificates.js';
import type { KeyExpiry, MailboxIdentity } from './identity.js';
import { killPoint } from './kill-points.js';
import { laterProcessCard } from './legal-time.js';
import { mailboxError } from './errors.js';
import { inspectionsJson } from './message-dto.js';
import type { NetworkSettings } from './policy-connection.js';
import { httpTransport } from './transport.js';

/** How far a fetch is (the contract's `fetchProgressSchema`). */
export interface FetchProgress {
  phase: 'connecting' | 'fetching' | 'storing' | 'receipts' | 'closing' | 'done' | 'cancelled' | 'failed';
  messagesDone: number;
  messagesTotal?: number;
  bytesDone: number;
  newMessages?: number;
  duplicates?: number;
  unreadable?: number;
}

/** What a fetch did (the contract's `fetchResultSchema`). */
export interface FetchResult {
  outcome: 'complete' | 'cancelled' | 'failed';
  newMessages: number;
  duplicates: number;
  unreadable: number;
  errors: number;
  receiptsRecorded: number;
  bytes: number;
  durationMs: number;
  newIds: number[];
  error?: PostfachErrorJson;
  expiry?: KeyExpiry;
}

export interface FetchOptions {
  /** The embedded SQLite store, or any store behind the asynchronous interface (the PostgreSQL one). */
  readonly store: PostfachStore | ServiceStore;
  readonly identity: MailboxIdentity;
  /** Cancels between deliveries (the delivery in hand is stored first). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FetchProgress) => void;
  /** Stop after this many deliveries (the rest stays at the intermediary for the next run). */
  readonly maxDeliveries?: number;
  /** The transport (default: HTTP(S) to the identity's URL with proxy and TLS settings from `network`). */
  readonly post?: PostFunction;
  /** Proxy settings of the machine (core/config); default: the environment. */
  readonly network?: NetworkSettings;
  /** The office time zone (machine setting) of the dates in stored certificate warnings; default Europe/Berlin. */
  readonly timeZone?: string;
  /**
   * A dialog opened and its first delivery fetched while the store was still being opened ({@link startFirstDelivery}).
   * Taken for exactly the identity and connection it was started with; otherwise abandoned (nothing acknowledged)
   * and a dialog of this run's own opened.
   */
  readonly first?: FirstDelivery;
}

/** Process cards are asked for in batches of this many message ids. */
const RECEIPT_BATCH = 50;

function clientOptions(identity: MailboxIdentity, post: PostFunction): ClientOptions {
  const c = identity.connection;
  return {
    post,
    cipherKey: identity.cipherKey,
    signatureKey: identity.signatureKey,
    intermediaryCertificate: c.intermediaryCertificate,
    intermediarySigner: { pinned: c.intermediarySigners, cas: c.intermediarySigners.filter((s) => s.ca), intermediates: identity.chain },
    // the content layer is read by accept-delivery.ts: a content problem must not abandon the dialog
  };
}

export function transportFor(identity: MailboxIdentity, onResponseBytes?: (bytes: number) => void, network?: NetworkSettings, signal?: AbortSignal): PostFunction {
  const c = identity.connection;
  return httpTransport({
    url: c.intermediaryUrl,
    timeoutMs: c.timeoutSeconds * 1000,
    tlsCas: c.tlsCas,
    ...(onResponseBytes ? { onResponseBytes } : {}),
    ...(network ? { proxy: network.proxy } : {}),
    ...(signal ? { signal } : {}),
  });
}

/** Reception (and the other stamps) of the deliveries received in this dialog, recorded in the store. */
async function recordReceipts(dialog: ExplicitDialog, store: ServiceStore, received: readonly string[]): Promise<number> {
  let recorded = 0;
  for (let i = 0; i < received.length; i += RECEIPT_BATCH) {
    const batch = received.slice(i, i + RECEIPT_BATCH);
    let cards: readonly ProcessCardBundle[];
    try {
      ({ cards } = await dialog.fetchProcessCards({ messageIds: batch }, batch.length));
    } catch (error) {
      // an intermediary without process cards (order-level 9xxx) is no reason to fail the fetch
      if (error instanceof PostfachError && error.kind === 'osci-error') return recorded;
      throw error;
    }
    killPoint('after-process-cards');
    const stamps: Array<{ ref: number; card: ProcessCardInput }> = [];
    let withReception = 0;
    for (const bundle of cards) {
      const id = await store.findByMessageId(bundle.messageId);
      const card = bundle.processCard;
      if (id === undefined || card === undefined) continue;
      stamps.push({
        ref: id,
        card: {
          // the Creation judged at acceptance stays; one learnt only now is checked like it (legal-time.ts)
          ...laterProcessCard(await store.getDelivery(id), { creation: card.creation?.plain, forwarding: card.forwarding?.plain, reception: card.reception?.plain }),
          ...(bundle.inspections.length > 0 ? { inspectionReport: inspectionsJson(inspectionsOf(bundle)) } : {}),
        },
      });
      if (card.reception?.plain) withReception++;
    }
    // one commit for the batch, not one (with its fsync) per delivery
    await store.recordProcessCards(stamps);
    recorded += withReception;
  }
  return recorded;
}

/** The fetch lock's name of a mailbox: its cipher certificate (what the intermediary addresses). */
export function mailboxLockKey(identity: MailboxIdentity): string {
  return createHash('sha256').update(identity.cipherKey.certificateDer).digest('hex');
}

/**
 * The first delivery of a fetch, fetched before the store is open (issue 14, cold fetch): the dialog's InitDialog and
 * first FetchDelivery, the response decrypted and every transport-layer check made (dialog.ts) — what needs only the
 * mailbox's own keys — while the store's key is derived on libuv's pool. Nothing of it is written anywhere (a large
 * response spools encrypted, core/io/sink.ts) and nothing is acknowledged: the acknowledgement is the dialog's next
 * request, which {@link runFetch} sends only after the delivery is committed to the store. Abandoned (a wrong store
 * password, a fetch lock held elsewhere, the process killed), the dialog simply ends: the delivery stays at the
 * intermediary and is offered again by the next fetch.
 */
export interface FirstDelivery {
  /** The identity and connection it was fetched with (the transport layer's inputs). */
  readonly identity: MailboxIdentity;
  /** The dialog once opened, and its first delivery (undefined: nothing waiting); rejects as the dialog would. */
  readonly fetched: Promise<{ dialog: ExplicitDialog; delivery: FetchedDelivery | undefined }>;
  /** Response bytes received so far; later ones go to `onBytes`. */
  bytes(): number;
  onBytes(count: (n: number) => void): void;
  /** Ends the dialog without a further request (nothing acknowledged); settles, never rejects. */
  abandon(): Promise<void>;
}

/**
 * Starts the dialog and the first FetchDelivery now (see {@link FirstDelivery}). `signal` (the store's open failing)
 * aborts it at once: the HTTP request or response in transit is torn down and `fetched` rejects with the signal's
 * reason; so does `abandon`.
 */
export function startFirstDelivery(
  identity: MailboxIdentity,
  options: { post?: PostFunction; network?: NetworkSettings; signal?: AbortSignal; onDecoded?: () => void } = {},
): FirstDelivery {
  let received = 0;
  let forward: ((n: number) => void) | undefined;
  const counted = (n: number): void => {
    if (forward) forward(n);
    else received += n;
  };
  const own = new AbortController();
  const signal = options.signal === undefined ? own.signal : AbortSignal.any([options.signal, own.signal]);
  const post = abortable(options.post ?? transportFor(identity, counted, options.network, signal), signal);
  let opened: ExplicitDialog | undefined;
  const running = (async () => {
    const dialog = await ExplicitDialog.open(clientOptions(identity, post));
    opened = dialog;
    killPoint('after-init');
    const chunkKb = identity.connection.partialFetchKb;
    const delivery = chunkKb ? await dialog.partialFetchDelivery(chunkKb) : await dialog.fetchDelivery();
    signal.throwIfAborted();
    if (delivery !== undefined) {
      options.onDecoded?.();
      killPoint('early-decoded');
    }
    return { dialog, delivery };
  })();
  // an abort is seen at once, whatever step (the request's signing, the response's decryption) is under way
  const fetched = Promise.race([running, aborted(signal)]);
  // a failure is the run's business when it takes the delivery; unhandled until then it must not end the thread
  running.catch(() => undefined);
  fetched.catch(() => undefined);
  return {
    identity,
    fetched,
    bytes: () => received,
    onBytes: (count) => (forward = count),
    abandon: async () => {
      // taken by a run that has ended, or never taken: no further request goes out through it either way
      own.abort(mailboxError('network', 'first delivery abandoned'));
      const released = running.then(
        () => opened?.release(),
        () => opened?.release(),
      );
      // the Node transport ends at the abort; a caller's transport that does not know signals is not waited for
      // beyond a moment (its dialog is released whenever its request ends)
      await Promise.race([released.catch(() => undefined), moment(ABANDON_WAIT_MS)]);
    },
  };
}

/** How long `abandon` waits for a transport that does not end at the abort. */
const ABANDON_WAIT_MS = 1_000;

/** Resolves after `ms` without keeping the process alive. */
function moment(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Rejects with the signal's reason once it aborts (never resolves). */
function aborted(signal: AbortSignal): Promise<never> {
  const reason = (): Error => {
    const r: unknown = signal.reason;
    return r instanceof Error ? r : new Error(String(r));
  };
  return new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(reason());
    else signal.addEventListener('abort', () => reject(reason()), { once: true });
  });
}

/** A transport that sends nothing once `signal` aborted (also one given by the caller, that may not know signals). */
function abortable(post: PostFunction, signal: AbortSignal): PostFunction {
  return async (body) => {
    signal.throwIfAborted();
    return post(body);
  };
}

/** Whether a first delivery was fetched with what this run would open its dialog with (keys, intermediary, TLS, chunks). */
function sameConnection(a: MailboxIdentity, b: MailboxIdentity): boolean {
  const der = (c: { raw: Buffer } | undefined): string => c?.raw.toString('base64') ?? '';
  const list = (l: readonly { raw: Buffer }[]): string => l.map(der).join(',');
  const x = a.connection;
  const y = b.connection;
  return (
    a.cipherKey.certificateDer.equals(b.cipherKey.certificateDer) &&
    a.signatureKey.certificateDer.equals(b.signatureKey.certificateDer) &&
    list(a.chain) === list(b.chain) &&
    x.intermediaryUrl === y.intermediaryUrl &&
    der(x.intermediaryCertificate) === der(y.intermediaryCertificate) &&
    list(x.intermediarySigners) === list(y.intermediarySigners) &&
    list(x.tlsCas) === list(y.tlsCas) &&
    x.timeoutSeconds === y.timeoutSeconds &&
    x.partialFetchKb === y.partialFetchKb
  );
}

export async function runFetch(options: FetchOptions): Promise<FetchResult> {
  const started = Date.now();
  const { identity } = options;
  let first = options.first;
  if (first !== undefined && !sameConnection(first.identity, identity)) {
    await first.abandon();
    first = undefined;
  }
  const store: ServiceStore = options.store instanceof PostfachStore ? new SqliteMailboxStore(options.store) : options.store;
  // exactly one fetcher per mailbox: SQLite — not while a postfach serve of another process holds this store;
  // PostgreSQL — an advisory lock on the mailbox, so a second service or desktop opens no parallel dialog
  let lock: FetchLock;
  try {
    lock = await store.takeFetchLock(mailboxLockKey(identity));
  } catch (error) {
    await first?.abandon();
    throw error;
  }
  try {
    return await fetchLocked({ ...options, ...(first ? { first } : {}) }, store, lock, started);
  } finally {
    await lock.release();
  }
}

async function fetchLocked(options: FetchOptions, store: ServiceStore, lock: FetchLock, started: number): Promise<FetchResult> {
  const { identity } = options;
  let bytes = 0;
  let done = 0;
  let fresh = 0;
  let duplicates = 0;
  let unreadable = 0;
  let receipts = 0;
  const newIds: number[] = [];
  const received: string[] = [];
  const progress = (phase: FetchProgress['phase']): void => options.onProgress?.({ phase, messagesDone: done, bytesDone: bytes, newMessages: fresh, duplicates, unreadable });
  const first = options.first;
  if (first) {
    bytes = first.bytes();
    first.onBytes((n) => (bytes += n));
  }
  const post = options.post ?? transportFor(identity, (n) => (bytes += n), options.network);
  const result = (outcome: FetchResult['outcome'], error?: PostfachError): FetchResult => ({
    outcome,
    newMessages: fresh,
    duplicates,
    unreadable,
    errors: error ? 1 : 0,
    receiptsRecorded: receipts,
    bytes,
    durationMs: Date.now() - started,
    newIds,
    ...(error ? { error: error.toJSON() } : {}),
  });

  progress('connecting');
  let dialog: ExplicitDialog | undefined;
  let cancelled = false;
  try {
    // the first delivery fetched while the store was opened: its dialog is this run's; it is stored like any other
    let waiting: FetchedDelivery | undefined;
    let fromFirst = false;
    if (first) {
      ({ dialog, delivery: waiting } = await first.fetched);
      fromFirst = true;
    } else {
      dialog = await ExplicitDialog.open(clientOptions(identity, post));
      killPoint('after-init');
    }
    const chunkKb = identity.connection.partialFetchKb;
    for (;;) {
      if (options.signal?.aborted) {
        cancelled = true;
        break;
      }
      if (options.maxDeliveries !== undefined && done >= options.maxDeliveries) break;
      progress('fetching');
      const delivery: FetchedDelivery | undefined = fromFirst ? waiting : chunkKb ? await dialog.partialFetchDelivery(chunkKb) : await dialog.fetchDelivery();
      fromFirst = false;
      if (delivery === undefined) break;
      killPoint('response-received');
      progress('storing');
      // the next FetchDelivery is signed while this delivery is stored; it is sent only after the commit below
      if (!chunkKb) dialog.prepareFetchDelivery();
      const outcome = await acceptDelivery(delivery, { store, identity, ...(options.timeZone ? { timeZone: options.timeZone } : {}) });
      killPoint('after-save');
      // the next request acknowledges: only while this fetcher still holds the mailbox's lock (on PostgreSQL it dies
      // with its connection, and a second fetcher may have started); else the run stops here, the delivery committed
      await lock.confirm();
      // stored durably: only now may the next request (the receipt) be sent
      dialog.confirmPersisted();
      await dialog.release();
      done++;
      received.push(outcome.messageId);
      if (outcome.kind === 'duplicate') duplicates++;
      else {
        fresh++;
        newIds.push(outcome.id);
        if (outcome.unreadable) unreadable++;
      }
    }
    if (received.length > 0) {
      progress('receipts');
      killPoint('before-process-cards');
      receipts = await recordReceipts(dialog, store, received);
      killPoint('after-receipts');
    }
    progress('closing');
    killPoint('before-exit');
    await dialog.exit();
    killPoint('after-exit');
    progress(cancelled ? 'cancelled' : 'done');
    return result(cancelled ? 'cancelled' : 'complete');
  } catch (error) {
    const e = toPostfachError(error);
    progress('failed');
    return result('failed', e);
  } finally {
    await dialog?.release().catch(() => undefined);
    // a first delivery whose dialog failed before this run took it: its scopes released too
    await first?.abandon();
  }
}

/** Opens a dialog and closes it again: reachability, the keys (only the key holder can read the challenge), the signer. */
export async function testConnection(
  identity: MailboxIdentity,
  post?: PostFunction,
  network?: NetworkSettings,
): Promise<{ ok: true; url: string; durationMs: number; signer?: ReturnType<typeof certificateSummary> }> {
  const started = Date.now();
  const dialog = await ExplicitDialog.open(clientOptions(identity, post ?? transportFor(identity, undefined, network)));
  try {
    await dialog.exit();
  } finally {
    await dialog.release();
  }
  const signer = identity.connection.intermediarySigners[0];
  return { ok: true, url: identity.connection.intermediaryUrl, durationMs: Date.now() - started, ...(signer ? { signer: certificateSummary(signer) } : {}) };
}
