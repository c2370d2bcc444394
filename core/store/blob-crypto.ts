/**
 * The format of an encrypted content or attachment file ("blob") in PATH.files/:
 *
 *   header (28 bytes): "PFB1" | version 1 | 3 reserved zero bytes | chunk size (u32 BE) | blob id (16 bytes)
 *   chunks: AES-256-GCM ciphertext of `chunk size` plaintext bytes (the last chunk: 0..chunk size) + 16-byte tag
 *
 * Every blob has its own random 256-bit key, kept in the blob's row inside the encrypted database: deleting the
 * row (secure_delete on) destroys the key, so the file is unreadable even where its disk blocks survive. With a
 * key used for one file only, the nonce is simply the chunk index. Each chunk's additional data is the header, the
 * chunk index and a "final" flag, so swapped, repeated, dropped or appended chunks, a truncated file (the last
 * remaining chunk is not marked final) and a file swapped for another blob's file all fail authentication.
 * Each chunk is authenticated before its plaintext is handed on.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

export const BLOB_MAGIC = Buffer.from('PFB1', 'ascii');
export const BLOB_VERSION = 1;
export const BLOB_HEADER_BYTES = 28;
export const BLOB_TAG_BYTES = 16;
export const DEFAULT_CHUNK_BYTES = 256 * 1024;

export function blobHeader(blobId: Buffer, chunkBytes: number): Buffer {
  const header = Buffer.alloc(BLOB_HEADER_BYTES);
  BLOB_MAGIC.copy(header, 0);
  header.writeUInt8(BLOB_VERSION, 4);
  header.writeUInt32BE(chunkBytes, 8);
  blobId.copy(header, 12);
  return header;
}

export interface ParsedHeader {
  readonly chunkBytes: number;
  readonly blobId: Buffer;
}

/** undefined when the bytes are not a blob header of a known version. */
export function parseBlobHeader(header: Buffer): ParsedHeader | undefined {
  if (header.length !== BLOB_HEADER_BYTES || !header.subarray(0, 4).equals(BLOB_MAGIC) || header.readUInt8(4) !== BLOB_VERSION) return undefined;
  const chunkBytes = header.readUInt32BE(8);
  if (chunkBytes < 1024 || chunkBytes > 16 * 1024 * 1024) return undefined;
  return { chunkBytes, blobId: Buffer.from(header.subarray(12, 28)) };
}

function nonce(index: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(index), 4);
  return iv;
}

function additionalData(header: Buffer, index: number, final: boolean): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(index), 0);
  tail.writeUInt8(final ? 1 : 0, 8);
  return Buffer.concat([header, tail]);
}

/** ciphertext || tag of one chunk. */
export function sealChunk(key: Buffer, header: Buffer, index: number, final: boolean, plaintext: Uint8Array): Buffer {
  return Buffer.concat(sealChunkPieces(key, header, index, final, [plaintext]));
}

/**
 * The same sealed chunk as pieces (ciphertext of each plaintext piece in order, then the tag) for a vectored
 * write: the chunk's plaintext need not be copied into one buffer first, nor its ciphertext and tag into another.
 */
export function sealChunkPieces(key: Buffer, header: Buffer, index: number, final: boolean, plaintext: readonly Uint8Array[]): Buffer[] {
  const cipher = createCipheriv('aes-256-gcm', key, nonce(index));
  cipher.setAAD(additionalData(header, index, final));
  const out: Buffer[] = [];
  for (const piece of plaintext) {
    const c = cipher.update(piece);
    if (c.length > 0) out.push(c);
  }
  const last = cipher.final();
  if (last.length > 0) out.push(last);
  out.push(cipher.getAuthTag());
  return out;
}

/** The chunk's plaintext, or undefined when it fails authentication. */
export function openChunk(key: Buffer, header: Buffer, index: number, final: boolean, sealed: Buffer): Buffer | undefined {
  if (sealed.length < BLOB_TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(index));
    decipher.setAAD(additionalData(header, index, final));
    decipher.setAuthTag(sealed.subarray(sealed.length - BLOB_TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - BLOB_TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** Size of the encrypted file for a plaintext of `size` bytes. */
export function encryptedSize(size: number, chunkBytes: number): number {
  const chunks = Math.max(1, Math.ceil(size / chunkBytes));
  return BLOB_HEADER_BYTES + size + chunks * BLOB_TAG_BYTES;
}
