/**
 * Evidence PDFs (and the platform's application PDF) are appended page by page with pdf-lib. The pdfkit part
 * reserves one placeholder page per imported page, tagged as a Figure with alternative text (MCID 0); here each
 * placeholder receives the imported page's content, resources and boxes, wrapped in that Figure's marked content,
 * so the structure tree, outline and page order built by pdfkit stay intact.
 *
 * Before rendering, every PDF is inspected once: its page count, and whether it allows PDF/A (fonts embedded,
 * no annotations). Documents are loaded one at a time, so only one evidence PDF is in memory at once.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';
import { PostfachError } from '../../errors.js';
import { readDocumentBytes } from '../../xsozial/read-delivery.js';
import type { XmlSource } from '../../xsozial/source.js';
import type { DocumentView } from '../../xsozial/view.js';

export type DocumentPlan =
  | {
      readonly doc: DocumentView;
      readonly kind: 'pdf';
      readonly pages: number;
      readonly pdfaBlockers: readonly string[];
      /** Links and form fields are not taken over (their appearance would need the donor's context). */
      readonly hasAnnotations: boolean;
    }
  | { readonly doc: DocumentView; readonly kind: 'image'; readonly format: 'jpeg' | 'png' }
  | { readonly doc: DocumentView; readonly kind: 'none'; readonly note: string };

const IMAGE_TYPES: Record<string, 'jpeg' | 'png'> = { 'image/jpeg': 'jpeg', 'image/png': 'png' };

export async function planDocuments(source: XmlSource, documents: readonly DocumentView[]): Promise<DocumentPlan[]> {
  const plans: DocumentPlan[] = [];
  for (const doc of documents) {
    const type = doc.detectedMimeType;
    if (doc.problem?.kind === 'document-invalid') {
      plans.push({ doc, kind: 'none', note: 'Der Inhalt ist beschädigt (kein gültiges Base64) und kann nicht dargestellt werden.' });
    } else if (type === 'application/pdf') {
      plans.push(await inspectPdf(source, doc));
    } else if (type && IMAGE_TYPES[type]) {
      plans.push({ doc, kind: 'image', format: IMAGE_TYPES[type]! });
    } else {
      plans.push({ doc, kind: 'none', note: `Dateityp ${type ?? doc.mimeType ?? 'unbekannt'} kann hier nicht dargestellt werden; die Datei liegt beim Export der Anhänge bei.` });
    }
  }
  return plans;
}

async function loadPdf(source: XmlSource, doc: DocumentView): Promise<PDFDocument> {
  return PDFDocument.load(await readDocumentBytes(source, doc), { updateMetadata: false, throwOnInvalidObject: false });
}

async function inspectPdf(source: XmlSource, doc: DocumentView): Promise<DocumentPlan> {
  let pdf: PDFDocument;
  let pages: number;
  try {
    pdf = await loadPdf(source, doc);
    // a file that loads can still lack its page tree: asking for the pages is part of the check
    pages = pdf.getPageCount();
    pdf.getPages().forEach((page) => page.node.Contents());
  } catch (error) {
    // the content itself unreadable (changed source) is no property of this PDF
    if (error instanceof PostfachError) throw error;
    const encrypted = error instanceof Error && /encrypt/i.test(error.message);
    return {
      doc,
      kind: 'none',
      note: encrypted
        ? 'Das PDF ist verschlüsselt und kann nicht eingefügt werden; die Datei liegt beim Export der Anhänge bei.'
        : 'Das PDF ist beschädigt und kann nicht eingefügt werden; die Datei liegt beim Export der Anhänge bei.',
    };
  }
  if (pages === 0) return { doc, kind: 'none', note: 'Das PDF enthält keine Seiten.' };
  const hasAnnotations = pdf.getPages().some((page) => page.node.has(PDFName.of('Annots')));
  return { doc, kind: 'pdf', pages, pdfaBlockers: pdfaBlockers(pdf), hasAnnotations };
}

/** Reasons why pages of this PDF would break PDF/A conformance of the export (empty: none found). */
function pdfaBlockers(pdf: PDFDocument): string[] {
  const reasons = new Set<string>();
  const ctx = pdf.context;
  for (const [, obj] of ctx.enumerateIndirectObjects()) {
    const dict = obj instanceof PDFDict ? obj : obj instanceof PDFStream ? obj.dict : undefined;
    if (!dict || dict.get(PDFName.of('Type')) !== PDFName.of('Font')) continue;
    const subtype = dict.get(PDFName.of('Subtype'));
    if (subtype === PDFName.of('Type3')) continue;
    let fontDict: PDFDict | undefined = dict;
    if (subtype === PDFName.of('Type0')) {
      const descendants = dict.lookupMaybe(PDFName.of('DescendantFonts'), PDFArray);
      fontDict = descendants?.lookupMaybe(0, PDFDict);
    }
    const descriptor = fontDict?.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict);
    const embedded = descriptor && ['FontFile', 'FontFile2', 'FontFile3'].some((k) => descriptor.has(PDFName.of(k)));
    if (!embedded) reasons.add('nicht eingebettete Schrift');
  }
  return [...reasons];
}

const BOXES = ['MediaBox', 'CropBox', 'BleedBox', 'TrimBox', 'ArtBox', 'Rotate', 'UserUnit', 'Group'];

/**
 * Fills the placeholders: `placeholders[i]` is the target page index for page i of the plan's document.
 * Returns the number of pages filled.
 */
export async function importPdfPages(target: PDFDocument, source: XmlSource, plan: DocumentPlan & { kind: 'pdf' }, placeholders: readonly number[]): Promise<number> {
  const src = await loadPdf(source, plan.doc);
  const indices = src.getPageIndices();
  const copied = await target.copyPages(src, indices);
  const ctx = target.context;
  const open = ctx.register(ctx.stream('/Figure <</MCID 0>> BDC\nq\n'));
  const close = ctx.register(ctx.stream('\nQ\nEMC\n'));
  copied.forEach((page, i) => {
    const holder = target.getPage(placeholders[i]!).node;
    const from = page.node;
    for (const key of BOXES) {
      const value = from.get(PDFName.of(key));
      if (value) holder.set(PDFName.of(key), value);
      else holder.delete(PDFName.of(key));
    }
    holder.set(PDFName.of('Resources'), from.get(PDFName.of('Resources')) ?? ctx.obj({}));
    const contents = from.get(PDFName.of('Contents'));
    const parts: PDFObject[] = [open];
    if (contents instanceof PDFArray) for (let k = 0; k < contents.size(); k++) parts.push(contents.get(k));
    else if (contents instanceof PDFRef) parts.push(contents);
    parts.push(close);
    holder.set(PDFName.of('Contents'), ctx.obj(parts));
    // the copied page object itself is not used: only its content, resources and boxes
    ctx.delete(page.ref);
  });
  return copied.length;
}
