/**
 * Contents and attachments inside PostgreSQL, encrypted: each blob gets its own random AES-256 key (wrapped under
 * the data key's blob key, sealing.ts) and is stored as rows of `blob_chunks`, each chunk sealed exactly as a chunk
 * of the SQLite store's blob files (core/store/blob-crypto.ts: header, index and final flag authenticated). Written
 * inside the caller's transaction (a delivery's blobs commit with it or not at all), read back chunk by chunk —
 * memory is one chunk at a time whatever the size.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { blobHeader, openChunk, sealChunk } from '../store/blob-crypto.js';
import { storeError } from '../store/errors.js';
import { fromPgError } from './pg-errors.js';
import { chunksOf, type ByteChunks } from '../store/store-input.js';
import { seal, unseal, type SealingKeys } from './sealing.js';

export interface WrittenPgBlob {
  readonly id: string;
  readonly size: number;
  readonly sha256: Buffer;
}

export const PG_CHUNK_BYTES = 256 * 1024;

const keyAad = (id: string) => `blobs:key:${id}`;

/** Streams `source` into a new blob (rows of the caller's open transaction on `client`). */
export async function writePgBlob(client: pg.ClientBase, keys: SealingKeys, source: Uint8Array | ByteChunks, chunkBytes = PG_CHUNK_BYTES): Promise<WrittenPgBlob> {
  const id = randomBytes(16).toString('hex');
  const key = randomBytes(32);
  try {
    const header = blobHeader(Buffer.from(id, 'hex'), chunkBytes);
    await client.query('INSERT INTO blobs(id, key_wrapped, size, sha256, chunk_bytes, chunks) VALUES ($1, $2, 0, $3, $4, 0)', [
      id,
      seal(keys.blob, keyAad(id), key),
      Buffer.alloc(32),
      chunkBytes,
    ]);
    const hash = createHash('sha256');
    let size = 0;
    let index = 0;
    let parts: Uint8Array[] = [];
    let partsBytes = 0;
    const put = async (final: boolean, plain: Uint8Array): Promise<void> => {
      const i = index++;
      await client.query('INSERT INTO blob_chunks(blob_id, idx, sealed) VALUES ($1, $2, $3)', [id, i, sealChunk(key, header, i, final, plain)]);
    };
    for await (const chunk of chunksOf(source)) {
      hash.update(chunk);
      size += chunk.length;
      parts.push(chunk);
      partsBytes += chunk.length;
      // keep at least one byte back: the last chunk is sealed with the final flag once the source ends
      if (partsBytes > chunkBytes) {
        let pending = Buffer.concat(parts, partsBytes);
        while (pending.length > chunkBytes) {
          await put(false, pending.subarray(0, chunkBytes));
          pending = pending.subarray(chunkBytes);
        }
        parts = [pending];
        partsBytes = pending.length;
      }
    }
    await put(true, Buffer.concat(parts, partsBytes));
    const sha256 = hash.digest();
    await client.query('UPDATE blobs SET size = $2, sha256 = $3, chunks = $4 WHERE id = $1', [id, size, sha256, index]);
    return { id, size, sha256 };
  } finally {
    key.fill(0);
  }
}

/** The plaintext chunk by chunk, each authenticated before it is yielded; a damaged blob ends with `store-corrupt`. */
export async function* readPgBlob(pool: pg.Pool, keys: SealingKeys, id: string): AsyncGenerator<Buffer> {
  const { rows } = await pool.query<{ key_wrapped: Buffer; size: number; chunk_bytes: number; chunks: number }>(
    'SELECT key_wrapped, size, chunk_bytes, chunks FROM blobs WHERE id = $1',
    [id],
  );
  const row = rows[0];
  if (row === undefined) throw storeError('store-corrupt', `blob ${id}: row missing`);
  const key = unseal(keys.blob, keyAad(id), row.key_wrapped, `blob ${id} key`);
  try {
    const header = blobHeader(Buffer.from(id, 'hex'), row.chunk_bytes);
    let total = 0;
    for (let index = 0; index < row.chunks; index++) {
      const chunk = await pool.query<{ sealed: Buffer }>('SELECT sealed FROM blob_chunks WHERE blob_id = $1 AND idx = $2', [id, index]);
      const sealed = chunk.rows[0]?.sealed;
      if (sealed === undefined) throw storeError('store-corrupt', `blob ${id}: chunk ${index} missing`);
      const plain = openChunk(key, header, index, index === row.chunks - 1, sealed);
      if (plain === undefined) throw storeError('store-corrupt', `blob ${id}: chunk ${index} fails authentication`);
      total += plain.length;
      if (total > row.size) throw storeError('store-corrupt', `blob ${id}: longer than recorded`);
      if (plain.length > 0) yield plain;
    }
    if (total !== row.size) throw storeError('store-corrupt', `blob ${id}: ${total} bytes, ${row.size} recorded`);
  } finally {
    key.fill(0);
  }
}

/** The blob as a stream; a database failure while reading ends it with a store error, as a damaged blob does. */
export function pgBlobStream(pool: pg.Pool, keys: SealingKeys, id: string): Readable {
  async function* guarded(): AsyncGenerator<Buffer> {
    try {
      yield* readPgBlob(pool, keys, id);
    } catch (error) {
      throw fromPgError(error, `read blob ${id}`);
    }
  }
  return Readable.from(guarded(), { objectMode: false, highWaterMark: 1 });
}
