/**
 * Streaming base64 for MIME parts and large text nodes: decodes with core/io's one decoder (whitespace ignored,
 * invalid data `malformed`) and encodes with the library's layout (76-character lines separated by LF, last line
 * without LF).
 */
import { base64DecodedLength, decodeBase64, decodeBase64Whole } from '../../io/base64.js';
import { bufferSource, transformedSource, type ByteSource } from '../../io/byte-source.js';
import { osciError } from '../errors.js';

const malformed = (reason: string) => osciError('malformed', reason);

/** Decodes a stream of base64 text chunks to bytes (core/io's decoder; invalid data is `malformed`). */
export function decodeBase64Stream(input: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  return decodeBase64(input, malformed);
}

/** Decodes base64 text held in memory (whitespace ignored); invalid data is `malformed` with the reason. */
export function decodeBase64Text(text: string | Buffer, what: string): Buffer {
  const decoded = decodeBase64Whole(text);
  if (typeof decoded === 'string') throw osciError('malformed', `${what}: ${decoded}`);
  return decoded;
}

/** A ByteSource decoding the base64 text held by another source. */
export async function base64DecodedSource(text: ByteSource): Promise<ByteSource> {
  if ('buffer' in text && Buffer.isBuffer((text as { buffer: unknown }).buffer)) {
    return bufferSource(decodeBase64Text((text as { buffer: Buffer }).buffer, 'base64 data'));
  }
  const size = await base64DecodedLength(text.stream(), malformed);
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
