/**
 * The shape of the words of the domain's codes, one module per language (de.ts, en.ts): signature results, trust,
 * revocation, reasons, certificate warnings, the inspection report, coverage and part roles, the legal time. A code
 * without words in a language does not compile. Dates inside a sentence come from the caller, formatted in the
 * office time zone (core/time/office-time.ts). No Node and no DOM here: the renderer, the PDF and the command line
 * all say the same from here.
 */
import type { CoverageStatus, PartRole } from '../coverage.js';
import type { CertificateTrust, CertificateWarningCode, InspectionVerdict, KeyRole, Revocation, SignatureReasonCode, SignatureResult, SignatureStatus } from '../evidence.js';
import type { CreationCheckCode } from '../legal-time.js';

export type Language = 'de' | 'en';

/** What a certificate warning's words need beside its code: its dates already formatted (office time). */
export interface WarningWordsInput {
  readonly code: CertificateWarningCode;
  readonly days?: number | undefined;
  readonly role?: KeyRole | undefined;
  readonly bits?: number | undefined;
  readonly minimum?: number | undefined;
  readonly algorithm?: string | undefined;
  /** The certificate's first and last day, formatted. */
  readonly validFrom: string;
  readonly validTo: string;
  /** The warning is of a separate signature certificate shown beside the cipher certificate (rotation). */
  readonly signatureCertificate?: boolean | undefined;
}

export interface EvidenceWords {
  /** e.g. "Signatur gültig". */
  readonly signatureResult: Readonly<Record<SignatureResult, string>>;
  /** e.g. "Zertifikat vertrauenswürdig". */
  readonly certificateTrust: Readonly<Record<CertificateTrust, string>>;
  /** e.g. "Sperrstatus nicht geprüft". */
  readonly revocation: Readonly<Record<Revocation, string>>;
  /** Why a certificate is not trusted, or a note of the fetch beside a signature. */
  readonly signatureReason: Readonly<Record<SignatureReasonCode, string>>;
  /** The signature status of a message, e.g. "Signatur gültig, Zertifikat vertrauenswürdig" (reading pane, print, CLI). */
  readonly signatureStatus: Readonly<Record<SignatureStatus, string>>;
  /** The same where there is little room (a list row's badge), e.g. "gültig". */
  readonly signatureStatusShort: Readonly<Record<SignatureStatus, string>>;
  /** A message stored without a signature status. */
  readonly signatureStatusNone: string;
  readonly certificateWarning: (w: WarningWordsInput) => string;
  /** A warning of the separate signature certificate: "Signaturzertifikat: …". */
  readonly signatureCertificateWarning: (sentence: string) => string;
  /** The intermediary's verdict on a certificate of its inspection report. */
  readonly inspectionValid: string;
  readonly inspectionRevoked: string;
  readonly inspectionNotInOrder: (mathResult: string, offlineResult: string) => string;
  /** The subject of an inspection entry that names none. */
  readonly inspectionSubjectUnknown: string;
  readonly coverageStatus: Readonly<Record<CoverageStatus, string>>;
  /** A signed extra part: signed by another signature than the application's. */
  readonly coverageSignedExtra: string;
  readonly partRole: Readonly<Record<PartRole, string>>;
  /** A part stored before its role was recorded. */
  readonly partRoleUnknown: string;
  /** e.g. "Eingang nicht plausibel: liegt in der Zukunft". */
  readonly creationCheck: Readonly<Record<CreationCheckCode, string>>;
  /** The short flag where there is little room: "nicht plausibel" / "unbekannt". */
  readonly creationFlagImplausible: string;
  readonly creationFlagMissing: string;
  readonly receivedInstead: (receivedAt: string) => string;
  readonly fetchedShort: (receivedAt: string) => string;
  readonly judgedAtReceipt: string;
  readonly expiredSince: (validTo: string) => string;
  /** The banner of an application no author signature covers (reading pane, print, CLI, PDF, receipt). */
  readonly unsignedBanner: string;
}

/** The whole sentence of a signature check, e.g. "Signatur gültig; Zertifikat vertrauenswürdig; Sperrstatus nicht geprüft". */
export function signatureSentence(w: EvidenceWords, result: SignatureResult, certificate: CertificateTrust, revocation: Revocation | undefined): string {
  const parts = [w.signatureResult[result], w.certificateTrust[certificate]];
  return (revocation === undefined ? parts : [...parts, w.revocation[revocation]]).join('; ');
}

/** A certificate warning in words; a separate signature certificate's warning says so. */
export function warningSentence(w: EvidenceWords, input: WarningWordsInput): string {
  const sentence = w.certificateWarning(input);
  return input.signatureCertificate === true ? w.signatureCertificateWarning(sentence) : sentence;
}

/** The intermediary's verdict on an inspected certificate in words (its raw results when not in order). */
export function inspectionSentence(w: EvidenceWords, verdict: InspectionVerdict, mathResult: string | undefined, offlineResult: string | undefined): string {
  return verdict === 'valid' ? w.inspectionValid : verdict === 'revoked' ? w.inspectionRevoked : w.inspectionNotInOrder(mathResult ?? '?', offlineResult ?? '?');
}

/** A coverage status in words (a signed extra part is signed by another signature, or none). */
export function coverageSentence(w: EvidenceWords, status: CoverageStatus, role: PartRole | null): string {
  return status === 'signed' && role === 'extra' ? w.coverageSignedExtra : w.coverageStatus[status];
}
