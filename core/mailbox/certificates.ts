/**
 * Certificates as the evidence keeps them (facts and warning codes, no words: certificateFacts) and as the UI and
 * the command line show them now (with the warnings in words: certificateSummary, the contract's CertificateSummary).
 */
import { X509Certificate } from 'node:crypto';
import type { CertificateFacts, CertificateWarningFact } from '../domain/evidence.js';
import { describeCertificate, MIN_EC_BITS, MIN_RSA_BITS, type KeyRole } from '../pki/certificate-facts.js';
import { clipText } from '../text-bounds.js';

/** A certificate as shown now: the evidence's facts of it, with the warnings in words (German and English). */
export interface CertificateSummary extends Omit<CertificateFacts, 'warnings'> {
  warnings: Array<{ code: string; de: string; en: string }>;
}

interface Options {
  readonly at?: Date;
  readonly roles?: readonly KeyRole[];
  readonly timeZone?: string;
}

function described(certificate: X509Certificate | Uint8Array, options: Options) {
  const cert = certificate instanceof X509Certificate ? certificate : new X509Certificate(Buffer.from(certificate));
  const facts = describeCertificate(cert, options);
  const base = {
    // a certificate from a message may carry names of any length: the summary stays within the contract's bounds
    subject: clipText(facts.subject.readable, 4000),
    issuer: clipText(facts.issuer.readable, 4000),
    serialNumber: clipText(facts.serialNumber.hex, 200),
    validFrom: facts.validFrom,
    validTo: facts.validTo,
    fingerprintSha256: facts.fingerprintSha256,
    keyAlgorithm: clipText(facts.key.algorithm, 200),
    ...(facts.key.bits === undefined ? {} : { keyBits: facts.key.bits }),
  };
  return { facts, base };
}

/** `timeZone`: the office zone the dates in the warnings are given in (default Europe/Berlin). */
export function certificateSummary(certificate: X509Certificate | Uint8Array, options: Options = {}): CertificateSummary {
  const { facts, base } = described(certificate, options);
  return { ...base, warnings: facts.warnings.map((w) => ({ code: w.code, de: w.de, en: w.en })) };
}

/** The facts the evidence keeps: the warnings at `at` as codes with what their words need (core/domain/words). */
export function certificateFacts(certificate: X509Certificate | Uint8Array, options: Pick<Options, 'at' | 'roles'> = {}): CertificateFacts {
  const { facts, base } = described(certificate, options);
  const rsa = facts.key.algorithm === 'RSA' || facts.key.algorithm === 'RSA-PSS';
  const warnings = facts.warnings.map((w): CertificateWarningFact => {
    switch (w.code) {
      case 'weak-key':
        return { code: w.code, ...(facts.key.bits === undefined ? {} : { bits: facts.key.bits }), minimum: rsa ? MIN_RSA_BITS : MIN_EC_BITS };
      case 'weak-signature-algorithm':
        return { code: w.code, algorithm: clipText(facts.signatureAlgorithm, 200) };
      default:
        return { code: w.code, ...(w.days === undefined ? {} : { days: w.days }), ...(w.role === undefined ? {} : { role: w.role }) };
    }
  });
  return { ...base, warnings };
}

/** A certificate from DER bytes, or undefined when the bytes are not one (a damaged record must not break a view). */
export function certificateOrUndefined(der: Uint8Array | null | undefined): X509Certificate | undefined {
  if (der === null || der === undefined || der.length === 0) return undefined;
  try {
    return new X509Certificate(Buffer.from(der));
  } catch {
    return undefined;
  }
}
