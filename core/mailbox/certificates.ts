/**
 * Certificates as the evidence keeps them (facts and warning codes, no words: certificateFacts) and as the UI and
 * the command line show them now (certificateSummary, the contract's CertificateSummary: the same codes, each warning
 * with the certificate's validity its words name).
 */
import { X509Certificate } from 'node:crypto';
import type { CertificateFacts, CertificateWarningFact } from '../domain/evidence.js';
import { describeCertificate, type KeyRole } from '../pki/certificate-facts.js';
import { clipText } from '../text-bounds.js';

/**
 * A certificate as shown now: the evidence's facts of it, each warning with the certificate's validity beside it (the
 * dates its words name). No words: they are said where shown (core/domain/words `warningSentence`).
 */
export interface CertificateSummary extends Omit<CertificateFacts, 'warnings'> {
  warnings: ShownWarning[];
}

export interface ShownWarning extends CertificateWarningFact {
  readonly validFrom: string;
  readonly validTo: string;
  /** Of the separate signature certificate beside the cipher certificate (rotation). */
  readonly signatureCertificate?: true;
}

interface Options {
  readonly at?: Date;
  readonly roles?: readonly KeyRole[];
  /** The office zone of the caller (accepted for its callers; the summary carries no words, so no dates are formatted). */
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

export function certificateSummary(certificate: X509Certificate | Uint8Array, options: Options = {}): CertificateSummary {
  const { facts, base } = described(certificate, options);
  return { ...base, warnings: warningFacts(facts).map((w) => ({ ...w, validFrom: facts.validFrom, validTo: facts.validTo })) };
}

function warningFacts(facts: ReturnType<typeof describeCertificate>): CertificateWarningFact[] {
  return facts.warnings.map((w) => (w.algorithm === undefined ? w : { ...w, algorithm: clipText(w.algorithm, 200) }));
}

/** The facts the evidence keeps: the warnings at `at` as codes with what their words need (core/domain/words). */
export function certificateFacts(certificate: X509Certificate | Uint8Array, options: Pick<Options, 'at' | 'roles'> = {}): CertificateFacts {
  const { facts, base } = described(certificate, options);
  const warnings = warningFacts(facts);
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
