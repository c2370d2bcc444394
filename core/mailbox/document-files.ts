/**
 * The one place that says, for every document of a message, what it claims to be, what its bytes are, and under
 * which file name an export writes it — so the detail view (document tiles, Laufzettel), the CLI, the PDF and the
 * exported files agree. Inline documents: declared type and name from the XML, detected type from the view (the
 * content's first bytes). OSCI attachments: no declared type of their own (only the extension of their name can
 * claim one), detected type as stored at acceptance (core/mailbox/accept-delivery.ts, from the bytes).
 */
import type { AttachmentInfo } from '../store/index.js';
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

export function storedAttachmentFile(attachment: Pick<AttachmentInfo, 'position' | 'name' | 'mimeType'>): DocumentFacts {
  const detected = detectedFromStored(attachment.mimeType);
  return {
    ...attachmentFileName(attachment.name, `anlage-${attachment.position + 1}`, detected),
    mismatch: !mimeTypesAgree(declaredType(undefined, attachment.name), detected),
    detected,
  };
}
