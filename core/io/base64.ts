/**
 * The one streaming base64 decoder: base64 text that arrives in pieces (MIME parts, large XML text nodes, inline
 * document content in XSozial) is decoded group by group without holding the whole text. XML whitespace (space, tab,
 * CR, LF: line breaks, indentation) is skipped; any other character outside the alphabet, misplaced padding, data after the
 * padding or a dangling partial group makes the data invalid instead of being dropped silently. Padding may arrive
 * split across pieces ("ab=" then "="). The decoder itself never throws: it names what is wrong, and each caller
 * turns that into its own error (core/osci: `malformed`; core/xsozial: the document is missing).
 */
// XML Schema's base64Binary allows only these four whitespace characters (not \f, \v or U+00A0, which `\s` takes)
const NON_BASE64 = /[^A-Za-z0-9+/= \t\r\n]/;
const WHITESPACE = /[ \t\r\n]+/g;
const EMPTY = Buffer.alloc(0);

export class Base64Decoder {
  private pending = '';
  private padded = false;
  private invalidReason: string | undefined;

  /** Why the data is not valid base64, once it is known; undefined while it is. */
  get invalid(): string | undefined {
    return this.invalidReason;
  }

  /** Decodes what of `text` (base64 characters; bytes are read as Latin-1) forms whole groups; maybe nothing. */
  push(text: string | Uint8Array): Buffer {
    if (this.invalidReason !== undefined) return EMPTY;
    const chars = typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('latin1');
    if (NON_BASE64.test(chars)) return this.fail('invalid character in base64 data');
    const compact = this.pending + chars.replace(WHITESPACE, '');
    if (compact.length === 0) return EMPTY;
    if (this.padded) return this.fail('base64 data continues after padding');
    const padAt = compact.indexOf('=');
    if (padAt < 0) {
      const whole = compact.length - (compact.length % 4);
      this.pending = compact.slice(whole);
      return whole > 0 ? Buffer.from(compact.slice(0, whole), 'base64') : EMPTY;
    }
    // padding closes the last group only: "xx==" or "xxx=", maybe still incomplete in this piece
    const groupStart = padAt - (padAt % 4);
    const tail = compact.slice(padAt);
    if (!/^=+$/.test(tail) || padAt - groupStart < 2 || compact.length - groupStart > 4) return this.fail('misplaced base64 padding');
    if (compact.length - groupStart < 4) {
      this.pending = compact.slice(groupStart);
      return groupStart > 0 ? Buffer.from(compact.slice(0, groupStart), 'base64') : EMPTY;
    }
    this.padded = true;
    this.pending = '';
    return Buffer.from(compact, 'base64');
  }

  /** Ends the data: a dangling partial group makes it invalid. */
  end(): void {
    if (this.invalidReason === undefined && this.pending.length > 0) this.invalidReason = 'base64 data ends with an incomplete group';
  }

  private fail(reason: string): Buffer {
    this.invalidReason = reason;
    return EMPTY;
  }
}

/** The whitespace strict base64 text may carry between its groups (line breaks, indentation). */
const ASCII_WHITESPACE = /[ \t\r\n]+/g;

const LF = 0x0a;
const CR = 0x0d;
const PAD = 0x3d;
/**
 * Text is turned into strings in pieces of at most this many bytes: V8 places such a string in the young
 * generation (a bump allocation that dies young); one string of a whole payload goes to the large-object space
 * and costs more than the decoding itself.
 */
const PIECE_BYTES = 64 * 1024;

/**
 * Decodes laid-out base64 bytes the way one writes them (lines of one width, LF or CRLF between them, maybe one
 * line break before and after) with Node's native decoder, piece by piece, straight into the result; anything
 * else gives undefined and is left to the general path. Strictness comes from counting, not from a character
 * pass: Node's decoder skips a character outside its alphabet and stops at `=`, so unless every character but the
 * line breaks is of its alphabet and `=` is only the final padding, it writes fewer bytes than the text's length
 * promises (for a text of whole groups every skipped character loses at least one byte). Its alphabet is the
 * standard one plus `-` and `_` (URL-safe), which are looked for first.
 */
function decodeLaidOut(bytes: Buffer): Buffer | undefined {
  let start = 0;
  let end = bytes.length;
  if (bytes[start] === CR && bytes[start + 1] === LF) start += 2;
  else if (bytes[start] === LF) start += 1;
  if (end - start >= 2 && bytes[end - 2] === CR && bytes[end - 1] === LF) end -= 2;
  else if (end > start && bytes[end - 1] === LF) end -= 1;
  const length = end - start;
  if (length === 0) return Buffer.alloc(0);
  if (bytes.indexOf(0x2d, start) >= 0 || bytes.indexOf(0x5f, start) >= 0) return undefined;
  const firstBreak = bytes.indexOf(LF, start);
  let width = length;
  let sep = 0;
  let lines = 1;
  if (firstBreak >= 0 && firstBreak < end) {
    sep = firstBreak > start && bytes[firstBreak - 1] === CR ? 2 : 1;
    width = firstBreak - start - (sep - 1);
    if (width <= 0) return undefined;
    const stride = width + sep;
    lines = Math.ceil((length + sep) / stride);
    const last = length - (lines - 1) * stride;
    if (last < 1 || last > width) return undefined;
    for (let line = 0, at = start + width; line < lines - 1; line++, at += stride) {
      if (sep === 2 ? bytes[at] !== CR || bytes[at + 1] !== LF : bytes[at] !== LF) return undefined;
    }
  }
  const chars = length - (lines - 1) * sep;
  if (chars % 4 !== 0) return undefined;
  let pad = 0;
  while (pad < 3 && bytes[end - 1 - pad] === PAD) pad++;
  if (pad > 2) return undefined;
  const out = Buffer.allocUnsafe((chars / 4) * 3 - pad);
  // a piece holds whole lines whose characters are whole groups (without line breaks: whole groups)
  const stride = width + sep;
  const linesPerPiece = sep === 0 ? 0 : Math.max(1, Math.floor(PIECE_BYTES / stride));
  const pieceLines = width % 4 === 0 ? linesPerPiece : Math.max(4, linesPerPiece - (linesPerPiece % 4));
  const pieceBytes = sep === 0 ? PIECE_BYTES : pieceLines * stride;
  let written = 0;
  for (let at = start; at < end; at += pieceBytes) {
    written += out.write(bytes.toString('latin1', at, Math.min(end, at + pieceBytes)), written, 'base64');
  }
  return written === out.length ? out : undefined;
}

/**
 * Decodes base64 text held in memory by the same rule as {@link Base64Decoder}: the bytes, or why the text is not
 * valid base64. Bytes laid out in lines (what every OSCI writer produces) are decoded natively and checked by
 * counting ({@link decodeLaidOut}); other well-formed text is decoded by Node's native decoder and checked by
 * encoding the bytes again: only canonical base64 (alphabet, padding only at the end, whole groups) gives back
 * the same text, so anything else — and the rare valid text with stray bits in its last group — goes through the
 * decoder, which decides and names the fault (issue 14: 7 ms of CPU per fetched delivery before the native passes,
 * 2.4 ms per 550 KB with them, 0.2 ms laid out).
 */
export function decodeBase64Whole(text: string | Uint8Array): Buffer | string {
  if (typeof text !== 'string') {
    const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
    const laidOut = decodeLaidOut(bytes);
    if (laidOut) return laidOut;
  }
  const chars = typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('latin1');
  const compact = chars.replace(ASCII_WHITESPACE, '');
  if (compact.length % 4 === 0) {
    const bytes = Buffer.from(compact, 'base64');
    if (bytes.toString('base64') === compact) return bytes;
  }
  const decoder = new Base64Decoder();
  const bytes = decoder.push(chars);
  decoder.end();
  return decoder.invalid ?? bytes;
}

/** Decodes a stream of base64 text chunks to bytes; invalid data ends the stream with `fail(reason)`. */
export async function* decodeBase64(input: AsyncIterable<Uint8Array>, fail: (reason: string) => Error): AsyncGenerator<Buffer> {
  const decoder = new Base64Decoder();
  for await (const chunk of input) {
    const bytes = decoder.push(chunk);
    if (decoder.invalid !== undefined) throw fail(decoder.invalid);
    if (bytes.length > 0) yield bytes;
  }
  decoder.end();
  if (decoder.invalid !== undefined) throw fail(decoder.invalid);
}

/** How many bytes a stream of base64 text decodes to, in one pass that only counts (the text is checked by decoding). */
export async function base64DecodedLength(input: AsyncIterable<Uint8Array>, fail: (reason: string) => Error): Promise<number> {
  let chars = 0;
  let tail = '';
  for await (const chunk of input) {
    const t = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1').replace(WHITESPACE, '');
    chars += t.length;
    tail = (tail + t).slice(-2);
  }
  if (chars % 4 !== 0) throw fail('base64 data ends with an incomplete group');
  const pad = tail.endsWith('==') ? 2 : tail.endsWith('=') ? 1 : 0;
  return (chars / 4) * 3 - pad;
}
