/**
 * Re-readable byte sources: the one way large payloads travel through core/osci. A source knows its exact size
 * and can be streamed again, whole or as a range, so a payload is read from where it lies (a Buffer for small
 * data, an encrypted spool file for large data) instead of being copied into memory.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

export interface ByteRange {
  /** First byte (inclusive). */
  readonly start: number;
  /** End (exclusive). */
  readonly end: number;
}

export interface ByteSource {
  readonly size: number;
  /** Streams the bytes (or the given range, relative to this source). Each call starts a fresh stream. */
  stream(range?: ByteRange): AsyncIterable<Buffer>;
}

function checkRange(size: number, range: ByteRange | undefined): ByteRange {
  const r = range ?? { start: 0, end: size };
  if (r.start < 0 || r.end < r.start || r.end > size) {
    throw new RangeError(`byte range ${r.start}-${r.end} outside source of ${size} bytes`);
  }
  return r;
}

/** A source over a Buffer (no copy). */
export function bufferSource(buffer: Buffer): ByteSource & { readonly buffer: Buffer } {
  return {
    buffer,
    size: buffer.length,
    async *stream(range?: ByteRange) {
      const r = checkRange(buffer.length, range);
      if (r.end > r.start) yield buffer.subarray(r.start, r.end);
    },
  };
}

/** A view of a range of another source (no copy). */
export function sliceSource(source: ByteSource, start: number, end: number): ByteSource {
  checkRange(source.size, { start, end });
  if ('buffer' in source && Buffer.isBuffer((source as { buffer: unknown }).buffer)) {
    return bufferSource((source as { buffer: Buffer }).buffer.subarray(start, end));
  }
  return {
    size: end - start,
    stream(range?: ByteRange) {
      const r = checkRange(end - start, range);
      return source.stream({ start: start + r.start, end: start + r.end });
    },
  };
}

/** Several sources one after the other (e.g. MIME headers, then a spooled part, then the closing delimiter). */
export function concatSources(parts: readonly ByteSource[]): ByteSource {
  const size = parts.reduce((n, p) => n + p.size, 0);
  return {
    size,
    async *stream(range?: ByteRange) {
      const r = checkRange(size, range);
      let offset = 0;
      for (const part of parts) {
        const partStart = offset;
        const partEnd = offset + part.size;
        offset = partEnd;
        if (partEnd <= r.start || partStart >= r.end || part.size === 0) continue;
        const from = Math.max(r.start, partStart) - partStart;
        const to = Math.min(r.end, partEnd) - partStart;
        yield* part.stream({ start: from, end: to });
      }
    },
  };
}

/** A source whose bytes pass through a transform on every read (e.g. base64 decoding); size must be known. */
export function transformedSource(size: number, open: () => AsyncIterable<Buffer>): ByteSource {
  return {
    size,
    async *stream(range?: ByteRange) {
      const r = checkRange(size, range);
      let offset = 0;
      for await (const chunk of open()) {
        const cStart = offset;
        offset += chunk.length;
        if (offset <= r.start) continue;
        if (cStart >= r.end) break;
        yield chunk.subarray(Math.max(0, r.start - cStart), Math.min(chunk.length, r.end - cStart));
      }
    },
  };
}

/**
 * Reads a source into one Buffer. Only for data that is small by protocol (XML parts, keys); the cap turns a
 * hostile size into a clear error instead of an out-of-memory crash.
 */
export async function readAll(source: ByteSource, maxBytes: number, range?: ByteRange): Promise<Buffer> {
  const r = range ?? { start: 0, end: source.size };
  const length = r.end - r.start;
  if (length > maxBytes) throw new RangeError(`refusing to read ${length} bytes into memory (limit ${maxBytes})`);
  if ('buffer' in source && Buffer.isBuffer((source as { buffer: unknown }).buffer)) {
    return (source as { buffer: Buffer }).buffer.subarray(r.start, r.end);
  }
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for await (const chunk of source.stream(r)) {
    chunk.copy(out, at);
    at += chunk.length;
  }
  if (at !== length) throw new Error(`source delivered ${at} of ${length} bytes`);
  return out;
}

/** Hash of a source, streamed. */
export async function hashSource(source: ByteSource, algorithm: string): Promise<Buffer> {
  const hash = createHash(algorithm);
  for await (const chunk of source.stream()) hash.update(chunk);
  return hash.digest();
}

const digests = new WeakMap<ByteSource, Map<string, Promise<Buffer>>>();

/**
 * Hash of a source, computed once per source object and algorithm: a source's bytes never change, and a delivery
 * hashes the same decrypted attachment for its manifest (SHA-256 of each content) and for the author signature's
 * digest. The result is a fresh copy each time.
 */
export async function digestOf(source: ByteSource, algorithm: string): Promise<Buffer> {
  let known = digests.get(source);
  if (!known) digests.set(source, (known = new Map<string, Promise<Buffer>>()));
  let digest = known.get(algorithm);
  if (!digest) {
    digest = hashSource(source, algorithm);
    known.set(algorithm, digest);
    digest.catch(() => known.delete(algorithm));
  }
  return Buffer.from(await digest);
}

/** A Node Readable over a source (for HTTP request bodies). */
export function sourceToReadable(source: ByteSource): Readable {
  return Readable.from(source.stream(), { objectMode: false });
}

/** Collects an async iterable of chunks (a stream) into a source, in memory (for small data only). */
export async function collectToBuffer(input: AsyncIterable<Buffer | Uint8Array | string>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of input) {
    const b = typeof c === 'string' ? Buffer.from(c) : Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    total += b.length;
    if (total > maxBytes) throw new RangeError(`input exceeds ${maxBytes} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}

/** A source over a file on disk (range reads; the file must not change while the source is used). */
export async function fileSource(file: string): Promise<ByteSource> {
  const { open, stat } = await import('node:fs/promises');
  const size = (await stat(file)).size;
  return {
    size,
    async *stream(range?: ByteRange) {
      const r = checkRange(size, range);
      const handle = await open(file, 'r');
      try {
        const buf = Buffer.allocUnsafe(256 * 1024);
        let pos = r.start;
        while (pos < r.end) {
          const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, r.end - pos), pos);
          if (bytesRead === 0) throw new Error(`file ${file} shorter than expected`);
          pos += bytesRead;
          yield Buffer.from(buf.subarray(0, bytesRead));
        }
      } finally {
        await handle.close();
      }
    },
  };
}

/** Writes a source to a file, streamed. */
export async function writeSourceToFile(source: ByteSource, file: string): Promise<void> {
  const { open } = await import('node:fs/promises');
  const handle = await open(file, 'w', 0o600);
  try {
    for await (const chunk of source.stream()) await handle.write(chunk);
  } finally {
    await handle.close();
  }
}
