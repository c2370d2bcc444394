/**
 * Encrypted blob files in PATH.files/ (format in blob-crypto.ts): written from a stream and fsynced, read back as
 * a stream of authenticated plaintext chunks. Memory use is one chunk at a time whatever the file size.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fromFsError, storeError } from './errors.js';
import { BLOB_HEADER_BYTES, BLOB_TAG_BYTES, blobHeader, DEFAULT_CHUNK_BYTES, openChunk, parseBlobHeader, sealChunkPieces } from './blob-crypto.js';
import { chunksOf, type ByteChunks } from './store-input.js';

/** A file opened for writing. The seam where tests inject write errors (full disk). */
export interface WritableBlobFile {
  write(data: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface BlobFileIo {
  /** Creates the file exclusively (it must not exist), mode 0600. */
  create(file: string): Promise<WritableBlobFile>;
}

/**
 * The node file's vectored write (several pieces in one call). Not part of the seam and not enumerable: a test seam
 * that wraps a node file's `write` (spreading the file into its own object) gets every byte through its `write`.
 */
const vectored = Symbol('vectored write');
type VectoredFile = WritableBlobFile & { readonly [vectored]?: (pieces: readonly Uint8Array[]) => Promise<void> };

export const nodeBlobFileIo: BlobFileIo = {
  async create(file) {
    const handle = await open(file, 'wx', 0o600);
    const writable: WritableBlobFile = {
      async write(data) {
        let offset = 0;
        while (offset < data.length) {
          const { bytesWritten } = await handle.write(data, offset, data.length - offset);
          offset += bytesWritten;
        }
      },
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
    Object.defineProperty(writable, vectored, {
      enumerable: false,
      value: async (pieces: readonly Uint8Array[]): Promise<void> => {
        const total = pieces.reduce((n, p) => n + p.length, 0);
        const { bytesWritten } = await handle.writev(pieces as Uint8Array[]);
        if (bytesWritten === total) return;
        // a short vectored write (rare): the rest piece by piece
        let skip = bytesWritten;
        for (const piece of pieces) {
          if (skip >= piece.length) {
            skip -= piece.length;
            continue;
          }
          let offset = skip;
          skip = 0;
          while (offset < piece.length) offset += (await handle.write(piece, offset, piece.length - offset)).bytesWritten;
        }
      },
    });
    return writable;
  },
};

export interface WrittenBlob {
  readonly id: string;
  readonly key: Buffer;
  readonly size: number;
  readonly sha256: Buffer;
}

/** Random file name: 32 hex digits, nothing derived from the content or the delivery. */
export function newBlobId(): string {
  return randomBytes(16).toString('hex');
}

export function blobPath(filesDir: string, id: string): string {
  return path.join(filesDir, `${id}.blob`);
}

/** The first `bytes` of the pieces, and the rest (views, not copies). */
function splitAt(pieces: readonly Uint8Array[], bytes: number): [Uint8Array[], Uint8Array[]] {
  const head: Uint8Array[] = [];
  let need = bytes;
  let i = 0;
  for (; i < pieces.length && need > 0; i++) {
    const p = pieces[i]!;
    if (p.length <= need) {
      head.push(p);
      need -= p.length;
      continue;
    }
    head.push(p.subarray(0, need));
    return [head, [p.subarray(need), ...pieces.slice(i + 1)]];
  }
  return [head, pieces.slice(i)];
}

/**
 * Streams `source` into a new encrypted blob file and fsyncs it. On any failure the partial file is removed and
 * the error is a PostfachError (`store-full` for ENOSPC). The caller fsyncs the directory once for all blobs.
 */
export async function writeBlob(
  io: BlobFileIo,
  filesDir: string,
  id: string,
  source: Uint8Array | ByteChunks,
  chunkBytes = DEFAULT_CHUNK_BYTES,
  sync = true,
): Promise<WrittenBlob> {
  const key = randomBytes(32);
  const header = blobHeader(Buffer.from(id, 'hex'), chunkBytes);
  const file = blobPath(filesDir, id);
  const hash = createHash('sha256');
  let handle: WritableBlobFile | undefined;
  try {
    handle = await io.create(file);
    const target = handle;
    // the header goes out with the first sealed chunk; the plaintext pieces are sealed as they came (no copies)
    let unwritten: Uint8Array[] = [header];
    const put = async (sealed: readonly Uint8Array[]): Promise<void> => {
      const pieces = [...unwritten, ...sealed];
      unwritten = [];
      const writev = (target as VectoredFile)[vectored];
      if (writev) await writev(pieces);
      else for (const piece of pieces) await target.write(piece);
    };
    let parts: Uint8Array[] = [];
    let partsBytes = 0;
    let index = 0;
    let size = 0;
    for await (const chunk of chunksOf(source)) {
      hash.update(chunk);
      size += chunk.length;
      parts.push(chunk);
      partsBytes += chunk.length;
      // keep at least one byte back: the last chunk must be written with the final flag, once the source ends
      while (partsBytes > chunkBytes) {
        const [chunkParts, rest] = splitAt(parts, chunkBytes);
        await put(sealChunkPieces(key, header, index++, false, chunkParts));
        parts = rest;
        partsBytes -= chunkBytes;
      }
    }
    await put(sealChunkPieces(key, header, index, true, parts));
    if (sync) await handle.sync();
    await handle.close();
    handle = undefined;
    return { id, key, size, sha256: hash.digest() };
  } catch (error) {
    key.fill(0);
    if (handle !== undefined) await handle.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw fromFsError(error, 'blob file');
  }
}

/**
 * The plaintext of a blob, chunk by chunk, each authenticated before it is yielded. A damaged, truncated,
 * extended or swapped file ends the stream with `store-corrupt` (never with unauthenticated bytes).
 */
export async function* readBlob(filesDir: string, id: string, key: Buffer, expectedSize: number): AsyncGenerator<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(blobPath(filesDir, id), 'r');
  } catch (error) {
    throw fromFsError(error, `blob file ${id}`);
  }
  try {
    const fileSize = (await handle.stat()).size;
    const header = Buffer.alloc(BLOB_HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, BLOB_HEADER_BYTES, 0);
    const parsed = bytesRead === BLOB_HEADER_BYTES ? parseBlobHeader(header) : undefined;
    if (parsed === undefined || parsed.blobId.toString('hex') !== id) throw storeError('store-corrupt', `blob file ${id}: bad header`);
    const sealedBytes = parsed.chunkBytes + BLOB_TAG_BYTES;
    let position = BLOB_HEADER_BYTES;
    let index = 0;
    let total = 0;
    const buffer = Buffer.alloc(sealedBytes);
    for (;;) {
      const want = Math.min(sealedBytes, fileSize - position);
      if (want < BLOB_TAG_BYTES) throw storeError('store-corrupt', `blob file ${id}: truncated at chunk ${index}`);
      let got = 0;
      while (got < want) {
        const r = await handle.read(buffer, got, want - got, position + got);
        if (r.bytesRead === 0) break;
        got += r.bytesRead;
      }
      if (got !== want) throw storeError('store-corrupt', `blob file ${id}: short read at chunk ${index}`);
      position += want;
      const final = position === fileSize;
      const plain = openChunk(key, header, index, final, buffer.subarray(0, want));
      if (plain === undefined) throw storeError('store-corrupt', `blob file ${id}: chunk ${index} fails authentication`);
      total += plain.length;
      if (total > expectedSize) throw storeError('store-corrupt', `blob file ${id}: longer than recorded`);
      if (final) {
        if (total !== expectedSize) throw storeError('store-corrupt', `blob file ${id}: ${total} bytes, ${expectedSize} recorded`);
        if (plain.length > 0) yield plain;
        return;
      }
      yield plain;
      index++;
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export function blobStream(filesDir: string, id: string, key: Buffer, expectedSize: number): Readable {
  return Readable.from(readBlob(filesDir, id, key, expectedSize), { objectMode: false, highWaterMark: 1 });
}

export async function deleteBlobFile(filesDir: string, id: string): Promise<void> {
  try {
    await unlink(blobPath(filesDir, id));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fromFsError(error, `blob file ${id}`);
  }
}

/** Ids of the blob files present; other names in the folder are not ours and are left alone. */
export async function listBlobFiles(filesDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(filesDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw fromFsError(error, 'files folder');
  }
  return names.flatMap((name) => {
    const id = /^([0-9a-f]{32})\.blob$/.exec(name)?.[1];
    return id === undefined ? [] : [id];
  });
}
