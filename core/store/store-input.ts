/**
 * What the fetch engine hands the store as content or attachment bytes, read once: a buffer, or a stream of chunks
 * (a Node Readable, a web ReadableStream, a generator), or a function opening such a stream only when the store
 * is ready to read it (so a delivery with many attachments does not hold many open streams). Not a ByteSource
 * (core/io: sized and re-readable, the one type for bytes that are read again); the store reads its input once.
 */
import { storeError } from './errors.js';

export type ByteChunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
export type StoreInput = Uint8Array | ByteChunks | (() => Uint8Array | ByteChunks | Promise<Uint8Array | ByteChunks>);

export async function resolveSource(source: StoreInput): Promise<Uint8Array | ByteChunks> {
  return typeof source === 'function' ? await source() : source;
}

/** Releases a source the store decided not to read (a duplicate delivery): destroys streams that can be destroyed. */
export function discardSource(source: StoreInput): void {
  if (typeof source === 'function' || source instanceof Uint8Array) return;
  const destroyable = source as { destroy?: unknown; cancel?: unknown };
  if (typeof destroyable.destroy === 'function') (destroyable.destroy as () => void).call(source);
  else if (typeof destroyable.cancel === 'function') void Promise.resolve((destroyable.cancel as () => unknown).call(source)).catch(() => undefined);
}

export async function* chunksOf(source: Uint8Array | ByteChunks): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  for await (const chunk of source as AsyncIterable<unknown>) {
    if (chunk instanceof Uint8Array) yield chunk;
    else throw storeError('store-invalid-input', `byte source yielded ${typeof chunk === 'string' ? 'a string' : 'a non-byte chunk'}; bytes expected`);
  }
}
