/**
 * The application as one PDF for the e-file: the proof of receipt (Laufzettel) first, then the structured data
 * (summary cards, then every further value of the message), then the platform's application PDF and every
 * evidence document (PDF pages imported page by page without a cover page, each stamped with a footer that names
 * the message, the document and the page, so a loose page can be traced; images placed on pages). Tagged (structure tree, figures
 * with alternative text, artifacts), with outline, /Lang de-DE, embedded DejaVu fonts, and — where every imported
 * PDF allows it — PDF/A-3b with the original XML embedded as associated file (AFRelationship /Source).
 *
 * Memory: the pdfkit part is small; imported PDFs are loaded one at a time and their pages written to the file
 * before the next is loaded; the output is written object by object and the XML is deflated into it straight
 * from its source.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { toByteSource, type XmlSource } from '../../xsozial/source.js';
import { bytes as formatBytes } from '../../words/format.js';
import type { DeliveryView, DocumentView, Field, TreeNode } from '../../xsozial/view.js';
import { TEST_BANNER } from '../../xsozial/view.js';
import { PostfachError } from '../../errors.js';
import { syncFile, syncFolder } from '../../io/durable-file.js';
import { visibleText } from '../../visible-text.js';
import type { CaseWorkFacts } from './receipt-page.js';
import { pdfFailed, targetNotWritable } from '../errors.js';
import { inlineDocumentName } from '../file-names.js';
import { UNSIGNED_BANNER, type ReceiptFacts } from '../receipt.js';
import { removeUnreachable, takeObjectsAbove } from './clean.js';
import { DocumentBuffer } from './document-buffer.js';
import { imageProblem } from './image-check.js';
import { pngPixelDataInPlace, pngWithoutPixelData } from './png-data.js';
import { IMPORTED_PAGE_XOBJECT, importPdfPages, planDocuments, type DocumentPlan } from './import-pages.js';
import { receiptContentOf, renderReceipt } from './receipt-page.js';
import { PdfFileWriter } from './stream-writer.js';
import { TaggedWriter, type Row } from './tagged-writer.js';
import { clipText } from './text-layout.js';
import { plural } from '../../words/plural.js';

export interface ExportPdfOptions {
  /** The delivered XML the view was read from (documents are streamed from it; it is embedded as associated file). */
  readonly source: XmlSource;
  /** Try PDF/A-3b (default true); it is dropped when an imported PDF does not allow it. */
  readonly pdfa?: boolean;
  /** Time of the export (default now). */
  readonly exportedAt?: Date;
  /** Name of the embedded XML (default "Antrag-<message id>.xml"). */
  readonly xmlFileName?: string;
  /** The office's Aktenzeichen, note and Wiedervorlage day, stated on the Laufzettel as the office's (not the sender's). */
  readonly caseWork?: CaseWorkFacts;
}

export interface ExportPdfResult {
  readonly path: string;
  readonly size: number;
  readonly pages: number;
  readonly pdfa: boolean;
  /** Why PDF/A was not claimed (empty when it was, or when it was not asked for). */
  readonly pdfaBlockers: readonly string[];
  readonly documents: ReadonlyArray<{ readonly id: string; readonly included: 'pages' | 'image' | 'listed-only'; readonly pages: number }>;
}

export async function exportPdf(view: DeliveryView, receipt: ReceiptFacts, options: ExportPdfOptions, outputPath: string): Promise<ExportPdfResult> {
  const exportedAt = options.exportedAt ?? new Date();
  // every document read whole is read into this one buffer, each in turn (document-buffer.ts)
  const documentBuffer = new DocumentBuffer(options.source);
  const plans = await planDocuments(documentBuffer, view.documents);
  const blockers = [...new Set(plans.flatMap((p) => (p.kind === 'pdf' ? p.pdfaBlockers.map((b) => `${b} in „${p.doc.name}“`) : [])))];
  const pdfa = options.pdfa !== false && blockers.length === 0;

  const title = `${view.test ? 'TESTANTRAG – ' : ''}${clipText(view.benefit?.text ?? view.product ?? 'Nachricht', 200)}${
    view.applicants.length > 0
      ? `: ${clipText(
          view.applicants
            .slice(0, 10)
            .map((a) => clipText(a, 100))
            .join(', '),
          300,
        )}`
      : ''
  }`;
  const w = new TaggedWriter({ title: clipText(title, 500).normalize('NFC'), subject: `OSCI-Nachricht ${receipt.messageId}`, pdfa, createdAt: exportedAt });
  const outline = w.doc.outline;
  const placeholders = new Map<number, number[]>();
  /** Page index of each imported page → its footer (message, document, page of the document). */
  const imported = new Map<number, string>();
  const messageLabel = `${view.test ? 'TESTANTRAG · ' : ''}Export OSCI-Postfach · Nachricht ${receipt.messageId}`;
  const results: Array<ExportPdfResult['documents'][number]> = [];
  /** Images laid out by pdfkit without their data (JPEG, PNG that pdfkit passes through): filled in when the file is written. */
  const deferredImages: Array<{ objectNumber: number; doc: DocumentView; format: 'jpeg' | 'png' }> = [];
  try {
    w.beginSection();
    outline.addItem('Laufzettel');
    renderReceipt(
      w,
      receipt,
      { ...receiptContentOf(view), documentFindings: documentFindings(view), ...(options.caseWork === undefined ? {} : { caseWork: options.caseWork }) },
      'Laufzettel – Nachweis des Eingangs',
    );

    w.beginSection();
    w.newPage();
    const dataItem = outline.addItem(view.kind === 'xsozial-application' ? 'Antragsdaten' : 'Inhalt der Nachricht');
    w.heading(1, view.kind === 'xsozial-application' ? 'Antragsdaten' : 'Inhalt der Nachricht');
    if (view.test) w.banner(TEST_BANNER.de);
    if (receipt.unsigned === true) w.banner(UNSIGNED_BANNER);
    const shown = new Set<string>();
    for (const card of view.cards) {
      if (card.id === 'dokumente') continue;
      dataItem.addItem(outlineTitle(card.title.de));
      w.heading(2, card.title.de);
      // a person's summary first; its "Alle Angaben" without what the summary already said (an address block
      // stands for its parts), so every value is on paper once
      for (const section of card.sections) if (section.role !== 'all') for (const f of section.fields) for (const id of [f.id, ...(f.covers ?? [])]) shown.add(id);
      const sections = card.sections
        .map((section) => (section.role === 'all' ? { ...section, fields: section.fields.filter((f) => !shown.has(f.id)) } : section))
        .filter((section) => section.fields.length > 0 || section.role !== 'all');
      for (const section of sections) {
        if (sections.length > 1 || section.title.de !== card.title.de) w.heading(3, section.title.de);
        w.table(
          section.fields.map((f) => {
            for (const id of [f.id, ...(f.covers ?? [])]) shown.add(id);
            return rowOf(f);
          }),
        );
      }
    }
    const rest = remainingFields(view.tree, shown);
    if (rest.length > 0) {
      dataItem.addItem('Weitere Angaben aus der Nachricht');
      w.heading(2, view.kind === 'xsozial-application' ? 'Weitere Angaben aus der Nachricht' : 'Alle Angaben');
      w.table(rest);
    }
    w.heading(2, `Dokumente (${view.documents.length})`);
    if (view.documents.length === 0) w.paragraph('Die Nachricht enthält keine Dokumente.');
    w.table(
      view.documents.map((d, i) => documentRow(d, i, plans[i])),
      { essential: true },
    );

    // the outline's "Anlagen" leads to the first page of the first document: made on that page
    let attachmentsItem: ReturnType<typeof outline.addItem> | undefined;
    const outlineItem = (title: string) => {
      attachmentsItem ??= outline.addItem('Anlagen');
      attachmentsItem.addItem(outlineTitle(title));
    };
    for (const [i, plan] of plans.entries()) {
      const d = plan.doc;
      const name = visibleText(d.name);
      const title = `Anlage ${i + 1}: ${name}`;
      if (plan.kind === 'pdf') {
        // the pages themselves, no cover page: the section is titled, the outline points to the first page, the
        // document's facts stand in the list above, and every page carries a footer naming message and document
        w.beginSection(title);
        const pages: number[] = [];
        for (let p = 0; p < plan.pages; p++) {
          const g = plan.geometry[p]!;
          const page = w.placeholderPage(
            [g.width, g.height],
            `Seite ${p + 1} von ${plan.pages} der Anlage „${name}“ (übernommene Seite; ihr Inhalt ist nicht als Text ausgezeichnet)`,
            IMPORTED_PAGE_XOBJECT,
          );
          if (p === 0) outlineItem(title);
          imported.set(page, `${messageLabel} · Anlage ${i + 1}: ${visibleText(d.fileName ?? d.name)}${plan.pages > 1 ? ` (S. ${p + 1}/${plan.pages})` : ''}`);
          pages.push(page);
        }
        placeholders.set(i, pages);
        results.push({ id: d.id, included: 'pages', pages: plan.pages });
        continue;
      }
      w.beginSection(title);
      w.newPage();
      outlineItem(title);
      w.heading(1, title);
      w.table(
        [
          { label: 'Dateiname', value: d.fileName === undefined ? 'keine Angabe' : visibleText(d.fileName) },
          {
            label: 'Dateityp',
            value: `${d.detectedMimeType ?? 'unbekannt'}${d.mimeType && d.mimeType !== d.detectedMimeType ? ` (angegeben: ${d.mimeType})` : ''}`,
            ...(d.mimeMismatch ? { note: 'Angegebener Dateityp passt nicht zum Inhalt' } : {}),
          },
          { label: 'Größe', value: `${formatBytes(d.size)} (${d.size} Byte)` },
          { label: 'Prüfsumme (SHA-256)', value: d.sha256 },
          ...(d.documentType ? [{ label: 'Dokumenttyp', value: d.documentType.display }] : []),
        ],
        { essential: true },
      );
      if (plan.kind === 'image') {
        // pdfkit has read what it needs (size, orientation, colours) when image() returns; the image data itself
        // (a JPEG's bytes, a PNG's IDAT data where pdfkit passes it through) is put in when the file is written
        const bytes = await documentBuffer.read(d);
        let problem = imageProblem(bytes, plan.format);
        if (!problem) {
          try {
            const withoutPixels = plan.format === 'png' ? pngWithoutPixelData(bytes) : undefined;
            const objectNumber = w.image(
              withoutPixels ?? bytes,
              `Bild der Anlage „${name}“ (${d.fileName === undefined ? (d.detectedMimeType ?? '') : visibleText(d.fileName)}; Inhalt nicht als Text erfasst)`,
              { withoutData: plan.format === 'jpeg' || withoutPixels !== undefined },
            );
            if (objectNumber !== undefined) deferredImages.push({ objectNumber, doc: d, format: plan.format });
          } catch {
            problem = 'nicht unterstütztes Bildformat';
          }
        }
        if (problem) {
          w.paragraph(`Das Bild kann nicht dargestellt werden (${problem}); die Datei liegt beim Export der Anhänge bei.`);
          results.push({ id: d.id, included: 'listed-only', pages: 0 });
        } else {
          results.push({ id: d.id, included: 'image', pages: 1 });
        }
      } else {
        w.paragraph(plan.note);
        results.push({ id: d.id, included: 'listed-only', pages: 0 });
      }
    }
    w.pageNumbers(messageLabel, imported);
  } catch (error) {
    if (error instanceof PostfachError) throw error;
    throw pdfFailed(`rendering failed: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`, error);
  }
  const rendered = await w.finish();

  // the file is written while the pages are imported: each evidence PDF's pages go to disk as soon as they are
  // made and leave memory (takeObjectsAbove), so a 50 MB application never holds all its documents at once
  const temp = `${outputPath}.${randomBytes(6).toString('hex')}.part`;
  const file = PdfFileWriter.create(temp);
  const abandon = async (): Promise<void> => {
    file.destroy();
    await rm(temp, { force: true }).catch(() => undefined);
  };
  const writeFailed = (error: unknown): Error =>
    error instanceof Error && 'code' in error ? targetNotWritable(`${(error as NodeJS.ErrnoException).code ?? 'error'} writing the PDF`, error) : (error as Error);
  let target: PDFDocument;
  try {
    target = await PDFDocument.load(rendered, { updateMetadata: false });
    // each document's bytes are in the shared buffer until the next one is read: written and flushed before that
    const written = async (objects: Iterable<readonly [PDFRef, PDFObject]>): Promise<void> => {
      try {
        await file.writeObjects(objects);
        await file.flush();
      } catch (error) {
        throw new WriteFailure(error);
      }
      detachFromBuffer(target, documentBuffer);
    };
    for (const image of deferredImages) {
      const bytes = await documentBuffer.read(image.doc);
      await written(imageWithData(target, image.objectNumber, image.format === 'png' ? pngPixelDataInPlace(bytes) : bytes, image.format));
    }
    for (const [i, plan] of plans.entries()) {
      if (plan.kind !== 'pdf') continue;
      const mark = target.context.largestObjectNumber;
      await importPdfPages(target, documentBuffer, plan, placeholders.get(i)!);
      await written(takeObjectsAbove(target, mark));
    }
  } catch (error) {
    await abandon();
    if (error instanceof WriteFailure) throw writeFailed(error.cause);
    if (error instanceof PostfachError) throw error;
    throw pdfFailed(`page import failed: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`, error);
  }
  const embedded = embedXml(target, options, view, exportedAt);
  // what the imported pages brought along and no page uses any more (annotations, actions) is not written
  removeUnreachable(target);
  try {
    const size = await file.finish(target, embedded);
    // on disk before it appears under its name, and the rename on disk before "exportiert" is said
    await syncFile(temp);
    await rename(temp, outputPath);
    await syncFolder(path.dirname(outputPath));
    return { path: outputPath, size, pages: target.getPageCount(), pdfa, pdfaBlockers: options.pdfa === false ? [] : blockers, documents: results };
  } catch (error) {
    await abandon();
    throw writeFailed(error);
  }
}

/**
 * The image XObject pdfkit wrote without data (TaggedWriter.image), now with its data as its stream (a JPEG's
 * bytes, a PNG's IDAT data), taken out of the document to be written ahead (so the image is in memory only while it
 * is written) — together with the objects its dictionary refers to (a PNG's DecodeParms, its palette): once the
 * image is out of the document, nothing there refers to them, and removeUnreachable would drop them.
 */
function imageWithData(target: PDFDocument, objectNumber: number, bytes: Buffer, format: 'jpeg' | 'png'): Array<[PDFRef, PDFObject]> {
  const ref = PDFRef.of(objectNumber);
  const object = target.context.lookup(ref);
  // pdfkit writes an object whose stream is empty as its dictionary alone
  const dict = object instanceof PDFDict ? object : object instanceof PDFRawStream && object.contents.length === 0 ? object.dict : undefined;
  const filter = format === 'jpeg' ? 'DCTDecode' : 'FlateDecode';
  if (!dict || dict.get(PDFName.of('Subtype')) !== PDFName.of('Image') || dict.get(PDFName.of('Filter')) !== PDFName.of(filter)) {
    throw new Error(`image object ${objectNumber} is not the empty ${format.toUpperCase()} image reserved for it`);
  }
  target.context.delete(ref);
  // its /Length is set from the bytes when it is written (PdfFileWriter)
  return [[ref, PDFRawStream.of(dict, bytes)], ...takeReferenced(target, dict)];
}

/** The indirect objects `value` refers to, directly or through them, taken out of the document. */
function takeReferenced(target: PDFDocument, value: PDFObject): Array<[PDFRef, PDFObject]> {
  const taken: Array<[PDFRef, PDFObject]> = [];
  const visit = (v: PDFObject | undefined): void => {
    if (v instanceof PDFRef) {
      const object = target.context.lookup(v);
      if (object === undefined) return;
      target.context.delete(v);
      taken.push([v, object]);
      visit(object);
    } else if (v instanceof PDFDict) {
      for (const [, entry] of v.entries()) visit(entry);
    } else if (v instanceof PDFArray) {
      for (const entry of v.asArray()) visit(entry);
    } else if (v instanceof PDFRawStream) {
      visit(v.dict);
    }
  };
  visit(value);
  return taken;
}

/**
 * Whatever stream still in the document has its bytes in the shared document buffer gets its own copy, before
 * that buffer is read into again. Nothing should: the objects made from a document are written ahead and taken
 * out (takeObjectsAbove); this keeps a later change of that from silently putting the next document's bytes
 * into the file.
 */
function detachFromBuffer(target: PDFDocument, buffer: DocumentBuffer): void {
  for (const [ref, object] of target.context.enumerateIndirectObjects()) {
    if (object instanceof PDFRawStream && buffer.sharesMemory(object.contents)) {
      target.context.assign(ref, PDFRawStream.of(object.dict, Buffer.from(object.contents)));
    }
  }
}

/** A failure of writing the file (not of reading a document) during the page import. */
class WriteFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('writing the PDF failed');
  }
}

/** An outline entry (bookmark): one line in the viewer's side bar. */
/** An outline entry: bounded, in NFC, hidden characters as visible tokens (core/visible-text.ts). */
function outlineTitle(text: string): string {
  return visibleText(clipText(text, 200).normalize('NFC'));
}

function rowOf(f: Field): Row {
  const notes = [f.value.flag?.de, f.value.note?.de].filter((n): n is string => n !== undefined);
  return { label: f.label.de, value: f.value.display, ...(notes.length > 0 ? { note: notes.join(' ') } : {}) };
}

/** A document in the list of the data part: what it is, its checksum, and where it follows (or why not). */
function documentRow(d: DocumentView, index: number, plan: DocumentPlan | undefined): Row {
  const declared = d.mimeType && d.mimeType !== d.detectedMimeType ? ` (angegeben: ${d.mimeType})` : '';
  const where =
    plan?.kind === 'pdf'
      ? `Folgt als Anlage ${index + 1} mit ${plan.pages} ${plural('de', plan.pages, 'Seite', 'Seiten')}, Seiteninhalt unverändert, mit Fußzeile des Exports.${plan.hasAnnotations ? ' Verknüpfungen, Formularfelder, Aktionen, Skripte und eingebettete Dateien des Dokuments wurden nicht übernommen.' : ''}`
      : plan?.kind === 'image'
        ? `Folgt als Anlage ${index + 1} (Bild).`
        : `Anlage ${index + 1} folgt nur als Angabe; die Datei liegt beim Export der Anhänge bei.`;
  const file = inlineDocumentName(d);
  const lines = [
    `${documentLine(d)}${declared}`,
    ...(d.documentType ? [`Dokumenttyp: ${d.documentType.display}`] : []),
    `SHA-256: ${d.sha256}`,
    where,
    `Beim Export der Anhänge: ${file.fileName}`,
  ];
  const notes = [...(d.problem ? [d.problem.de] : []), ...(file.allowed ? [] : [NOT_ALLOWED])];
  return { label: `Anlage ${index + 1}: ${visibleText(d.name)}`, value: lines.join('\n'), ...(notes.length > 0 ? { note: notes.join(' ') } : {}) };
}

const NOT_ALLOWED = 'Kein zugelassener Dateityp: wird als .bin exportiert; nur öffnen, wenn der Inhalt geprüft ist.';

/**
 * For the Laufzettel: every document that is not what it claims to be or is of no allowed type, in one line each
 * (the document list of the data part says the same in full).
 */
function documentFindings(view: DeliveryView): string[] {
  return view.documents.flatMap((d, i) => {
    const file = inlineDocumentName(d);
    if (!d.mimeMismatch && file.allowed) return [];
    const declared = d.mimeType ?? 'keine Angabe';
    return [
      `Anlage ${i + 1} „${visibleText(d.fileName ?? d.name)}“: angegeben ${declared}, Inhalt ${d.detectedMimeType ?? 'nicht erkannt'}${d.mimeMismatch ? ' – passt nicht zur Angabe' : ''}; Export als ${file.fileName}`,
    ];
  });
}

function documentLine(d: DocumentView): string {
  return `${d.fileName === undefined ? 'ohne Dateinamen' : visibleText(d.fileName)} · ${d.detectedMimeType ?? d.mimeType ?? 'unbekannter Typ'} · ${formatBytes(d.size)}${d.isApplicationForm ? ' · Antragsformular der Sozialplattform' : ''}`;
}

/**
 * Every value of the tree not shown in a card, labelled with its last two labels. Elements that hold an inline
 * document (within two levels) are left out: the document list above already shows them.
 */
function remainingFields(tree: TreeNode, shown: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  const label = (trail: readonly string[]) => trail.slice(-2).join(' › ');
  const visit = (n: TreeNode, trail: string[]) => {
    for (const a of n.attributes) if (!shown.has(a.id)) rows.push({ label: label([...trail, a.label.de]), value: a.value.display });
    if (n.value) {
      if (!shown.has(n.id) && n.value.kind !== 'document')
        rows.push({ label: label(trail) || n.label.de, value: n.value.display, ...(n.value.flag ? { note: n.value.flag.de } : {}) });
      return;
    }
    for (const c of n.children) if (!holdsDocument(c, 2)) visit(c, [...trail, c.label.de]);
  };
  visit(tree, []);
  return rows;
}

function holdsDocument(n: TreeNode, depth: number): boolean {
  if (n.value?.kind === 'document') return true;
  return depth > 0 && n.children.some((c) => holdsDocument(c, depth - 1));
}

/** The original XML as associated file (/AF) and in the EmbeddedFiles name tree; its bytes are streamed on write. */
function embedXml(target: PDFDocument, options: ExportPdfOptions, view: DeliveryView, exportedAt: Date) {
  const ctx = target.context;
  const source = toByteSource(options.source);
  const ref = ctx.nextRef();
  const lengthRef = ctx.nextRef();
  const name = options.xmlFileName ?? `Antrag-${(view.messageId ?? 'inhalt').replace(/[^A-Za-z0-9._-]/g, '_')}.xml`;
  const filespec = ctx.register(
    ctx.obj({
      Type: 'Filespec',
      F: PDFString.of(name),
      UF: PDFHexString.fromText(name),
      Desc: PDFHexString.fromText('Original-Inhalt der Zustellung (XML, unverändert)'),
      AFRelationship: 'Source',
      EF: { F: ref, UF: ref },
    }),
  );
  const catalog = target.catalog;
  const af = catalog.lookupMaybe(PDFName.of('AF'), PDFArray) ?? ctx.obj([]);
  af.push(filespec);
  catalog.set(PDFName.of('AF'), af);
  const names = catalog.lookupMaybe(PDFName.of('Names'), PDFDict) ?? ctx.obj({});
  names.set(PDFName.of('EmbeddedFiles'), ctx.obj({ Names: [PDFHexString.fromText(name), filespec] }));
  catalog.set(PDFName.of('Names'), names);
  const date = pdfDate(exportedAt);
  return {
    ref,
    lengthRef,
    source,
    dictEntries: `/Type /EmbeddedFile /Subtype /application#2Fxml /Params << /Size ${source.size} /ModDate (${date}) >>`,
  };
}

function pdfDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}
