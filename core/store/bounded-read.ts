/**
 * Two small rules both store backends (SQLite here, PostgreSQL in core/store-pg) apply the same way: a whole
 * content or attachment is read into memory only up to a bound the caller names, and an audit detail stays technical.
 */
import type { Readable } from 'node:stream';
import { storeError } from './errors.js';

/** Keeps audit details technical: one short line of letters, digits and a few separators. */
export function technicalDetail(detail: string): string {
  return detail.replace(/[^A-Za-z0-9 ._=,:/-]/g, '?').slice(0, 200);
}

/** The whole stream as one buffer, refused (and the stream destroyed) beyond maxBytes: larger ones are read as streams. */
export async function collectBounded(stream: Readable, maxBytes: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      stream.destroy();
      throw storeError('store-invalid-input', `${what} larger than ${maxBytes} bytes: read it as a stream`);
    }
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts, total);
}
