/** core/export: PDF for the e-file, the proof of receipt, the original XML and the attachments. */
export type { ReceiptFacts, SignatureFacts, InspectionFacts, SignatureResult, CertificateResult } from './receipt.js';
export { signatureInWords, timestampInWords } from './receipt.js';
export { exportPdf, type ExportPdfOptions, type ExportPdfResult } from './pdf/export-pdf.js';
export { exportReceiptPdf, type ExportReceiptOptions } from './pdf/export-receipt.js';
export { exportXml, type WrittenFile } from './xml-export.js';
export { exportAttachments, type ExportedAttachment } from './attachments.js';
export { safeFileName } from './file-names.js';
