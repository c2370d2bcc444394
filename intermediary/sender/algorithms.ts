/**
 * The algorithm variants our sender can send (`postfach send --cipher … --signature …`), by the short names of
 * the command line, resolved to the URIs of PROTOCOL.md §7.1 — exactly what the reference implementation offers
 * for sending and the schemas allow (oscienc.xsd / oscisig.xsd enumerations): so that our own sender exercises
 * every variant a receiver meets in the field. The same choice applies to both layers (transport encryption and
 * ClientSignature of the requests; content encryption, attachment encryption and author signature), as the
 * reference's dialog settings do.
 *
 * OAEP with SHA-1 (digest or MGF1) is written by leaving the element out (XML-Enc 1.1's default): the schemas'
 * DigestMethod enumeration has no SHA-1. The reference implementation itself sends only SHA-256 and SHA-512
 * pairs (and cannot read an OAEP without parameters, PROTOCOL.md §7.2): SHA-1 exercises receivers' defaults.
 */
import type { KeyObject } from 'node:crypto';
import { PostfachError } from '../../core/errors.js';
import { DEFAULTS, DIGEST, KEY_TRANSPORT, MGF, SIG, SYM, signatureAlgorithm } from '../../core/osci/crypto/algorithms.js';
import type { KeyTransportMethod } from '../../core/osci/crypto/rsa-key-transport.js';

export const CIPHERS = {
  'aes256-gcm': SYM.aes256gcm,
  'aes192-gcm': SYM.aes192gcm,
  'aes128-gcm': SYM.aes128gcm,
  'aes256-cbc': SYM.aes256cbc,
  'aes192-cbc': SYM.aes192cbc,
  'aes128-cbc': SYM.aes128cbc,
  '3des': SYM.tripledes,
} as const;

export const KEY_TRANSPORTS = {
  'rsa-oaep': KEY_TRANSPORT.rsaOaep,
  /** Deprecated since reference 2.3.0, still sendable there (PROTOCOL.md §7.1); receivers must still read it. */
  'rsa-1_5': KEY_TRANSPORT.rsa15,
} as const;

/** OAEP digest; `undefined` = no ds:DigestMethod element (SHA-1 by default). */
export const OAEP_DIGESTS: Readonly<Record<'sha1' | 'sha256' | 'sha512', string | undefined>> = {
  sha1: undefined,
  sha256: DIGEST.sha256,
  sha512: DIGEST.sha512,
};

/** MGF1 digest; `undefined` = no xenc11:MGF element (MGF1-SHA-1 by default). */
export const MGF1_DIGESTS: Readonly<Record<'sha1' | 'sha256' | 'sha384' | 'sha512', string | undefined>> = {
  sha1: undefined,
  sha256: MGF.sha256,
  sha384: MGF.sha384,
  sha512: MGF.sha512,
};

export const SIGNATURES = {
  'rsa-sha256': SIG.rsaSha256,
  'rsa-sha512': SIG.rsaSha512,
  'rsa-pss-sha256': SIG.pssSha256,
  'rsa-pss-sha512': SIG.pssSha512,
  'rsa-pss-sha3-256': SIG.pssSha3_256,
  'rsa-pss-sha3-384': SIG.pssSha3_384,
  'rsa-pss-sha3-512': SIG.pssSha3_512,
  'ecdsa-sha256': SIG.ecdsaSha256,
  'ecdsa-sha512': SIG.ecdsaSha512,
} as const;

export const DIGESTS = {
  sha256: DIGEST.sha256,
  sha512: DIGEST.sha512,
  'sha3-256': DIGEST.sha3_256,
  'sha3-384': DIGEST.sha3_384,
  'sha3-512': DIGEST.sha3_512,
} as const;

/** Content-Transfer-Encoding of the attachment parts (PROTOCOL.md §7.3/§12: Java 2.4.1 `8-bit`, .NET `8bit`/base64). */
export const ATTACHMENT_ENCODINGS = ['8bit', '8-bit', 'binary', 'base64'] as const;
/** The transport layer's ciphertext part: binary (Java 2.4.1) or base64 (`text/base64`, older peers and .NET). */
export const TRANSPORT_ENCODINGS = ['binary', 'base64'] as const;

export type CipherName = keyof typeof CIPHERS;
export type KeyTransportName = keyof typeof KEY_TRANSPORTS;
export type SignatureName = keyof typeof SIGNATURES;
export type DigestName = keyof typeof DIGESTS;
export type AttachmentEncoding = (typeof ATTACHMENT_ENCODINGS)[number];

/** The choice by name, as given on the command line (every field optional: defaults of PROTOCOL.md §7.5). */
export interface SendAlgorithmNames {
  readonly cipher?: string;
  readonly ivLength?: number;
  readonly keyTransport?: string;
  readonly oaepDigest?: string;
  readonly mgf1Digest?: string;
  readonly signature?: string;
  readonly digest?: string;
  readonly attachmentEncoding?: string;
  readonly transportEncoding?: string;
}

/** The resolved choice (URIs). */
export interface SendAlgorithms {
  readonly symmetric: string;
  /** GCM IV length: 12 (osci128:IvLength written) or 16 (no element); CBC ignores it (one block). */
  readonly ivLength: 12 | 16;
  readonly keyTransport: KeyTransportMethod;
  /** Undefined: RSA-SHA256 for an RSA key, ECDSA-SHA256 for an EC key. */
  readonly signatureMethod: string | undefined;
  readonly digestMethod: string;
  readonly attachmentEncoding: AttachmentEncoding;
  readonly transportBase64: boolean;
}

export const DEFAULT_SEND_ALGORITHMS: SendAlgorithms = {
  symmetric: DEFAULTS.symmetric,
  ivLength: DEFAULTS.ivLength,
  keyTransport: { algorithm: DEFAULTS.keyTransport, digest: DEFAULTS.oaepDigest, mgf: DEFAULTS.mgf },
  signatureMethod: undefined,
  digestMethod: DEFAULTS.digest,
  attachmentEncoding: '8bit',
  transportBase64: false,
};

function invalid(detail: string): PostfachError {
  return new PostfachError('invalid-argument', { de: 'Ungültige Angabe für den Versand.', en: 'Invalid option for sending.' }, detail);
}

function pick<T>(table: Readonly<Record<string, T>>, name: string | undefined, what: string): T | undefined {
  if (name === undefined) return undefined;
  if (!Object.prototype.hasOwnProperty.call(table, name)) throw invalid(`${what} ${name.slice(0, 40)}: one of ${Object.keys(table).join(', ')}`);
  return table[name];
}

function oneOf<T extends string>(list: readonly T[], name: string | undefined, what: string): T | undefined {
  if (name === undefined) return undefined;
  if (!(list as readonly string[]).includes(name)) throw invalid(`${what} ${name.slice(0, 40)}: one of ${list.join(', ')}`);
  return name as T;
}

/** Resolves names to URIs; refuses unknown names and combinations that make no sense. */
export function resolveSendAlgorithms(names: SendAlgorithmNames = {}): SendAlgorithms {
  const d = DEFAULT_SEND_ALGORITHMS;
  const keyTransport = pick(KEY_TRANSPORTS, names.keyTransport, 'key transport') ?? d.keyTransport.algorithm;
  const oaepGiven = names.oaepDigest !== undefined || names.mgf1Digest !== undefined;
  if (keyTransport === KEY_TRANSPORT.rsa15 && oaepGiven) throw invalid('--oaep-digest / --mgf1-digest apply to rsa-oaep only');
  if (names.ivLength !== undefined && names.ivLength !== 12 && names.ivLength !== 16) throw invalid(`IV length ${names.ivLength}: 12 or 16`);
  let method: KeyTransportMethod;
  if (keyTransport === KEY_TRANSPORT.rsa15) method = { algorithm: keyTransport };
  else {
    const digest = names.oaepDigest === undefined ? d.keyTransport.digest : pick(OAEP_DIGESTS, names.oaepDigest, 'OAEP digest');
    // the MGF1 digest follows the OAEP digest unless chosen (the reference writes equal pairs)
    const mgfName = names.mgf1Digest ?? names.oaepDigest;
    const mgf = mgfName === undefined ? d.keyTransport.mgf : pick(MGF1_DIGESTS, mgfName, 'MGF1 digest');
    method = { algorithm: keyTransport, digest, mgf };
  }
  return {
    symmetric: pick(CIPHERS, names.cipher, 'cipher') ?? d.symmetric,
    ivLength: names.ivLength ?? d.ivLength,
    keyTransport: method,
    signatureMethod: pick(SIGNATURES, names.signature, 'signature method'),
    digestMethod: pick(DIGESTS, names.digest, 'digest method') ?? d.digestMethod,
    attachmentEncoding: oneOf(ATTACHMENT_ENCODINGS, names.attachmentEncoding, 'attachment encoding') ?? d.attachmentEncoding,
    transportBase64: (oneOf(TRANSPORT_ENCODINGS, names.transportEncoding, 'transport encoding') ?? 'binary') === 'base64',
  };
}

/** The signature method for a key: the chosen one if it fits the key type, else the key type's default. */
export function signatureMethodFor(algorithms: SendAlgorithms, key: KeyObject): string {
  const ec = key.asymmetricKeyType === 'ec';
  if (algorithms.signatureMethod === undefined) return ec ? SIG.ecdsaSha256 : SIG.rsaSha256;
  const scheme = signatureAlgorithm(algorithms.signatureMethod).scheme;
  if ((scheme === 'ecdsa') !== ec) {
    throw invalid(`signature method ${scheme} does not fit the ${key.asymmetricKeyType ?? 'unknown'} signature key${ec ? '' : ' (ECDSA needs an EC key: --signature-p12)'}`);
  }
  return algorithms.signatureMethod;
}
