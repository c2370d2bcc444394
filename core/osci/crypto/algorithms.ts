/**
 * The algorithm URIs of OSCI-Transport 1.2 (PROTOCOL.md §7.1) and what they mean for node:crypto. Weak
 * algorithms are accepted when reading old messages but flagged; they are never emitted by default.
 */
import { osciError } from '../errors.js';

export interface SymmetricAlgorithm {
  readonly uri: string;
  readonly cipher: string;
  readonly keyLength: number;
  readonly mode: 'gcm' | 'cbc';
  /** CBC block size = IV length. */
  readonly blockSize: number;
  readonly weak: boolean;
}

export const SYM = {
  aes128gcm: 'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  aes192gcm: 'http://www.w3.org/2009/xmlenc11#aes192-gcm',
  aes256gcm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  aes128cbc: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  aes192cbc: 'http://www.w3.org/2001/04/xmlenc#aes192-cbc',
  aes256cbc: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  tripledes: 'http://www.w3.org/2001/04/xmlenc#tripledes-cbc',
} as const;

const symmetric: readonly SymmetricAlgorithm[] = [
  { uri: SYM.aes128gcm, cipher: 'aes-128-gcm', keyLength: 16, mode: 'gcm', blockSize: 16, weak: false },
  { uri: SYM.aes192gcm, cipher: 'aes-192-gcm', keyLength: 24, mode: 'gcm', blockSize: 16, weak: false },
  { uri: SYM.aes256gcm, cipher: 'aes-256-gcm', keyLength: 32, mode: 'gcm', blockSize: 16, weak: false },
  { uri: SYM.aes128cbc, cipher: 'aes-128-cbc', keyLength: 16, mode: 'cbc', blockSize: 16, weak: true },
  { uri: SYM.aes192cbc, cipher: 'aes-192-cbc', keyLength: 24, mode: 'cbc', blockSize: 16, weak: true },
  { uri: SYM.aes256cbc, cipher: 'aes-256-cbc', keyLength: 32, mode: 'cbc', blockSize: 16, weak: true },
  { uri: SYM.tripledes, cipher: 'des-ede3-cbc', keyLength: 24, mode: 'cbc', blockSize: 8, weak: true },
];

export function symmetricAlgorithm(uri: string): SymmetricAlgorithm {
  const a = symmetric.find((s) => s.uri === uri);
  if (!a) throw osciError('unsupported-algorithm', `symmetric algorithm ${uri.slice(0, 120)}`);
  return a;
}

export const KEY_TRANSPORT = {
  rsaOaep: 'http://www.w3.org/2009/xmlenc11#rsa-oaep',
  rsaOaepMgf1p: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  rsa15: 'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
} as const;

export const MGF = {
  sha1: 'http://www.w3.org/2009/xmlenc11#mgf1sha1',
  sha224: 'http://www.w3.org/2009/xmlenc11#mgf1sha224',
  sha256: 'http://www.w3.org/2009/xmlenc11#mgf1sha256',
  sha384: 'http://www.w3.org/2009/xmlenc11#mgf1sha384',
  sha512: 'http://www.w3.org/2009/xmlenc11#mgf1sha512',
} as const;

export function mgfHash(uri: string): string {
  const m: Record<string, string> = {
    [MGF.sha1]: 'sha1',
    [MGF.sha224]: 'sha224',
    [MGF.sha256]: 'sha256',
    [MGF.sha384]: 'sha384',
    [MGF.sha512]: 'sha512',
  };
  const h = m[uri];
  if (!h) throw osciError('unsupported-algorithm', `MGF ${uri.slice(0, 120)}`);
  return h;
}

export const DIGEST = {
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha224: 'http://www.w3.org/2001/04/xmldsig-more#sha224',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  sha3_256: 'http://www.w3.org/2007/05/xmldsig-more#sha3-256',
  sha3_384: 'http://www.w3.org/2007/05/xmldsig-more#sha3-384',
  sha3_512: 'http://www.w3.org/2007/05/xmldsig-more#sha3-512',
  ripemd160: 'http://www.w3.org/2001/04/xmlenc#ripemd160',
} as const;

export interface DigestAlgorithm {
  readonly uri: string;
  readonly hash: string;
  readonly weak: boolean;
}

const digests: readonly DigestAlgorithm[] = [
  { uri: DIGEST.sha1, hash: 'sha1', weak: true },
  { uri: DIGEST.sha224, hash: 'sha224', weak: false },
  { uri: DIGEST.sha256, hash: 'sha256', weak: false },
  { uri: 'http://www.w3.org/2001/04/xmldsig-more#sha256', hash: 'sha256', weak: false },
  { uri: DIGEST.sha384, hash: 'sha384', weak: false },
  { uri: DIGEST.sha512, hash: 'sha512', weak: false },
  { uri: 'http://www.w3.org/2001/04/xmldsig-more#sha512', hash: 'sha512', weak: false },
  { uri: DIGEST.sha3_256, hash: 'sha3-256', weak: false },
  { uri: DIGEST.sha3_384, hash: 'sha3-384', weak: false },
  { uri: DIGEST.sha3_512, hash: 'sha3-512', weak: false },
  { uri: DIGEST.ripemd160, hash: 'ripemd160', weak: true },
];

export function digestAlgorithm(uri: string): DigestAlgorithm {
  const d = digests.find((x) => x.uri === uri);
  if (!d) throw osciError('unsupported-algorithm', `digest ${uri.slice(0, 120)}`);
  return d;
}

export function digestUriFor(hash: string): string {
  const d = digests.find((x) => x.hash === hash);
  if (!d) throw osciError('unsupported-algorithm', `digest ${hash}`);
  return d.uri;
}

export type SignatureScheme = 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa';

export interface SignatureAlgorithm {
  readonly uri: string;
  readonly scheme: SignatureScheme;
  readonly hash: string;
  readonly weak: boolean;
}

export const SIG = {
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha384: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  rsaRipemd160: 'http://www.w3.org/2001/04/xmldsig-more#rsa-ripemd160',
  pssSha256: 'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
  pssSha384: 'http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1',
  pssSha512: 'http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1',
  pssSha3_256: 'http://www.w3.org/2007/05/xmldsig-more#sha3-256-rsa-MGF1',
  pssSha3_384: 'http://www.w3.org/2007/05/xmldsig-more#sha3-384-rsa-MGF1',
  pssSha3_512: 'http://www.w3.org/2007/05/xmldsig-more#sha3-512-rsa-MGF1',
  ecdsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  ecdsaSha384: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
  ecdsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512',
} as const;

const signatures: readonly SignatureAlgorithm[] = [
  { uri: SIG.rsaSha1, scheme: 'rsa-pkcs1', hash: 'sha1', weak: true },
  { uri: SIG.rsaSha256, scheme: 'rsa-pkcs1', hash: 'sha256', weak: false },
  { uri: SIG.rsaSha384, scheme: 'rsa-pkcs1', hash: 'sha384', weak: false },
  { uri: SIG.rsaSha512, scheme: 'rsa-pkcs1', hash: 'sha512', weak: false },
  { uri: SIG.rsaRipemd160, scheme: 'rsa-pkcs1', hash: 'ripemd160', weak: true },
  { uri: 'http://www.w3.org/2001/04/xmldsig-more/rsa-ripemd160', scheme: 'rsa-pkcs1', hash: 'ripemd160', weak: true },
  { uri: SIG.pssSha256, scheme: 'rsa-pss', hash: 'sha256', weak: false },
  { uri: SIG.pssSha384, scheme: 'rsa-pss', hash: 'sha384', weak: false },
  { uri: SIG.pssSha512, scheme: 'rsa-pss', hash: 'sha512', weak: false },
  { uri: SIG.pssSha3_256, scheme: 'rsa-pss', hash: 'sha3-256', weak: false },
  { uri: SIG.pssSha3_384, scheme: 'rsa-pss', hash: 'sha3-384', weak: false },
  { uri: SIG.pssSha3_512, scheme: 'rsa-pss', hash: 'sha3-512', weak: false },
  { uri: SIG.ecdsaSha256, scheme: 'ecdsa', hash: 'sha256', weak: false },
  { uri: SIG.ecdsaSha384, scheme: 'ecdsa', hash: 'sha384', weak: false },
  { uri: SIG.ecdsaSha512, scheme: 'ecdsa', hash: 'sha512', weak: false },
];

export function signatureAlgorithm(uri: string): SignatureAlgorithm {
  const s = signatures.find((x) => x.uri === uri);
  if (!s) throw osciError('unsupported-algorithm', `signature method ${uri.slice(0, 120)}`);
  return s;
}

export const TRANSFORM_BASE64 = 'http://www.w3.org/2000/09/xmldsig#base64';
export const RETRIEVAL_X509 = 'http://www.w3.org/2000/09/xmldsig#X509Data';

/** Sender defaults (PROTOCOL.md §7.5). */
export const DEFAULTS = {
  symmetric: SYM.aes256gcm,
  ivLength: 12 as 12 | 16,
  keyTransport: KEY_TRANSPORT.rsaOaep,
  oaepDigest: DIGEST.sha256,
  mgf: MGF.sha256,
  signature: SIG.rsaSha256,
  digest: DIGEST.sha256,
} as const;
