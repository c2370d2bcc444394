/**
 * The hand-over folder for the case system (issue 13): every new delivery, after its durable commit, written exactly
 * once into a folder the case system imports from —
 *
 *   <folder>/<name>/Antrag.xml          the application XML byte for byte (the stored content)
 *   <folder>/<name>/Antrag.pdf          the PDF for the e-file (core/export, as `postfach export --pdf`)
 *   <folder>/<name>/Anlagen/…           the documents, named after their content as the attachment export does
 *   <folder>/<name>/manifest.json       message id, Eingang, benefit, applicants, signature, SHA-256 of each file
 *   <folder>/<name>.done                written last: the case system takes the folder over when this is there
 *
 * or, for a delivery that is "nicht lesbar" or whose hand-over is quarantined, only `<name>.error` (a reason code, no
 * content). Written atomically: a temporary folder in the same folder, every file and folder fsynced, renamed to its
 * name (never over an existing one), the marker likewise; only then the store records it with its audit entry. A run
 * killed at any step leaves either nothing under the final names or a complete folder, which the next run finds,
 * checks against its manifest and completes — a delivery is never written twice. A folder that cannot be written
 * stops the run with `handover-folder`; the deliveries stay pending in the store.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { PostfachError, toPostfachError } from '../errors.js';
import { killPoint } from '../mailbox/kill-points.js';
import { writeMessageExport } from '../mailbox/export.js';
import type { ViewCache } from '../mailbox/message-detail.js';
import type { DeliveryRecord, HandoverLock, ServiceStore } from '../store/index.js';
import { syncFolder } from '../io/durable-file.js';
import { describeTree, exists, removeLeftovers, syncTree, writeFileOnce } from './durable.js';
import { folderNotWritable, inconsistentFolder } from './errors.js';
import { manifestOf, MANIFEST_FORMAT, type DoneMarker, type ErrorMarker, type Manifest } from './manifest.js';
import { againFolderName, ATTACHMENTS_FOLDER, deliveryFolderName, DONE_SUFFIX, ERROR_SUFFIX, MANIFEST_FILE, PDF_FILE, tempName, tempPrefix, XML_FILE } from './names.js';

export interface HandoverOptions {
  /** Either backend (the SQLite adapter or the shared store on PostgreSQL). */
  readonly store: ServiceStore;
  /** The hand-over folder (IT's setting `handoverFolder`). */
  readonly folder: string;
  readonly cache: ViewCache;
  /** The office time zone of the manifest's times. */
  readonly timeZone: string;
  readonly appVersion: string;
  /** A reason code when this message's hand-over must not read its content (the service quarantined it). */
  readonly refused?: (messageId: string) => string | undefined;
  /** Wraps the work on one message (the service records it as heavy work, so a crash quarantines that message). */
  readonly around?: <T>(subject: { storeId: number; messageId: string }, work: () => Promise<T>) => Promise<T>;
}

export interface HandoverRun {
  /** Deliveries written with content (`.done`). */
  readonly handedOver: number;
  /** Deliveries written as `.error` (not readable, quarantined). */
  readonly refused: number;
  /** Still pending after this run (a failure stopped it, or more than one batch). */
  readonly pending: number;
  /** Why the run stopped early; the deliveries not done stay pending. */
  readonly error?: PostfachError;
}

/** Words of the reason codes in `.error` markers. */
const REASON_WORDS: Readonly<Record<string, { de: string; en: string }>> = {
  unreadable: {
    de: 'Die Nachricht ist nicht lesbar; sie wird nicht übergeben. Bitte im Postfach ansehen.',
    en: 'The message is not readable; it is not handed over. Please look at it in the mailbox.',
  },
  quarantined: {
    de: 'Die Übergabe dieser Nachricht hat den Hintergrunddienst zum Absturz gebracht; sie wird nicht übergeben. Bitte im Postfach ansehen.',
    en: 'Handing this message over brought the background service down; it is not handed over. Please look at it in the mailbox.',
  },
};

const BATCH = 100;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Creates the hand-over folder when missing (its parent must exist: a wrong drive letter is not made up). */
async function ensureFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw folderNotWritable('create the hand-over folder', error);
  }
}

/** Whether `<name>/` matches its manifest; the manifest's SHA-256 when it does. */
async function checkFolder(folder: string, name: string): Promise<string> {
  const dir = path.join(folder, name);
  let raw: Buffer;
  let manifest: Manifest;
  try {
    raw = await readFile(path.join(dir, MANIFEST_FILE));
    manifest = JSON.parse(raw.toString('utf8')) as Manifest;
  } catch (error) {
    throw inconsistentFolder(name, `manifest unreadable (${(error as NodeJS.ErrnoException).code ?? 'json'})`);
  }
  const onDisk = await describeTree(dir, new Set([MANIFEST_FILE]));
  const listed = [...manifest.files].map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (JSON.stringify(onDisk) !== JSON.stringify(listed)) throw inconsistentFolder(name, `files differ from the manifest (${onDisk.length} on disk, ${listed.length} listed)`);
  return sha256(raw);
}

/** Writes `<name>/` complete into a temporary folder, then renames it into place. Returns the manifest's SHA-256. */
async function writeFolder(options: HandoverOptions, record: DeliveryRecord, name: string, again?: number): Promise<string> {
  const { folder, store, cache } = options;
  const temp = path.join(folder, tempName(name));
  try {
    await mkdir(temp, { mode: 0o700 });
  } catch (error) {
    throw folderNotWritable('create a temporary folder', error);
  }
  killPoint('handover-temp-created');
  try {
    const exportOptions = { timeZone: options.timeZone };
    await writeMessageExport(store, record.id, 'xml', path.join(temp, XML_FILE), cache, exportOptions);
    killPoint('handover-xml-written');
    await writeMessageExport(store, record.id, 'pdf', path.join(temp, PDF_FILE), cache, exportOptions);
    killPoint('handover-pdf-written');
    const documents = await writeMessageExport(store, record.id, 'attachments', path.join(temp, ATTACHMENTS_FOLDER), cache, exportOptions).catch((error: unknown) => {
      // a message without any document: no Anlagen folder
      if (error instanceof PostfachError && error.kind === 'export-unreadable') return { files: [] };
      throw error;
    });
    if (documents.files.length === 0) await rmdir(path.join(temp, ATTACHMENTS_FOLDER)).catch(() => undefined);
    killPoint('handover-attachments-written');
    const files = await syncTree(temp);
    const manifest = manifestOf(record, {
      folder: name,
      ...(again === undefined ? {} : { again }),
      files,
      timeZone: options.timeZone,
      appVersion: options.appVersion,
      now: new Date(),
    });
    const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
    if (!(await writeFileOnce(temp, MANIFEST_FILE, bytes))) throw inconsistentFolder(name, 'a document is named manifest.json');
    killPoint('handover-manifest-written');
    if (await exists(path.join(folder, name))) throw inconsistentFolder(name, 'the folder appeared while it was written');
    await rename(temp, path.join(folder, name));
    await syncFolder(folder);
    killPoint('handover-renamed');
    return sha256(bytes);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    const e = toPostfachError(error);
    if (e.kind === 'export-target' || (error as NodeJS.ErrnoException).code !== undefined) throw folderNotWritable('write a delivery folder', error);
    throw e;
  }
}

async function writeDone(folder: string, record: DeliveryRecord, name: string, manifestSha256: string): Promise<void> {
  const marker: DoneMarker = { format: MANIFEST_FORMAT, messageId: record.messageId, folder: name, manifestSha256 };
  try {
    await writeFileOnce(folder, `${name}${DONE_SUFFIX}`, Buffer.from(`${JSON.stringify(marker, null, 2)}\n`, 'utf8'));
  } catch (error) {
    throw folderNotWritable('write the .done file', error);
  }
  killPoint('handover-marker-written');
}

async function writeError(options: HandoverOptions, record: DeliveryRecord, name: string, reason: string): Promise<void> {
  const marker: ErrorMarker = {
    format: MANIFEST_FORMAT,
    messageId: record.messageId,
    storeId: record.id,
    reason,
    words: REASON_WORDS[reason] ?? REASON_WORDS.unreadable!,
    eingang: record.eingang,
    program: { name: 'OSCI-Postfach', version: options.appVersion },
  };
  try {
    await writeFileOnce(options.folder, `${name}${ERROR_SUFFIX}`, Buffer.from(`${JSON.stringify(marker, null, 2)}\n`, 'utf8'));
  } catch (error) {
    throw folderNotWritable('write the .error file', error);
  }
  killPoint('handover-error-marker-written');
}

/** Why this delivery goes over as `.error` only, or undefined. */
function refusal(options: HandoverOptions, record: DeliveryRecord): string | undefined {
  if (record.unreadableReason !== null) return 'unreadable';
  return options.refused?.(record.messageId);
}

/**
 * One delivery under `name`: whatever an earlier killed run left is completed (a complete folder gets its marker) or
 * removed (temporary names), never written again. Returns what the store is to record.
 */
async function handOverOne(options: HandoverOptions, record: DeliveryRecord, name: string, again?: number): Promise<{ state: 'done' | 'error'; reason?: string }> {
  const { folder } = options;
  // temporary names of a stopped run (its folder, a marker not yet renamed) never count: removed first
  try {
    await removeLeftovers(folder, tempPrefix(name));
  } catch (error) {
    throw folderNotWritable('remove what a stopped run left', error);
  }
  if (await exists(path.join(folder, `${name}${ERROR_SUFFIX}`))) {
    const marker = JSON.parse(await readFile(path.join(folder, `${name}${ERROR_SUFFIX}`), 'utf8')) as Partial<ErrorMarker>;
    return { state: 'error', reason: typeof marker.reason === 'string' && /^[a-z0-9-]{1,64}$/.test(marker.reason) ? marker.reason : 'unreadable' };
  }
  const done = await exists(path.join(folder, `${name}${DONE_SUFFIX}`));
  if (await exists(path.join(folder, name))) {
    // written by a run that was stopped after the rename: complete (the rename came after every fsync) — checked
    const manifestSha = await checkFolder(folder, name);
    if (!done) await writeDone(folder, record, name, manifestSha);
    return { state: 'done' };
  }
  if (done) throw inconsistentFolder(name, 'a .done file without its folder');
  const reason = refusal(options, record);
  if (reason !== undefined) {
    await writeError(options, record, name, reason);
    return { state: 'error', reason };
  }
  const manifestSha = await writeFolder(options, record, name, again);
  await writeDone(folder, record, name, manifestSha);
  return { state: 'done' };
}

const around = <T>(options: HandoverOptions, record: DeliveryRecord, work: () => Promise<T>): Promise<T> =>
  options.around ? options.around({ storeId: record.id, messageId: record.messageId }, work) : work();

/**
 * Hands over every pending delivery (oldest first), each recorded in the store as soon as it is on disk. A delivery
 * whose name is taken by a folder that does not match (`handover-inconsistent`) is left pending and the others go on;
 * any other failure (an unwritable folder fails for all alike) stops the run. Either is said in the result; nothing
 * is lost.
 */
export async function handOverPending(options: HandoverOptions): Promise<HandoverRun> {
  const { store } = options;
  let handedOver = 0;
  let refused = 0;
  const skipped = new Set<number>();
  let inconsistent: PostfachError | undefined;
  const stillPending = async (): Promise<number> => (await store.pendingHandovers(BATCH * 10)).length;
  let lock: HandoverLock | undefined;
  try {
    // one program at a time writes into the folder (two services on one shared store): the other waits, then finds
    // recorded what this one handed over
    lock = await store.takeHandoverLock();
    await store.startHandover();
    await ensureFolder(options.folder);
    for (;;) {
      const batch = (await store.pendingHandovers(BATCH + skipped.size)).filter((p) => !skipped.has(p.id));
      if (batch.length === 0) break;
      for (const pending of batch) {
        const record = await store.getDelivery(pending.id);
        const name = deliveryFolderName(record.messageId);
        let outcome: { state: 'done' | 'error'; reason?: string };
        try {
          outcome = await around(options, record, () => handOverOne(options, record, name));
        } catch (error) {
          const e = toPostfachError(error);
          if (e.kind !== 'handover-inconsistent') throw e;
          skipped.add(record.id);
          inconsistent ??= e;
          continue;
        }
        await store.recordHandover(record.id, { state: outcome.state, folder: name, ...(outcome.reason ? { reason: outcome.reason } : {}) });
        killPoint('handover-recorded');
        if (outcome.state === 'done') handedOver++;
        else refused++;
      }
    }
    return { handedOver, refused, pending: await stillPending(), ...(inconsistent ? { error: inconsistent } : {}) };
  } catch (error) {
    // the store itself may be what failed (the error says so): then how many wait is not known here
    return { handedOver, refused, pending: await stillPending().catch(() => 0), error: toPostfachError(error) };
  } finally {
    await lock?.release();
  }
}

/**
 * A delivery handed over once more on request, into a new folder `<name>-erneut-<n>` (the first n free), with its own
 * `.done` (or `.error`) marker; audited as a repeat. The first hand-over's record stays as it is.
 */
export async function handOverAgain(options: HandoverOptions, id: number): Promise<{ folder: string; state: 'done' | 'error'; path: string }> {
  const { store, folder } = options;
  const lock = await store.takeHandoverLock();
  try {
    return await handOverAgainLocked(options, store, folder, id);
  } finally {
    await lock.release();
  }
}

async function handOverAgainLocked(options: HandoverOptions, store: ServiceStore, folder: string, id: number): Promise<{ folder: string; state: 'done' | 'error'; path: string }> {
  await ensureFolder(folder);
  const record = await store.getDelivery(id);
  const base = deliveryFolderName(record.messageId);
  for (let n = 1; n < 10_000; n++) {
    const name = againFolderName(base, n);
    const taken =
      (await exists(path.join(folder, name))) || (await exists(path.join(folder, `${name}${DONE_SUFFIX}`))) || (await exists(path.join(folder, `${name}${ERROR_SUFFIX}`)));
    if (taken) continue;
    const outcome = await around(options, record, () => handOverOne(options, record, name, n));
    await store.recordHandover(record.id, { state: outcome.state, folder: name, again: true, ...(outcome.reason ? { reason: outcome.reason } : {}) });
    return { folder: name, state: outcome.state, path: path.join(folder, outcome.state === 'done' ? name : `${name}${ERROR_SUFFIX}`) };
  }
  throw folderNotWritable('find a free name for the repeat', undefined);
}
