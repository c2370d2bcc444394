/** Certificates as the UI and the command line show them (the contract's CertificateSummary). */
import { X509Certificate } from 'node:crypto';
import type { CertificateSummary } from '../api/contract/mailbox.js';
import { describeCertificate, type KeyRole } from '../pki/certificate-facts.js';
import { clipText } from '../text-bounds.js';

/** `timeZone`: the office zone the dates in the warnings are given in (default Europe/Berlin). */
export function certificateSummary(certificate: X509Certificate | Uint8Array, options: { at?: Date; roles?: readonly KeyRole[]; timeZone?: string } = {}): CertificateSummary {
  const cert = certificate instanceof X509Certificate ? certificate : new X509Certificate(Buffer.from(certificate));
  const facts = describeCertificate(cert, options);
  return {
    // a certificate from a message may carry names of any length: the summary stays within the contract's bounds
    subject: clipText(facts.subject.readable, 4000),
    issuer: clipText(facts.issuer.readable, 4000),
    serialNumber: clipText(facts.serialNumber.hex, 200),
    validFrom: facts.validFrom,
    validTo: facts.validTo,
    fingerprintSha256: facts.fingerprintSha256,
    keyAlgorithm: clipText(facts.key.algorithm, 200),
    ...(facts.key.bits === undefined ? {} : { keyBits: facts.key.bits }),
    warnings: facts.warnings.map((w) => ({ code: w.code, de: w.de, en: w.en })),
  };
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
