/** The proof of receipt (Laufzettel): first page of the application PDF and the one-page Eingangsbestätigung. */
import { bytes as formatBytes } from '../../words/format.js';
import type { DeliverySummary, DeliveryView } from '../../xsozial/view.js';
import { TEST_BANNER } from '../../xsozial/view.js';
import { eingangInWords, signatureInWords, timestampInWords, UNSIGNED_BANNER, validityInWords, type ReceiptFacts } from '../receipt.js';
import type { Row, TaggedWriter } from './tagged-writer.js';
import { visibleText } from '../../visible-text.js';
import { wordsOf } from '../../domain/words/index.js';

/** What the receipt says about the content itself. */
export interface ReceiptContent {
  readonly benefit?: string;
  readonly applicants: readonly string[];
  readonly applicationDate?: string;
  readonly test: boolean;
  readonly documentCount?: number;
  readonly contentMessageId?: string;
  /** Documents that are not what they claim to be or of no allowed type (e-file PDF only), one line each. */
  readonly documentFindings?: readonly string[];
  /** The office's own notes (e-file PDF only): stated apart from what was received. */
  readonly caseWork?: CaseWorkFacts;
}

/** What the office noted on the application (core/store/case-work.ts); null: none. */
export interface CaseWorkFacts {
  readonly aktenzeichen: string | null;
  readonly note: string | null;
  /** The office's day "2026-12-10". */
  readonly followUpOn: string | null;
}

/** "2026-12-10" → "10.12.2026": a calendar day, no moment (no zone to convert). */
function germanDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}.${m}.${y}`;
}

/** The office's notes as rows, or none when nothing was noted. */
function caseWorkRows(caseWork: CaseWorkFacts | undefined): Row[] {
  if (caseWork === undefined) return [];
  const rows: Row[] = [];
  if (caseWork.aktenzeichen !== null) rows.push({ label: 'Aktenzeichen', value: visibleText(caseWork.aktenzeichen) });
  if (caseWork.followUpOn !== null) rows.push({ label: 'Wiedervorlage', value: germanDay(caseWork.followUpOn) });
  if (caseWork.note !== null) rows.push({ label: 'Notiz', value: visibleText(caseWork.note, { lineBreaks: true }) });
  return rows;
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

const MAX_PARTS_LISTED = 12;

export function renderReceipt(w: TaggedWriter, receipt: ReceiptFacts, content: ReceiptContent, title: string): void {
  w.heading(1, title);
  if (content.test) w.banner(TEST_BANNER.de);
  if (receipt.unsigned === true) w.banner(UNSIGNED_BANNER);
  w.heading(2, 'Eingang');
  const zone = receipt.timeZone;
  const eingang = eingangInWords(receipt);
  const arrival: Row[] = [
    { label: 'Eingang beim Intermediär (maßgeblicher Zeitpunkt)', value: eingang.value, ...(eingang.note ? { note: eingang.note } : {}) },
    { label: 'An dieses Postfach weitergeleitet', value: timestampInWords(receipt.forwarding, zone) },
    { label: 'Empfang bestätigt', value: timestampInWords(receipt.reception, zone) },
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
  if (content.documentFindings !== undefined && content.documentFindings.length > 0) {
    inner.push({
      label: 'Dokumente mit Warnung',
      value: content.documentFindings.join('\n'),
      note: 'Inhalt nicht, was angegeben ist, oder kein zugelassener Dateityp – vor dem Öffnen prüfen',
    });
  }
  inner.push({ label: 'Prüfsumme des Inhalts (SHA-256)', value: receipt.contentSha256 });
  if (receipt.contentSize !== undefined) inner.push({ label: 'Größe des Inhalts', value: `${formatBytes(receipt.contentSize)} (${receipt.contentSize} Byte)` });
  w.table(inner, { essential: true });
  const notes = caseWorkRows(content.caseWork);
  if (notes.length > 0) {
    // the office's own words, written after receipt: apart from what the sender sent and the intermediary stamped
    w.heading(2, 'Vermerke des Amtes');
    w.table(notes);
  }
  if (receipt.parts !== undefined && receipt.parts.length > 0) {
    // per part what the author signature covers; bounded: a hostile delivery may carry thousands of parts
    w.heading(2, 'Teile der Zustellung');
    const listed = receipt.parts.slice(0, MAX_PARTS_LISTED);
    w.table(
      listed.map((p) => ({
        label: `${p.role}: ${p.name}`,
        value: `${p.status}\nSHA-256 ${p.sha256} · ${formatBytes(p.size)}`,
        ...(p.warning ? { note: p.status } : {}),
      })),
      { essential: true },
    );
    if (receipt.parts.length > listed.length) w.paragraph(`… und ${receipt.parts.length - listed.length} weitere Teile (vollständig im Programm unter „Laufzettel“).`);
  }
  w.heading(2, 'Signaturen und Zertifikate');
  if (receipt.signatures.length === 0) w.paragraph('Der Inhalt ist nicht signiert.');
  // the intermediary's transport signature is always listed: it says nothing about who wrote the application
  else if (receipt.unsigned === true) w.paragraph('Der Antrag ist von keiner Signatur des Absenders erfasst (nicht signiert).');
  w.table(
    receipt.signatures.map((s) => ({
      label: s.role,
      value: `${[signatureInWords(s), ...validityInWords(s, zone)].join('\n')}${s.signer ? `\nUnterzeichnet von: ${s.signer}` : ''}${s.algorithm ? `\nVerfahren: ${s.algorithm}` : ''}`,
      ...(s.result === 'invalid'
        ? { note: wordsOf('de').signatureResult.invalid }
        : s.certificate === 'invalid'
          ? { note: wordsOf('de').certificateTrust.invalid }
          : s.expiredSince
            ? { note: 'Zertifikat inzwischen abgelaufen' }
            : {}),
    })),
  );
  w.heading(2, 'Prüfprotokoll des Intermediärs');
  if (receipt.inspections.length === 0) w.paragraph('Der Laufzettel des Intermediärs enthält kein Prüfprotokoll.');
  w.table(receipt.inspections.map((i) => ({ label: i.subject, value: `${i.result}${i.time ? ` (geprüft ${timestampInWords(i.time, zone)})` : ''}` })));
  w.paragraph('Der Sperrstatus der Zertifikate (OCSP/CRL) wird von OSCI-Postfach nicht online geprüft.', { size: 8.5, colour: '#4a4a4a' });
}
