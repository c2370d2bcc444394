/**
 * ReceiptFacts: what the proof of receipt (Laufzettel / Eingangsbestätigung) states. The fetch engine fills it
 * from the store; the exports only print it. Results are given as plain categories and turned into German words
 * here, so that every export says the same thing in the same words.
 */
import { isImplausible, type CreationCheck, type ValidityBasis } from '../domain/legal-time.js';
import type { CertificateTrust, SignatureResult } from '../domain/evidence.js';
import { wordsOf } from '../domain/words/index.js';
import { DEFAULT_OFFICE_TIME_ZONE, officeTime } from '../time/office-time.js';

/** The receipt is a German document (the e-file's language). */
const DE = wordsOf('de');

/** Result of checking one signature. */
export type { SignatureResult } from '../domain/evidence.js';
/** Result of checking the signer's certificate (chain to a configured trust anchor, validity period). */
export type CertificateResult = CertificateTrust;

export interface SignatureFacts {
  /** What was signed, e.g. "Inhaltsdaten (Autor)" or "Nachricht (Intermediär)". */
  readonly role: string;
  /** Certificate subject of the signer. */
  readonly signer?: string;
  readonly result: SignatureResult;
  readonly certificate: CertificateResult;
  /** Online revocation checks (OCSP/CRL) are not done yet: always false for now. */
  readonly revocationChecked: boolean;
  readonly algorithm?: string;
  /** The time the certificate was judged at, and which one it is (legal-time.ts). */
  readonly checkedAt?: string;
  readonly validityBasis?: ValidityBasis;
  /** Valid when judged, expired since: the certificate's end of validity (said in words). */
  readonly expiredSince?: string;
}

/** One stored part of the delivery and what the author signature covers of it (core/api/contract/coverage.ts). */
export interface PartFacts {
  /** e.g. "Antrag", "Anlage", "Zusätzlicher Teil (nicht Teil des Antrags)". */
  readonly role: string;
  readonly name: string;
  /** The coverage status in words, e.g. "signiert", "nicht signiert", "Duplikat eines Teils des Antrags". */
  readonly status: string;
  /** Not signed by the application's signature (shown with a warning). */
  readonly warning: boolean;
  readonly sha256: string;
  readonly size: number;
}

/** One entry of the intermediary's inspection report (process card), in its own words. */
export interface InspectionFacts {
  /** Which certificate was inspected (subject or role). */
  readonly subject: string;
  /** The intermediary's result, e.g. "gültig", "Zertifikat abgelaufen". */
  readonly result: string;
  /** When the intermediary inspected it (xs:dateTime). */
  readonly time?: string;
}

export interface ReceiptFacts {
  /** OSCI message id. */
  readonly messageId: string;
  readonly subject?: string;
  /** Creation: stored at the intermediary — the legally relevant time of receipt ("Eingang"), xs:dateTime. */
  readonly creation: string;
  /** Whether the Creation could be taken as the Eingang (absent: not checked, e.g. stored before the check). */
  readonly creationCheck?: CreationCheck;
  /** When this program received the delivery: stated beside an implausible or missing Creation. */
  readonly receivedAt?: string;
  /** The office time zone every time is stated in (default Europe/Berlin; the machine setting officeTimeZone). */
  readonly timeZone?: string;
  /** Forwarding: handed to this client. */
  readonly forwarding?: string;
  /** Reception: acknowledged by this client. */
  readonly reception?: string;
  /** Certificate subject of the sender (originator). */
  readonly sender: string;
  /** Certificate subject of the recipient (this mailbox). */
  readonly recipient: string;
  readonly signatures: readonly SignatureFacts[];
  readonly inspections: readonly InspectionFacts[];
  /** SHA-256 (hex) of the decrypted content as stored. */
  readonly contentSha256: string;
  readonly contentSize?: number;
  /**
   * The application shown carries no author signature covering it (DESIGN.md "Signature coverage"): every export
   * says "NICHT SIGNIERT" prominently. Undefined: not known (stored before per-part coverage) or not readable.
   */
  readonly unsigned?: boolean;
  /** Every stored part with its coverage (the content first). */
  readonly parts?: readonly PartFacts[];
}

/** The banner of an application without an author signature covering it (the PDF is German: core/domain/words). */
export const UNSIGNED_BANNER = wordsOf('de').unsignedBanner;

export function signatureInWords(s: SignatureFacts): string {
  // online revocation checks are not done yet (revocationChecked is always false): said as the domain's code
  const revocation = s.revocationChecked ? 'Sperrstatus geprüft' : DE.revocation['not-checked'];
  return `${DE.signatureResult[s.result]}; ${DE.certificateTrust[s.certificate]}; ${revocation}`;
}

/** A moment in the office time zone with the zone stated (core/time): "29.03.2026, 01:30:00 Uhr (MEZ, UTC+01:00)". */
export function timestampInWords(value: string | undefined, timeZone: string = DEFAULT_OFFICE_TIME_ZONE): string {
  if (!value) return 'keine Angabe';
  return officeTime(timeZone).stated(value, { missing: value });
}

/**
 * The Eingang as documents state it: the Creation, and where it is implausible or missing the check in words and
 * the time of receipt that stands in for it, e.g. "01.01.2099, 01:00:00 Uhr (MEZ, UTC+01:00) – Eingang nicht
 * plausibel: liegt in der Zukunft; abgerufen am …; Zertifikate zu diesem Zeitpunkt geprüft".
 */
export function eingangInWords(receipt: ReceiptFacts): { readonly value: string; readonly note?: string } {
  const zone = receipt.timeZone ?? DEFAULT_OFFICE_TIME_ZONE;
  const creation = timestampInWords(receipt.creation, zone);
  const code = receipt.creationCheck?.code;
  if (code === undefined || code === 'plausible') return { value: creation };
  const at = timestampInWords(receipt.receivedAt, zone);
  const received = DE.receivedInstead(at);
  const words = DE.creationCheck[code];
  return code === 'missing'
    ? { value: `${words}; ${received}` }
    : { value: `${creation}\n${words}; ${received}`, ...(isImplausible(code) ? { note: 'Eingang nicht plausibel' } : {}) };
}

/** What is said beside a signature result about the time its certificate was judged at (German). */
export function validityInWords(s: SignatureFacts, timeZone: string = DEFAULT_OFFICE_TIME_ZONE): string[] {
  const lines: string[] = [];
  if (s.validityBasis === 'receipt') lines.push(DE.judgedAtReceipt);
  if (s.expiredSince) {
    const until = officeTime(timeZone).stated(s.expiredSince, { seconds: false });
    lines.push(DE.expiredSince(until));
  }
  return lines;
}
