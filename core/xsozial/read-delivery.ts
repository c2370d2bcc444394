/**
 * The entry points of core/xsozial: read a delivered XML into the view model, summarise it cheaply for the
 * mailbox list, and stream an inline document's decoded bytes again later.
 */
import { createHash } from 'node:crypto';
import { applicantNamesOf, buildView, classify, headerFacts, type BuildOptions } from './build-view.js';
import { formatPersonName } from './person-names.js';
import { decodeBase64 } from '../io/base64.js';
import { documentMissing } from './errors.js';
import type { ByteSource } from '../io/byte-source.js';
import { toByteSource, type XmlSource } from './source.js';
import type { DeliverySummary, DeliveryView, DocumentView } from './view.js';
import { parseXmlSource, XmlStreamParser, type XmlLimits } from './xml-stream.js';

export interface ReadOptions extends BuildOptions {
  readonly limits?: Partial<XmlLimits>;
}

/** Reads the whole content (streaming; inline documents are hashed and measured, never kept). */
export async function readDelivery(source: XmlSource, options: ReadOptions = {}): Promise<DeliveryView> {
  const bytes = toByteSource(source);
  const { root } = await parseXmlSource(bytes, options.limits ? { limits: options.limits } : {});
  return buildView(root, bytes.size, options);
}

/** What the mailbox keeps of a content when it fetches it (the list's columns and the search index). */
export type StoreFacts = Pick<DeliveryView, 'applicantNames' | 'benefit' | 'product' | 'applicationDate' | 'test' | 'createdAt'> & {
  /** The values of the cards (not the documents, not the persons' summaries), for the search index; up to 256 KiB. */
  readonly searchText: string;
};

const SEARCH_TEXT_LIMIT = 256 * 1024;

/**
 * The facts a fetch stores of a content, read as readDelivery reads it — the whole XML, with the same limits and
 * checks, so a content readDelivery refuses is refused here the same way — but without decoding or hashing the
 * inline documents' base64 (most of an application's bytes): their sizes and digests belong to the message view,
 * which reads them when the message is opened, and nothing of them is stored.
 */
export async function readStoreFacts(source: XmlSource, options: ReadOptions = {}): Promise<StoreFacts> {
  const bytes = toByteSource(source);
  const { root } = await parseXmlSource(bytes, { ...(options.limits ? { limits: options.limits } : {}), skipBinaryContent: true });
  return storeFactsOf(buildView(root, bytes.size, options));
}

/** What the store keeps of a view: the list's facts and the search text. */
export function storeFactsOf(view: DeliveryView): StoreFacts {
  return {
    applicantNames: view.applicantNames,
    test: view.test,
    ...(view.benefit ? { benefit: view.benefit } : {}),
    ...(view.product !== undefined ? { product: view.product } : {}),
    ...(view.applicationDate ? { applicationDate: view.applicationDate } : {}),
    ...(view.createdAt ? { createdAt: view.createdAt } : {}),
    searchText: searchTextOf(view),
  };
}

/** The values shown on the cards (a person's summary repeats values of its other sections; documents are not text). */
export function searchTextOf(view: Pick<DeliveryView, 'cards'>): string {
  const parts: string[] = [];
  let size = 0;
  for (const card of view.cards) {
    for (const section of card.sections.filter((s) => s.role !== 'summary')) {
      for (const field of section.fields) {
        if (field.value.kind === 'document' || field.value.kind === 'empty') continue;
        parts.push(field.value.display);
        size += field.value.display.length;
        if (size > SEARCH_TEXT_LIMIT) return parts.join(' ');
      }
    }
  }
  return parts.join(' ');
}

/** Applicants, benefit, date and test flag, read up to the end of the case data (the documents are skipped). */
export async function summarize(source: XmlSource, options: Pick<ReadOptions, 'limits' | 'codeLists'> = {}): Promise<DeliverySummary> {
  const { root } = await parseXmlSource(toByteSource(source), {
    ...(options.limits ? { limits: options.limits } : {}),
    // depth: root = 0, xsozial = 1, vorgang = 2 (the stack depth after the element closed)
    stopAfter: (el, depth) => (el.local === 'vorgang' && depth === 2) || (el.local === 'xsozial' && depth === 1),
  });
  const kind = classify(root);
  const facts = headerFacts(root, options.codeLists);
  const names = kind === 'xsozial-application' ? applicantNamesOf(root, options.codeLists) : [];
  return {
    kind,
    applicants: names.map((n) => formatPersonName(n, false)),
    applicantNames: names,
    test: facts.test,
    ...(facts.benefit ? { benefit: facts.benefit } : {}),
    ...(facts.applicationDate ? { applicationDate: facts.applicationDate.raw, applicationDateDisplay: facts.applicationDate.display } : {}),
    ...(facts.messageId ? { messageId: facts.messageId } : {}),
    ...(facts.product ? { product: facts.product } : {}),
    ...(facts.standard ? { standard: facts.standard } : {}),
    ...(facts.version ? { version: facts.version } : {}),
  };
}

/**
 * The decoded bytes of an inline document, streamed from the same source the view was read from: directly from
 * its byte range where it has one, otherwise by reading the XML again up to that document. The SHA-256 is checked
 * at the end, so a source that changed underneath ends in an error rather than in wrong bytes.
 */
export async function* openDocument(source: XmlSource, doc: DocumentView): AsyncGenerator<Buffer> {
  if (doc.problem?.kind === 'document-invalid') throw documentMissing(`document ${doc.ordinal}: content is not valid base64`);
  const bytes = toByteSource(source);
  const hash = createHash('sha256');
  let size = 0;
  const chunks = doc.location.kind === 'range' ? fromRange(bytes, doc.location.start, doc.location.end) : byReparse(bytes, doc.ordinal);
  for await (const chunk of chunks) {
    hash.update(chunk);
    size += chunk.length;
    yield chunk;
  }
  if (size !== doc.size || hash.digest('hex') !== doc.sha256) {
    throw documentMissing(`document ${doc.ordinal}: ${size} bytes read, ${doc.size} expected, or SHA-256 differs`);
  }
}

/** A re-readable source of a document's decoded bytes (size known from the view). */
export function documentSource(source: XmlSource, doc: DocumentView): ByteSource {
  return {
    size: doc.size,
    async *stream(range) {
      if (!range || (range.start === 0 && range.end === doc.size)) {
        yield* openDocument(source, doc);
        return;
      }
      let offset = 0;
      for await (const chunk of openDocument(source, doc)) {
        const from = Math.max(range.start - offset, 0);
        const to = Math.min(range.end - offset, chunk.length);
        if (to > from) yield chunk.subarray(from, to);
        offset += chunk.length;
        if (offset >= range.end) return;
      }
    },
  };
}

/** Reads a whole document into memory (for small documents and the PDF export's page import). */
export async function readDocumentBytes(source: XmlSource, doc: DocumentView): Promise<Buffer> {
  // one buffer of the known size, filled as the chunks come (no list of chunks and a copy of them all: a document
  // of several MB is read up to four times by a PDF export)
  // (as Buffer.concat(parts, doc.size) did: cut at the recorded size, zeros after a shorter content)
  const out = Buffer.alloc(doc.size);
  let at = 0;
  for await (const chunk of openDocument(source, doc)) {
    if (at < out.length) chunk.copy(out, at, 0, Math.min(chunk.length, out.length - at));
    at += chunk.length;
  }
  return out;
}

async function* fromRange(bytes: ByteSource, start: number, end: number): AsyncGenerator<Buffer> {
  if (end > bytes.size) throw documentMissing(`byte range ${start}-${end} beyond the source of ${bytes.size} bytes`);
  yield* decodeBase64(bytes.stream({ start, end }), (reason) => documentMissing(`byte range ${start}-${end}: ${reason}`));
}

async function* byReparse(bytes: ByteSource, ordinal: number): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let finished = false;
  const parser = new XmlStreamParser({
    onBinaryChunk: (n, chunk) => {
      if (n === ordinal) queue.push(chunk);
    },
    onBinaryEnd: (binary) => {
      if (binary.ordinal === ordinal) finished = true;
    },
    stopAfter: () => finished,
  });
  for await (const chunk of bytes.stream()) {
    parser.write(chunk);
    while (queue.length > 0) yield queue.shift()!;
    if (finished || parser.done) break;
  }
  if (!finished) throw documentMissing(`inline content ${ordinal} not found when reading the source again`);
}
