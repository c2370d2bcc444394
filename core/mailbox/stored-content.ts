/**
 * A stored content or attachment as a re-readable byte source (core/io's ByteSource, which core/xsozial and core/export read):
 * every read streams it from the store again (decrypting chunk by chunk), so a 100 MB content is never held in
 * memory. A range is served by reading up to its end and passing on only its bytes.
 */
import type { Readable } from 'node:stream';
import type { ByteRange, ByteSource } from '../io/byte-source.js';

export function rangedSource(size: number, open: () => Readable | Promise<Readable>): ByteSource {
  return {
    size,
    async *stream(range?: ByteRange) {
      const start = range?.start ?? 0;
      const end = range?.end ?? size;
      if (end <= start) return;
      const stream = await open();
      let offset = 0;
      try {
        for await (const raw of stream) {
          const chunk = raw as Buffer;
          const from = Math.max(start - offset, 0);
          const to = Math.min(end - offset, chunk.length);
          if (to > from) yield from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to);
          offset += chunk.length;
          if (offset >= end) break;
        }
      } finally {
        stream.destroy();
      }
    },
  };
}

/** Reads `length` bytes at `offset` of a source into one buffer (for the viewer's chunks, at most 1 MiB). */
export async function readRange(source: ByteSource, offset: number, length: number): Promise<Buffer> {
  const end = Math.min(source.size, offset + length);
  if (end <= offset) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for await (const chunk of source.stream({ start: offset, end })) parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  return Buffer.concat(parts);
}
