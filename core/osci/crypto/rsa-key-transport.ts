/**
 * RSA key transport of XML-Enc (PROTOCOL.md §7.1/§7.2):
 *  - RSA-OAEP with independent digest and MGF1 digest. Node's `oaepHash` sets both to the same hash, so equal
 *    pairs use node:crypto directly and mixed pairs (e.g. SHA-256 with MGF1-SHA-1, the XML-Enc 1.1 default when
 *    xenc11:MGF is absent) use a raw RSA operation plus OAEP decoding written here (RFC 8017 §7.1).
 *  - RSA PKCS#1 v1.5: Node 20 refuses RSA_PKCS1_PADDING for private decryption (Marvin mitigation), so a raw RSA
 *    operation plus EME-PKCS1-v1_5 unpadding is used. Every failure is reported identically.
 */
import {
  constants,
  createHash,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { osciError, type OsciErrorKind } from '../errors.js';
import { DIGEST, KEY_TRANSPORT, MGF, digestAlgorithm, mgfHash } from './algorithms.js';

export interface KeyTransportMethod {
  readonly algorithm: string;
  /** ds:DigestMethod of the EncryptionMethod (OAEP), if present. */
  readonly digest?: string | undefined;
  /** xenc11:MGF Algorithm (OAEP), if present. */
  readonly mgf?: string | undefined;
  /** xenc:OAEPparams (label), if present. */
  readonly oaepParams?: Buffer | undefined;
}

interface OaepHashes {
  readonly hash: string;
  readonly mgf: string;
}

function oaepHashes(method: KeyTransportMethod): OaepHashes {
  const hash = method.digest ? digestAlgorithm(method.digest).hash : 'sha1';
  if (method.algorithm === KEY_TRANSPORT.rsaOaepMgf1p) return { hash, mgf: 'sha1' };
  return { hash, mgf: method.mgf ? mgfHash(method.mgf) : 'sha1' };
}

function modulusBytes(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (!bits) throw osciError('unsupported-algorithm', 'key transport needs an RSA key');
  return Math.ceil(bits / 8);
}

function mgf1(seed: Buffer, length: number, hash: string): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  for (let counter = 0; total < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const h = createHash(hash).update(seed).update(c).digest();
    out.push(h);
    total += h.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

function oaepDecode(em: Buffer, k: number, h: OaepHashes, label: Buffer): Buffer {
  const lHash = createHash(h.hash).update(label).digest();
  const hLen = lHash.length;
  if (em.length !== k || k < 2 * hLen + 2) throw new Error('decoding error');
  const y = em[0]!;
  const maskedSeed = em.subarray(1, 1 + hLen);
  const maskedDb = em.subarray(1 + hLen);
  const seed = xor(maskedSeed, mgf1(maskedDb, hLen, h.mgf));
  const db = xor(maskedDb, mgf1(seed, k - hLen - 1, h.mgf));
  let ok = y === 0 ? 1 : 0;
  ok &= timingSafeEqual(db.subarray(0, hLen), lHash) ? 1 : 0;
  let sep = -1;
  for (let i = hLen; i < db.length; i++) {
    if (sep < 0 && db[i] === 0x01) sep = i;
    else if (sep < 0 && db[i] !== 0x00) {
      ok = 0;
      break;
    }
  }
  if (!ok || sep < 0) throw new Error('decoding error');
  return db.subarray(sep + 1);
}

function oaepEncode(message: Buffer, k: number, h: OaepHashes, label: Buffer): Buffer {
  const lHash = createHash(h.hash).update(label).digest();
  const hLen = lHash.length;
  if (message.length > k - 2 * hLen - 2) throw new Error('message too long');
  const ps = Buffer.alloc(k - message.length - 2 * hLen - 2);
  const db = Buffer.concat([lHash, ps, Buffer.from([1]), message]);
  const seed = randomBytes(hLen);
  const maskedDb = xor(db, mgf1(seed, k - hLen - 1, h.mgf));
  const maskedSeed = xor(seed, mgf1(maskedDb, hLen, h.mgf));
  return Buffer.concat([Buffer.from([0]), maskedSeed, maskedDb]);
}

function pkcs1v15Unpad(em: Buffer, k: number): Buffer {
  // 00 02 PS(>=8 non-zero) 00 M
  let ok = em.length === k && em[0] === 0 && em[1] === 2 ? 1 : 0;
  let sep = -1;
  for (let i = 2; i < em.length; i++) {
    if (em[i] === 0) {
      sep = i;
      break;
    }
  }
  if (sep < 10) ok = 0;
  if (!ok) throw new Error('decoding error');
  return em.subarray(sep + 1);
}

/**
 * Unwraps a symmetric key. `expectedLength` (the symmetric algorithm's key length) is checked as part of the
 * same uniform failure.
 */
export function unwrapKey(
  privateKey: KeyObject,
  method: KeyTransportMethod,
  cipherValue: Buffer,
  expectedLength: number,
  failKind: OsciErrorKind,
  what: string,
): Buffer {
  if (![KEY_TRANSPORT.rsaOaep, KEY_TRANSPORT.rsaOaepMgf1p, KEY_TRANSPORT.rsa15].includes(method.algorithm as never)) {
    throw osciError('unsupported-algorithm', `key transport ${method.algorithm.slice(0, 120)}`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa') throw osciError(failKind, `${what}: key transport needs an RSA key`);
  const k = modulusBytes(privateKey);
  let key: Buffer;
  try {
    if (cipherValue.length !== k) throw new Error('ciphertext length differs from modulus length');
    if (method.algorithm === KEY_TRANSPORT.rsa15) {
      const em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, cipherValue);
      key = pkcs1v15Unpad(em, k);
    } else {
      const h = oaepHashes(method);
      const label = method.oaepParams ?? Buffer.alloc(0);
      if (h.hash === h.mgf) {
        key = privateDecrypt(
          { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: h.hash, ...(label.length ? { oaepLabel: label } : {}) },
          cipherValue,
        );
      } else {
        const em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, cipherValue);
        key = oaepDecode(em, k, h, label);
      }
    }
    if (key.length !== expectedLength) throw new Error('unwrapped key has the wrong length');
  } catch (error) {
    // one message for every failure: no padding oracle
    throw osciError(failKind, `${what}: the symmetric key could not be unwrapped (wrong key or damaged data)`, { cause: error });
  }
  return key;
}

/** Wraps a symmetric key for a recipient's public key. */
export function wrapKey(publicKey: KeyObject, method: KeyTransportMethod, key: Buffer): Buffer {
  if (publicKey.asymmetricKeyType !== 'rsa') throw osciError('unsupported-algorithm', 'key transport needs an RSA certificate');
  if (method.algorithm === KEY_TRANSPORT.rsa15) {
    return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, key);
  }
  if (method.algorithm !== KEY_TRANSPORT.rsaOaep && method.algorithm !== KEY_TRANSPORT.rsaOaepMgf1p) {
    throw osciError('unsupported-algorithm', `key transport ${method.algorithm.slice(0, 120)}`);
  }
  const h = oaepHashes(method);
  const label = method.oaepParams ?? Buffer.alloc(0);
  if (h.hash === h.mgf) {
    return publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: h.hash, ...(label.length ? { oaepLabel: label } : {}) },
      key,
    );
  }
  const k = modulusBytes(publicKey);
  return publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, oaepEncode(key, k, h, label));
}

/** The library's default OAEP parameters (SHA-256 / MGF1-SHA-256). */
export const DEFAULT_OAEP: KeyTransportMethod = { algorithm: KEY_TRANSPORT.rsaOaep, digest: DIGEST.sha256, mgf: MGF.sha256 };
