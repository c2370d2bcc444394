/**
 * Where delivered XML comes from: a byte array (small content) or a re-readable byte source (a spool file, a
 * store attachment). The source shape is structurally the same as core/io's ByteSource, so either can be passed.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export interface XmlByteRange {
  /** First byte (inclusive). */
  readonly start: number;
  /** End (exclusive). */
  readonly end: number;
}

export interface XmlByteSource {
  readonly size: number;
  /** Streams the bytes (or the given range); every call starts a fresh stream. */
  stream(range?: XmlByteRange): AsyncIterable<Uint8Array>;
}

export type XmlSource = Uint8Array | XmlByteSource;

const SLICE = 1024 * 1024;

/** A source over a byte array (no copy). */
export function bytesSource(bytes: Uint8Array): XmlByteSource {
  return {
    size: bytes.length,
    async *stream(range?: XmlByteRange) {
      const start = range?.start ?? 0;
      const end = range?.end ?? bytes.length;
      // in slices (no copies), so the parser's buffer checks run as they do for files
      for (let at = start; at < end; at += SLICE) yield bytes.subarray(at, Math.min(end, at + SLICE));
    },
  };
}

/** A source over a file on disk; reads it again on every call. */
export async function fileSource(path: string): Promise<XmlByteSource> {
  const { size } = await stat(path);
  return {
    size,
    stream(range?: XmlByteRange) {
      const start = range?.start ?? 0;
      const end = range?.end ?? size;
      if (end <= start) return (async function* empty() {})();
      // createReadStream's end is inclusive
      return createReadStream(path, { start, end: end - 1, highWaterMark: 256 * 1024 });
    },
  };
}

export function toByteSource(source: XmlSource): XmlByteSource {
  return source instanceof Uint8Array ? bytesSource(source) : source;
}
