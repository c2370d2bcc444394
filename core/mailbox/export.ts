/**
 * Exports of a stored message with the exporters of core/export: the PDF for the e-file, the original XML byte for
 * byte, the documents (inline xsb:dokument and OSCI attachments) into a folder, the one-page Eingangsbestätigung.
 * Each export is audited as "exportiert" with its format (never a file name: it may carry a person's name). Every
 * written file carries the Mark-of-the-Web on Windows (core/export/mark-of-the-web.ts).
 *
 * What the author signature covers decides how a part leaves the program (README "Welcher Inhalt ist der Antrag?"):
 * the XML and the PDF carry the application chosen by the rule (the stored content); the PDF's Laufzettel and the
 * receipt list every part with its status, say "NICHT SIGNIERT" for an application no signature covers, and give
 * each signature only what it covers. The attachment export writes the signed parts of the application at the top
 * and every other part into the subfolder `Weitere-Teile-nicht-Antrag`, its name prefixed with its status.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PostfachError } from '../errors.js';
import { exportAttachments, exportPdf, exportReceiptPdf, exportXml, safeFileName, type ReceiptFacts, type SignatureFacts } from '../export/index.js';
import { createFolder, FreeNames, writeNewFile } from '../export/attachments.js';
import { inlineDocumentName } from '../export/file-names.js';
import { targetNotWritable } from '../export/errors.js';
import { markFromInternet } from '../export/mark-of-the-web.js';
import { extraStatusOf, storedAttachmentFile } from './document-files.js';
import type { DeliveryRecord } from '../store/index.js';
import type { DeliverySummary, DocumentView } from '../xsozial/index.js';
import { certificateOrUndefined } from './certificates.js';
import { mailboxError } from './errors.js';
import { contentSource, storedView, type DetailStore, type ViewCache } from './message-detail.js';
import { storedCreationCheck } from './legal-time.js';
import { coverageOf, inspectionsOf, signaturesOf } from './message-dto.js';
import { partsOf, type DocumentRef, type StoredPart } from './message-detail.js';
import { EXTRA_PARTS_FOLDER } from '../domain/coverage.js';
import { inspectionVerdict, type InspectionFacts } from '../domain/evidence.js';
import { coverageSentence, inspectionSentence, wordsOf } from '../domain/words/index.js';
import { subjectName } from '../osci/signature/cert-names.js';

/** The formats of an export (the contract's `exportFormatSchema`). */
export type ExportFormat = 'pdf' | 'xml' | 'attachments' | 'receipt';
/** What an export wrote (the contract's `exportResultSchema`). */
export interface ExportResult {
  files: Array<{ path: string; size: number; sha256?: string }>;
  /** PDF only: whether PDF/A-3b was claimed, and why not. */
  pdfa?: boolean;
  notes?: string[];
}

/** The PDF and the receipt are German documents (the e-file's language): their words are the German ones. */
const DE = wordsOf('de');

/** The intermediary's verdict on an inspected certificate, in the PDF's words (the same the UI and the CLI say). */
function inspectionWords(i: InspectionFacts): string {
  return inspectionSentence(DE, inspectionVerdict(i), i.mathResult, i.offlineResult);
}

const notReadable = (): PostfachError =>
  new PostfachError(
    'export-unreadable',
    {
      de: 'Diese Nachricht ist nicht lesbar; sie kann nur als XML (so wie empfangen) oder als Eingangsbestätigung exportiert werden.',
      en: 'This message is not readable; it can only be exported as XML (as received) or as a confirmation of receipt.',
    },
    'PDF or documents requested for a message marked "nicht lesbar"',
  );

/** A signature's role with what it covers, from the stored parts ("before-coverage": not recorded, nothing said). */
function coveredBy(parts: readonly StoredPart[], index: number): string {
  if (parts.some((p) => p.coverage.status === 'before-coverage')) return '';
  const covered = parts.filter((p) => p.coverage.signatures.includes(index));
  if (covered.length === 0) return ' – erfasst keinen gespeicherten Teil';
  const names = covered.slice(0, 5).map((p) => (p.coverage.role === 'application' ? 'den Antrag' : `„${p.name}“`));
  return ` – erfasst ${names.join(', ')}${covered.length > 5 ? ` und ${covered.length - 5} weitere` : ''}`;
}

/** The application shown has no author signature covering it: from the coverage record, else from the list status. */
function isUnsigned(record: DeliveryRecord): boolean | undefined {
  if (record.unreadableReason !== null) return undefined;
  const c = coverageOf(record.content.coverage);
  if (c.status === 'before-coverage') return record.signatureStatus === 'unsigned' ? true : undefined;
  return c.status !== 'signed';
}

/** What the Eingangsbestätigung and the Laufzettel page state, from the store; times stated in `timeZone` (the office's). */
export function receiptFacts(record: DeliveryRecord, timeZone?: string): ReceiptFacts {
  const sender = certificateOrUndefined(record.senderCertificate);
  const recipient = certificateOrUndefined(record.addresseeCertificate);
  const parts = partsOf(record);
  const signatures: SignatureFacts[] = signaturesOf(record).map((check, index) => ({
    role: check.role === 'author' ? `Inhaltsdaten (Absender${check.container ? `, ${check.container}` : ''})${coveredBy(parts, index)}` : 'Nachricht (Intermediär)',
    ...(check.signer ? { signer: check.signer.subject } : {}),
    result: check.result,
    certificate: check.certificate,
    revocationChecked: false,
    ...(check.algorithm ? { algorithm: check.algorithm } : {}),
    ...(check.checkedAt ? { checkedAt: check.checkedAt } : {}),
    ...(check.validityBasis ? { validityBasis: check.validityBasis } : {}),
    ...(check.expiredSince ? { expiredSince: check.expiredSince } : {}),
  }));
  // fetched before the check was stored and without a Creation: the time shown is the fetch time, and is said so
  const creationCheck = storedCreationCheck(record.processCard.creationCheck) ?? (record.processCard.creation === null ? { code: 'missing' as const } : undefined);
  return {
    messageId: record.messageId,
    ...(record.subject === null ? {} : { subject: record.subject }),
    // Creation is the legal date; a message fetched without a process card shows the fetch time, as the list does
    creation: record.processCard.creation ?? record.times.fetchedAt,
    ...(creationCheck ? { creationCheck } : {}),
    receivedAt: record.times.fetchedAt,
    ...(timeZone ? { timeZone } : {}),
    ...(record.processCard.forwarding === null ? {} : { forwarding: record.processCard.forwarding }),
    ...(record.processCard.reception === null ? {} : { reception: record.processCard.reception }),
    // the originator's certificate is named by the message, not proven by a signature over the application
    sender: `${sender ? subjectName(sender) : 'unbekannt'}${isUnsigned(record) === true ? ' (laut Nachricht; keine Signatur des Absenders erfasst den Antrag)' : ''}`,
    recipient: recipient ? subjectName(recipient) : 'unbekannt',
    signatures,
    inspections: inspectionsOf(record).map((i) => ({
      subject: i.subject === '' ? DE.inspectionSubjectUnknown : i.subject,
      result: inspectionWords(i),
      ...(i.time ? { time: i.time } : {}),
    })),
    contentSha256: record.content.sha256,
    contentSize: record.content.size,
    ...(isUnsigned(record) === undefined ? {} : { unsigned: isUnsigned(record) }),
    parts: parts.map((p) => ({
      role: p.coverage.role === null ? DE.partRoleUnknown : DE.partRole[p.coverage.role],
      name: p.name,
      status: coverageSentence(DE, p.coverage.status, p.coverage.role),
      warning: !(p.coverage.status === 'signed' && p.coverage.role !== 'extra'),
      sha256: p.sha256,
      size: p.size,
    })),
  };
}

/**
 * OSCI attachments (kept as separate files in the store) into the folder: safe names, never overwriting. A part
 * that is not a signed part of the application (extra, unsigned, duplicate, foreign-encrypted, ...) goes into the
 * subfolder EXTRA_PARTS_FOLDER with its status in front of its name, so it is never mistaken for a genuine one.
 */
async function exportStoredAttachments(
  store: DetailStore,
  record: DeliveryRecord,
  folder: string,
  names: FreeNames,
): Promise<Array<{ path: string; size: number; sha256: string; allowed: boolean }>> {
  await createFolder(folder);
  const written: Array<{ path: string; size: number; sha256: string; allowed: boolean }> = [];
  let extraFolder: string | undefined;
  for (const attachment of record.attachments) {
    const extra = extraStatusOf(record, attachment);
    if (extra !== undefined && extraFolder === undefined) {
      extraFolder = path.join(folder, EXTRA_PARTS_FOLDER);
      await createFolder(extraFolder);
    }
    const { fileName, allowed } = storedAttachmentFile(attachment, extra);
    const {
      path: target,
      size,
      sha256,
    } = await writeNewFile(extraFolder !== undefined && extra !== undefined ? extraFolder : folder, fileName, await store.openAttachment(attachment.id), names);
    written.push({ path: target, size, sha256, allowed });
  }
  return written;
}

/** The words for each file written as .bin (no allowed type): named, so the caseworker knows which to check first. */
function binNotes(files: ReadonlyArray<{ path: string; allowed: boolean }>): string[] {
  return files.filter((f) => !f.allowed).map((f) => `„${path.basename(f.path)}“: kein zugelassener Dateityp, als .bin gespeichert – nur öffnen, wenn der Inhalt geprüft ist`);
}

const DAMAGED_DOCUMENT = {
  de: 'Der Inhalt dieser Anlage ist beschädigt (kein gültiges Base64) und kann nicht gespeichert werden. Die XML-Ausgabe enthält ihn unverändert.',
  en: 'The content of this document is damaged (not valid base64) and cannot be saved. The XML export keeps it as it came.',
};

function damagedNote(doc: DocumentView): string {
  return `„${inlineDocumentName(doc).fileName}“: Inhalt beschädigt (kein gültiges Base64), nicht gespeichert – die XML-Ausgabe enthält ihn unverändert`;
}

const UNREADABLE_SUMMARY: DeliverySummary = { kind: 'generic-xml', applicants: [], applicantNames: [], test: false };

export interface ExportOptions {
  readonly timeZone?: string;
  /** attachments: only this document (the viewer's "Diese Anlage speichern"). */
  readonly only?: DocumentRef;
}

/** An export of a stored message, audited as "exportiert" (and the message leaves "neu"). */
export async function exportMessage(store: DetailStore, id: number, format: ExportFormat, target: string, cache: ViewCache, options: ExportOptions = {}): Promise<ExportResult> {
  const result = await writeMessageExport(store, id, format, target, cache, options);
  await store.recordExported(id, format);
  return result;
}

/**
 * The files of an export without recording it: for the hand-over folder (core/handover), which audits its own
 * hand-over and must not change the caseworker's "neu"/"exportiert" state.
 */
export async function writeMessageExport(
  store: DetailStore,
  id: number,
  format: ExportFormat,
  target: string,
  cache: ViewCache,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const record = await store.getDelivery(id);
  const source = contentSource(store, record);
  if (format !== 'attachments') {
    await mkdir(path.dirname(target), { recursive: true }).catch((error: unknown) => {
      throw targetNotWritable(`cannot create the export folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
    });
  }
  let result: ExportResult;
  switch (format) {
    case 'xml': {
      const file = await exportXml(source, target);
      result = { files: [{ path: file.path, size: file.size, sha256: file.sha256 }] };
      break;
    }
    case 'pdf': {
      const view = await storedView(store, record, cache);
      if (view === undefined) throw notReadable();
      const pdf = await exportPdf(
        view,
        receiptFacts(record, options.timeZone),
        {
          source,
          xmlFileName: `${safeFileName(`Antrag-${record.messageId}`, 'Antrag')}.xml`,
          caseWork: { aktenzeichen: record.aktenzeichen, note: record.note, followUpOn: record.followUpOn },
        },
        target,
      );
      result = { files: [{ path: pdf.path, size: pdf.size }], pdfa: pdf.pdfa, notes: [...pdf.pdfaBlockers] };
      break;
    }
    case 'receipt': {
      const view = record.unreadableReason === null ? await storedView(store, record, cache) : undefined;
      const written = await exportReceiptPdf(receiptFacts(record, options.timeZone), view ?? UNREADABLE_SUMMARY, target);
      result = { files: [{ path: written.path, size: written.size }] };
      break;
    }
    case 'attachments': {
      const view = record.unreadableReason === null ? await storedView(store, record, cache) : undefined;
      if (view === undefined && record.attachments.length === 0) throw notReadable();
      const only = options.only;
      if (only?.source === 'content') throw mailboxError('document-missing', 'single-document export of the delivered content: use the XML export');
      const documents = view === undefined ? [] : only === undefined ? view.documents : only.source === 'inline' ? view.documents.filter((d) => d.ordinal === only.ordinal) : [];
      const stored = only === undefined ? record.attachments : only.source === 'attachment' ? record.attachments.filter((a) => a.id === only.attachmentId) : [];
      if (only !== undefined && documents.length + stored.length === 0)
        throw mailboxError('document-missing', `single-document export: no ${only.source} document with that reference`);
      // a document whose content is no valid base64 cannot be written: the caseworker is told so, never silently
      // left without it (the XML export keeps it as it came)
      const damaged = documents.filter((d) => d.problem?.kind === 'document-invalid');
      if (only?.source === 'inline' && damaged.length > 0)
        throw mailboxError('document-missing', `document ${only.ordinal}: content is not valid base64`, { text: DAMAGED_DOCUMENT });
      // one memory of the numbers taken for the whole folder: the documents and the OSCI attachments share it
      const names = new FreeNames();
      const inline = documents.length > 0 ? await exportAttachments(source, documents, target, names) : [];
      const osci = stored.length > 0 || only === undefined ? await exportStoredAttachments(store, { ...record, attachments: stored }, target, names) : [];
      const all = [...inline, ...osci];
      const notes = [...damaged.map(damagedNote), ...binNotes(all)];
      result = { files: all.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })), ...(notes.length > 0 ? { notes: notes.slice(0, 100) } : {}) };
      break;
    }
  }
  // every file made from an application came from outside: Windows, Office and Acrobat are told so
  // (attachments are marked as they are written)
  if (format !== 'attachments') for (const file of result.files) await markFromInternet(file.path);
  return result;
}
