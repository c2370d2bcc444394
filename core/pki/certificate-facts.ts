/**
 * What the UI, `postfach pki show` and the checks need to know about a certificate, as plain JSON-serialisable
 * data: names, serial, validity, key usage, key, fingerprint, and warnings (expired, not yet valid, expiring soon,
 * wrong key usage for its role, weak key, weak signature algorithm), evaluated at a given time.
 */
import type { X509Certificate } from 'node:crypto';
import type { DistinguishedName } from './distinguished-name.js';
import { CURVE_BITS, EXTENDED_KEY_USAGES, SIGNATURE_ALGORITHMS } from './oids.js';
import { type KeyUsage, x509Fields } from './x509-fields.js';

/** What a key is meant for in a mailbox: its cipher key (identity, decryption) or its signature key. */
export type KeyRole = 'cipher' | 'signature';

/** RSA below this is weak (BSI TR-02102; PROTOCOL.md §7.1). */
export const MIN_RSA_BITS = 3000;
export const MIN_EC_BITS = 256;
/** A certificate that expires within this many days gets a warning. */
export const EXPIRY_WARNING_DAYS = 60;

const DAY_MS = 24 * 60 * 60 * 1000;

export type CertificateWarningCode = 'expired' | 'not-yet-valid' | 'expires-soon' | 'wrong-key-usage' | 'weak-key' | 'weak-signature-algorithm';

/**
 * A warning as a code with the facts its words need (no words: they are said where the warning is shown, from
 * core/domain/words, with the certificate's dates in the office time zone).
 */
export interface CertificateWarning {
  readonly code: CertificateWarningCode;
  /** expires-soon: whole days left; expired: days since expiry. */
  readonly days?: number;
  /** wrong-key-usage: the role the key does not fit. */
  readonly role?: KeyRole;
  /** weak-key: the key's length and the recommended minimum in bit. */
  readonly bits?: number;
  readonly minimum?: number;
  /** weak-signature-algorithm: the algorithm's name. */
  readonly algorithm?: string;
}

export interface KeyFacts {
  /** `RSA`, `RSA-PSS`, `EC`, `Ed25519`, ... */
  readonly algorithm: string;
  /** Modulus length (RSA) or curve size (EC) in bit. */
  readonly bits: number | undefined;
  /** EC: the named curve (`prime256v1`, ...). */
  readonly curve?: string;
}

export interface CertificateFacts {
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  readonly serialNumber: { readonly hex: string; readonly decimal: string };
  /** ISO 8601 (UTC). */
  readonly validFrom: string;
  readonly validTo: string;
  /** `null`: no key usage extension (the key may be used for anything). */
  readonly keyUsage: readonly KeyUsage[] | null;
  readonly extendedKeyUsage: readonly { readonly oid: string; readonly name: string | undefined }[] | null;
  readonly isCa: boolean;
  readonly key: KeyFacts;
  readonly signatureAlgorithm: string;
  /** SHA-256 over the DER, upper-case hex pairs separated by colons. */
  readonly fingerprintSha256: string;
  readonly selfSigned: boolean;
  /** Which mailbox roles the key may serve by algorithm and key usage. */
  readonly suitableFor: { readonly cipher: boolean; readonly signature: boolean };
  readonly warnings: readonly CertificateWarning[];
}

export function keyFacts(cert: X509Certificate): KeyFacts {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { algorithm: 'RSA', bits: details.modulusLength };
    case 'rsa-pss':
      return { algorithm: 'RSA-PSS', bits: details.modulusLength };
    case 'ec': {
      const curve = details.namedCurve;
      return { algorithm: 'EC', bits: curve === undefined ? undefined : CURVE_BITS[curve], ...(curve === undefined ? {} : { curve }) };
    }
    case 'ed25519':
      return { algorithm: 'Ed25519', bits: 256 };
    case 'ed448':
      return { algorithm: 'Ed448', bits: 456 };
    default:
      return { algorithm: (key.asymmetricKeyType ?? 'unknown').toUpperCase(), bits: details.modulusLength };
  }
}

/**
 * Whether the certificate's key may serve a role. Cipher: an RSA key (OSCI transports content keys with RSA
 * only) whose key usage, if present, allows keyEncipherment or dataEncipherment. Signature: an RSA, RSA-PSS or
 * EC key whose key usage, if present, allows digitalSignature or nonRepudiation.
 */
export function suitsRole(cert: X509Certificate, role: KeyRole): boolean {
  const { keyUsage } = x509Fields(cert);
  const algorithm = keyFacts(cert).algorithm;
  if (role === 'cipher') {
    return algorithm === 'RSA' && (keyUsage === null || keyUsage.includes('keyEncipherment') || keyUsage.includes('dataEncipherment'));
  }
  return ['RSA', 'RSA-PSS', 'EC'].includes(algorithm) && (keyUsage === null || keyUsage.includes('digitalSignature') || keyUsage.includes('nonRepudiation'));
}

function isSelfSigned(cert: X509Certificate): boolean {
  const fields = x509Fields(cert);
  if (!fields.subjectDer.equals(fields.issuerDer)) return false;
  try {
    return cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

export interface DescribeOptions {
  /** The time the warnings refer to (default: now). */
  readonly at?: Date;
  /** Roles the key is meant for: a warning for each it does not fit. */
  readonly roles?: readonly KeyRole[];
}

function warningsOf(cert: X509Certificate, key: KeyFacts, selfSigned: boolean, options: DescribeOptions): CertificateWarning[] {
  const fields = x509Fields(cert);
  const at = options.at ?? new Date();
  const warnings: CertificateWarning[] = [];
  if (at.getTime() > fields.notAfter.getTime()) {
    warnings.push({ code: 'expired', days: Math.floor((at.getTime() - fields.notAfter.getTime()) / DAY_MS) });
  } else if (at.getTime() < fields.notBefore.getTime()) {
    warnings.push({ code: 'not-yet-valid' });
  } else {
    const days = Math.ceil((fields.notAfter.getTime() - at.getTime()) / DAY_MS);
    if (days <= EXPIRY_WARNING_DAYS) warnings.push({ code: 'expires-soon', days });
  }
  for (const role of options.roles ?? []) {
    if (!suitsRole(cert, role)) warnings.push({ code: 'wrong-key-usage', role });
  }
  const rsa = key.algorithm === 'RSA' || key.algorithm === 'RSA-PSS';
  if (key.bits !== undefined && ((rsa && key.bits < MIN_RSA_BITS) || (key.algorithm === 'EC' && key.bits < MIN_EC_BITS))) {
    warnings.push({ code: 'weak-key', bits: key.bits, minimum: rsa ? MIN_RSA_BITS : MIN_EC_BITS });
  }
  const signature = SIGNATURE_ALGORITHMS[fields.signatureAlgorithmOid];
  // a self-signed certificate's own signature protects nothing that matters (trust comes from configuration)
  if (signature?.weak && !selfSigned) warnings.push({ code: 'weak-signature-algorithm', algorithm: signature.name });
  return warnings;
}

/** The facts of one certificate, with warnings evaluated at `options.at` (default: now). */
export function describeCertificate(cert: X509Certificate, options: DescribeOptions = {}): CertificateFacts {
  const fields = x509Fields(cert);
  const key = keyFacts(cert);
  const selfSigned = isSelfSigned(cert);
  const hex = cert.serialNumber.toUpperCase();
  return {
    subject: fields.subject,
    issuer: fields.issuer,
    serialNumber: { hex, decimal: BigInt(`0x${hex || '0'}`).toString(10) },
    validFrom: fields.notBefore.toISOString(),
    validTo: fields.notAfter.toISOString(),
    keyUsage: fields.keyUsage,
    extendedKeyUsage: fields.extendedKeyUsage?.map((oid) => ({ oid, name: EXTENDED_KEY_USAGES[oid] })) ?? null,
    isCa: fields.basicConstraints?.ca === true,
    key,
    signatureAlgorithm: SIGNATURE_ALGORITHMS[fields.signatureAlgorithmOid]?.name ?? fields.signatureAlgorithmOid,
    fingerprintSha256: cert.fingerprint256,
    selfSigned,
    suitableFor: { cipher: suitsRole(cert, 'cipher'), signature: suitsRole(cert, 'signature') },
    warnings: warningsOf(cert, key, selfSigned, options),
  };
}
