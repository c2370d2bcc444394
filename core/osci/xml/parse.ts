/**
 * Hardened XML parsing for everything OSCI: @xmldom/xmldom 0.9 with every parse error fatal, any DOCTYPE refused
 * (no entity expansion, no external entities), size limited, nesting depth limited by a byte scan before the DOM
 * is built (core/xml/nesting.ts: the limit every XML reader shares; during the streaming pass for large sources),
 * and an Id index that refuses duplicate Id values document-wide (the defence against signature wrapping).
 */
import { createRequire } from 'node:module';
import type { DOMParser as XmldomParser, Document, Element, Node, onErrorStopParsing as XmldomStop } from '@xmldom/xmldom';
import { bufferSource, readAll, type ByteSource } from '../../io/byte-source.js';
import { osciError } from '../errors.js';
import { base64DecodedSource, decodeBase64Text } from '../mime/base64-stream.js';
import { MAX_XML_DEPTH, nestingWithin } from '../../xml/nesting.js';
import { rememberXmldomExpressions } from './xmldom-regex-cache.js';
import { elideLargeText, LARGE_TEXT_THRESHOLD, largeRunOf, PAYLOAD_TEXT_THRESHOLD, registerLargeTexts } from './large-text.js';

// required as CommonJS: an ESM import of a CommonJS package costs the loader more than a require (core/pki/forge.ts)
const { DOMParser, onErrorStopParsing } = createRequire(import.meta.url)('@xmldom/xmldom') as { DOMParser: typeof XmldomParser; onErrorStopParsing: typeof XmldomStop };

export const MAX_XML_BYTES = 64 * 1024 * 1024;
/** The program-wide nesting limit (core/xml/nesting.ts). */
export const MAX_DEPTH = MAX_XML_DEPTH;

export interface ParsedXml {
  readonly document: Document;
  readonly root: Element;
  /** Every element carrying an `Id` attribute, by value. */
  readonly ids: ReadonlyMap<string, Element>;
}

export interface ParseOptions {
  readonly maxBytes?: number;
  readonly maxDepth?: number;
  /** What the XML is (for error details), e.g. "inner SOAP envelope". */
  readonly what?: string;
}

const ELEMENT_NODE = 1;

export function parseXml(input: Buffer | string, options: ParseOptions = {}): ParsedXml {
  const what = options.what ?? 'XML';
  const maxBytes = options.maxBytes ?? MAX_XML_BYTES;
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > maxBytes) throw osciError('hostile-xml', `${what}: ${size} bytes exceed the limit of ${maxBytes}`);
  const maxDepth = options.maxDepth ?? MAX_DEPTH;
  // before any tree exists: a DOM of 200,000 nested elements alone would cost hundreds of MB
  if (nestingWithin(input, maxDepth) === undefined) throw deepNesting(what, maxDepth);
  let text = typeof input === 'string' ? input : input.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw osciError('hostile-xml', `${what}: DOCTYPE/ENTITY declarations are refused`);
  }
  let document: Document;
  rememberXmldomExpressions();
  try {
    document = new DOMParser({ onError: onErrorStopParsing }).parseFromString(text, 'text/xml');
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'parse error';
    throw osciError('malformed', `${what}: not well-formed XML (${message})`, { cause: error });
  }
  if (document.doctype !== null) throw osciError('hostile-xml', `${what}: DOCTYPE is refused`);
  const root = document.documentElement;
  if (!root) throw osciError('malformed', `${what}: no root element`);
  const ids = indexIds(root, maxDepth, what);
  return { document, root, ids };
}

function deepNesting(what: string, maxDepth: number) {
  return osciError('hostile-xml', `${what}: nesting deeper than ${maxDepth} levels`);
}

/**
 * Parses XML held by a byte source. Sources above the payload threshold are scanned first and their large text
 * runs (base64 payloads) kept out of the DOM as ranges of the source (xml/large-text.ts).
 */
export async function parseXmlSource(source: ByteSource, options: ParseOptions & { readonly largeTextThreshold?: number } = {}): Promise<ParsedXml> {
  const threshold = options.largeTextThreshold ?? LARGE_TEXT_THRESHOLD;
  const payloadThreshold = Math.min(threshold, PAYLOAD_TEXT_THRESHOLD);
  if (source.size <= payloadThreshold) return parseXml(await readAll(source, payloadThreshold), options);
  const maxBytes = options.maxBytes ?? MAX_XML_BYTES;
  const inMemory = bufferOf(source);
  // nothing to elide (the elision pass would return the same bytes, after copying them piece by piece): parsed as
  // they are, with the same checks (size, nesting, DOCTYPE) and errors
  if (inMemory && inMemory.length <= maxBytes && !hasTextRunLongerThan(inMemory, payloadThreshold)) return parseXml(inMemory, options);
  const maxDepth = options.maxDepth ?? MAX_DEPTH;
  const { xml, large } = await elideLargeText(source, threshold, maxBytes, maxDepth, options.what ?? 'XML', payloadThreshold);
  const parsed = parseXml(xml, options);
  if (large.runs.length > 0) registerLargeTexts(parsed.document, large);
  return parsed;
}

/** The bytes of a source that lies in memory (bufferSource), else undefined. */
function bufferOf(source: ByteSource): Buffer | undefined {
  const buffer = (source as { buffer?: unknown }).buffer;
  return Buffer.isBuffer(buffer) ? buffer : undefined;
}

/**
 * Could the elision pass find a text run longer than `limit` bytes? A text run lies between a tag's `>` and the
 * next `<`, so it is shorter than the distance between two consecutive `<` (or the document's start or end and
 * the nearest `<`); when no such distance exceeds `limit`, no run does. One native search per `<`.
 */
function hasTextRunLongerThan(xml: Buffer, limit: number): boolean {
  let previous = -1;
  for (let at = xml.indexOf(0x3c); at >= 0; at = xml.indexOf(0x3c, at + 1)) {
    if (at - previous > limit) return true;
    previous = at;
  }
  return xml.length - previous > limit;
}

/** Walks the tree iteratively (no recursion on hostile depth), checks depth and collects Ids. */
function indexIds(root: Element, maxDepth: number, what: string): Map<string, Element> {
  const ids = new Map<string, Element>();
  const stack: Array<[Node, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > maxDepth) throw deepNesting(what, maxDepth);
    const el = node as Element;
    const id = el.getAttribute('Id');
    if (id !== null && el.hasAttribute('Id')) {
      if (ids.has(id)) throw osciError('hostile-xml', `${what}: duplicate Id "${id.slice(0, 80)}" (possible signature wrapping)`);
      ids.set(id, el);
    }
    for (let c = node.lastChild; c; c = c.previousSibling) {
      if (c.nodeType === ELEMENT_NODE) stack.push([c, depth + 1]);
    }
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------------------------
// DOM helpers: navigation by namespace URI and local name only.

export function isElement(node: Node | null | undefined, ns?: string, local?: string): node is Element {
  if (!node || node.nodeType !== ELEMENT_NODE) return false;
  const el = node as Element;
  return (ns === undefined || el.namespaceURI === ns) && (local === undefined || el.localName === local);
}

export function childElements(parent: Node, ns?: string, local?: string): Element[] {
  const out: Element[] = [];
  for (let c = parent.firstChild; c; c = c.nextSibling) if (isElement(c, ns, local)) out.push(c);
  return out;
}

export function firstChild(parent: Node, ns: string, local: string): Element | undefined {
  for (let c = parent.firstChild; c; c = c.nextSibling) if (isElement(c, ns, local)) return c;
  return undefined;
}

export function requireChild(parent: Element, ns: string, local: string, what?: string): Element {
  const el = firstChild(parent, ns, local);
  if (!el) throw osciError('malformed', `${what ?? parent.localName}: missing element ${local}`);
  return el;
}

/** Text content of an element (concatenated text and CDATA of its descendants). */
export function textOf(el: Element): string {
  return el.textContent ?? '';
}

/** Attribute without namespace, or undefined. */
export function attr(el: Element, name: string): string | undefined {
  return el.hasAttribute(name) ? (el.getAttribute(name) ?? undefined) : undefined;
}

export function attrNS(el: Element, ns: string, local: string): string | undefined {
  return el.hasAttributeNS(ns, local) ? (el.getAttributeNS(ns, local) ?? undefined) : undefined;
}

/**
 * Decodes base64 element text (whitespace ignored); malformed input is an error. Text kept out of the DOM
 * (large-text.ts) is decoded from its source when that lies in memory; from a spool it must be read with
 * base64Source.
 */
export function base64Text(el: Element, what: string): Buffer {
  const text = textOf(el);
  const run = largeRunOf(el, text);
  if (run) {
    if (!('buffer' in run && Buffer.isBuffer((run as { buffer: unknown }).buffer))) throw osciError('malformed', `${what}: text too large`);
    return decodeBase64Text((run as { buffer: Buffer }).buffer, `${what}: invalid base64`);
  }
  return decodeBase64Text(text, `${what}: invalid base64`);
}

/** The decoded bytes of base64 element text, streamed from the source when the text was kept out of the DOM. */
export async function base64Source(el: Element, what: string): Promise<ByteSource> {
  const text = textOf(el);
  const run = largeRunOf(el, text);
  if (run) return base64DecodedSource(run);
  return bufferSource(base64Text(el, what));
}

/** Is `node` inside `ancestor` (or equal to it)? */
export function isWithin(node: Node, ancestor: Node): boolean {
  for (let n: Node | null = node; n; n = n.parentNode) if (n === ancestor) return true;
  return false;
}
