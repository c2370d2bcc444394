/**
 * The one place that says, for every document of a message, what it claims to be, what its bytes are, and under
 * which file name an export writes it — so the detail view (document tiles, Laufzettel), the CLI, the PDF and the
 * exported files agree. Inline documents: declared type and name from the XML, detected type from the view (the
 * content's first bytes). OSCI attachments: no declared type of their own (only the extension of their name can
 * claim one), detected type as stored at acceptance (core/mailbox/accept-delivery.ts, from the bytes).
 */
import { EXPORT_PREFIX, type CoverageStatus, type PartCoverageFacts } from '../domain/coverage.js';
import type { AttachmentInfo, DeliveryRecord } from '../store/index.js';
import { coverageOf } from './message-dto.js';
import { attachmentFileName, inlineDocumentName, type AttachmentName } from '../export/file-names.js';
import { declaredType, detectedFromStored, mimeTypesAgree } from '../xsozial/magic.js';
import type { DocumentView } from '../xsozial/view.js';

export interface DocumentFacts extends AttachmentName {
  /** A declared PDF/image whose bytes are not one, or a declared type the bytes contradict. */
  readonly mismatch: boolean;
  readonly detected: string | undefined;
}

export function inlineDocumentFile(doc: Pick<DocumentView, 'ordinal' | 'name' | 'fileName' | 'mimeType' | 'detectedMimeType' | 'mimeMismatch'>): DocumentFacts {
  return {
    ...inlineDocumentName(doc),
    mismatch: doc.mimeMismatch,
    detected: doc.detectedMimeType,
  };
}

/**
 * An OSCI attachment. `extraStatus`: the part is not a signed part of the application (README "Welcher Inhalt ist
 * der Antrag?"): its export name starts with its status (`nicht-signiert_…`), so it is never taken for a genuine one.
 */
export function storedAttachmentFile(attachment: Pick<AttachmentInfo, 'position' | 'name' | 'mimeType'>, extraStatus?: CoverageStatus): DocumentFacts {
  const detected = detectedFromStored(attachment.mimeType);
  const name = extraStatus === undefined ? attachment.name : `${EXPORT_PREFIX[extraStatus]}_${attachment.name}`;
  return {
    ...attachmentFileName(name, `anlage-${attachment.position + 1}`, detected),
    mismatch: !mimeTypesAgree(declaredType(undefined, attachment.name), detected),
    detected,
  };
}

/** Whether an attachment goes to the top of the export: a signed part of the application (or a row from before coverage). */
function belongsToApplication(coverage: PartCoverageFacts): boolean {
  return coverage.status === 'before-coverage' || (coverage.status === 'signed' && coverage.role !== 'extra');
}

/** The status an attachment is exported under when it is not a signed part of the application (else undefined). */
export function extraStatusOf(record: DeliveryRecord, attachment: DeliveryRecord['attachments'][number]): CoverageStatus | undefined {
  const coverage = coverageOf(attachment.coverage);
  const genuine = belongsToApplication(coverage) && !(coverage.status === 'signed' && record.unreadableReason !== null);
  return genuine ? undefined : coverage.status;
}
