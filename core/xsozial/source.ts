/**
 * Where delivered XML comes from: a byte array (small content) or a re-readable byte source (core/io's ByteSource:
 * a spool file, a store attachment), the one type for bytes that are read again.
 */
import { fileSource, type ByteRange, type ByteSource } from '../io/byte-source.js';

export { fileSource };

export type XmlSource = Uint8Array | ByteSource;

const SLICE = 1024 * 1024;

/** A source over a byte array (no copy). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    size: buffer.length,
    async *stream(range?: ByteRange) {
      const start = range?.start ?? 0;
      const end = range?.end ?? buffer.length;
      // in slices (no copies), so the parser's buffer checks run as they do for files
      for (let at = start; at < end; at += SLICE) yield buffer.subarray(at, Math.min(end, at + SLICE));
    },
  };
}

export function toByteSource(source: XmlSource): ByteSource {
  return source instanceof Uint8Array ? bytesSource(source) : source;
}
