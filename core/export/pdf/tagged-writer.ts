/**
 * A thin layer over pdfkit for tagged, accessible pages: every heading, paragraph and table row is a structure
 * element (H1–H3, P, Table/TR/TH/TD, Figure with alternative text), page furniture is an Artifact, and the
 * bookmarks (outline) follow the headings. Fonts: DejaVu Sans (covers the Latin letters of DIN 91379).
 *
 * Bounded: every text goes through text-layout.ts (lines laid out here, in one pass, within bounds per value) before
 * pdfkit sees it, and the values of one document share a budget of characters and rows; what does not fit is
 * replaced by a notice that says where the full value is. One hostile value can make a document shorter, never
 * make it take minutes or gigabytes.
 */
import PDFDocument from 'pdfkit';
import { visibleText } from '../../visible-text.js';
import { bundledFont, type FontStyle } from './fonts.js';
import { clipText, GlyphWidths, LABEL_BOUNDS, layoutText, PARAGRAPH_BOUNDS, SHORTENED, VALUE_BOUNDS, type ShortenedNotice, type TextBounds } from './text-layout.js';
import { plural } from '../../words/plural.js';

// pdfkit takes parsed fontkit fonts as font source (its types only name files and buffers)
const fontSource = (style: 'regular' | 'bold') => bundledFont(style) as unknown as string;

export const PAGE = { width: 595.28, height: 841.89, margin: 56 } as const;
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const LABEL_WIDTH = 165;
const GAP = 12;
const VALUE_WIDTH = CONTENT_WIDTH - LABEL_WIDTH - GAP;
const BOTTOM = PAGE.height - PAGE.margin;

export interface Row {
  readonly label: string;
  readonly value: string;
  /** A warning shown under the value (e.g. invalid IBAN), prefixed with a sign, never colour alone. */
  readonly note?: string;
}

export interface WriterOptions {
  readonly title: string;
  readonly subject: string;
  readonly pdfa: boolean;
  readonly createdAt: Date;
  /** What a shortened value says (default: the e-file's, which carries the XML). */
  readonly shortened?: ShortenedNotice;
}

/**
 * What one document prints of values at most (rows of tables, characters of their values), beyond the bounds of
 * each value: some hundred pages. Rows marked essential (the receipt, the list of documents) are always printed.
 */
export const DOCUMENT_BOUNDS = { maxRows: 6000, maxChars: 250_000 } as const;

/** Length of the single-line texts (titles, outline entries, footers, alternative texts). */
const TITLE_CHARS = 300;

/**
 * Text is drawn in NFC: a name typed with combining marks ("u" + U+0308) looks the same, but text extraction and
 * search in the e-file then find it; sequences without a precomposed letter keep their combining marks. Only the
 * part that can be printed is normalised. Invisible and direction-changing characters (U+202E, zero-width, soft
 * hyphen, …) are drawn as their visible tokens "⟨U+202E⟩" (core/visible-text.ts, as in the UI and the CLI); pdfkit
 * has no bidi algorithm, so the token is also the only way such a character shows at all. Line breaks and tabs of
 * multi-line values stay. Word breaking (text-layout.ts) comes after this and inserts no format characters.
 */
function nfc(text: string, maxChars = TITLE_CHARS * 4): string {
  return visibleText((text.length > maxChars + 64 ? text.slice(0, maxChars + 64) : text).normalize('NFC'), { lineBreaks: true });
}

/** A laid-out block: its lines and whether anything was left out. */
interface Block {
  readonly lines: readonly string[];
  readonly shortened: boolean;
}

export class TaggedWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly document: PDFKit.PDFStructureElement;
  private section: PDFKit.PDFStructureElement;
  private readonly widths: Record<FontStyle, GlyphWidths> = { regular: new GlyphWidths(bundledFont('regular')), bold: new GlyphWidths(bundledFont('bold')) };
  private readonly notice: string;
  /** Values printed so far (document budget). */
  private printedRows = 0;
  private printedChars = 0;

  constructor(options: WriterOptions) {
    this.notice = (options.shortened ?? SHORTENED.efile).de;
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin },
      bufferPages: true,
      tagged: true,
      lang: 'de-DE',
      displayTitle: true,
      pdfVersion: '1.7',
      font: fontSource('regular'),
      ...(options.pdfa ? { subset: 'PDF/A-3b' as const } : {}),
      info: {
        Title: clipText(nfc(options.title), TITLE_CHARS),
        Subject: clipText(nfc(options.subject), TITLE_CHARS),
        Creator: 'OSCI-Postfach',
        Producer: 'OSCI-Postfach (pdfkit, pdf-lib)',
        // no ModDate: pdfkit's XMP has no xmp:ModifyDate, and PDF/A wants the Info dictionary and XMP to agree
        CreationDate: options.createdAt,
      },
    });
    this.doc.registerFont('R', fontSource('regular'));
    this.doc.registerFont('B', fontSource('bold'));
    this.document = this.doc.struct('Document');
    this.doc.addStructure(this.document);
    this.section = this.document;
  }

  get pageIndex(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count - 1;
  }

  /**
   * Lays text out for `width` points in the font and size given (which it also selects): the lines pdfkit then
   * draws unchanged, a notice line where text was left out. Bounded by `bounds`, whatever the text's length.
   */
  layout(text: string, style: FontStyle, size: number, width: number, bounds: TextBounds): Block {
    this.doc.font(style === 'bold' ? 'B' : 'R').fontSize(size);
    // pdfkit measures a line's last word together with the line break that follows it (draw() joins the lines)
    const measure = { widths: this.widths[style], size, exact: (line: string) => this.doc.widthOfString(`${line}\n`) };
    const prepared = text.length > bounds.maxChars + 64 ? text.slice(0, bounds.maxChars + 64) : text;
    const laid = layoutText(nfc(prepared, bounds.maxChars), measure, width, bounds);
    const shortened = laid.shortened || prepared.length < text.length;
    if (!shortened) return laid;
    const notice = layoutText(this.notice, measure, width, LABEL_BOUNDS);
    return { lines: [...laid.lines, ...notice.lines], shortened };
  }

  /** Height of a laid-out block in the current font and size. */
  private heightOf(block: Block): number {
    return block.lines.length * this.doc.currentLineHeight(true);
  }

  /** Draws a laid-out block at (x, y); pdfkit wraps nothing (every line fits) and continues on a new page if needed. */
  private draw(block: Block, x: number, y: number, width: number, options: PDFKit.Mixins.TextOptions = {}): void {
    this.doc.text(block.lines.join('\n'), x, y, { ...options, width });
  }

  /** Starts a new section (Sect, with a title where given) in the structure tree; later content goes into it. */
  beginSection(title?: string): void {
    const sect = this.doc.struct('Sect', title ? { title: clipText(nfc(title), TITLE_CHARS) } : {});
    this.document.add(sect);
    this.section = sect;
  }

  newPage(size?: [number, number]): void {
    this.doc.addPage(size ? { size, margin: 0 } : { size: 'A4', margins: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin } });
  }

  ensureSpace(height: number): void {
    if (this.doc.y + height > BOTTOM) this.newPage();
  }

  heading(level: 1 | 2 | 3, text: string): void {
    const size = level === 1 ? 17 : level === 2 ? 13.5 : 11;
    this.doc.font('B').fontSize(size);
    const block = this.layout(text, 'bold', size, CONTENT_WIDTH, LABEL_BOUNDS);
    this.ensureSpace(Math.max(size * 3, this.heightOf(block) + size) + 30);
    if (this.doc.y > PAGE.margin + 1) this.doc.moveDown(level === 1 ? 0.4 : 0.6);
    this.section.add(
      this.doc.struct(`H${level}`, {}, () => {
        this.doc
          .font('B')
          .fontSize(size)
          .fillColor(level === 1 ? '#14325c' : '#1f1f1f');
        this.draw(block, PAGE.margin, this.doc.y, CONTENT_WIDTH);
      }),
    );
    if (level === 1) {
      const y = this.doc.y + 2;
      this.artifact(() =>
        this.doc
          .moveTo(PAGE.margin, y)
          .lineTo(PAGE.width - PAGE.margin, y)
          .lineWidth(0.8)
          .strokeColor('#14325c')
          .stroke(),
      );
      this.doc.y = y + 6;
    } else {
      this.doc.moveDown(0.2);
    }
    this.doc.fillColor('black');
  }

  paragraph(text: string, options: { size?: number; bold?: boolean; colour?: string } = {}): void {
    const size = options.size ?? 9.5;
    this.doc.font(options.bold ? 'B' : 'R').fontSize(size);
    const block = this.layout(text, options.bold ? 'bold' : 'regular', size, CONTENT_WIDTH, PARAGRAPH_BOUNDS);
    this.ensureSpace(Math.min(this.heightOf(block), 200));
    this.section.add(
      this.doc.struct('P', {}, () => {
        this.doc.fillColor(options.colour ?? 'black');
        this.draw(block, PAGE.margin, this.doc.y, CONTENT_WIDTH);
      }),
    );
    this.doc.fillColor('black').moveDown(0.35);
  }

  /** A framed warning (e.g. Testantrag): thick border and a sign, readable without colour. */
  banner(text: string): void {
    this.doc.font('B').fontSize(12);
    const block = this.layout(text, 'bold', 12, CONTENT_WIDTH - 24, LABEL_BOUNDS);
    const h = this.heightOf(block) + 16;
    this.ensureSpace(h + 8);
    const y = this.doc.y;
    this.artifact(() => this.doc.rect(PAGE.margin, y, CONTENT_WIDTH, h).lineWidth(2.5).fillAndStroke('#fde8e8', '#b3261e'));
    this.section.add(
      this.doc.struct('P', {}, () => {
        this.doc.fillColor('#8c1d18').font('B').fontSize(12);
        this.draw(block, PAGE.margin + 12, y + 8, CONTENT_WIDTH - 24);
      }),
    );
    this.doc.fillColor('black');
    this.doc.y = y + h + 8;
    this.doc.x = PAGE.margin;
  }

  /**
   * Label/value rows as a two-column table (TH = label, TD = value). Each label and value is bounded on its own;
   * rows that are not `essential` also count against the document's budget, and once it is used up the rest of
   * the table is left out with a notice that says how many values and where they are.
   */
  table(rows: readonly Row[], options: { essential?: boolean } = {}): void {
    if (rows.length === 0) return;
    const table = this.doc.struct('Table');
    this.section.add(table);
    let omitted = 0;
    for (const row of rows) {
      if (options.essential !== true) {
        if (this.printedRows >= DOCUMENT_BOUNDS.maxRows || this.printedChars >= DOCUMENT_BOUNDS.maxChars) {
          omitted++;
          continue;
        }
        this.printedRows++;
        this.printedChars += Math.min(row.value.length, VALUE_BOUNDS.maxChars) + Math.min(row.label.length, LABEL_BOUNDS.maxChars);
      }
      this.doc.font('R').fontSize(9);
      const label = this.layout(row.label, 'regular', 9, LABEL_WIDTH, LABEL_BOUNDS);
      const labelH = this.heightOf(label);
      this.doc.font('R').fontSize(9.5);
      const value = this.layout(row.value || ' ', 'regular', 9.5, VALUE_WIDTH, VALUE_BOUNDS);
      let valueH = this.heightOf(value);
      this.doc.font('B').fontSize(9);
      const note = row.note ? this.layout(`⚠ ${row.note}`, 'bold', 9, VALUE_WIDTH, LABEL_BOUNDS) : undefined;
      if (note) valueH += this.heightOf(note) + 2;
      this.ensureSpace(Math.max(labelH, valueH) + 6);
      const y = this.doc.y;
      const tr = this.doc.struct('TR');
      table.add(tr);
      tr.add(
        this.doc.struct('TH', {}, () => {
          this.doc.font('R').fontSize(9).fillColor('#4a4a4a');
          this.draw(label, PAGE.margin, y, LABEL_WIDTH);
        }),
      );
      const labelBottom = this.doc.y;
      tr.add(
        this.doc.struct('TD', {}, () => {
          this.doc.font('R').fontSize(9.5).fillColor('black');
          this.draw(value, PAGE.margin + LABEL_WIDTH + GAP, y, VALUE_WIDTH);
          if (note) {
            this.doc.font('B').fontSize(9).fillColor('#8c1d18');
            this.draw(note, PAGE.margin + LABEL_WIDTH + GAP, this.doc.y + 1, VALUE_WIDTH);
          }
        }),
      );
      const bottom = Math.max(labelBottom, this.doc.y) + 3;
      this.artifact(() =>
        this.doc
          .moveTo(PAGE.margin, bottom - 1.5)
          .lineTo(PAGE.width - PAGE.margin, bottom - 1.5)
          .lineWidth(0.3)
          .strokeColor('#d0d0d0')
          .stroke(),
      );
      this.doc.fillColor('black');
      this.doc.y = bottom + 1;
      this.doc.x = PAGE.margin;
    }
    this.doc.moveDown(0.4);
    if (omitted > 0) {
      this.paragraph(
        `${plural('de', omitted, 'Eine weitere Angabe ist', `${omitted} weitere Angaben sind`)} hier nicht gedruckt: Das Dokument hat die Obergrenze von ${DOCUMENT_BOUNDS.maxRows} Angaben oder ${DOCUMENT_BOUNDS.maxChars.toLocaleString('de-DE')} Zeichen erreicht ${this.notice.replace(/^… /, '')}.`,
        { size: 9, bold: true, colour: '#8c1d18' },
      );
    }
  }

  /**
   * An image scaled into the rest of the page (or a new page), tagged as Figure with alternative text. The image is
   * opened and embedded before any marked content starts, so a broken image leaves the structure intact.
   */
  /**
   * An image on the page, in a Figure with alternative text. With `withoutData` the image XObject is written with
   * an empty stream and its object number returned: a JPEG's bytes are dropped here, a PNG comes without its IDAT
   * chunks already (png-data.ts); the caller puts the data into that object when it writes the file
   * (export-pdf.ts), so pdfkit never holds it — the image is laid out, turned by its EXIF orientation and tagged
   * by pdfkit all the same.
   */
  image(bytes: Buffer, alt: string, options: { withoutData?: boolean } = {}): number | undefined {
    const doc = this.doc as unknown as {
      openImage(src: Buffer): { obj?: { id: number }; data?: Buffer | null; imgData?: Uint8Array | null; width: number; height: number; embed(d: unknown): void };
    };
    const image = doc.openImage(bytes);
    let objectNumber: number | undefined;
    if (!image.obj) {
      // pdfkit's JPEG embeds its `data` as the stream as it is (DCTDecode, no compression of its own)
      const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && image.data instanceof Uint8Array;
      // a PNG without pixel data: pdfkit embeds its (empty) `imgData` as it is (FlateDecode, PNG predictor)
      const png = !jpeg && image.imgData instanceof Uint8Array && image.imgData.length === 0;
      const deferred = options.withoutData === true && (jpeg || png);
      if (deferred && jpeg) image.data = Buffer.alloc(0);
      image.embed(this.doc);
      // embed() has set obj (the narrowing above does not know)
      if (deferred) objectNumber = (image as { obj?: { id: number } }).obj?.id;
    }
    if (BOTTOM - this.doc.y < 260) this.newPage();
    const y = this.doc.y;
    // natural size at 96 dpi where it fits (small images are not blown up), else scaled down into the space
    const natural = { width: image.width * 0.75, height: image.height * 0.75 };
    const fits = natural.width <= CONTENT_WIDTH && natural.height <= BOTTOM - y;
    this.section.add(
      this.doc.struct('Figure', { alt: clipText(nfc(alt), TITLE_CHARS * 2) }, () => {
        const source = image as unknown as Buffer;
        if (fits) this.doc.image(source, PAGE.margin + (CONTENT_WIDTH - natural.width) / 2, y, natural);
        else this.doc.image(source, PAGE.margin, y, { fit: [CONTENT_WIDTH, BOTTOM - y], align: 'center' });
      }),
    );
    this.doc.y = BOTTOM;
    return objectNumber;
  }

  /**
   * A page that shows an imported page: a Figure with alternative text that draws the form XObject `xobject`,
   * which the page's resources receive later (import-pages.ts), in the page's own unflipped coordinates.
   */
  placeholderPage(size: [number, number], alt: string, xobject: string): number {
    this.newPage(size);
    const height = this.doc.page.height;
    this.section.add(this.doc.struct('Figure', { alt: clipText(nfc(alt), TITLE_CHARS * 2) }, () => this.doc.addContent(`q 1 0 0 -1 0 ${height} cm /${xobject} Do Q`)));
    return this.pageIndex;
  }

  artifact(draw: () => void): void {
    this.doc.markContent('Artifact', { type: 'Layout' });
    draw();
    this.doc.endMarkedContent();
  }

  /**
   * Page numbers as pagination artifacts: `label · Seite n von N` on every page; pages in `imported` (pages taken
   * over from a document) get their own label, set small near the bottom edge over the page and made smaller
   * where the page is narrow, so a loose page still names its message and document.
   */
  pageNumbers(label: string, imported: ReadonlyMap<number, string>): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const page = this.doc.page;
      const bottomMargin = page.margins.bottom;
      page.margins.bottom = 0;
      this.doc.markContent('Artifact', { type: 'Pagination' });
      const own = imported.get(i);
      const text = `${clipText(nfc(own ?? label), TITLE_CHARS)} · Seite ${i + 1} von ${range.count}`;
      if (own === undefined) {
        this.doc
          .font('R')
          .fontSize(7.5)
          .fillColor('#6b6b6b')
          .text(text, PAGE.margin, PAGE.height - 34, { width: CONTENT_WIDTH, align: 'center', lineBreak: false });
      } else {
        const side = Math.min(28, page.width * 0.04);
        const width = page.width - 2 * side;
        let size = 7;
        while (size > 4 && this.doc.font('R').fontSize(size).widthOfString(text) > width) size -= 0.5;
        this.doc
          .font('R')
          .fontSize(size)
          .fillColor('#4a4a4a')
          .text(text, side, page.height - size - 5, { width, align: 'center', lineBreak: false, height: size + 2, ellipsis: true });
      }
      this.doc.endMarkedContent();
      page.margins.bottom = bottomMargin;
    }
    this.doc.fillColor('black');
  }

  /** Ends the document and returns its bytes. */
  async finish(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    this.doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve, reject) => {
      this.doc.on('end', () => resolve());
      this.doc.on('error', reject);
    });
    this.document.end();
    this.doc.end();
    await done;
    return Buffer.concat(chunks);
  }
}
