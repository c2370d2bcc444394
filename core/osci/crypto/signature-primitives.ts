/**
 * Signature values of XML-DSig as OSCI uses them: RSA PKCS#1 v1.5, RSASSA-PSS (MGF1 with the same hash, salt =
 * hash length, trailer 1 — implied by the URI) and ECDSA with the raw r‖s value (not DER).
 */
import { constants, createHash, sign, verify, type KeyObject } from 'node:crypto';
import { signatureAlgorithm, type SignatureAlgorithm } from './algorithms.js';

function options(alg: SignatureAlgorithm, key: KeyObject) {
  switch (alg.scheme) {
    case 'rsa-pss':
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: createHash(alg.hash).digest().length };
    case 'ecdsa':
      return { key, dsaEncoding: 'ieee-p1363' as const };
    default:
      return { key, padding: constants.RSA_PKCS1_PADDING };
  }
}

function keyFits(alg: SignatureAlgorithm, key: KeyObject): boolean {
  return alg.scheme === 'ecdsa' ? key.asymmetricKeyType === 'ec' : key.asymmetricKeyType === 'rsa';
}

/** Verifies a signature value; false for any mismatch (also a key that does not fit the algorithm). */
export function verifySignatureValue(algorithmUri: string, publicKey: KeyObject, data: Buffer, value: Buffer): boolean {
  const alg = signatureAlgorithm(algorithmUri);
  if (!keyFits(alg, publicKey)) return false;
  try {
    return verify(alg.hash, data, options(alg, publicKey), value);
  } catch {
    return false;
  }
}

export function createSignatureValue(algorithmUri: string, privateKey: KeyObject, data: Buffer): Buffer {
  const alg = signatureAlgorithm(algorithmUri);
  return sign(alg.hash, data, options(alg, privateKey));
}

/**
 * The same, computed in libuv's thread pool: the private-key operation (milliseconds for RSA-3072/4096) leaves the
 * event loop free, e.g. for storing the last delivery while the next request is being signed.
 */
export function createSignatureValueAsync(algorithmUri: string, privateKey: KeyObject, data: Buffer): Promise<Buffer> {
  const alg = signatureAlgorithm(algorithmUri);
  return new Promise((resolve, reject) => sign(alg.hash, data, options(alg, privateKey), (error, value) => (error ? reject(error) : resolve(value))));
}
