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

/** Byte classes of the one-pass check: 1 alphabet, 2 ASCII whitespace (space, tab, CR, LF), 3 `=`, 0 anything else. */
const CLASS = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') CLASS[c.charCodeAt(0)] = 1;
for (const c of ' \t\r\n') CLASS[c.charCodeAt(0)] = 2;
CLASS[0x3d] = 3;

/**
 * One table-driven pass over base64 text held whole: 'ok' (alphabet and ASCII whitespace, at most two `=` only at
 * the end, a length that is a multiple of 4) or 'general' (anything else: the decoder above decides and names it).
 * A regular expression over the text cost five times as much for a 500 KB CipherValue (issue 14).
 */
function quickCheck(text: string | Uint8Array): 'ok' | 'general' {
  let count = 0;
  let pad = 0;
  const bytes = typeof text !== 'string';
  for (let i = 0; i < text.length; i++) {
    const c = bytes ? text[i]! : text.charCodeAt(i);
    const k = c < 256 ? CLASS[c]! : 0;
    if (k === 1) {
      if (pad > 0) return 'general';
      count++;
    } else if (k === 3) {
      if (++pad > 2) return 'general';
    } else if (k === 0) return 'general';
  }
  return (count + pad) % 4 === 0 ? 'ok' : 'general';
}

/**
 * Decodes base64 text held in memory by the same rule as {@link Base64Decoder}: the bytes, or why the text is not
 * valid base64. Well-formed text takes one quick pass and Node's native decoder; anything else goes through the
 * decoder, which names the fault.
 */
export function decodeBase64Whole(text: string | Uint8Array): Buffer | string {
  if (quickCheck(text) === 'ok') return typeof text === 'string' ? Buffer.from(text, 'base64') : Buffer.from(Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('latin1'), 'base64');
  const decoder = new Base64Decoder();
  const bytes = decoder.push(text);
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
