/**
 * Large text nodes kept out of the DOM. OSCI messages carry megabytes of base64 as element text (the CipherValue
 * of an encrypted container, Base64Content with whole evidence documents inline). Before parsing, a streaming
 * scan replaces every text run longer than a threshold (and free of `&` and `>`, so its canonical form is the
 * run itself with line ends normalised) by a short unique marker; the run stays where it is — a range of the
 * source (a Buffer or an encrypted spool) — and is streamed again when it is hashed (C14N digests) or decoded
 * (base64). Only the small remainder of the document is parsed into a DOM.
 */
import { randomBytes } from 'node:crypto';
import type { Document, Node } from '@xmldom/xmldom';
import { readAll, sliceSource, type ByteSource } from '../../io/byte-source.js';
import { MAX_XML_DEPTH, NestingScanner } from '../../xml/nesting.js';
import { osciError } from '../errors.js';

/** Text runs above this size are elided (default 1 MiB). */
export const LARGE_TEXT_THRESHOLD = 1024 * 1024;

/**
 * Text of the payload elements (xenc:CipherValue, osci:Base64Content) is elided from this size on: it is base64
 * that is only ever hashed or decoded, and parsing hundreds of KB of it into the DOM, rendering it again for C14N
 * and matching it with regular expressions cost more than all the cryptography of a delivery (issue 14).
 * Every reader of these elements goes through base64Source/base64Text and the C14N digest, which stream runs.
 */
export const PAYLOAD_TEXT_THRESHOLD = 16 * 1024;

/** Local names of the payload elements (any prefix; only the threshold depends on it, never the result). */
const PAYLOAD_ELEMENTS = new Set(['CipherValue', 'Base64Content']);

export interface LargeTexts {
  /** Marker prefix; a marker is `${token}${index}Z`. */
  readonly token: string;
  /** The raw (unnormalised) text runs, as ranges of the source. */
  readonly runs: readonly ByteSource[];
}

const registry = new WeakMap<object, LargeTexts>();

export function registerLargeTexts(document: Document, large: LargeTexts): void {
  registry.set(document, large);
}

export function largeTextsOf(node: Node): LargeTexts | undefined {
  const doc = (node.ownerDocument ?? node) as unknown as object;
  return registry.get(doc);
}

/** The run a text value stands for, if it is exactly a marker. */
export function largeRunOf(node: Node, text: string): ByteSource | undefined {
  const large = largeTextsOf(node);
  if (!large || !text.startsWith(large.token)) return undefined;
  const m = /^(\d+)Z$/.exec(text.slice(large.token.length));
  return m ? large.runs[Number(m[1])] : undefined;
}

/** The run's text as C14N renders it: CRLF and lone CR become LF (XML end-of-line handling). */
export async function* normalizedRun(run: ByteSource): AsyncIterable<Buffer> {
  const LF = Buffer.from([0x0a]);
  let pendingCr = false;
  for await (const chunk of run.stream()) {
    if (!pendingCr && chunk.indexOf(0x0d) < 0) {
      yield chunk;
      continue;
    }
    const parts: Buffer[] = [];
    let start = 0;
    let i = 0;
    if (pendingCr) {
      parts.push(LF);
      pendingCr = false;
      if (chunk[0] === 0x0a) start = i = 1;
    }
    for (; i < chunk.length; i++) {
      if (chunk[i] !== 0x0d) continue;
      parts.push(chunk.subarray(start, i));
      if (i + 1 < chunk.length) {
        parts.push(LF);
        if (chunk[i + 1] === 0x0a) i++;
        start = i + 1;
      } else {
        pendingCr = true;
        start = chunk.length;
      }
    }
    if (start < chunk.length) parts.push(chunk.subarray(start));
    yield Buffer.concat(parts);
  }
  if (pendingCr) yield LF;
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;

interface Scan {
  readonly xml: Buffer;
  readonly large: LargeTexts;
}

/**
 * Streams the XML once, copying markup and small text into the result and replacing large text runs by markers.
 * Markup is copied as is; a DOCTYPE passes through unchanged and is refused by the parser afterwards. Nesting
 * deeper than `maxDepth` is refused during this pass (core/xml/nesting.ts), before anything is parsed.
 */
export async function elideLargeText(
  source: ByteSource,
  threshold = LARGE_TEXT_THRESHOLD,
  maxKept = 64 * 1024 * 1024,
  maxDepth = MAX_XML_DEPTH,
  what = 'XML',
  payloadThreshold = Math.min(threshold, PAYLOAD_TEXT_THRESHOLD),
): Promise<Scan> {
  const nesting = new NestingScanner(maxDepth);
  const token = `PFLT${randomBytes(8).toString('hex')}N`;
  const runs: ByteSource[] = [];
  const out: Buffer[] = [];
  let kept = 0;
  const keep = (b: Buffer) => {
    kept += b.length;
    if (kept > maxKept) throw osciError('hostile-xml', `XML markup and small text exceed ${maxKept} bytes`);
    out.push(b);
  };

  type State = 'text' | 'tag' | 'comment' | 'cdata' | 'pi';
  let state: State = 'text';
  let quote = 0;
  // current text run
  let runStart = 0;
  let runPending: Buffer[] = [];
  let runLength = 0;
  let runLarge = false;
  let runBad = false;
  // the element the current text belongs to, as far as the payload rule needs it: the local name of the last start
  // tag (ended by `>`, not self-closing); any other tag ends the payload
  let tagName = '';
  let tagNameOpen = false;
  let tagIsEnd = false;
  let tagSlash = false;
  let inPayload = false;

  const endRun = async (end: number) => {
    if (runLength === 0) return;
    if (runLarge && !runBad) {
      keep(Buffer.from(`${token}${runs.length}Z`, 'latin1'));
      runs.push(sliceSource(source, runStart, end));
    } else if (runLarge) {
      // rare: a large run with entities or `>` must be parsed after all
      keep(await readAll(source, maxKept, { start: runStart, end }));
    } else {
      for (const p of runPending) keep(p);
    }
    runPending = [];
    runLength = 0;
    runLarge = false;
    runBad = false;
  };

  let carry = Buffer.alloc(0);
  let base = 0; // absolute offset of data[0]
  const END = { comment: Buffer.from('-->'), cdata: Buffer.from(']]>'), pi: Buffer.from('?>') };

  const process = async (data: Buffer, final: boolean): Promise<void> => {
    let i = 0;
    while (i < data.length) {
      if (state === 'text') {
        const j = data.indexOf(LT, i);
        const segEnd = j < 0 ? data.length : j;
        if (segEnd > i) {
          const seg = data.subarray(i, segEnd);
          if (runLength === 0) runStart = base + i;
          if (seg.indexOf(AMP) >= 0 || seg.indexOf(GT) >= 0) runBad = true;
          runLength += seg.length;
          if (!runLarge) {
            // a run known to be large is not copied (it stays a range of the source)
            if (runLength > (inPayload ? payloadThreshold : threshold)) {
              runLarge = true;
              runPending = [];
            } else runPending.push(Buffer.from(seg));
          }
        }
        if (j < 0) return;
        if (!final && data.length - j < 9) {
          carry = Buffer.from(data.subarray(j));
          return;
        }
        await endRun(base + j);
        const head = data.subarray(j, j + 9).toString('latin1');
        if (head.startsWith('<!--')) {
          state = 'comment';
          keep(Buffer.from('<!--'));
          i = j + 4;
        } else if (head.startsWith('<![CDATA[')) {
          state = 'cdata';
          keep(Buffer.from('<![CDATA['));
          i = j + 9;
        } else if (head.startsWith('<?')) {
          state = 'pi';
          keep(Buffer.from('<?'));
          i = j + 2;
        } else {
          state = 'tag';
          quote = 0;
          tagName = '';
          tagNameOpen = true;
          tagIsEnd = false;
          tagSlash = false;
          inPayload = false;
          keep(Buffer.from('<'));
          i = j + 1;
        }
        continue;
      }
      if (state === 'tag') {
        // every byte of the markup passes here: the state is held in locals, quoted values are skipped natively
        let k = i;
        let q = quote;
        let nameOpen = tagNameOpen;
        let name = tagName;
        let isEnd = tagIsEnd;
        let slash = tagSlash;
        for (const n = data.length; k < n; k++) {
          if (q !== 0) {
            const close = data.indexOf(q, k);
            if (close < 0) {
              k = n;
              break;
            }
            k = close;
            q = 0;
            continue;
          }
          const b = data[k]!;
          if (b === GT) break;
          if (b === 0x22 || b === 0x27) q = b;
          if (nameOpen) {
            if (b === SLASH && name === '' && !isEnd) isEnd = true;
            else if (b <= 0x20 || b === SLASH || b === 0x3d || b === 0x22 || b === 0x27) nameOpen = false;
            else if (b === 0x3a)
              name = ''; // a prefix: what follows is the local name
            else if (name.length < 64) name += String.fromCharCode(b);
            else name = '~'; // longer than any payload element's name
          }
          slash = b === SLASH;
        }
        quote = q;
        tagNameOpen = nameOpen;
        tagName = name;
        tagIsEnd = isEnd;
        tagSlash = slash;
        if (k >= data.length) {
          keep(Buffer.from(data.subarray(i)));
          return;
        }
        keep(Buffer.from(data.subarray(i, k + 1)));
        i = k + 1;
        state = 'text';
        inPayload = !tagIsEnd && !tagSlash && PAYLOAD_ELEMENTS.has(tagName);
        continue;
      }
      const endSeq = END[state];
      const k = data.indexOf(endSeq, i);
      if (k < 0) {
        // keep all but a possible partial end sequence
        const safe = final ? data.length : Math.max(i, data.length - (endSeq.length - 1));
        keep(Buffer.from(data.subarray(i, safe)));
        if (!final) carry = Buffer.from(data.subarray(safe));
        return;
      }
      keep(Buffer.from(data.subarray(i, k + endSeq.length)));
      i = k + endSeq.length;
      state = 'text';
    }
  };

  for await (const chunk of source.stream()) {
    if (!nesting.feed(chunk)) throw osciError('hostile-xml', `${what}: nesting deeper than ${maxDepth} levels`);
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const dataBase = base; // absolute offset of data[0] (the carry starts there)
    carry = Buffer.alloc(0);
    base = dataBase;
    await process(data, false);
    base = dataBase + data.length - carry.length;
  }
  if (carry.length) {
    await process(carry, true);
  }
  await endRun(source.size);
  const xml = Buffer.concat(out);
  if (runs.length > 0) {
    let count = 0;
    for (let i = xml.indexOf(token); i >= 0; i = xml.indexOf(token, i + 1)) count++;
    if (count !== runs.length) throw osciError('malformed', 'large-text marker collision');
  }
  return { xml, large: { token, runs } };
}
