/** core/export: PDF for the e-file, the proof of receipt, the original XML and the attachments. */
export type { ReceiptFacts, SignatureFacts, InspectionFacts, SignatureResult, CertificateResult } from './receipt.js';
export { signatureInWords, timestampInWords } from './receipt.js';
export type { ExportPdfOptions, ExportPdfResult } from './pdf/export-pdf.js';
export type { ExportReceiptOptions } from './pdf/export-receipt.js';

/*
 * The PDF stack (pdf-lib, pdfkit, fontkit and their fonts: about 200 modules) is loaded when the first PDF is
 * made, not with this module: the mailbox service imports core/export for its export handlers, and its start — the
 * fetch worker's cold start (issue 14) — paid for loading it before the first delivery.
 */
type ExportPdf = typeof import('./pdf/export-pdf.js').exportPdf;
type ExportReceiptPdf = typeof import('./pdf/export-receipt.js').exportReceiptPdf;

/** The e-file PDF of a delivery (core/export/pdf/export-pdf.ts). */
export async function exportPdf(...args: Parameters<ExportPdf>): ReturnType<ExportPdf> {
  return (await import('./pdf/export-pdf.js')).exportPdf(...args);
}

/** The proof-of-receipt PDF (core/export/pdf/export-receipt.ts). */
export async function exportReceiptPdf(...args: Parameters<ExportReceiptPdf>): ReturnType<ExportReceiptPdf> {
  return (await import('./pdf/export-receipt.js')).exportReceiptPdf(...args);
}
export { exportXml, type WrittenFile } from './xml-export.js';
export { exportAttachments, type ExportedAttachment } from './attachments.js';
export { safeFileName } from './file-names.js';
