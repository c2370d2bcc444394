/** The proof of receipt (Laufzettel): first page of the application PDF and the one-page Eingangsbestätigung. */
import { formatBytes } from '../../xsozial/values.js';
import type { DeliverySummary, DeliveryView } from '../../xsozial/view.js';
import { TEST_BANNER } from '../../xsozial/view.js';
import { signatureInWords, timestampInWords, type ReceiptFacts } from '../receipt.js';
import type { Row, TaggedWriter } from './tagged-writer.js';

/** What the receipt says about the content itself. */
export interface ReceiptContent {
  readonly benefit?: string;
  readonly applicants: readonly string[];
  readonly applicationDate?: string;
  readonly test: boolean;
  readonly documentCount?: number;
  readonly contentMessageId?: string;
}

export function receiptContentOf(view: DeliveryView | DeliverySummary): ReceiptContent {
  const isView = 'documents' in view;
  const date = isView ? view.applicationDate?.display : view.applicationDateDisplay;
  return {
    applicants: view.applicants,
    test: view.test,
    ...(view.benefit ? { benefit: view.benefit.display } : {}),
    ...(date ? { applicationDate: date } : {}),
    ...(isView ? { documentCount: view.documents.length } : {}),
    ...(view.messageId ? { contentMessageId: view.messageId } : {}),
  };
}

export function renderReceipt(w: TaggedWriter, receipt: ReceiptFacts, content: ReceiptContent, title: string): void {
  w.heading(1, title);
  if (content.test) w.banner(TEST_BANNER.de);
  w.heading(2, 'Eingang');
  const arrival: Row[] = [
    { label: 'Eingang beim Intermediär (maßgeblicher Zeitpunkt)', value: timestampInWords(receipt.creation) },
    { label: 'An dieses Postfach weitergeleitet', value: timestampInWords(receipt.forwarding) },
    { label: 'Empfang bestätigt', value: timestampInWords(receipt.reception) },
    { label: 'Nachrichten-ID (OSCI)', value: receipt.messageId },
  ];
  if (receipt.subject) arrival.push({ label: 'Betreff', value: receipt.subject });
  arrival.push({ label: 'Absender (Zertifikat)', value: receipt.sender }, { label: 'Empfänger (Zertifikat)', value: receipt.recipient });
  w.table(arrival, { essential: true });
  w.heading(2, 'Inhalt');
  const inner: Row[] = [];
  if (content.benefit) inner.push({ label: 'Leistung', value: content.benefit });
  inner.push({ label: content.applicants.length > 1 ? 'Antragstellende Personen' : 'Antragsteller/in', value: content.applicants.join(', ') || 'keine Angabe' });
  if (content.applicationDate) inner.push({ label: 'Antragsdatum', value: content.applicationDate });
  if (content.contentMessageId) inner.push({ label: 'Nachrichten-ID (Fachnachricht)', value: content.contentMessageId });
  if (content.documentCount !== undefined) inner.push({ label: 'Dokumente im Antrag', value: String(content.documentCount) });
  inner.push({ label: 'Prüfsumme des Inhalts (SHA-256)', value: receipt.contentSha256 });
  if (receipt.contentSize !== undefined) inner.push({ label: 'Größe des Inhalts', value: `${formatBytes(receipt.contentSize)} (${receipt.contentSize} Byte)` });
  w.table(inner, { essential: true });
  w.heading(2, 'Signaturen und Zertifikate');
  if (receipt.signatures.length === 0) w.paragraph('Der Inhalt ist nicht signiert.');
  w.table(
    receipt.signatures.map((s) => ({
      label: s.role,
      value: `${signatureInWords(s)}${s.signer ? `\nUnterzeichnet von: ${s.signer}` : ''}${s.algorithm ? `\nVerfahren: ${s.algorithm}` : ''}`,
      ...(s.result === 'invalid' ? { note: 'Signatur ungültig – Inhalt nicht verwenden' } : s.certificate === 'invalid' ? { note: 'Zertifikat ungültig' } : {}),
    })),
  );
  w.heading(2, 'Prüfprotokoll des Intermediärs');
  if (receipt.inspections.length === 0) w.paragraph('Der Laufzettel des Intermediärs enthält kein Prüfprotokoll.');
  w.table(receipt.inspections.map((i) => ({ label: i.subject, value: `${i.result}${i.time ? ` (geprüft ${timestampInWords(i.time)})` : ''}` })));
  w.paragraph('Der Sperrstatus der Zertifikate (OCSP/CRL) wird von OSCI-Postfach nicht online geprüft.', { size: 8.5, colour: '#4a4a4a' });
}
