/**
 * RSA key transport of XML-Enc (PROTOCOL.md §7.1/§7.2):
 *  - RSA-OAEP with independent digest and MGF1 digest. Node's `oaepHash` sets both to the same hash, so equal
 *    pairs use node:crypto directly and mixed pairs (e.g. SHA-256 with MGF1-SHA-1, the XML-Enc 1.1 default when
 *    xenc11:MGF is absent) use a raw RSA operation plus OAEP decoding written here (RFC 8017 §7.1).
 *  - RSA PKCS#1 v1.5 (receive-only legacy): Node 20 refuses RSA_PKCS1_PADDING for private decryption (Marvin
 *    mitigation), so a raw RSA operation plus EME-PKCS1-v1_5 unpadding is used — with implicit rejection, so that
 *    no answer tells a bad padding from a good one (Bleichenbacher): the padding is checked in one pass over every
 *    byte without an early exit, and on ANY failure (first bytes not 00 02, no zero separator, fewer than 8
 *    padding bytes, a message whose length is not the symmetric key's, a ciphertext of the wrong length) the
 *    function returns, instead of throwing, a substitute key of the right length derived from the ciphertext
 *    with a secret of the private key (HMAC-SHA-256). The same ciphertext always gives the same substitute, and
 *    the caller carries on exactly as with a real key: the failure surfaces later as the same decryption error
 *    as any other wrong key (GCM tag mismatch, or for CBC the unreadable plaintext, crypto/symmetric.ts).
 */
import { constants, createHash, createHmac, privateDecrypt, publicEncrypt, randomBytes, timingSafeEqual, webcrypto, type KeyObject } from 'node:crypto';
import type { PostfachError } from '../../errors.js';
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

/** Per private key: the secret substitute keys are derived with (never leaves this module). */
const rejectionSecrets = new WeakMap<KeyObject, Buffer>();

function rejectionSecret(privateKey: KeyObject): Buffer {
  let secret = rejectionSecrets.get(privateKey);
  if (!secret) {
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    secret = createHash('sha256').update('OSCI-Postfach PKCS#1 v1.5 implicit rejection\0').update(der).digest();
    rejectionSecrets.set(privateKey, secret);
  }
  return secret;
}

/** The substitute key for a ciphertext: deterministic, unpredictable without the private key. */
function substituteKey(privateKey: KeyObject, cipherValue: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let block = 0, filled = 0; filled < length; block++) {
    const h = createHmac('sha256', rejectionSecret(privateKey))
      .update(Buffer.from([block]))
      .update(cipherValue)
      .digest();
    filled += h.copy(out, filled);
  }
  return out;
}

/**
 * EME-PKCS1-v1_5 decoding with implicit rejection (see the file comment): 00 02 PS(≥ 8 non-zero) 00 M with
 * |M| = expectedLength, else the substitute. Every byte is looked at, the result is selected with a mask.
 */
function pkcs1v15UnpadOrSubstitute(em: Buffer, k: number, expectedLength: number, substitute: Buffer): Buffer {
  let found = 0; // 1 once the separator was seen
  let separator = 0;
  for (let i = 2; i < k; i++) {
    const isZero = ((em[i]! - 1) >>> 31) & 1; // 1 iff em[i] === 0 (em[i] is 0..255)
    const first = isZero & (found ^ 1);
    separator += first * i;
    found |= isZero;
  }
  const okFirst = ((em[0]! - 1) >>> 31) & 1; // em[0] === 0
  const okSecond = (((em[1]! ^ 2) - 1) >>> 31) & 1; // em[1] === 2
  const okPadding = ((9 - separator) >>> 31) & 1; // separator >= 10: at least 8 padding bytes
  const okLength = ((((k - separator - 1) ^ expectedLength) - 1) >>> 31) & 1; // |M| === expectedLength
  const ok = okFirst & okSecond & found & okPadding & okLength;
  const mask = -ok & 0xff;
  const message = em.subarray(k - expectedLength);
  const out = Buffer.alloc(expectedLength);
  for (let i = 0; i < expectedLength; i++) out[i] = (message[i]! & mask) | (substitute[i]! & ~mask & 0xff);
  return out;
}

/**
 * Unwraps a symmetric key. `expectedLength` (the symmetric algorithm's key length) is checked as part of the
 * same uniform failure. RSA-OAEP: every failure is one error. RSA PKCS#1 v1.5: no failure is reported here at
 * all — a bad padding gives a substitute key (implicit rejection, see the file comment).
 */
export function unwrapKey(privateKey: KeyObject, method: KeyTransportMethod, cipherValue: Buffer, expectedLength: number, failKind: OsciErrorKind, what: string): Buffer {
  if (![KEY_TRANSPORT.rsaOaep, KEY_TRANSPORT.rsaOaepMgf1p, KEY_TRANSPORT.rsa15].includes(method.algorithm as never)) {
    throw osciError('unsupported-algorithm', `key transport ${method.algorithm.slice(0, 120)}`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa') throw osciError(failKind, `${what}: key transport needs an RSA key`);
  const k = modulusBytes(privateKey);
  if (method.algorithm === KEY_TRANSPORT.rsa15) {
    const substitute = substituteKey(privateKey, cipherValue, expectedLength);
    let em: Buffer;
    try {
      // a ciphertext of the wrong length or not below the modulus takes the substitute's way too
      const raw = cipherValue.length === k ? privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, cipherValue) : Buffer.alloc(0);
      em = raw.length === k ? raw : Buffer.alloc(k);
    } catch {
      em = Buffer.alloc(k);
    }
    return pkcs1v15UnpadOrSubstitute(em, k, expectedLength, substitute);
  }
  let key: Buffer;
  try {
    if (cipherValue.length !== k) throw new Error('ciphertext length differs from modulus length');
    const h = oaepHashes(method);
    const label = method.oaepParams ?? Buffer.alloc(0);
    if (h.hash === h.mgf) {
      key = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: h.hash, ...(label.length ? { oaepLabel: label } : {}) }, cipherValue);
    } else {
      const em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, cipherValue);
      key = oaepDecode(em, k, h, label);
    }
    if (key.length !== expectedLength) throw new Error('unwrapped key has the wrong length');
  } catch (error) {
    // one message for every failure: no padding oracle
    throw osciError(failKind, `${what}: the symmetric key could not be unwrapped (wrong key or damaged data)`, { cause: error });
  }
  return key;
}

/** WebCrypto's names of the OAEP digests it shares with node:crypto (the digest and MGF1 are one hash there). */
const WEBCRYPTO_OAEP_HASH: Readonly<Record<string, string>> = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

/** A WebCrypto RSA-OAEP key made from a private key; `undefined` while it is being made and for a key WebCrypto does not take. */
interface OaepCryptoKey {
  key: webcrypto.CryptoKey | undefined;
  readonly made: Promise<void>;
  /** Operations handed to the pool with this key and not yet finished. */
  busy: number;
}

/**
 * Node runs the operations of one key object one at a time (its key data is guarded by a lock), so two
 * containers' key transports on the pool need two WebCrypto keys to run at once: at most this many per private key
 * and digest, made on first need (each import costs about 0.5 ms of CPU for RSA-4096).
 */
const CRYPTO_KEYS_PER_KEY = 2;

/**
 * The private key as WebCrypto RSA-OAEP keys, per digest; made once per key (Node 20 has no KeyObject.toCryptoKey).
 * The unwrapping on this thread uses the KeyObject itself, which runs beside them.
 */
const oaepCryptoKeys = new WeakMap<KeyObject, Map<string, OaepCryptoKey[]>>();

function oaepCryptoKey(privateKey: KeyObject, hash: string): OaepCryptoKey {
  let byHash = oaepCryptoKeys.get(privateKey);
  if (!byHash) oaepCryptoKeys.set(privateKey, (byHash = new Map<string, OaepCryptoKey[]>()));
  let keys = byHash.get(hash);
  if (!keys) byHash.set(hash, (keys = []));
  const idle = keys.find((k) => k.busy === 0);
  if (idle) return idle;
  if (keys.length >= CRYPTO_KEYS_PER_KEY) return keys.reduce((a, b) => (b.busy < a.busy ? b : a));
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const made: OaepCryptoKey = { key: undefined, made: Promise.resolve(), busy: 0 };
  (made as { made: Promise<void> }).made = webcrypto.subtle.importKey('pkcs8', der, { name: 'RSA-OAEP', hash }, false, ['decrypt']).then(
    (key) => void (made.key = key),
    () => undefined,
  );
  keys.push(made);
  return made;
}

/**
 * {@link unwrapKey} off the main thread where it can be: RSA-OAEP with one digest for OAEP and MGF1 runs as
 * WebCrypto's decryption on libuv's thread pool (OpenSSL, the same operation as `privateDecrypt`), so that
 * independent key transports (two content containers) use the second core. The operation is handed to the pool
 * before this function returns (not after a later turn of the event loop), so that it runs while the caller goes
 * on. Same result and the same single error as unwrapKey; every other method (PKCS#1 v1.5 with its implicit
 * rejection, mixed OAEP digests) is unwrapKey itself.
 */
export function unwrapKeyConcurrently(
  privateKey: KeyObject,
  method: KeyTransportMethod,
  cipherValue: Buffer,
  expectedLength: number,
  failKind: OsciErrorKind,
  what: string,
): Promise<Buffer> {
  const here = (): Promise<Buffer> => new Promise((resolve) => resolve(unwrapKey(privateKey, method, cipherValue, expectedLength, failKind, what)));
  const oaep = method.algorithm === KEY_TRANSPORT.rsaOaep || method.algorithm === KEY_TRANSPORT.rsaOaepMgf1p;
  let hash: string | undefined;
  try {
    const h = oaep && privateKey.asymmetricKeyType === 'rsa' ? oaepHashes(method) : undefined;
    hash = h && h.hash === h.mgf ? WEBCRYPTO_OAEP_HASH[h.hash] : undefined;
  } catch {
    hash = undefined;
  }
  if (!hash) return here();
  const onPool = (cryptoKey: webcrypto.CryptoKey): Promise<Buffer> => {
    const failed = (error: unknown): PostfachError =>
      // one message for every failure, as unwrapKey: no padding oracle
      osciError(failKind, `${what}: the symmetric key could not be unwrapped (wrong key or damaged data)`, { cause: error });
    try {
      if (cipherValue.length !== modulusBytes(privateKey)) throw new Error('ciphertext length differs from modulus length');
      const label = method.oaepParams ?? Buffer.alloc(0);
      return webcrypto.subtle.decrypt({ name: 'RSA-OAEP', ...(label.length ? { label } : {}) }, cryptoKey, cipherValue).then(
        (plain) => {
          const key = Buffer.from(plain);
          if (key.length !== expectedLength) throw failed(new Error('unwrapped key has the wrong length'));
          return key;
        },
        (error: unknown) => {
          throw failed(error);
        },
      );
    } catch (error) {
      return Promise.reject(failed(error));
    }
  };
  let entry: OaepCryptoKey;
  try {
    entry = oaepCryptoKey(privateKey, hash);
  } catch {
    return here(); // a key that cannot be exported for WebCrypto: unwrapKey here, with its errors
  }
  // counted from the choice on, so that the next operation of this turn takes the other key
  entry.busy++;
  const chosen = entry;
  const result = chosen.key ? onPool(chosen.key) : chosen.made.then(() => (chosen.key ? onPool(chosen.key) : here()));
  const finished = (): void => void chosen.busy--;
  result.then(finished, finished);
  return result;
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
    return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: h.hash, ...(label.length ? { oaepLabel: label } : {}) }, key);
  }
  const k = modulusBytes(publicKey);
  return publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, oaepEncode(key, k, h, label));
}

/** The library's default OAEP parameters (SHA-256 / MGF1-SHA-256). */
export const DEFAULT_OAEP: KeyTransportMethod = { algorithm: KEY_TRANSPORT.rsaOaep, digest: DIGEST.sha256, mgf: MGF.sha256 };
