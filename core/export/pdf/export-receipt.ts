/** The one-page Eingangsbestätigung (proof of receipt) as its own PDF, for the file. */
import type { DeliverySummary, DeliveryView } from '../../xsozial/view.js';
import { pdfFailed } from '../errors.js';
import type { ReceiptFacts } from '../receipt.js';
import { writeAtomically } from '../xml-export.js';
import { receiptContentOf, renderReceipt } from './receipt-page.js';
import { TaggedWriter } from './tagged-writer.js';
import { SHORTENED } from './text-layout.js';

export interface ExportReceiptOptions {
  readonly exportedAt?: Date;
}

export async function exportReceiptPdf(
  receipt: ReceiptFacts,
  content: DeliveryView | DeliverySummary,
  outputPath: string,
  options: ExportReceiptOptions = {},
): Promise<{ path: string; size: number }> {
  const exportedAt = options.exportedAt ?? new Date();
  const w = new TaggedWriter({
    title: `Eingangsbestätigung ${receipt.messageId}`,
    subject: 'Eingangsbestätigung (OSCI-Postfach)',
    pdfa: true,
    createdAt: exportedAt,
    shortened: SHORTENED.standalone,
  });
  let bytes: Buffer;
  try {
    w.doc.outline.addItem('Eingangsbestätigung');
    renderReceipt(w, receipt, receiptContentOf(content), 'Eingangsbestätigung');
    w.pageNumbers(`Eingangsbestätigung · Nachricht ${receipt.messageId}`, new Map());
    bytes = await w.finish();
  } catch (error) {
    throw pdfFailed(`rendering failed: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  await writeAtomically(outputPath, async (target) => {
    await new Promise<void>((resolve, reject) => {
      target.on('error', reject);
      target.end(bytes, () => resolve());
    });
  });
  return { path: outputPath, size: bytes.length };
}
