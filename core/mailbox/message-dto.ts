/**
 * Store records → the contract's DTOs (list items, Laufzettel, signature checks, inspection report), and the
 * JSON the fetch engine keeps in the store's result columns. The store keeps that JSON opaque; it is read back
 * through the contract's schemas, so a damaged or older value shows as "not available" instead of breaking a view.
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
import { UNREADABLE_KIND_PATTERN } from '../api/contract/unreadable.js';
import type { DeliveryListItem, DeliveryRecord, JsonValue } from '../store/index.js';
import { certificateOrUndefined, certificateSummary } from './certificates.js';

export type Inspection = z.infer<typeof inspectionSchema>;
export type Laufzettel = z.infer<typeof laufzettelSchema>;

/** What the engine stores in `signatureResult`. */
const storedSignatures = z.object({ version: z.literal(1), checks: z.array(signatureCheckSchema) });
/** What the engine stores in `inspectionReport`. */
const storedInspections = z.object({ version: z.literal(1), inspections: z.array(inspectionSchema) });

export function signaturesJson(checks: readonly SignatureCheck[]): JsonValue {
  return { version: 1, checks: checks as unknown as JsonValue[] };
}

export function inspectionsJson(inspections: readonly Inspection[]): JsonValue {
  return { version: 1, inspections: inspections as unknown as JsonValue[] };
}

export function signaturesOf(record: DeliveryRecord): SignatureCheck[] {
  const parsed = storedSignatures.safeParse(record.signatureResult);
  return parsed.success ? parsed.data.checks : [];
}

export function inspectionsOf(record: DeliveryRecord): Inspection[] {
  const parsed = storedInspections.safeParse(record.processCard.inspectionReport);
  return parsed.success ? parsed.data.inspections : [];
}

export function listItemDto(item: DeliveryListItem): MessageListItem {
  const status = signatureStatusSchema.safeParse(item.signatureStatus);
  return messageListItemSchema.parse({
    id: item.id,
    messageId: item.messageId,
    subject: item.subject,
    eingang: item.eingang,
    eingangKnown: item.eingangKnown,
    applicants: item.applicants.slice(0, 50),
    applicantNames: item.applicantNames === null ? null : item.applicantNames.slice(0, 50),
    benefit: { code: item.benefitCode, text: item.benefitText },
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

export function laufzettelOf(record: DeliveryRecord): Laufzettel {
  const sender = certificateOrUndefined(record.senderCertificate);
  const recipient = certificateOrUndefined(record.addresseeCertificate);
  return {
    messageId: record.messageId,
    subject: record.subject,
    eingang: record.processCard.creation,
    forwarding: record.processCard.forwarding,
    reception: record.processCard.reception,
    fetchedAt: record.times.fetchedAt,
    sender: sender ? certificateSummary(sender) : null,
    recipient: recipient ? certificateSummary(recipient) : null,
  };
}

/** The signature check in the vocabulary of the list (`signatureStatus`). */
export function listStatusOf(checks: readonly SignatureCheck[], unreadable: boolean): z.infer<typeof signatureStatusSchema> {
  const authors = checks.filter((c) => c.role === 'author');
  if (authors.length === 0) return unreadable ? 'nicht-pruefbar' : 'unsigniert';
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
