/**
 * Certificates as the evidence keeps them (facts and warning codes, no words: certificateFacts) and as the UI and
 * the command line show them now (with the warnings in words: certificateSummary, the contract's CertificateSummary).
 */
import { X509Certificate } from 'node:crypto';
import type { CertificateFacts, CertificateWarningFact } from '../domain/evidence.js';
import { both } from '../domain/words/index.js';
import { describeCertificate, type KeyRole } from '../pki/certificate-facts.js';
import { clipText } from '../text-bounds.js';
import { DEFAULT_OFFICE_TIME_ZONE, officeTime } from '../time/office-time.js';

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
  // the words of the domain (core/domain/words), with the certificate's days in the office zone: "03.05.2036" in
  // German, "2036-05-03" in English
  const office = officeTime(options.timeZone ?? DEFAULT_OFFICE_TIME_ZONE);
  const days = {
    de: { validFrom: office.date(facts.validFrom), validTo: office.date(facts.validTo) },
    en: { validFrom: office.day(facts.validFrom) ?? '', validTo: office.day(facts.validTo) ?? '' },
  };
  return { ...base, warnings: warningFacts(facts).map((w) => ({ code: w.code, ...both((words, language) => words.certificateWarning({ ...w, ...days[language] })) })) };
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
