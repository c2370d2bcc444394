/**
 * Streaming, hardened XML reading with sax (strict, namespace-aware). It builds a light element tree and never
 * keeps inline binary content: the text of an `inhalt` element (the document content of XSozial-basis,
 * `xsb:dokument/xsb:dokumentRepraesentation/xsb:inhalt`, and of other XÖV messages that use the same name) is
 * decoded piecewise as base64, hashed and measured instead, and its exact byte range in the source is remembered
 * so the document can be streamed again later without parsing. No other element is taken for a document, however
 * its text looks: text elsewhere is text, and over `maxTextLength` it is refused.
 *
 * Refused: DOCTYPE (and with it every entity declaration), encodings other than UTF-8, invalid UTF-8, characters
 * XML 1.0 does not allow (U+0000, other C0 controls but tab, line feed and carriage return, U+FFFE, U+FFFF),
 * nesting deeper than `maxDepth`, text nodes over `maxTextLength` (outside `inhalt`), more than `maxElements`
 * elements, more than 256 attributes on an element, names, attribute values or comments over 64 KiB.
 */
import { createHash, type Hash } from 'node:crypto';
import sax from 'sax';
import { MAX_XML_DEPTH } from '../xml/nesting.js';
import { Base64Decoder } from '../io/base64.js';
import { badEncoding, emptyXml, hostileXml, limitExceeded, malformedXml } from './errors.js';
import { MAGIC_LENGTH } from './magic.js';
import type { ByteRange, ByteSource } from '../io/byte-source.js';

export interface RawAttribute {
  readonly name: string;
  readonly local: string;
  readonly ns: string;
  readonly value: string;
}

export interface BinaryContent {
  /** 0-based position among the binary contents of the message, in document order. */
  readonly ordinal: number;
  size: number;
  sha256: string;
  /** First bytes of the decoded content (for the magic-byte check). */
  head: Uint8Array;
  /** Why the content is not valid base64, if it is not. */
  invalid?: string;
  /** Byte range of the base64 text in the source, when it can be read back directly (no entities, no CDATA). */
  range?: ByteRange;
  /** Not read (`skipBinaryContent`): size, digest, head and validity are unknown. */
  skipped?: true;
}

export interface RawElement {
  readonly name: string;
  readonly local: string;
  readonly ns: string;
  readonly attributes: readonly RawAttribute[];
  readonly children: RawElement[];
  /** Direct text content (concatenated); empty for binary content. */
  text: string;
  binary?: BinaryContent;
}

export interface XmlLimits {
  readonly maxDepth: number;
  readonly maxElements: number;
  /** Longest text node outside an `inhalt` element (binary content is not counted). */
  readonly maxTextLength: number;
  /** All kept text together. */
  readonly maxTotalText: number;
}

export const DEFAULT_LIMITS: XmlLimits = {
  // the program-wide limit (core/xml/nesting.ts), checked here as each start tag streams in
  maxDepth: MAX_XML_DEPTH,
  maxElements: 200_000,
  maxTextLength: 1024 * 1024,
  maxTotalText: 32 * 1024 * 1024,
};

/** Attributes on one element (XÖV elements carry two or three). */
const MAX_ATTRIBUTES = 256;
const MAX_ATTRIBUTE_LENGTH = 64 * 1024;

/** The element whose text is a document's content in base64 (XSozial-basis and the XÖV convention it follows). */
const BINARY_ELEMENT = 'inhalt';
/** A start tag that may open one (a match in a comment or an attribute value is harmless: see skipBinaryText). */
const BINARY_START_TAG = /<(?:[A-Za-z_][\w.-]*:)?inhalt(?=[\s/>])[^>]*>/g;

/** The parts of sax's parser state the binary fast path reads and moves on (sax 1.x, not in its typings). */
interface SaxPosition {
  readonly state: number;
  textNode: string;
  position: number;
  line: number;
  column: number;
}
const SAX_TEXT_STATE = (sax as unknown as { readonly STATE: Readonly<Record<string, number>> }).STATE['TEXT'];

/** Characters outside XML 1.0's Char production that valid UTF-8 can still carry (surrogates cannot). */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export interface XmlStreamOptions {
  readonly limits?: Partial<XmlLimits>;
  /** Called with each closed element; returning true stops reading (the rest of the source is not looked at). */
  readonly stopAfter?: (element: RawElement, depth: number) => boolean;
  /** Receives the decoded bytes of binary contents as they are read. */
  readonly onBinaryChunk?: (ordinal: number, bytes: Buffer) => void;
  /** Receives a binary content once it is complete. */
  readonly onBinaryEnd?: (binary: BinaryContent) => void;
  /**
   * Binary contents are passed over: their text is neither decoded nor hashed (size 0, `skipped`), its byte range
   * is still found. For readers that need none of the documents (the facts a fetch stores: read-delivery.ts).
   */
  readonly skipBinaryContent?: boolean;
}

interface OpenBinary {
  readonly content: BinaryContent;
  readonly decoder: Base64Decoder;
  readonly hash: Hash;
  readonly charStart: number;
  readonly byteStart: number;
  textChars: number;
  clean: boolean;
}

export class XmlStreamParser {
  private readonly parser: sax.SAXParser;
  private readonly limits: XmlLimits;
  private readonly stack: RawElement[] = [];
  private readonly binaries = new Map<RawElement, OpenBinary>();
  private readonly allBinaries: BinaryContent[] = [];
  private rootElement: RawElement | undefined;
  private elementCount = 0;
  private totalText = 0;
  private carry: Buffer = Buffer.alloc(0);
  private bytesSeen = 0;
  private started = false;
  private doctypeTail = '';
  // mapping of sax character positions to source byte offsets within the current chunk
  private chunkText = '';
  private chunkCharStart = 0;
  private chunkByteStart = 0;
  private mappedChars = 0;
  private mappedBytes = 0;
  private stopped = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(private readonly options: XmlStreamOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const parser = sax.parser(true, { xmlns: true, position: true, trim: false, normalize: false });
    parser.onerror = (error: Error) => {
      const where = `(line ${parser.line + 1}, column ${parser.column + 1})`;
      // sax stops names, attribute values, comments and the like at 64 KiB
      if (error.message.startsWith('Max buffer length exceeded')) throw limitExceeded(`${firstLine(error.message)} ${where}`);
      throw malformedXml(`${firstLine(error.message)} ${where}`);
    };
    parser.ondoctype = () => {
      throw hostileXml(`DOCTYPE declaration at line ${parser.line + 1}`);
    };
    // sax keeps the last of two equal attributes silently; XML forbids them
    let attributeNames = new Set<string>();
    parser.onopentagstart = () => {
      attributeNames = new Set();
    };
    parser.onattribute = (attribute) => {
      if (attributeNames.size >= MAX_ATTRIBUTES) throw limitExceeded(`more than ${MAX_ATTRIBUTES} attributes on one element`);
      if (attribute.value.length > MAX_ATTRIBUTE_LENGTH) throw limitExceeded(`attribute value longer than ${MAX_ATTRIBUTE_LENGTH} characters`);
      if (attributeNames.has(attribute.name)) throw malformedXml(`duplicate attribute (line ${parser.line + 1}, column ${parser.column + 1})`);
      attributeNames.add(attribute.name);
    };
    parser.onopentag = (tag) => this.open(tag as sax.QualifiedTag);
    parser.onclosetag = () => this.close();
    parser.ontext = (text: string) => this.text(text);
    parser.oncdata = (text: string) => this.cdata(text);
    this.parser = parser;
  }

  get done(): boolean {
    return this.stopped;
  }

  /** Feeds the next bytes of the source. */
  write(bytes: Uint8Array): void {
    if (this.stopped) return;
    let data = this.carry.length > 0 ? Buffer.concat([this.carry, bytes]) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    let byteStart = this.bytesSeen - this.carry.length;
    this.bytesSeen += bytes.length;
    if (!this.started) {
      if (data.length < 4) {
        this.carry = Buffer.from(data);
        return;
      }
      this.started = true;
      if ((data[0] === 0xfe && data[1] === 0xff) || (data[0] === 0xff && data[1] === 0xfe)) {
        throw badEncoding('UTF-16 byte order mark; only UTF-8 is accepted');
      }
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
        data = data.subarray(3);
        byteStart += 3;
      }
    }
    const cut = utf8CutPoint(data);
    this.carry = Buffer.from(data.subarray(cut));
    let text: string;
    try {
      text = this.decoder.decode(data.subarray(0, cut));
    } catch {
      throw badEncoding(`invalid UTF-8 sequence between byte ${byteStart} and ${byteStart + cut}`);
    }
    if (this.chunkCharStart === 0 && this.chunkText === '' && text.length > 0) checkDeclaredEncoding(text);
    const forbidden = NOT_XML_CHAR.exec(text);
    if (forbidden) {
      const code = forbidden[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      throw malformedXml(`character U+${code} is not allowed in XML 1.0 (byte ${byteStart + Buffer.byteLength(text.slice(0, forbidden.index))})`);
    }
    this.feed(text, byteStart);
  }

  /** Ends the source; returns the root element. */
  end(): { root: RawElement; binaries: readonly BinaryContent[] } {
    if (!this.stopped) {
      if (!this.started && this.carry.length > 0) {
        const tail = this.carry;
        this.carry = Buffer.alloc(0);
        this.started = true;
        this.write(tail);
      }
      if (this.carry.length > 0) throw badEncoding(`incomplete UTF-8 sequence at the end (byte ${this.bytesSeen - this.carry.length})`);
      if (this.rootElement === undefined) throw emptyXml(`no root element in ${this.bytesSeen} bytes`);
      this.parser.close();
    }
    if (this.rootElement === undefined) throw emptyXml(`no root element in ${this.bytesSeen} bytes`);
    return { root: this.rootElement, binaries: this.allBinaries };
  }

  private feed(text: string, byteStart: number): void {
    if (text.length === 0) return;
    if (this.rootElement === undefined) {
      const window = this.doctypeTail + text;
      if (window.includes('<!DOCTYPE') || window.includes('<!ENTITY')) throw hostileXml('DOCTYPE declaration before the root element');
      this.doctypeTail = window.slice(-9);
    }
    this.chunkText = text;
    this.chunkCharStart = this.parser.position;
    this.chunkByteStart = byteStart;
    this.mappedChars = 0;
    this.mappedBytes = 0;
    // sax reads every character in JavaScript; the base64 text of a document (most of an application's bytes) is
    // handed to the binary reader directly, so sax is given the markup up to the end of each `inhalt` start tag
    let at = 0;
    while (at < text.length && !this.stopped) {
      at = this.skipBinaryText(text, at);
      if (at >= text.length) break;
      BINARY_START_TAG.lastIndex = at;
      const m = BINARY_START_TAG.exec(text);
      const end = m ? m.index + m[0].length : text.length;
      this.parser.write(at === 0 && end === text.length ? text : text.slice(at, end));
      at = end;
    }
  }

  /**
   * When sax stands in the text of an open binary element, the text up to the next markup (`<`) or entity (`&`)
   * is what sax would report as text: it goes to the binary reader at once, and sax's position, line and column
   * move on as if sax had read it (text sax holds from before is passed on first, so the order stays). Anything
   * else is left to sax. Returns where sax has to continue.
   */
  private skipBinaryText(text: string, at: number): number {
    const p = this.parser as unknown as SaxPosition;
    if (p.state !== SAX_TEXT_STATE) return at;
    const element = this.stack[this.stack.length - 1];
    if (element === undefined || !this.binaries.has(element)) return at;
    let end = text.indexOf('<', at);
    if (end < 0) end = text.length;
    const amp = text.indexOf('&', at);
    if (amp >= 0 && amp < end) end = amp;
    if (end === at) return at;
    if (p.textNode !== '') {
      const held = p.textNode;
      p.textNode = '';
      this.text(held);
    }
    const run = text.slice(at, end);
    p.position += run.length;
    const lastBreak = run.lastIndexOf('\n');
    if (lastBreak < 0) {
      p.column += run.length;
    } else {
      for (let i = run.indexOf('\n'); i >= 0; i = run.indexOf('\n', i + 1)) p.line += 1;
      p.column = run.length - lastBreak - 1;
    }
    this.text(run);
    return end;
  }

  /** Source byte offset of the character at the parser's current position (inside the current chunk). */
  private currentByteOffset(): number {
    const k = Math.max(0, Math.min(this.chunkText.length, this.parser.position - this.chunkCharStart));
    if (k < this.mappedChars) {
      this.mappedChars = 0;
      this.mappedBytes = 0;
    }
    this.mappedBytes += Buffer.byteLength(this.chunkText.slice(this.mappedChars, k));
    this.mappedChars = k;
    return this.chunkByteStart + this.mappedBytes;
  }

  private open(tag: sax.QualifiedTag): void {
    if (this.stopped) return;
    this.elementCount += 1;
    if (this.elementCount > this.limits.maxElements) throw limitExceeded(`more than ${this.limits.maxElements} elements`);
    if (this.stack.length + 1 > this.limits.maxDepth) throw limitExceeded(`nesting deeper than ${this.limits.maxDepth} levels`);
    const attributes: RawAttribute[] = [];
    for (const a of Object.values(tag.attributes)) {
      if (a.name === 'xmlns' || a.prefix === 'xmlns') continue;
      attributes.push({ name: a.name, local: a.local, ns: a.uri, value: a.value });
    }
    const element: RawElement = { name: tag.name, local: tag.local, ns: tag.uri, attributes, children: [], text: '' };
    const parent = this.stack[this.stack.length - 1];
    if (parent) {
      parent.children.push(element);
      const parentBinary = this.binaries.get(parent);
      if (parentBinary) this.failBinary(parentBinary, 'element inside binary content');
    } else if (this.rootElement === undefined) {
      this.rootElement = element;
    }
    this.stack.push(element);
    if (tag.local === BINARY_ELEMENT && !tag.isSelfClosing) this.startBinary(element);
  }

  /** Starts binary content at the open tag of an `inhalt` element (its byte range in the source is then known). */
  private startBinary(element: RawElement): void {
    const content: BinaryContent = {
      ordinal: this.allBinaries.length,
      size: 0,
      sha256: '',
      head: new Uint8Array(0),
      ...(this.options.skipBinaryContent ? { skipped: true as const } : {}),
    };
    this.allBinaries.push(content);
    element.binary = content;
    const open: OpenBinary = {
      content,
      decoder: new Base64Decoder(),
      hash: createHash('sha256'),
      charStart: this.parser.position,
      byteStart: this.currentByteOffset(),
      textChars: 0,
      clean: true,
    };
    this.binaries.set(element, open);
  }

  private binaryText(open: OpenBinary, text: string): void {
    open.textChars += text.length;
    if (this.options.skipBinaryContent) return;
    const bytes = open.decoder.push(text);
    if (open.decoder.invalid !== undefined) {
      this.failBinary(open, open.decoder.invalid);
      return;
    }
    if (bytes.length === 0) return;
    const c = open.content;
    if (c.head.length < MAGIC_LENGTH) {
      c.head = Buffer.concat([c.head, bytes.subarray(0, MAGIC_LENGTH - c.head.length)]);
    }
    c.size += bytes.length;
    open.hash.update(bytes);
    this.options.onBinaryChunk?.(c.ordinal, bytes);
  }

  private failBinary(open: OpenBinary, reason: string): void {
    if (open.content.invalid === undefined) open.content.invalid = reason;
    open.clean = false;
  }

  private text(text: string): void {
    if (this.stopped) return;
    const element = this.stack[this.stack.length - 1];
    if (!element) return; // whitespace outside the root
    const open = this.binaries.get(element);
    if (open) {
      this.binaryText(open, text);
      return;
    }
    const length = element.text.length + text.length;
    if (length > this.limits.maxTextLength) throw limitExceeded(`text node longer than ${this.limits.maxTextLength} characters`);
    this.totalText += text.length;
    if (this.totalText > this.limits.maxTotalText) throw limitExceeded(`more than ${this.limits.maxTotalText} characters of text`);
    element.text += text;
  }

  private cdata(text: string): void {
    if (this.stopped) return;
    const element = this.stack[this.stack.length - 1];
    const open = element ? this.binaries.get(element) : undefined;
    if (open) open.clean = false; // the raw span no longer equals the text
    this.text(text);
  }

  private close(): void {
    if (this.stopped) return;
    const element = this.stack.pop();
    if (!element) return;
    const open = this.binaries.get(element);
    if (open) {
      this.binaries.delete(element);
      const c = open.content;
      if (!this.options.skipBinaryContent) {
        open.decoder.end();
        if (open.decoder.invalid !== undefined) this.failBinary(open, open.decoder.invalid);
        c.sha256 = open.hash.digest('hex');
      }
      const charEnd = this.parser.startTagPosition - 1;
      if (open.clean && charEnd - open.charStart === open.textChars) {
        c.range = { start: open.byteStart, end: open.byteStart + open.textChars };
      }
      this.options.onBinaryEnd?.(c);
    }
    if (this.options.stopAfter?.(element, this.stack.length)) this.stopped = true;
  }
}

/** Reads a whole source through a parser. */
export async function parseXmlSource(source: ByteSource, options: XmlStreamOptions = {}): Promise<{ root: RawElement; binaries: readonly BinaryContent[]; stoppedEarly: boolean }> {
  const parser = new XmlStreamParser(options);
  for await (const chunk of source.stream()) {
    parser.write(chunk);
    if (parser.done) break;
  }
  const stoppedEarly = parser.done;
  return { ...parser.end(), stoppedEarly };
}

/** Where to cut a byte chunk so that no UTF-8 sequence is split (the rest is carried to the next chunk). */
function utf8CutPoint(data: Uint8Array): number {
  const n = data.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = data[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    if (b < 0x80) return n;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return back < need ? n - back : n;
  }
  return n;
}

function checkDeclaredEncoding(text: string): void {
  const decl = /^\s*<\?xml[^?]*?encoding\s*=\s*["']([^"']*)["']/.exec(text.slice(0, 200));
  if (decl && !/^utf-?8$/i.test(decl[1]!)) {
    throw badEncoding(`declared encoding ${JSON.stringify(decl[1]!.slice(0, 40))}; only UTF-8 is accepted`);
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).slice(0, 200);
}
