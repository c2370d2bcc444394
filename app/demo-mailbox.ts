/**
 * The demo mailbox (`postfach demo`, the desktop app's Übungsmodus): in one folder a test PKI, the local OSCI
 * intermediary (started here, on a free loopback port), a handful of synthetic applications waiting in the
 * municipality's mailbox (different services, one Testantrag, one with evidence attachments), and a store of its
 * own whose mailbox identity is set up — ready for `mailbox.fetch`.
 *
 * Started again on the same folder it keeps everything: the PKI, the intermediary's mailbox, the store (fetched
 * applications stay); only the intermediary's new port is written into the store's connection. Applications are
 * sent once, when the folder is new — never twice, also after a kill (demo-applications.ts keeps count). With `firstBatch` only that many are sent
 * before the mailbox is handed over, the rest when the caller asks (`sendRest`, in the background: once its own
 * work — opening the store — is done, so the two do not compete); `onProgress` follows every step.
 *
 * Part of the application layer (app/), not of core/: it joins the mailbox engine with the local intermediary, which
 * nothing in core/ imports. The Übungsmodus is part of the product and runs in the service like the rest of the
 * engine; the service's handlers load it on first use (core/api/service.ts; docs/ARCHITECTURE.md).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  deliveredUnder,
  issueMessageId,
  loadIntermediaryKeys,
  loadSenderSetup,
  sendApplications,
  startIntermediary,
  type SenderSetup,
  type SentApplication,
} from '../intermediary/index.js';
import { PostfachError, trainingUnavailable } from '../core/errors.js';
import { testPkiFiles } from '../core/pki/test-pki.js';
import { fingerprintOf, PostfachStore } from '../core/store/index.js';
import { DEMO_APPLICATIONS, owedApplications, sendDemoApplications, startLedger, testPauseMs, type DemoApplication } from './demo-applications.js';
import { takeDemoLock, type DemoLock } from './demo-lock.js';
import { demoPkiDir, ensureDemoPki } from './demo-pki.js';
import { connectionRecord, identityFromFiles, identityFromRecord, identityRecord } from '../core/mailbox/identity.js';
import { evaluationFor } from '../core/mailbox/trusted-cas.js';

export { DEMO_APPLICATIONS } from './demo-applications.js';

export interface DemoMailbox {
  readonly dir: string;
  /** The demo store (identity set up); closed — open it through `store.open` with `unlock`. */
  readonly storePath: string;
  /** Also in `<dir>/store-password` (mode 0600): demo data only. */
  readonly unlock: { readonly password: string };
  readonly intermediaryUrl: string;
  readonly pkiDir: string;
  /** The files and folders beside the store that `postfach demo` names: the store's password, the recovery key (a
   * folder of an older version may lack it: undefined), the local intermediary's data. */
  readonly passwordFile: string;
  readonly recoveryKeyFile: string | undefined;
  readonly intermediaryDir: string;
  /** true when this call set the folder up (and sent the applications). */
  readonly created: boolean;
  /** The recovery key of a store created by this call (also in `<dir>/recovery-key.txt`). */
  readonly recoveryKey: string | undefined;
  /** What this call sent to the intermediary (the first batch). */
  readonly sent: readonly SentApplication[];
  /**
   * The message ids of applications this call found at the intermediary through the intent a stopped or killed run
   * left open (recorded as sent now, not sent again; they count in the progress like the sent ones).
   */
  readonly found: readonly string[];
  /**
   * Sends the applications after the first batch (none without `firstBatch`), each after `before` (if given) has
   * settled; the same promise on every call. Never rejects: a failure is `error` (what was not sent is sent at the
   * next start).
   */
  sendRest(before?: () => Promise<void>): Promise<{ readonly sent: readonly SentApplication[]; readonly found: readonly string[]; readonly error?: unknown }>;
  /** Stops sending (after the application on its way) and the intermediary. */
  close(): Promise<void>;
}

/** What the demo is doing: making the test PKI's keys, creating its store, sending applications (done of total). */
export interface DemoProgress {
  readonly step: 'keys' | 'store' | 'applications';
  readonly done: number;
  readonly total: number;
}

export interface DemoOptions {
  /** Port of the intermediary (default 0: a free one). */
  readonly port?: number;
  /** Log lines of the intermediary (default: none). */
  readonly log?: (line: string) => void;
  /** How many applications to send before returning (default: all); the rest go in the background. */
  readonly firstBatch?: number;
  readonly onProgress?: (progress: DemoProgress) => void;
  /**
   * A stop while the demo is still being prepared: checked between the steps and before each application of the
   * first batch (the one on its way is finished and recorded); the start then ends with `stoppedWhilePreparing`,
   * its intermediary closed, nothing more sent.
   */
  readonly signal?: AbortSignal;
}

/** The start of a demo that a stop overtook (DemoOptions.signal): nothing more was sent after the stop. */
export const stoppedWhilePreparing = (): PostfachError =>
  trainingUnavailable('demo start stopped while it was being prepared (a stop came first); the intermediary is closed, nothing more is sent');

function unlessStopped(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw stoppedWhilePreparing();
}

/**
 * A question to the local intermediary that failed (a message id, a process card): the caseworker reads the
 * Übungsmodus's own words, not the intermediary's, IT the detail. The intent in the ledger stays open for the next
 * start to check.
 */
const notAsked =
  (what: string) =>
  (error: unknown): never => {
    const why = error instanceof PostfachError ? `${error.kind}: ${error.detail}` : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw trainingUnavailable(`demo intermediary, ${what}: ${why}`, error);
  };

/** The demo store's password KDF: a token scrypt cost (see where it is used). */
const DEMO_STORE_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

function writeSecret(file: string, text: string): void {
  writeFileSync(file, `${text}\n`, { mode: 0o600, flag: 'w' });
}

export async function startDemoMailbox(dir: string, options: DemoOptions = {}): Promise<DemoMailbox> {
  const root = path.resolve(dir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  // one demo per folder (demo-lock.ts): a second one would send what the first one sends, again
  const lock = takeDemoLock(root);
  try {
    return await runDemoMailbox(root, options, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function runDemoMailbox(root: string, options: DemoOptions, lock: DemoLock): Promise<DemoMailbox> {
  const pkiDir = demoPkiDir(root);
  const progress = options.onProgress ?? (() => undefined);
  await ensureDemoPki(pkiDir, (done, total) => progress({ step: 'keys', done, total }));
  unlessStopped(options.signal);
  const files = testPkiFiles(pkiDir);
  const intermediaryDir = path.join(root, 'intermediary');
  const intermediary = await startIntermediary({
    port: options.port ?? 0,
    dataDir: intermediaryDir,
    keys: loadIntermediaryKeys({ pkiDir }),
    ...(options.log ? { options: { log: options.log } } : {}),
  });
  try {
    const storePath = path.join(root, 'postfach.db');
    const passwordFile = path.join(root, 'store-password');
    const recoveryKeyFile = path.join(root, 'recovery-key.txt');
    const created = !PostfachStore.exists(storePath);
    let password: string;
    let recoveryKey: string | undefined;
    let store: PostfachStore;
    if (created) {
      progress({ step: 'store', done: 0, total: 1 });
      startLedger(root);
      password = randomBytes(18).toString('base64url');
      writeSecret(passwordFile, password);
      // the password is random (144 bits) and kept in plain text beside the store (demo data only): scrypt's cost
      // protects nothing here, and it was a second or two at every start of the Übungsmodus
      const made = await PostfachStore.create(storePath, { password, scrypt: DEMO_STORE_SCRYPT });
      store = made.store;
      recoveryKey = made.recoveryKey;
      writeSecret(recoveryKeyFile, recoveryKey);
      progress({ step: 'store', done: 1, total: 1 });
    } else {
      password = readFileSync(passwordFile, 'utf8').trim();
      store = await PostfachStore.open(storePath, { password });
    }
    try {
      const record = store.readMailboxIdentity();
      if (record === undefined) {
        const identity = identityFromFiles({
          keyFile: files.municipality.p12,
          password: readFileSync(files.password, 'utf8').replace(/\r?\n$/, ''),
          intermediaryUrl: intermediary.url,
          intermediaryCertificateFile: files.intermediary.cer,
        });
        store.saveMailboxIdentity(identityRecord(identity));
      } else {
        const current = identityFromRecord(record).connection;
        if (current.intermediaryUrl !== intermediary.url) store.updateMailboxConnection(connectionRecord({ ...current, intermediaryUrl: intermediary.url }));
      }
      // the demo's sender CA is trusted in the demo store as an office would trust its senders' CA (Settings →
      // Postfach): the Übungsmodus shows "vertrauenswürdig" like a real mailbox set up with its CA
      const ca = readFileSync(files.ca);
      if (!store.trustedCas().some((c) => c.fingerprint === fingerprintOf(ca))) {
        store.addTrustedCas([ca], 'demo');
        await store.reevaluateTrust(evaluationFor(store.trustedCas(), undefined, []), 'ca-added');
      }
    } finally {
      store.close();
    }
    unlessStopped(options.signal);
    const owed = owedApplications(root);
    const first = owed.slice(0, options.firstBatch ?? owed.length);
    let done = DEMO_APPLICATIONS.length - owed.length;
    if (owed.length > 0) progress({ step: 'applications', done, total: DEMO_APPLICATIONS.length });
    let loaded: SenderSetup | undefined;
    const setup = (): SenderSetup => (loaded ??= loadSenderSetup({ pkiDir }));
    const send = (app: DemoApplication, messageId: string): Promise<SentApplication[]> =>
      sendApplications({
        intermediaryUrl: intermediary.url,
        setup: setup(),
        service: app.service,
        seed: app.seed,
        messageId,
        ...(app.test ? { test: true } : {}),
        ...(app.attachments ? { attachments: app.attachments, attachmentSize: 120_000 } : {}),
      });
    const counted = () => progress({ step: 'applications', done: ++done, total: DEMO_APPLICATIONS.length });
    const sending = {
      dir: root,
      send,
      issueMessageId: () => issueMessageId(intermediary.url, setup()).catch(notAsked('message id')),
      delivered: (messageId: string) => deliveredUnder(intermediary.url, setup(), messageId).catch(notAsked(`process card of ${messageId}`)),
      onSent: counted,
    };
    /** Counts an application found at the intermediary by its open intent, and names it in `into`. */
    const foundInto = (into: string[]) => (_app: DemoApplication, messageId: string) => {
      into.push(messageId);
      counted();
    };
    const found: string[] = [];
    const sent = await sendDemoApplications({
      ...sending,
      applications: first,
      onFound: foundInto(found),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // a stop during the first batch: the application on its way was finished and recorded above, no further one
    unlessStopped(options.signal);
    const stop = new AbortController();
    let rest: Promise<{ readonly sent: readonly SentApplication[]; readonly found: readonly string[]; readonly error?: unknown }> | undefined;
    const sendRest = (before?: () => Promise<void>) => {
      const foundLater: string[] = [];
      return (rest ??= sendDemoApplications({
        ...sending,
        applications: owed.slice(first.length),
        onFound: foundInto(foundLater),
        signal: stop.signal,
        pauseMs: testPauseMs(),
        ...(before ? { before } : {}),
      }).then(
        (later) => ({ sent: later, found: foundLater }),
        (error: unknown) => ({ sent: [], found: foundLater, error }),
      ));
    };
    return {
      dir: root,
      storePath,
      unlock: { password },
      intermediaryUrl: intermediary.url,
      pkiDir,
      passwordFile,
      recoveryKeyFile: existsSync(recoveryKeyFile) ? recoveryKeyFile : undefined,
      intermediaryDir,
      created,
      recoveryKey,
      sent,
      found,
      sendRest,
      close: async () => {
        stop.abort();
        await rest;
        try {
          await intermediary.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    await intermediary.close();
    throw error;
  }
}
