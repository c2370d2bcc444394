/**
 * The domain types of the evidence a delivery carries — what the fetch engine found and the store keeps: signature
 * results, the trust of the signer's certificate and why, revocation, the facts of a certificate, the intermediary's
 * inspection report, the reason a delivery is "nicht lesbar". Codes and facts only, never words: they are put into
 * words where they are shown (words/de.ts, words/en.ts), and mapped to the contract in one place
 * (core/api/handlers/evidence-dto.ts). No Node and no DOM here (runs anywhere).
 */
import type { ValidityBasis } from './legal-time.js';

/** author: the sender's signature over the content · intermediary: the response signature (checked at fetch). */
export const SIGNATURE_ROLES = ['author', 'intermediary'] as const;
export type SignatureRole = (typeof SIGNATURE_ROLES)[number];

/** Whether the signature value and its references verify. */
export const SIGNATURE_RESULTS = ['valid', 'invalid', 'not-checkable'] as const;
export type SignatureResult = (typeof SIGNATURE_RESULTS)[number];

/** Whether the signer's certificate chains to a CA the office or local IT trusts (core/pki/trust.ts), at the judging time. */
export const CERTIFICATE_TRUSTS = ['trusted', 'unknown-issuer', 'invalid', 'not-checked'] as const;
export type CertificateTrust = (typeof CERTIFICATE_TRUSTS)[number];

/** Online revocation checks (OCSP/CRL) are not done: always not-checked, and said so wherever a result is shown. */
export const REVOCATIONS = ['not-checked'] as const;
export type Revocation = (typeof REVOCATIONS)[number];

/** Why a certificate is not trusted (core/pki/trust.ts), or what else was found beside a signature. */
export const TRUST_REASON_CODES = [
  'bad-signature',
  'expired',
  'not-yet-valid',
  'issuer-not-ca',
  'issuer-not-allowed-to-sign',
  'path-too-long',
  'unsupported-critical-extension',
  'issuer-not-found',
  'untrusted-root',
] as const;
export type TrustReasonCode = (typeof TRUST_REASON_CODES)[number];

/** A valid signature whose digest over an attachment failed: that attachment is marked on its own and not covered. */
export const SIGNATURE_NOTE_CODES = ['attachment-not-covered'] as const;
export type SignatureNoteCode = (typeof SIGNATURE_NOTE_CODES)[number];

/** What is said beside a signature result: a reason of the certificate's trust, or a note of the fetch. */
export type SignatureReasonCode = TrustReasonCode | SignatureNoteCode;
export const SIGNATURE_REASON_CODES = [...TRUST_REASON_CODES, ...SIGNATURE_NOTE_CODES] as const satisfies readonly SignatureReasonCode[];

/** The warnings of a certificate (core/pki/certificate-facts.ts), as codes with what their words need. */
export const CERTIFICATE_WARNING_CODES = ['expired', 'not-yet-valid', 'expires-soon', 'wrong-key-usage', 'weak-key', 'weak-signature-algorithm'] as const;
export type CertificateWarningCode = (typeof CERTIFICATE_WARNING_CODES)[number];
export type KeyRole = 'cipher' | 'signature';

export interface CertificateWarningFact {
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

/** A certificate as the evidence keeps it: its facts and its warnings at the time judged, no words. */
export interface CertificateFacts {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly fingerprintSha256: string;
  readonly keyAlgorithm: string;
  readonly keyBits?: number;
  readonly warnings: readonly CertificateWarningFact[];
}

/** One signature check: codes and facts, with the technical detail for IT (English, no personal data). */
export interface SignatureCheckFacts {
  readonly role: SignatureRole;
  /** Container id for author signatures. */
  readonly container?: string;
  readonly result: SignatureResult;
  readonly certificate: CertificateTrust;
  readonly signer?: CertificateFacts;
  readonly algorithm?: string;
  /** Validity was evaluated at this time: the delivery's Eingang when plausible, else the time of receipt. */
  readonly checkedAt?: string;
  readonly validityBasis?: ValidityBasis;
  /** The signer certificate's end of validity when it was valid at `checkedAt` but has expired since. */
  readonly expiredSince?: string;
  readonly revocation: Revocation;
  readonly reasons: readonly SignatureReasonCode[];
  readonly technical: string;
}

/**
 * The intermediary's verdict on one certificate in its inspection report (its statement, not a proof):
 * valid, revoked, or not in order (with its raw results beside it).
 */
export const INSPECTION_VERDICTS = ['valid', 'revoked', 'not-in-order'] as const;
export type InspectionVerdict = (typeof INSPECTION_VERDICTS)[number];

/** One entry of the intermediary's inspection report: its raw results as delivered (bounded), no words. */
export interface InspectionFacts {
  readonly subject: string;
  readonly issuer?: string;
  readonly serialNumber?: string;
  readonly certType?: string;
  readonly mathResult?: string;
  readonly offlineResult?: string;
  readonly onlineResult?: string;
  readonly time?: string;
}

/** The verdict of an inspection entry, from its raw results. */
export function inspectionVerdict(i: Pick<InspectionFacts, 'mathResult' | 'offlineResult' | 'onlineResult'>): InspectionVerdict {
  if (i.onlineResult === 'revoked') return 'revoked';
  const ok = i.mathResult === 'ok' && (i.offlineResult === undefined || i.offlineResult === 'valid') && (i.onlineResult === undefined || i.onlineResult === 'ok');
  return ok ? 'valid' : 'not-in-order';
}

/**
 * The signature status of a message in the list, from the checks of the signatures that cover the content shown
 * (core/mailbox/message-dto.ts listStatusOf).
 */
export const SIGNATURE_STATUSES = ['trusted', 'unknown-issuer', 'invalid', 'unsigned', 'not-checkable'] as const;
export type SignatureStatus = (typeof SIGNATURE_STATUSES)[number];

/**
 * Why a delivery is "nicht lesbar": the error kind that stopped reading it (e.g. `no-matching-key`), a plain token.
 * The store keeps the kind; its words are said where shown (core/api/contract/unreadable.ts).
 */
export const UNREADABLE_KIND_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export type UnreadableKind = string;
