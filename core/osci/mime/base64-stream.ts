/**
 * Streaming base64 for MIME parts and large text nodes: decodes ignoring whitespace (LF or CRLF line breaks) and
 * encodes with the library's layout (76-character lines separated by LF, last line without LF).
 */
import { transformedSource, type ByteSource } from '../../io/byte-source.js';
import { osciError } from '../errors.js';

const B64 = /^[A-Za-z0-9+/=]*$/;

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
    const s = (text as { buffer: Buffer }).buffer.toString('latin1').replace(/\s+/g, '');
    if (!B64.test(s) || s.length % 4 !== 0) throw osciError('malformed', 'invalid base64 data');
    const { bufferSource } = await import('../../io/byte-source.js');
    return bufferSource(Buffer.from(s, 'base64'));
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
