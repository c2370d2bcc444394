/**
 * The blob file writer seals each chunk from the pieces it received (no copy into one buffer) and writes the
 * header with the first chunk in one vectored write: the file must be byte for byte the format of blob-crypto.ts
 * (the same as sealing each whole chunk), for every way the input is cut and at every chunk boundary, and readable
 * through a file seam that wraps the node file's `write` (tests inject full disks that way): such a seam sees every
 * byte, the vectored write never passes it by.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blobHeader, BLOB_HEADER_BYTES, sealChunk, sealChunkPieces } from '../../core/store/blob-crypto.js';
import { blobPath, newBlobId, nodeBlobFileIo, readBlob, writeBlob, type BlobFileIo } from '../../core/store/blob-files.js';
import { patternBytes } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'postfach-blob-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The file as the format defines it: header, then every chunk sealed whole. */
function expectedFile(key: Buffer, id: string, chunkBytes: number, data: Buffer): Buffer {
  const header = blobHeader(Buffer.from(id, 'hex'), chunkBytes);
  const out = [header];
  const chunks = Math.max(1, Math.ceil(data.length / chunkBytes));
  for (let i = 0; i < chunks; i++) out.push(sealChunk(key, header, i, i === chunks - 1, data.subarray(i * chunkBytes, (i + 1) * chunkBytes)));
  return Buffer.concat(out);
}

function* cut(data: Buffer, sizes: readonly number[]): Generator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield data.subarray(at, at + n);
    at += n;
  }
}

/** The node file seam wrapped as the tests that inject write errors do (spread, `write` replaced): every byte through `write`. */
let wrappedWrites = 0;
const withoutWritev: BlobFileIo = {
  async create(file) {
    const real = await nodeBlobFileIo.create(file);
    return {
      ...real,
      write: (d) => {
        wrappedWrites += d.length;
        return real.write(d);
      },
    };
  },
};

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of chunks) out.push(c);
  return Buffer.concat(out);
}

describe('sealing a chunk from pieces', () => {
  it('gives the bytes of sealing the whole chunk, however the plaintext is cut', () => {
    const key = patternBytes(32, 'key');
    const header = blobHeader(patternBytes(16, 'id'), 4096);
    const plain = patternBytes(4096, 'plain');
    for (const final of [false, true]) {
      const whole = sealChunk(key, header, 3, final, plain);
      for (const cuts of [[4096], [1, 4095], [100, 1000, 2996], [0, 4096], [4095, 1]]) {
        const pieces: Buffer[] = [];
        let at = 0;
        for (const n of cuts) pieces.push(plain.subarray(at, (at += n)));
        expect(Buffer.concat(sealChunkPieces(key, header, 3, final, pieces)).equals(whole)).toBe(true);
      }
    }
  });
});

describe('writing a blob file', () => {
  const chunkBytes = 4096;
  it.each([0, 1, 4095, 4096, 4097, 8192, 8193, 3 * 4096 + 17])('%i bytes, input cut in many ways, with and without vectored writes', async (size) => {
    const data = patternBytes(size, `blob-${size}`);
    for (const io of [nodeBlobFileIo, withoutWritev]) {
      for (const sizes of [[size || 1], [1], [1000, 3000, 97], [4096], [5000, 7]]) {
        const id = newBlobId();
        wrappedWrites = 0;
        const written = await writeBlob(io, dir, id, cut(data, sizes), chunkBytes);
        expect(written.size).toBe(size);
        const file = readFileSync(blobPath(dir, id));
        // a wrapping seam saw every byte of the file (an error it injects cannot be passed by)
        expect(wrappedWrites).toBe(io === withoutWritev ? file.length : 0);
        expect(file.subarray(0, BLOB_HEADER_BYTES).equals(blobHeader(Buffer.from(id, 'hex'), chunkBytes))).toBe(true);
        expect(file.equals(expectedFile(written.key, id, chunkBytes, data))).toBe(true);
        expect((await collect(readBlob(dir, id, written.key, size))).equals(data)).toBe(true);
      }
    }
  });
});
