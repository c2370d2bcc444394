/**
 * Streaming base64 for MIME parts and large text nodes: decodes ignoring whitespace (LF or CRLF line breaks) and
 * encodes with the library's layout (76-character lines separated by LF, last line without LF).
 *
 * Decoding is strict: the base64 alphabet, at most two `=` at the very end, a length (without whitespace) that is
 * a multiple of 4. The check runs as one table-driven pass over the bytes before Node's native decoder (a regular
 * expression over the text cost five times as much for a 500 KB CipherValue); text with whitespace other than
 * space, tab, CR and LF takes the general path with the same rule.
 */
import { bufferSource, transformedSource, type ByteSource } from '../../io/byte-source.js';
import { osciError } from '../errors.js';

const B64 = /^[A-Za-z0-9+/=]*$/;
const STRICT = /^[A-Za-z0-9+/]*={0,2}$/;

/** Byte classes: 1 alphabet, 2 ASCII whitespace (space, tab, CR, LF), 3 `=`, 0 anything else. */
const CLASS = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') CLASS[c.charCodeAt(0)] = 1;
for (const c of ' \t\r\n') CLASS[c.charCodeAt(0)] = 2;
CLASS[0x3d] = 3;

/**
 * One pass over base64 text: 'ok' (alphabet, ASCII whitespace, padding only at the end, length a multiple of
 * 4), 'invalid', or 'other' (a character the fast path does not know, e.g. another Unicode space: decided by the
 * general path). Two copies, for bytes and for strings, so that each loop stays monomorphic.
 */
function scanBytes(text: Uint8Array): 'ok' | 'invalid' | 'other' {
  let count = 0;
  let pad = 0;
  for (let i = 0; i < text.length; i++) {
    const k = CLASS[text[i]!]!;
    if (k === 1) {
      if (pad > 0) return 'invalid';
      count++;
    } else if (k === 3) {
      if (++pad > 2) return 'invalid';
    } else if (k === 0) return 'other';
  }
  return (count + pad) % 4 === 0 ? 'ok' : 'invalid';
}

function scanString(text: string): 'ok' | 'invalid' | 'other' {
  let count = 0;
  let pad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const k = c < 256 ? CLASS[c]! : 0;
    if (k === 1) {
      if (pad > 0) return 'invalid';
      count++;
    } else if (k === 3) {
      if (++pad > 2) return 'invalid';
    } else if (k === 0) return 'other';
  }
  return (count + pad) % 4 === 0 ? 'ok' : 'invalid';
}

/**
 * Decodes base64 text (a string, or bytes read as Latin-1) held whole in memory; whitespace is ignored, anything
 * else that is not base64 is an error (`what` names the field).
 */
export function decodeBase64Strict(text: Buffer | string, what: string): Buffer {
  const verdict = typeof text === 'string' ? scanString(text) : scanBytes(text);
  if (verdict === 'ok') return Buffer.from(typeof text === 'string' ? text : text.toString('latin1'), 'base64');
  if (verdict === 'other') {
    const s = (typeof text === 'string' ? text : text.toString('latin1')).replace(/\s+/g, '');
    if (STRICT.test(s) && s.length % 4 === 0) return Buffer.from(s, 'base64');
  }
  throw osciError('malformed', `${what}: invalid base64`);
}

/** Decodes a stream of base64 text chunks to bytes. */
export async function* decodeBase64Stream(input: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  let carry = '';
  let ended = false;
  for await (const chunk of input) {
    const text = carry + chunk.toString('latin1').replace(/[\s]+/g, '');
    if (!B64.test(text)) throw osciError('malformed', 'invalid character in base64 data');
    if (ended && text.length > 0) throw osciError('malformed', 'base64 data continues after padding');
    const usable = text.length - (text.length % 4);
    carry = text.slice(usable);
    if (usable > 0) {
      const part = text.slice(0, usable);
      if (part.includes('=')) {
        const pad = part.indexOf('=');
        if (pad < part.length - 2 || !/^=*$/.test(part.slice(pad))) throw osciError('malformed', 'misplaced base64 padding');
        ended = true;
      }
      yield Buffer.from(part, 'base64');
    }
  }
  if (carry.length > 0) throw osciError('malformed', 'base64 data length is not a multiple of 4');
}

/** Decoded length of base64 text given as a stream (one counting pass). */
export async function base64DecodedLength(input: AsyncIterable<Buffer>): Promise<number> {
  let chars = 0;
  let tail = '';
  for await (const chunk of input) {
    const t = chunk.toString('latin1').replace(/[\s]+/g, '');
    chars += t.length;
    tail = (tail + t).slice(-2);
  }
  if (chars % 4 !== 0) throw osciError('malformed', 'base64 data length is not a multiple of 4');
  const pad = tail.endsWith('==') ? 2 : tail.endsWith('=') ? 1 : 0;
  return (chars / 4) * 3 - pad;
}

/** A ByteSource decoding the base64 text held by another source. */
export async function base64DecodedSource(text: ByteSource): Promise<ByteSource> {
  if ('buffer' in text && Buffer.isBuffer((text as { buffer: unknown }).buffer)) {
    return bufferSource(decodeBase64Strict((text as { buffer: Buffer }).buffer, 'base64 data'));
  }
  const size = await base64DecodedLength(text.stream());
  return transformedSource(size, () => decodeBase64Stream(text.stream()));
}

/** Encodes a byte stream as base64 in 76-character lines separated by LF (no LF after the last line). */
export async function* encodeBase64Lines(input: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  let carry = Buffer.alloc(0);
  let first = true;
  const LINE_BYTES = 57; // 57 bytes = 76 base64 characters
  for await (const chunk of input) {
    let data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const whole = data.length - (data.length % LINE_BYTES);
    // keep at least a remainder so the final line is written without LF
    const emit = whole === data.length ? whole - LINE_BYTES : whole;
    if (emit > 0) {
      const lines: string[] = [];
      for (let i = 0; i < emit; i += LINE_BYTES) lines.push(data.subarray(i, i + LINE_BYTES).toString('base64'));
      yield Buffer.from((first ? '' : '\n') + lines.join('\n'), 'latin1');
      first = false;
      data = data.subarray(emit);
    }
    carry = Buffer.from(data);
  }
  if (carry.length > 0) yield Buffer.from((first ? '' : '\n') + carry.toString('base64'), 'latin1');
}

/** Length of `encodeBase64Lines` output for `n` input bytes. */
export function base64LinesLength(n: number): number {
  if (n === 0) return 0;
  const chars = Math.ceil(n / 3) * 4;
  const lines = Math.ceil(chars / 76);
  return chars + (lines - 1);
}

/** Base64 with LF every 76 characters, for XML text (certificates, cipher values). */
export function base64Wrapped(bytes: Buffer): string {
  return bytes.toString('base64').replace(/(.{76})(?=.)/g, '$1\n');
}
