/**
 * Symmetric encryption as XML-Enc and OSCI use it (PROTOCOL.md §7.2): `IV ‖ ciphertext ‖ tag` for AES-GCM
 * (tag 16 bytes, no AAD; IV 12 or 16 bytes as signalled by osci128:IvLength, absent = 16), `IV ‖ ciphertext`
 * for AES-CBC / 3DES-CBC (IV = one block; IvLength ignored; unpadding strips `lastByte` bytes as XML-Enc
 * demands, without checking the other pad bytes).
 *
 * Decryption is streaming, and for GCM the output is handed back only after `final()` verified the tag: the
 * plaintext goes into memory or an encrypted spool (SpoolScope) and nobody sees it before authentication.
 * Every failure is reported identically (no padding oracle): one error per mode, `decryptionFailure`. CBC has no
 * integrity, so a wrong key may also pass the unpadding and give garbage; callers report a CBC plaintext they
 * cannot read with the same error (`authenticated`), so that a wrong key — a substitute key of RSA-1.5's implicit
 * rejection included (rsa-key-transport.ts) — always ends in the same words.
 */
import { createCipheriv, createDecipheriv, randomBytes, type DecipherGCM } from 'node:crypto';
import { bufferSource, readAll, type ByteSource } from '../../io/byte-source.js';
import type { SpoolScope } from '../../io/sink.js';
import { PostfachError } from '../../errors.js';
import { osciError, type OsciErrorKind } from '../errors.js';
import { symmetricAlgorithm, type SymmetricAlgorithm } from './algorithms.js';

export const GCM_TAG_LENGTH = 16;

/** IV length for an algorithm given the osci128:IvLength value (undefined = element absent). */
export function ivLengthFor(alg: SymmetricAlgorithm, ivLengthElement: number | undefined): number {
  if (alg.mode === 'cbc') return alg.blockSize;
  const len = ivLengthElement ?? 16;
  if (len !== 12 && len !== 16) throw osciError('unsupported-algorithm', `GCM IV length ${len} (only 12 and 16)`);
  return len;
}

/** Does the algorithm authenticate (GCM)? CBC and 3DES do not: their plaintext may be garbage after a wrong key. */
export function authenticated(algorithmUri: string): boolean {
  return symmetricAlgorithm(algorithmUri).mode === 'gcm';
}

/** The one error of a failed decryption (tag mismatch, padding, wrong key, unreadable CBC plaintext). */
export function decryptionFailure(algorithmUri: string, failKind: OsciErrorKind, what: string, cause?: unknown): PostfachError {
  const alg = symmetricAlgorithm(algorithmUri);
  return osciError(
    failKind,
    `${what}: ${alg.mode.toUpperCase()} decryption failed (${alg.mode === 'gcm' ? 'authentication tag mismatch or bad key' : 'bad key or padding'})`,
    cause === undefined ? {} : { cause },
  );
}

/**
 * Reads (parses) a decrypted plaintext. For CBC, which has no integrity, any failure to read it is reported as
 * the decryption failure itself (a wrong key may pass the unpadding and give garbage: the garbage must not say
 * more than a bad padding does).
 */
export async function readPlaintext<T>(algorithmUri: string, failKind: OsciErrorKind, what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof PostfachError && !authenticated(algorithmUri)) throw decryptionFailure(algorithmUri, failKind, what, error);
    throw error;
  }
}

export interface SymmetricParams {
  readonly algorithm: string;
  /** Value of osci128:IvLength, undefined when the element is absent. */
  readonly ivLengthElement: number | undefined;
}

/**
 * Decrypts `IV ‖ ciphertext(‖ tag)` read from `source`. `failKind` is the error kind reported on any failure
 * (transport-decryption or content-decryption).
 */
export async function decryptSymmetric(params: SymmetricParams, key: Buffer, source: ByteSource, scope: SpoolScope, failKind: OsciErrorKind, what: string): Promise<ByteSource> {
  const alg = symmetricAlgorithm(params.algorithm);
  if (key.length !== alg.keyLength) {
    throw osciError(failKind, `${what}: key of ${key.length} bytes does not fit ${alg.cipher}`);
  }
  const ivLen = ivLengthFor(alg, params.ivLengthElement);
  try {
    if (alg.mode === 'gcm') {
      if (source.size < ivLen + GCM_TAG_LENGTH) throw new Error('ciphertext shorter than IV and tag');
      const iv = await readAll(source, 16, { start: 0, end: ivLen });
      const tag = await readAll(source, 16, { start: source.size - GCM_TAG_LENGTH, end: source.size });
      const decipher = createDecipheriv(alg.cipher as 'aes-256-gcm', key, iv, { authTagLength: GCM_TAG_LENGTH });
      decipher.setAuthTag(tag);
      const body = source.stream({ start: ivLen, end: source.size - GCM_TAG_LENGTH });
      const out = await scope.sink(source.size - ivLen - GCM_TAG_LENGTH, pipeGcm(decipher, body));
      return out;
    }
    const block = alg.blockSize;
    if (source.size < 2 * block || (source.size - block) % block !== 0) throw new Error('CBC ciphertext length is not a multiple of the block size');
    const iv = await readAll(source, 16, { start: 0, end: block });
    const decipher = createDecipheriv(alg.cipher, key, iv);
    decipher.setAutoPadding(false);
    return await scope.sink(source.size - block, pipeCbc(decipher, source.stream({ start: block, end: source.size }), block));
  } catch (error) {
    if (error instanceof Error && error.name === 'PostfachError') throw error;
    throw decryptionFailure(params.algorithm, failKind, what, error);
  }
}

async function* pipeGcm(decipher: DecipherGCM, input: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  for await (const chunk of input) {
    const out = decipher.update(chunk);
    if (out.length) yield out;
  }
  // throws on tag mismatch — before the sink hands its result to anybody
  const last = decipher.final();
  if (last.length) yield last;
}

async function* pipeCbc(decipher: ReturnType<typeof createDecipheriv>, input: AsyncIterable<Buffer>, block: number): AsyncIterable<Buffer> {
  let held = Buffer.alloc(0);
  for await (const chunk of input) {
    const out = decipher.update(chunk);
    const all = held.length ? Buffer.concat([held, out]) : out;
    // hold back the last block: it carries the padding
    const emit = Math.max(0, all.length - block);
    if (emit > 0) yield all.subarray(0, emit);
    held = Buffer.from(all.subarray(emit));
  }
  const fin = decipher.final();
  const last = fin.length ? Buffer.concat([held, fin]) : held;
  if (last.length !== block) throw new Error('CBC stream ended off a block boundary');
  const pad = last[last.length - 1]!;
  if (pad < 1 || pad > block) throw new Error('invalid CBC padding');
  if (last.length - pad > 0) yield last.subarray(0, last.length - pad);
}

/** Convenience for small in-memory data. */
export async function decryptSymmetricBuffer(params: SymmetricParams, key: Buffer, data: Buffer, scope: SpoolScope, failKind: OsciErrorKind, what: string): Promise<Buffer> {
  const src = await decryptSymmetric(params, key, bufferSource(data), scope, failKind, what);
  return readAll(src, Number.MAX_SAFE_INTEGER);
}

export interface SymmetricEncryption {
  /** `IV ‖ ciphertext(‖ tag)` */
  readonly output: ByteSource;
}

/** Fresh random key for an algorithm. */
export function newSymmetricKey(algorithmUri: string): Buffer {
  return randomBytes(symmetricAlgorithm(algorithmUri).keyLength);
}

/** Output length of `encryptSymmetric` for a plaintext length. */
export function encryptedLength(algorithmUri: string, ivLength: number, plaintextLength: number): number {
  const alg = symmetricAlgorithm(algorithmUri);
  if (alg.mode === 'gcm') return ivLength + plaintextLength + GCM_TAG_LENGTH;
  return alg.blockSize + (Math.floor(plaintextLength / alg.blockSize) + 1) * alg.blockSize;
}

/**
 * Encrypts a plaintext source to `IV ‖ ciphertext(‖ tag)` as a stream (PKCS#7 padding for CBC). The output is
 * produced lazily when streamed; stream it once (a fresh IV per encryption is drawn up front).
 */
export function encryptSymmetricStream(algorithmUri: string, ivLength: number, key: Buffer, plaintext: ByteSource): ByteSource {
  const alg = symmetricAlgorithm(algorithmUri);
  const ivLen = alg.mode === 'cbc' ? alg.blockSize : ivLength;
  const iv = randomBytes(ivLen);
  const size = encryptedLength(algorithmUri, ivLen, plaintext.size);
  let produced: Buffer | undefined;
  const generate = async function* (): AsyncIterable<Buffer> {
    const cipher = createCipheriv(alg.cipher as 'aes-256-gcm', key, iv, alg.mode === 'gcm' ? { authTagLength: GCM_TAG_LENGTH } : undefined);
    yield iv;
    for await (const chunk of plaintext.stream()) {
      const out = cipher.update(chunk);
      if (out.length) yield out;
    }
    const fin = cipher.final();
    if (fin.length) yield fin;
    if (alg.mode === 'gcm') yield cipher.getAuthTag();
  };
  return {
    size,
    async *stream(range) {
      // GCM/CBC output cannot be re-derived for a sub-range without re-encrypting from the start: ranges other
      // than the whole re-run the (deterministic, same key and IV) encryption and cut.
      if (!range || (range.start === 0 && range.end === size)) {
        yield* generate();
        return;
      }
      produced ??= await readAll({ size, stream: () => generate() }, Number.MAX_SAFE_INTEGER);
      yield produced.subarray(range.start, range.end);
    },
  };
}

/** Encrypts a small buffer. */
export async function encryptSymmetricBuffer(algorithmUri: string, ivLength: number, key: Buffer, plaintext: Buffer): Promise<Buffer> {
  const src = encryptSymmetricStream(algorithmUri, ivLength, key, bufferSource(plaintext));
  return readAll(src, Number.MAX_SAFE_INTEGER);
}
