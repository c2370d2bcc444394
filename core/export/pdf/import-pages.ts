/**
 * Evidence PDFs (and the platform's application PDF) are appended page by page with pdf-lib. The pdfkit part
 * reserves one placeholder page per imported page, of the page's visible size, whose Figure (with alternative text)
 * draws the form XObject named {@link IMPORTED_PAGE_XOBJECT} and whose footer is a pagination artifact; here each
 * imported page becomes that form XObject (its content, resources, visible box and rotation), so the structure
 * tree, outline, page order and footer built by pdfkit stay intact.
 *
 * Nothing active comes along: links, form fields, actions, JavaScript and embedded files of the PDF are not taken
 * over, and whatever of them hangs on a page's resources is removed (clean.ts).
 *
 * Before rendering, every PDF is inspected once: its page count, and whether it allows PDF/A (fonts embedded,
 * no annotations). Documents are loaded one at a time, so only one evidence PDF is in memory at once.
 */
import { inflateSync } from 'node:zlib';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFPageLeaf, PDFPageTree, PDFRawStream, PDFRef, PDFStream, type PDFPage } from 'pdf-lib';
import { PostfachError } from '../../errors.js';
import { removeActiveContent } from './clean.js';
import type { DocumentView } from '../../xsozial/view.js';
import type { DocumentBuffer } from './document-buffer.js';

export type DocumentPlan =
  | {
      readonly doc: DocumentView;
      readonly kind: 'pdf';
      readonly pages: number;
      readonly pdfaBlockers: readonly string[];
      /**
       * The PDF has links, form fields, actions, scripts or embedded files: none of them is taken over (their
       * appearance would need the donor's context, and an e-file PDF carries nothing active; clean.ts).
       */
      readonly hasAnnotations: boolean;
      /** Per page: the visible size as shown (rotation applied) and how the page's content is placed on it. */
      readonly geometry: readonly PageGeometry[];
    }
  | { readonly doc: DocumentView; readonly kind: 'image'; readonly format: 'jpeg' | 'png' }
  | { readonly doc: DocumentView; readonly kind: 'none'; readonly note: string };

/** The name under which a placeholder page's resources hold its imported page (a form XObject). */
export const IMPORTED_PAGE_XOBJECT = 'PFAnlage';

export interface PageGeometry {
  /** The placeholder page's size: the visible box of the imported page, turned by its /Rotate. */
  readonly width: number;
  readonly height: number;
  /** The visible box (CropBox within MediaBox) in the imported page's own coordinates. */
  readonly box: { readonly left: number; readonly bottom: number; readonly right: number; readonly top: number };
  /** Maps the imported page's coordinates onto the placeholder page (translation of the box, and the rotation). */
  readonly matrix: readonly [number, number, number, number, number, number];
}

function rectangle(value: PDFArray | undefined): PageGeometry['box'] | undefined {
  if (!value || value.size() < 4) return undefined;
  const n = [0, 1, 2, 3].map((i) => value.lookupMaybe(i, PDFNumber)?.asNumber());
  if (n.some((x) => x === undefined || !Number.isFinite(x))) return undefined;
  const [x1, y1, x2, y2] = n as [number, number, number, number];
  return { left: Math.min(x1, x2), bottom: Math.min(y1, y2), right: Math.max(x1, x2), top: Math.max(y1, y2) };
}

/** Where a page's content goes on its placeholder: visible box at the origin, turned as a viewer turns it. */
export function pageGeometry(page: PDFPage): PageGeometry {
  const a4 = { left: 0, bottom: 0, right: 595.28, top: 841.89 };
  const media = rectangle(page.node.MediaBox()) ?? a4;
  const crop = rectangle(page.node.CropBox()) ?? media;
  let box = { left: Math.max(media.left, crop.left), bottom: Math.max(media.bottom, crop.bottom), right: Math.min(media.right, crop.right), top: Math.min(media.top, crop.top) };
  if (box.right - box.left < 1 || box.top - box.bottom < 1) box = media;
  if (box.right - box.left < 1 || box.top - box.bottom < 1) box = a4;
  const w = box.right - box.left;
  const h = box.top - box.bottom;
  const { left: x0, bottom: y0 } = box;
  const turned = (((page.node.Rotate()?.asNumber() ?? 0) % 360) + 360) % 360;
  switch (turned - (turned % 90)) {
    case 90:
      return { width: h, height: w, box, matrix: [0, -1, 1, 0, -y0, w + x0] };
    case 180:
      return { width: w, height: h, box, matrix: [-1, 0, 0, -1, x0 + w, y0 + h] };
    case 270:
      return { width: h, height: w, box, matrix: [0, 1, -1, 0, y0 + h, -x0] };
    default:
      return { width: w, height: h, box, matrix: [1, 0, 0, 1, -x0, -y0] };
  }
}

const IMAGE_TYPES: Record<string, 'jpeg' | 'png'> = { 'image/jpeg': 'jpeg', 'image/png': 'png' };

export async function planDocuments(buffer: DocumentBuffer, documents: readonly DocumentView[]): Promise<DocumentPlan[]> {
  const plans: DocumentPlan[] = [];
  let importedPages = 0;
  for (const doc of documents) {
    const type = doc.detectedMimeType;
    if (doc.problem?.kind === 'document-invalid') {
      plans.push({ doc, kind: 'none', note: 'Der Inhalt ist beschädigt (kein gültiges Base64) und kann nicht dargestellt werden.' });
    } else if (type === 'application/pdf') {
      const plan = await inspectPdf(buffer, doc, MAX_EXPORT_PAGES - importedPages);
      if (plan.kind === 'pdf') importedPages += plan.pages;
      plans.push(plan);
    } else if (type && IMAGE_TYPES[type]) {
      plans.push({ doc, kind: 'image', format: IMAGE_TYPES[type] });
    } else {
      plans.push({ doc, kind: 'none', note: `Dateityp ${type ?? doc.mimeType ?? 'unbekannt'} kann hier nicht dargestellt werden; die Datei liegt beim Export der Anhänge bei.` });
    }
  }
  return plans;
}

/**
 * The PDF parsed from the shared document buffer: its streams' contents are views of that buffer (pdf-lib slices
 * a Node Buffer without copying), valid until the buffer's next read.
 */
async function loadPdf(buffer: DocumentBuffer, doc: DocumentView): Promise<PDFDocument> {
  return PDFDocument.load(await buffer.read(doc), { updateMetadata: false, throwOnInvalidObject: false });
}

/** Most pages one evidence PDF may bring into the export; a larger one is listed (and exported as a file). */
export const MAX_PDF_PAGES = 2_000;
/** Most imported pages of all evidence PDFs of one export together (about 1 s of work per 1,000 pages). */
export const MAX_EXPORT_PAGES = 10_000;
/** Deepest page tree walked (real files have a handful of levels; pdf-lib walks it recursively). */
const MAX_PAGE_TREE_DEPTH = 64;

class PageTreeUnsound extends Error {}
class TooManyPages extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} pages`);
  }
}

async function inspectPdf(buffer: DocumentBuffer, doc: DocumentView, pagesLeft: number): Promise<DocumentPlan> {
  try {
    const pdf = await loadPdf(buffer, doc);
    // the page tree is walked here, bounded, before pdf-lib walks it: its own walk follows every path through a
    // tree whose nodes are shared (a 1 KB file can name 2^40 pages) and recurses without end on a cycle
    const pages = checkedPageCount(pdf, Math.min(MAX_PDF_PAGES, pagesLeft));
    if (pages === 0) return { doc, kind: 'none', note: 'Das PDF enthält keine Seiten.' };
    // every page's content can be taken into a form XObject (import below)
    pdf.getPages().forEach((page) => pageContent(page));
    const names = pdf.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
    const catalogActive =
      ['OpenAction', 'AA', 'AcroForm'].some((key) => pdf.catalog.has(PDFName.of(key))) || ['JavaScript', 'EmbeddedFiles'].some((key) => names?.has(PDFName.of(key)) === true);
    const hasAnnotations = catalogActive || pdf.getPages().some((page) => page.node.has(PDFName.of('Annots')) || page.node.has(PDFName.of('AA')));
    return { doc, kind: 'pdf', pages, pdfaBlockers: pdfaBlockers(pdf), hasAnnotations, geometry: pdf.getPages().map(pageGeometry) };
  } catch (error) {
    // the content itself unreadable (changed source) is no property of this PDF
    if (error instanceof PostfachError) throw error;
    return { doc, kind: 'none', note: unplacedNote(error) };
  }
}

/** Why a PDF is listed instead of inserted, in the caseworker's words. */
function unplacedNote(error: unknown): string {
  const file = 'die Datei liegt beim Export der Anhänge bei.';
  if (error instanceof PageContentTooLarge) return `Der Inhalt einer Seite des PDF ist größer als ${MAX_PAGE_CONTENT_BYTES / 1024 / 1024} MB und wird nicht eingefügt; ${file}`;
  if (error instanceof TooManyPages) {
    return error.limit < MAX_PDF_PAGES
      ? `Mit diesem PDF hätte der Export mehr als ${MAX_EXPORT_PAGES.toLocaleString('de-DE')} übernommene Seiten; es wird nicht eingefügt, ${file}`
      : `Das PDF hat mehr als ${MAX_PDF_PAGES.toLocaleString('de-DE')} Seiten und wird nicht eingefügt; ${file}`;
  }
  if (error instanceof PageTreeUnsound) return `Das Seitenverzeichnis des PDF ist beschädigt und kann nicht eingefügt werden; ${file}`;
  if (error instanceof Error && /encrypt/i.test(error.message)) return `Das PDF ist verschlüsselt und kann nicht eingefügt werden; ${file}`;
  return `Das PDF ist beschädigt und kann nicht eingefügt werden; ${file}`;
}

/**
 * The number of pages of a PDF, found by walking its page tree iteratively: every node at most once (a node reached
 * twice, a cycle among /Kids included, makes the tree unsound), at most {@link MAX_PAGE_TREE_DEPTH} levels, at
 * most `limit` pages, and each node's /Parent chain must end (pdf-lib climbs it for inherited attributes such as
 * the MediaBox, recursively). Counts pages as pdf-lib's getPages() finds them (PDFPageLeaf under PDFPageTree).
 */
function checkedPageCount(pdf: PDFDocument, limit: number): number {
  const ctx = pdf.context;
  const root = pdf.catalog.lookup(PDFName.of('Pages'));
  // no page tree at all: a broken PDF as any other (pdf-lib's own message)
  if (!(root instanceof PDFPageTree)) throw new Error('no page tree');
  const seen = new Set<PDFDict>([root]);
  const stack: Array<[PDFPageTree, number]> = [[root, 1]];
  let pages = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_PAGE_TREE_DEPTH) throw new PageTreeUnsound('page tree too deep');
    parentChainEnds(node);
    const kids = node.lookup(PDFName.of('Kids'));
    if (!(kids instanceof PDFArray)) throw new PageTreeUnsound('page tree node without Kids');
    for (let i = 0; i < kids.size(); i++) {
      const kid = ctx.lookup(kids.get(i));
      if (!(kid instanceof PDFPageTree) && !(kid instanceof PDFPageLeaf)) continue;
      if (seen.has(kid)) throw new PageTreeUnsound('a page tree node is reached twice');
      seen.add(kid);
      if (kid instanceof PDFPageTree) {
        stack.push([kid, depth + 1]);
        continue;
      }
      parentChainEnds(kid);
      pages++;
      if (pages > limit) throw new TooManyPages(limit);
    }
  }
  return pages;
}

/** The /Parent chain above a node ends within the tree's depth limit, without repeating a node. */
function parentChainEnds(node: PDFDict): void {
  const chain = new Set<PDFDict>();
  for (let at: PDFDict | undefined = node; at !== undefined; at = at.lookupMaybe(PDFName.of('Parent'), PDFDict)) {
    if (chain.has(at) || chain.size > MAX_PAGE_TREE_DEPTH) throw new PageTreeUnsound('the /Parent chain does not end');
    chain.add(at);
  }
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

/**
 * Fills the placeholders: `placeholders[i]` is the target page index for page i of the plan's document. Each
 * imported page becomes a form XObject (its content, resources, the visible box as BBox, the plan's placement as
 * Matrix) in its placeholder's resources; the placeholder's own content (the Figure that draws it, the footer)
 * stays. The copied streams are views of the document buffer: the caller writes and flushes them before the
 * buffer's next read.
 * Returns the number of pages filled.
 */
export async function importPdfPages(target: PDFDocument, buffer: DocumentBuffer, plan: DocumentPlan & { kind: 'pdf' }, placeholders: readonly number[]): Promise<number> {
  const src = await loadPdf(buffer, plan.doc);
  const copied = await target.copyPages(src, src.getPageIndices());
  const ctx = target.context;
  // the copied pages and their own content streams (pages may share them) are not used once the forms hold the
  // content: removed at the end, so the file carries each content once
  const unused = new Set<PDFRef>();
  for (const [i, page] of copied.entries()) {
    const g = plan.geometry[i]!;
    const contents = page.node.get(PDFName.of('Contents'));
    for (const ref of contents instanceof PDFArray ? contents.asArray() : [contents]) if (ref instanceof PDFRef) unused.add(ref);
    unused.add(page.ref);
    const formDict = {
      Type: 'XObject',
      Subtype: 'Form',
      FormType: 1,
      BBox: [g.box.left, g.box.bottom, g.box.right, g.box.top],
      Matrix: [...g.matrix],
      Resources: page.node.Resources() ?? ctx.obj({}),
    };
    const content = pageContent(page);
    let form: PDFStream;
    if (content instanceof PDFRawStream) {
      // one content stream: its encoded bytes and filters become the form as they are (nothing decoded)
      const dict = ctx.obj(formDict);
      for (const key of ['Filter', 'DecodeParms']) {
        const value = content.dict.get(PDFName.of(key));
        if (value) dict.set(PDFName.of(key), value);
      }
      form = PDFRawStream.of(dict, content.contents);
    } else {
      form = ctx.flateStream(content, formDict);
    }
    // only what draws the page comes along: nothing active that hangs on the form or its resources (clean.ts)
    removeActiveContent(ctx, form);
    const holder = target.getPage(placeholders[i]!).node;
    const resources = holder.Resources() ?? ctx.obj({});
    holder.set(PDFName.of('Resources'), resources);
    const xobjects = resources.lookupMaybe(PDFName.of('XObject'), PDFDict) ?? ctx.obj({});
    xobjects.set(PDFName.of(IMPORTED_PAGE_XOBJECT), ctx.register(form));
    resources.set(PDFName.of('XObject'), xobjects);
    // a transparency group of the page stays with the page that now shows it
    const group = page.node.get(PDFName.of('Group'));
    if (group) {
      removeActiveContent(ctx, group);
      holder.set(PDFName.of('Group'), group);
    }
  }
  // the copied pages, their annotations, actions and whatever else only they used are deleted by the export's
  // removeUnreachable before writing
  for (const ref of unused) ctx.delete(ref);
  return copied.length;
}

/**
 * What one page's content streams may decode to, together. A page whose content is an array of streams is decoded
 * here, in the service; a few kilobytes of FlateDecode can stand for gigabytes (a decompression bomb), and Buffers
 * lie outside the heap the service's memory limit watches.
 */
export const MAX_PAGE_CONTENT_BYTES = 64 * 1024 * 1024;
/** The most one byte of any other PDF filter (LZW, RunLength, ASCII85/Hex) can decode to: LZW's 4096-byte strings. */
const MAX_OTHER_FILTER_RATIO = 4096;

class PageContentTooLarge extends Error {}

/** One content stream decoded, at most `room` bytes: FlateDecode inflated under that bound, other filters by their worst ratio. */
function decodedWithin(stream: PDFRawStream, room: number): Buffer {
  if (room <= 0) throw new PageContentTooLarge();
  const encoded = stream.getContents();
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const only = filter instanceof PDFArray && filter.size() === 1 ? filter.lookup(0) : filter;
  if (filter === undefined) {
    if (encoded.length > room) throw new PageContentTooLarge();
    return Buffer.from(encoded);
  }
  if (only === PDFName.of('FlateDecode') && stream.dict.lookup(PDFName.of('DecodeParms')) === undefined) {
    try {
      return inflateSync(encoded, { maxOutputLength: room });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new PageContentTooLarge();
      // not plain zlib data (e.g. a raw deflate stream): pdf-lib's decoder below, bounded by the worst ratio
    }
  }
  if (encoded.length * MAX_OTHER_FILTER_RATIO > room) throw new PageContentTooLarge();
  const decoded = decodePDFRawStream(stream).decode();
  if (decoded.length > room) throw new PageContentTooLarge();
  return Buffer.from(decoded);
}

/**
 * A page's content for its form XObject: the one content stream as it is, or several decoded (within
 * {@link MAX_PAGE_CONTENT_BYTES}) and joined (a form has one stream); a page without content is empty. Throws
 * where a content stream cannot be read; the planning calls it for every page, so such a PDF is listed, not half
 * imported.
 */
function pageContent(page: PDFPage): PDFRawStream | Uint8Array {
  const ctx = page.node.context;
  const contents = ctx.lookup(page.node.get(PDFName.of('Contents')));
  if (contents === undefined) return new Uint8Array(0);
  if (contents instanceof PDFRawStream) return contents;
  if (!(contents instanceof PDFArray)) throw new Error('page contents are neither a stream nor an array');
  const parts: Buffer[] = [];
  let used = 0;
  for (let k = 0; k < contents.size(); k++) {
    const stream = contents.lookup(k);
    if (!(stream instanceof PDFRawStream)) throw new Error('a page content part is not a stream');
    const part = decodedWithin(stream, MAX_PAGE_CONTENT_BYTES - used);
    used += part.length + 1;
    parts.push(part, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}
