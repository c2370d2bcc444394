/**
 * Store records → the contract's DTOs (list items, Laufzettel, signature checks, inspection report, what the
 * signature covers of each part), and the JSON the fetch engine keeps in the store's result columns. The store
 * keeps that JSON opaque; it is read back through the contract's schemas, so a damaged or older value shows as
 * "not available" (coverage: "before-coverage", not known) instead of breaking a view.
 */
import { z } from 'zod';
import {
  inspectionSchema,
  laufzettelSchema,
  messageListItemSchema,
  signatureCheckSchema,
  signatureStatusSchema,
  type MessageListItem,
  type SignatureCheck,
} from '../api/contract/mailbox.js';
import { creationCheckCodeSchema } from '../api/contract/legal-time.js';
import { UNREADABLE_KIND_PATTERN } from '../api/contract/unreadable.js';
import { COVERAGE_STATUSES, coverageWords, PART_ROLES, type CoverageStatus, type PartRole } from '../api/contract/coverage.js';
import type { PartCoverage } from '../api/contract/mailbox.js';
import { clipText } from '../text-bounds.js';
import { listNames } from './list-names.js';
import type { DeliveryListItem, DeliveryRecord, JsonValue } from '../store/index.js';
import { certificateOrUndefined, certificateSummary } from './certificates.js';
import { expiredSince, storedCreationCheck } from './legal-time.js';

export type Inspection = z.infer<typeof inspectionSchema>;
export type Laufzettel = z.infer<typeof laufzettelSchema>;

/** What the engine stores in `signatureResult`. */
const storedSignatures = z.object({ version: z.literal(1), checks: z.array(signatureCheckSchema) });
/** What the engine stores in `inspectionReport`. */
const storedInspections = z.object({ version: z.literal(1), inspections: z.array(inspectionSchema) });

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

/** A stored coverage record as the contract's DTO; none or a damaged one reads as "before-coverage" (not known). */
export function coverageOf(value: JsonValue | null): PartCoverage {
  const parsed = storedCoverage.safeParse(value);
  const c = parsed.success ? parsed.data : { status: 'before-coverage' as const, role: undefined, signatures: undefined, container: undefined, contentId: undefined };
  const role = c.role ?? null;
  return { role, status: c.status, signatures: c.signatures ?? [], container: c.container ?? null, contentId: c.contentId ?? null, words: coverageWords(c.status, role) };
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

export function signaturesJson(checks: readonly SignatureCheck[], evidence?: TrustEvidence): JsonValue {
  return { version: 1, checks: checks as unknown as JsonValue[], ...(evidence ? { evidence: evidence as unknown as JsonValue } : {}) };
}

export function inspectionsJson(inspections: readonly Inspection[]): JsonValue {
  return { version: 1, inspections: inspections as unknown as JsonValue[] };
}

/**
 * The stored checks, each author certificate that was valid when judged but has expired by `now` said so
 * (`expiredSince`): the fetch stored it where it had expired by the time of receipt, and a certificate may expire
 * while the message is kept.
 */
export function signaturesOf(record: DeliveryRecord, now: Date = new Date()): SignatureCheck[] {
  const parsed = storedSignatures.safeParse(record.signatureResult);
  if (!parsed.success) return [];
  return parsed.data.checks.map((check) => {
    if (check.role !== 'author' || check.expiredSince !== undefined || check.signer === undefined || check.checkedAt === undefined || check.certificate === 'invalid') return check;
    const since = expiredSince(check.signer.validTo, new Date(check.checkedAt), now);
    return since === undefined ? check : { ...check, expiredSince: since };
  });
}

export function inspectionsOf(record: DeliveryRecord): Inspection[] {
  const parsed = storedInspections.safeParse(record.processCard.inspectionReport);
  return parsed.success ? parsed.data.inspections : [];
}

function clipOrNull(value: string | null, max: number): string | null {
  return value === null ? null : clipText(value, max);
}

export function listItemDto(item: DeliveryListItem): MessageListItem {
  const status = signatureStatusSchema.safeParse(item.signatureStatus);
  return messageListItemSchema.parse({
    id: item.id,
    messageId: item.messageId,
    // rows stored before the list columns were bounded (store: 1,024 characters) still fit the contract
    subject: clipOrNull(item.subject, 4000),
    eingang: item.eingang,
    eingangKnown: item.eingangKnown,
    creationCheck: creationCheckCodeSchema.safeParse(item.creationCheck).data ?? null,
    fetchedAt: item.fetchedAt,
    applicants: item.applicants.slice(0, 50).map((a) => clipText(a, 200)),
    applicantNames: item.applicantNames === null ? null : listNames(item.applicantNames),
    benefit: { code: clipOrNull(item.benefitCode, 200), text: clipOrNull(item.benefitText, 200) },
    applicationDate: item.applicationDate,
    isTest: item.isTest,
    attachmentCount: item.attachmentCount,
    signatureStatus: status.success ? status.data : null,
    state: item.state,
    unread: item.unread,
    unreadableReason: item.unreadableReason,
    // a kind that is no plain token (a damaged row) is dropped: the stored text is shown instead
    unreadableKind: item.unreadableReason !== null && item.unreadableKind !== null && UNREADABLE_KIND_PATTERN.test(item.unreadableKind) ? item.unreadableKind : null,
    legalHold: item.legalHold,
  });
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
 * words). Readable with no covering signature: "unsigniert". "Nicht lesbar": nothing is shown, so no trust words —
 * "ungueltig" when an author signature failed, "nicht-pruefbar" otherwise.
 */
export function listStatusOf(covering: readonly SignatureCheck[], unreadable: boolean): z.infer<typeof signatureStatusSchema> {
  const authors = covering.filter((c) => c.role === 'author');
  if (unreadable) return authors.some((c) => c.result === 'invalid') ? 'ungueltig' : 'nicht-pruefbar';
  if (authors.length === 0) return 'unsigniert';
  if (authors.some((c) => c.result === 'not-checkable')) return 'nicht-pruefbar';
  if (authors.some((c) => c.result === 'invalid' || c.certificate === 'invalid')) return 'ungueltig';
  if (authors.every((c) => c.certificate === 'trusted')) return 'vertrauenswuerdig';
  return 'unbekannter-aussteller';
}

export const SIGNATURE_STATUS_WORDS: Readonly<Record<z.infer<typeof signatureStatusSchema>, { de: string; en: string }>> = {
  vertrauenswuerdig: { de: 'gültig, vertrauenswürdig', en: 'valid, trusted' },
  'unbekannter-aussteller': { de: 'gültig, unbekannter Aussteller', en: 'valid, unknown issuer' },
  ungueltig: { de: 'ungültig', en: 'invalid' },
  unsigniert: { de: 'nicht signiert', en: 'not signed' },
  'nicht-pruefbar': { de: 'nicht prüfbar', en: 'not checkable' },
};
