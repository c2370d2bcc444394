/**
 * The one streaming base64 decoder: base64 text that arrives in pieces (MIME parts, large XML text nodes, inline
 * document content in XSozial) is decoded group by group without holding the whole text. Whitespace (LF or CRLF
 * line breaks, indentation) is skipped; a character outside the alphabet, misplaced padding, data after the
 * padding or a dangling partial group makes the data invalid instead of being dropped silently. Padding may arrive
 * split across pieces ("ab=" then "="). The decoder itself never throws: it names what is wrong, and each caller
 * turns that into its own error (core/osci: `malformed`; core/xsozial: the document is missing).
 */
const NON_BASE64 = /[^A-Za-z0-9+/=\s]/;
const WHITESPACE = /\s+/g;
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

/**
 * Decodes base64 text held in memory by the same rule as {@link Base64Decoder}: the bytes, or why the text is not
 * valid base64. Well-formed text is decoded by Node's native decoder and checked by encoding the bytes again:
 * only canonical base64 (alphabet, padding only at the end, whole groups) gives back the same text, so anything
 * else — and the rare valid text with stray bits in its last group — goes through the decoder, which decides and
 * names the fault. Both native passes together cost a fraction of the one JavaScript pass over every character
 * that they replace (issue 14: 7 ms of CPU per fetched delivery).
 */
export function decodeBase64Whole(text: string | Uint8Array): Buffer | string {
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
