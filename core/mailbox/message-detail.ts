/**
 * A message as the detail view shows it (Laufzettel, signature and certificate results as codes and facts with the
 * technical detail, every stored part with what the signature covers of it, the readable view of the content, the
 * documents: inline xsb:dokument and OSCI attachments, each with its coverage), and a document's bytes for the
 * viewer in bounded chunks. The contract's DTO (with the words) is made from it in core/api/handlers/evidence-dto.ts.
 *
 * The view is read again from the stored content (streaming, core/xsozial) rather than stored: the reader may
 * improve between versions, and the store keeps only what was delivered. The last few views are kept in memory,
 * so the viewer's chunk requests do not read the XML again each time.
 */
import type { PartCoverageFacts } from '../domain/coverage.js';
import type { InspectionFacts, SignatureCheckFacts } from '../domain/evidence.js';
import { PostfachError, toPostfachError, type PostfachErrorJson } from '../errors.js';
import { PostfachStore, SqliteMailboxStore, type DeliveryListItem, type DeliveryRecord, type DeliveryRef, type ServiceStore } from '../store/index.js';
import { documentSource, readDelivery, type DeliveryView, type DisplayValue, type DocumentView } from '../xsozial/index.js';
import type { ByteSource } from '../io/byte-source.js';
import { codeListRegistry, codeListRegistryOf } from './code-lists.js';
import { extraStatusOf, inlineDocumentFile, storedAttachmentFile } from './document-files.js';
import { mailboxError } from './errors.js';
import { coverageOf, inspectionsOf, laufzettelOf, signaturesOf, type Laufzettel } from './message-dto.js';
import { rangedSource, readRange } from './stored-content.js';
import { clipText } from '../text-bounds.js';
import { boundedView, findValue } from './bounded-view.js';

/** Inline documents (xsb:dokument in the XML) and OSCI attachments, one list for the viewer. */
export type DocumentRef =
  { readonly source: 'inline'; readonly ordinal: number } | { readonly source: 'attachment'; readonly attachmentId: number } | { readonly source: 'content' };

/** One part of the delivery as stored: the content (the application, or the delivery as received) or an attachment. */
export interface StoredPart {
  readonly ref: { readonly source: 'content' } | { readonly source: 'attachment'; readonly attachmentId: number };
  readonly name: string;
  readonly mimeType: string | null;
  readonly size: number;
  readonly sha256: string;
  readonly coverage: PartCoverageFacts;
}

export interface DocumentEntry {
  readonly ref: DocumentRef;
  readonly name: string;
  readonly fileName?: string;
  readonly mimeType?: string;
  readonly detectedMimeType?: string;
  readonly mimeMismatch: boolean;
  readonly size: number;
  readonly sha256: string;
  readonly isApplicationForm: boolean;
  readonly problem?: { readonly de: string; readonly en: string };
  readonly exportName: string;
  readonly exportAllowed: boolean;
  readonly coverage?: PartCoverageFacts;
}

/** A stored message opened: the store's list item, the evidence as codes and facts, the view, the documents. */
export interface MessageFacts {
  readonly item: DeliveryListItem;
  readonly laufzettel: Laufzettel;
  readonly signatures: readonly SignatureCheckFacts[];
  readonly parts: readonly StoredPart[];
  readonly inspections: readonly InspectionFacts[];
  readonly content: { readonly size: number; readonly sha256: string; readonly contentType: string | null };
  readonly view: DeliveryView | null;
  readonly viewError?: PostfachErrorJson;
  readonly documents: readonly DocumentEntry[];
  readonly checklist: readonly string[];
  /** The office's own notes on it (Aktenzeichen, note, Wiedervorlage day). */
  readonly caseWork: { readonly aktenzeichen: string | null; readonly note: string | null; readonly followUpOn: string | null };
  readonly times: DeliveryRecord['times'];
}

interface CachedView {
  /** What the view was read with: the content's SHA-256, the code lists' stamp, the name order. */
  readonly key: string;
  readonly view: DeliveryView | undefined;
  readonly error: PostfachError | undefined;
}

/** How views are written: the caseworker's settings that change the view (not the content). */
export interface ViewSettings {
  /** Persons as "Nachname, Vorname" (default) or "Vorname Nachname". */
  readonly familyNameFirst: boolean;
}

/** The last views read, by store id (a handful: one per open tab at most). */
export class ViewCache {
  private readonly entries = new Map<number, CachedView>();
  /** Set by the handlers from the settings before a view is read; part of each entry's key. */
  settings: ViewSettings = { familyNameFirst: true };
  constructor(private readonly capacity = 8) {}

  get(id: number, key: string): CachedView | undefined {
    const hit = this.entries.get(id);
    if (hit === undefined || hit.key !== key) return undefined;
    this.entries.delete(id);
    this.entries.set(id, hit);
    return hit;
  }

  set(id: number, entry: CachedView): void {
    this.entries.delete(id);
    this.entries.set(id, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as number);
  }

  forget(id: number): void {
    this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** A message's store: the SQLite store itself, or any store behind the asynchronous interface (PostgreSQL). */
export type DetailStore = PostfachStore | ServiceStore;

// one adapter per SQLite store, so that the code-list registry cached per store stays cached
const adapters = new WeakMap<PostfachStore, ServiceStore>();
function asService(store: DetailStore): ServiceStore {
  if (!(store instanceof PostfachStore)) return store;
  let adapter = adapters.get(store);
  if (adapter === undefined) adapters.set(store, (adapter = new SqliteMailboxStore(store)));
  return adapter;
}

export function contentSource(store: DetailStore, record: Pick<DeliveryRecord, 'id' | 'content'>): ByteSource {
  return rangedSource(record.content.size, () => store.openContent(record.id));
}

async function viewOf(store: DetailStore, record: DeliveryRecord, cache: ViewCache): Promise<CachedView> {
  const settings = cache.settings;
  // an imported code list or another name order gives another view of the same content
  const key = `${record.content.sha256}|${await store.codeListsStamp()}|${settings.familyNameFirst ? 'family' : 'given'}`;
  const cached = cache.get(record.id, key);
  if (cached) return cached;
  let entry: CachedView;
  if (record.unreadableReason !== null) {
    entry = { key, view: undefined, error: undefined };
  } else {
    try {
      const options = {
        codeLists: store instanceof PostfachStore ? codeListRegistry(store) : await codeListRegistryOf(asService(store)),
        familyNameFirst: settings.familyNameFirst,
      };
      entry = { key, view: await readDelivery(contentSource(store, record), options), error: undefined };
    } catch (error) {
      entry = { key, view: undefined, error: toPostfachError(error) };
    }
  }
  cache.set(record.id, entry);
  return entry;
}

/** Every stored part: the content (the application, or the delivery as received), then the attachments in order. */
export function partsOf(record: DeliveryRecord): StoredPart[] {
  const content = coverageOf(record.content.coverage);
  return [
    {
      ref: { source: 'content' as const },
      name: content.role === 'received' ? 'Zustellung (so wie empfangen)' : record.unreadableReason === null ? 'Antrag (XML)' : 'Inhalt (XML)',
      mimeType: record.content.contentType,
      size: record.content.size,
      sha256: record.content.sha256,
      coverage: content,
    },
    ...record.attachments.map((a) => ({
      ref: { source: 'attachment' as const, attachmentId: a.id },
      name: clipText(a.name, SHOWN_NAME_CHARS),
      mimeType: a.mimeType,
      size: a.size,
      sha256: a.sha256,
      coverage: coverageOf(a.coverage),
    })),
  ];
}

/** Characters of a part's or document's name the window and the Laufzettel show (as the sender wrote it, of any length). */
const SHOWN_NAME_CHARS = 300;

function documentsOf(view: DeliveryView | undefined, record: DeliveryRecord): DocumentEntry[] {
  const contentCoverage = coverageOf(record.content.coverage);
  const inline = (view?.documents ?? []).map((d) => {
    const file = inlineDocumentFile(d);
    return {
      ref: { source: 'inline' as const, ordinal: d.ordinal },
      // as written in the message, of any length: shown cut to a line's worth (the view keeps them in full; export
      // file names are made from the content, document-files.ts)
      name: clipText(d.name, SHOWN_NAME_CHARS),
      ...(d.fileName === undefined ? {} : { fileName: clipText(d.fileName, SHOWN_NAME_CHARS) }),
      ...(d.mimeType === undefined ? {} : { mimeType: clipText(d.mimeType, 200) }),
      ...(d.detectedMimeType === undefined ? {} : { detectedMimeType: d.detectedMimeType }),
      mimeMismatch: d.mimeMismatch,
      size: d.size,
      sha256: d.sha256,
      isApplicationForm: d.isApplicationForm,
      ...(d.problem === undefined ? {} : { problem: { de: d.problem.de, en: d.problem.en } }),
      exportName: file.fileName,
      exportAllowed: file.allowed,
      // an inline document is part of the application's bytes: it has the application's coverage
      coverage: contentCoverage,
    };
  });
  const attachments = record.attachments.map((a) => {
    const file = storedAttachmentFile(a, extraStatusOf(record, a));
    return {
      ref: { source: 'attachment' as const, attachmentId: a.id },
      name: clipText(a.name, SHOWN_NAME_CHARS),
      fileName: clipText(a.name, SHOWN_NAME_CHARS),
      // an OSCI attachment declares no type; what is stored is what its bytes are
      ...(file.detected === undefined ? {} : { detectedMimeType: file.detected }),
      mimeMismatch: file.mismatch,
      size: a.size,
      sha256: a.sha256,
      isApplicationForm: false,
      ...(file.mismatch ? { problem: attachmentMismatch(file.detected) } : {}),
      exportName: file.fileName,
      exportAllowed: file.allowed,
      coverage: coverageOf(a.coverage),
    };
  });
  return [...inline, ...attachments];
}

/** An OSCI attachment whose name claims a PDF or image its bytes are not. */
function attachmentMismatch(detected: string | undefined): { de: string; en: string } {
  return {
    de: `Der Dateiname nennt einen anderen Dateityp als den Inhalt (Inhalt: ${detected ?? 'nicht erkannt'}).`,
    en: `The file name names another file type than the content (content: ${detected ?? 'not recognised'}).`,
  };
}

/** Opens a message for a caseworker: audited as "geöffnet" and marked read by the store. */
export async function messageDetail(
  store: DetailStore,
  ref: DeliveryRef,
  cache: ViewCache,
  options: { readonly timeZone?: string; readonly viewRefused?: PostfachError } = {},
): Promise<MessageFacts> {
  const record = await store.openDelivery(ref);
  // refused (the content brought the service down before): shown without the view, with the reason
  const { view, error } = options.viewRefused === undefined ? await viewOf(store, record, cache) : { view: undefined, error: options.viewRefused };
  return {
    item: record,
    laufzettel: laufzettelOf(record, options.timeZone),
    signatures: signaturesOf(record),
    parts: partsOf(record),
    inspections: inspectionsOf(record),
    content: { size: record.content.size, sha256: record.content.sha256, contentType: record.content.contentType },
    // long values shortened, the full ones one call away (messages.value): the detail stays small whatever came in
    view: view === undefined ? null : boundedView(view),
    ...(error === undefined ? {} : { viewError: error.toJSON() }),
    documents: documentsOf(view, record),
    checklist: [...record.checklist],
    caseWork: { aktenzeichen: record.aktenzeichen, note: record.note, followUpOn: record.followUpOn },
    times: record.times,
  };
}

/** One value of a message in full (the detail shortens long values), without auditing: the message is open already. */
export async function fullValue(store: DetailStore, id: number, where: 'card' | 'tree', valueId: string, cache: ViewCache): Promise<DisplayValue> {
  const view = await storedView(store, await store.getDelivery(id), cache);
  const found = view === undefined ? undefined : findValue(view, where, valueId);
  if (found === undefined) throw mailboxError('value-missing', `no ${where} value with that id in message ${id}`);
  return found;
}

/** The view of a stored message without auditing (exports, which audit themselves). */
export async function storedView(store: DetailStore, record: DeliveryRecord, cache: ViewCache): Promise<DeliveryView | undefined> {
  const { view, error } = await viewOf(store, record, cache);
  if (error) throw error;
  return view;
}

export function inlineDocument(view: DeliveryView | undefined, ordinal: number): DocumentView {
  const doc = view?.documents.find((d) => d.ordinal === ordinal);
  if (doc === undefined) throw mailboxError('document-missing', `no inline document ${ordinal}`);
  return doc;
}

/** A document's bytes as a re-readable source. */
export async function documentBytes(store: DetailStore, id: number, ref: DocumentRef, cache: ViewCache): Promise<ByteSource> {
  const record = await store.getDelivery(id);
  if (ref.source === 'content') return contentSource(store, record);
  if (ref.source === 'attachment') {
    const attachment = record.attachments.find((a) => a.id === ref.attachmentId);
    if (attachment === undefined) throw mailboxError('document-missing', `attachment ${ref.attachmentId} is not part of message ${id}`);
    return rangedSource(attachment.size, () => store.openAttachment(attachment.id));
  }
  const view = await storedView(store, record, cache);
  return documentSource(contentSource(store, record), inlineDocument(view, ref.ordinal));
}

export async function documentChunk(
  store: DetailStore,
  id: number,
  ref: DocumentRef,
  offset: number,
  length: number,
  cache: ViewCache,
): Promise<{ offset: number; size: number; data: string; done: boolean }> {
  const source = await documentBytes(store, id, ref, cache);
  const bytes = await readRange(source, offset, length);
  return { offset, size: source.size, data: bytes.toString('base64'), done: offset + bytes.length >= source.size };
}
