/**
 * The evidence the fetch engine keeps in the store's result columns, as versioned JSON of codes and facts — never
 * words (core/domain: the words are said where shown, the contract's DTOs are made in core/api/handlers/evidence-dto.ts)
 * — and store records back to the domain's facts (signature checks, inspection report, what the signature covers
 * of each part, the Laufzettel). The store keeps that JSON opaque; it is read back through the schemas here, so a
 * damaged or older value shows as "not available" (coverage: "before-coverage", not known) instead of breaking a
 * view. Version 2 of the signature result and the inspection report (store migration 13) holds no sentence.
 */
import { z } from 'zod';
import { COVERAGE_STATUSES, PART_ROLES, type CoverageStatus, type PartCoverageFacts, type PartRole } from '../domain/coverage.js';
import {
  CERTIFICATE_TRUSTS,
  CERTIFICATE_WARNING_CODES,
  REVOCATIONS,
  SIGNATURE_REASON_CODES,
  SIGNATURE_RESULTS,
  SIGNATURE_ROLES,
  type InspectionFacts,
  type SignatureCheckFacts,
  type SignatureStatus,
} from '../domain/evidence.js';
import { VALIDITY_BASES } from '../domain/legal-time.js';
import { clipText } from '../text-bounds.js';
import type { DeliveryRecord, JsonValue } from '../store/index.js';
import { certificateOrUndefined, certificateSummary, type CertificateSummary } from './certificates.js';
import { expiredSince, storedCreationCheck } from './legal-time.js';
import type { CreationCheck } from '../domain/legal-time.js';

/** The version of the signature result and the inspection report this program writes (1: with words, before migration 13). */
export const EVIDENCE_VERSION = 2;

const short = z.string().max(200);
const long = z.string().max(4000);
const iso = z.string().max(40);

const storedWarning = z.object({
  code: z.enum(CERTIFICATE_WARNING_CODES),
  days: z.number().int().optional(),
  role: z.enum(['cipher', 'signature']).optional(),
  bits: z.number().int().optional(),
  minimum: z.number().int().optional(),
  algorithm: short.optional(),
});

const storedCertificate = z.object({
  subject: long,
  issuer: long,
  serialNumber: short,
  validFrom: iso,
  validTo: iso,
  fingerprintSha256: z.string().max(200),
  keyAlgorithm: short,
  keyBits: z.number().int().positive().optional(),
  warnings: z.array(storedWarning).max(20),
});

export const storedCheckSchema = z.object({
  role: z.enum(SIGNATURE_ROLES),
  container: short.optional(),
  result: z.enum(SIGNATURE_RESULTS),
  certificate: z.enum(CERTIFICATE_TRUSTS),
  signer: storedCertificate.optional(),
  algorithm: short.optional(),
  checkedAt: iso.optional(),
  validityBasis: z.enum(VALIDITY_BASES).optional(),
  expiredSince: iso.optional(),
  revocation: z.enum(REVOCATIONS),
  reasons: z.array(z.enum(SIGNATURE_REASON_CODES)).max(20),
  technical: z.string().max(4000),
});

/** What the engine stores in `signatureResult` (and a re-evaluation in `delivery_trust`). */
export const storedSignaturesSchema = z.looseObject({
  version: z.literal(EVIDENCE_VERSION),
  checks: z.array(storedCheckSchema),
  evidence: z.object({ signers: z.array(z.string().nullable()), intermediates: z.array(z.string()) }).optional(),
});

const storedInspection = z.object({
  subject: long,
  issuer: long.optional(),
  serialNumber: short.optional(),
  certType: short.optional(),
  mathResult: short.optional(),
  offlineResult: short.optional(),
  onlineResult: short.optional(),
  time: iso.optional(),
});
/** What the engine stores in `inspectionReport`. */
const storedInspections = z.object({ version: z.literal(EVIDENCE_VERSION), inspections: z.array(storedInspection) });

/**
 * What the engine stores per part (`content_coverage`, `attachments.coverage`, store migration 10): codes only.
 * `signatures` are indexes into the delivery's stored signature checks.
 */
const storedCoverage = z.object({
  version: z.literal(1),
  role: z.enum(PART_ROLES).optional(),
  status: z.enum(COVERAGE_STATUSES),
  signatures: z.array(z.number().int().nonnegative().max(1000)).max(50).optional(),
  container: z.string().max(200).optional(),
  contentId: z.string().max(200).optional(),
});

export interface CoverageRecord {
  readonly role: PartRole;
  readonly status: CoverageStatus;
  readonly signatures: readonly number[];
  readonly container?: string | undefined;
  readonly contentId?: string | undefined;
}

export function coverageJson(c: CoverageRecord): JsonValue {
  return {
    version: 1,
    role: c.role,
    status: c.status,
    signatures: [...c.signatures],
    ...(c.container !== undefined ? { container: c.container.slice(0, 200) } : {}),
    ...(c.contentId !== undefined ? { contentId: c.contentId.slice(0, 200) } : {}),
  };
}

/** A stored coverage record; none or a damaged one reads as "before-coverage" (not known). */
export function coverageOf(value: JsonValue | null): PartCoverageFacts {
  const parsed = storedCoverage.safeParse(value);
  const c = parsed.success ? parsed.data : { status: 'before-coverage' as const, role: undefined, signatures: undefined, container: undefined, contentId: undefined };
  return { role: c.role ?? null, status: c.status, signatures: c.signatures ?? [], container: c.container ?? null, contentId: c.contentId ?? null };
}

/**
 * What the checks were judged from, kept beside them so that they can be judged again when the trusted CAs change
 * (core/mailbox/trust-reevaluation.ts): per check the signer's certificate (base64 DER, null where there is none),
 * and the CA certificates the message carried (intermediates for the chain). Never sent to the UI.
 */
export interface TrustEvidence {
  readonly signers: ReadonlyArray<string | null>;
  readonly intermediates: readonly string[];
}

export function signaturesJson(checks: readonly SignatureCheckFacts[], evidence?: TrustEvidence): JsonValue {
  return { version: EVIDENCE_VERSION, checks: checks as unknown as JsonValue[], ...(evidence ? { evidence: evidence as unknown as JsonValue } : {}) };
}

export function inspectionsJson(inspections: readonly InspectionFacts[]): JsonValue {
  return { version: EVIDENCE_VERSION, inspections: inspections as unknown as JsonValue[] };
}

/**
 * The stored checks, each author certificate that was valid when judged but has expired by `now` said so
 * (`expiredSince`): the fetch stored it where it had expired by the time of receipt, and a certificate may expire
 * while the message is kept.
 */
export function signaturesOf(record: Pick<DeliveryRecord, 'signatureResult'>, now: Date = new Date()): SignatureCheckFacts[] {
  const parsed = storedSignaturesSchema.safeParse(record.signatureResult);
  if (!parsed.success) return [];
  return parsed.data.checks.map((check): SignatureCheckFacts => {
    if (check.role !== 'author' || check.expiredSince !== undefined || check.signer === undefined || check.checkedAt === undefined || check.certificate === 'invalid') return check;
    const since = expiredSince(check.signer.validTo, new Date(check.checkedAt), now);
    return since === undefined ? check : { ...check, expiredSince: since };
  });
}

export function inspectionsOf(record: Pick<DeliveryRecord, 'processCard'>): InspectionFacts[] {
  const parsed = storedInspections.safeParse(record.processCard.inspectionReport);
  return parsed.success ? parsed.data.inspections : [];
}

function clipOrNull(value: string | null, max: number): string | null {
  return value === null ? null : clipText(value, max);
}

/** The Laufzettel of a message: the process card's stamps, its check, sender and recipient as shown now. */
export interface Laufzettel {
  readonly messageId: string;
  readonly subject: string | null;
  readonly eingang: string | null;
  readonly creationCheck: CreationCheck | null;
  readonly forwarding: string | null;
  readonly reception: string | null;
  readonly fetchedAt: string;
  readonly sender: CertificateSummary | null;
  readonly recipient: CertificateSummary | null;
}

/** `timeZone`: the office zone of the dates in the certificates' warnings (default Europe/Berlin). */
export function laufzettelOf(record: DeliveryRecord, timeZone?: string): Laufzettel {
  const zone = timeZone ? { timeZone } : {};
  const sender = certificateOrUndefined(record.senderCertificate);
  const recipient = certificateOrUndefined(record.addresseeCertificate);
  return {
    messageId: record.messageId,
    subject: clipOrNull(record.subject, 4000),
    eingang: record.processCard.creation,
    creationCheck: storedCreationCheck(record.processCard.creationCheck) ?? null,
    forwarding: record.processCard.forwarding,
    reception: record.processCard.reception,
    fetchedAt: record.times.fetchedAt,
    sender: sender ? certificateSummary(sender, zone) : null,
    recipient: recipient ? certificateSummary(recipient, zone) : null,
  };
}

/**
 * The signature status of the list (`signatureStatus`) from the checks of the signatures that COVER the content
 * shown — never from every signature in the delivery (an unsigned forged part must not borrow another part's trust
 * words). Readable with no covering signature: `unsigned`. "Nicht lesbar": nothing is shown, so no trust words —
 * `invalid` when an author signature failed, `not-checkable` otherwise.
 */
export function listStatusOf(covering: readonly Pick<SignatureCheckFacts, 'role' | 'result' | 'certificate'>[], unreadable: boolean): SignatureStatus {
  const authors = covering.filter((c) => c.role === 'author');
  if (unreadable) return authors.some((c) => c.result === 'invalid') ? 'invalid' : 'not-checkable';
  if (authors.length === 0) return 'unsigned';
  if (authors.some((c) => c.result === 'not-checkable')) return 'not-checkable';
  if (authors.some((c) => c.result === 'invalid' || c.certificate === 'invalid')) return 'invalid';
  if (authors.every((c) => c.certificate === 'trusted')) return 'trusted';
  return 'unknown-issuer';
}
