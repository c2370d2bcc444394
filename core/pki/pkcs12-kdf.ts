/**
 * The PKCS#12 key derivation (RFC 7292 appendix B.2) of legacy key files, on node:crypto's hashes: the key and IV
 * of the 3DES/RC2 bags and the key of the SHA-1 MAC. A legacy file asks for 350,000 iterations of A = H(A)
 * (100000 for the MAC, 50000 for each 20-byte block of key and IV); node-forge hashes them in JavaScript on
 * binary strings (~0.4-1 s per file on this project's 2-core machines, most of a cold start), and calling
 * node:crypto once per iteration is hardly faster (each call costs about a microsecond of crossing into C++).
 *
 * So the first hash of each block (over D‖I, any length) is node:crypto's, and the iterations that follow — always
 * SHA-1 over the 20-byte digest in legacy files — run in sha1Iterated (sha1-iterated.ts): the SHA-1 compression
 * function of FIPS 180-4 for exactly one padded 20-byte block, unrolled, repeated without allocating. Other
 * digests (a SHA-256 MAC of an OpenSSL 3 file, 2048 iterations) iterate with node:crypto. tests/pki/pkcs12-kdf.test.ts compares both with
 * node:crypto and with forge's own derivation.
 */
import { hash } from 'node:crypto';
import { sha1Iterated } from './sha1-iterated.js';

export { sha1Iterated };

/** Output and block length (bytes) of the digests a PKCS#12 file may name. */
const SIZES: Readonly<Record<string, { readonly u: number; readonly v: number }>> = {
  sha1: { u: 20, v: 64 },
  sha224: { u: 28, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
  'sha512-224': { u: 28, v: 128 },
  'sha512-256': { u: 32, v: 128 },
};

export function pkcs12KdfSupports(digest: string): boolean {
  return digest in SIZES;
}

/** `bytes` repeated to `length` bytes (empty when `bytes` is). */
function repeated(bytes: Buffer, length: number): Buffer {
  const out = Buffer.alloc(bytes.length === 0 ? 0 : length);
  for (let i = 0; i < out.length; i++) out[i] = bytes[i % bytes.length]!;
  return out;
}

/**
 * RFC 7292 B.2: `length` bytes of key material for purpose `id` (1 key, 2 IV, 3 MAC) from `password` (the
 * BMPString with its two zero bytes, or empty for no password), `salt` and `iterations` (≥ 1) of `digest`.
 */
export function pkcs12Kdf(password: Buffer, salt: Buffer, id: number, iterations: number, length: number, digest: string): Buffer {
  const size = SIZES[digest];
  if (!size) throw new Error(`PKCS#12 key derivation with ${digest} is not supported`);
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new Error('PKCS#12 key derivation iteration count must be >= 1.');
  const { u, v } = size;
  const I = Buffer.concat([repeated(salt, v * Math.ceil(salt.length / v)), repeated(password, v * Math.ceil(password.length / v))]);
  const D = Buffer.alloc(v, id);
  const out = Buffer.alloc(Math.ceil(length / u) * u);
  for (let block = 0; block * u < length; block++) {
    let A: Buffer = hash(digest, Buffer.concat([D, I]), 'buffer');
    if (digest === 'sha1') A = sha1Iterated(A, iterations - 1);
    else for (let r = 1; r < iterations; r++) A = hash(digest, A, 'buffer');
    A.copy(out, block * u);
    // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of I, B = A repeated to v bytes
    const B = repeated(A, v);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const x = I[j + k]! + B[k]! + carry;
        I[j + k] = x & 0xff;
        carry = x >>> 8;
      }
    }
  }
  return out.subarray(0, length);
}

/** A password as PKCS#12 BMPString: UTF-16 big-endian code units and two zero bytes; empty for no password. */
export function bmpPassword(password: string | null | undefined): Buffer {
  if (password === null || password === undefined) return Buffer.alloc(0);
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}
