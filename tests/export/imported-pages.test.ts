import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { degrees, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, rgb } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPdf } from '../../core/export/index.js';
import { readDelivery } from '../../core/xsozial/index.js';
import { pdfinfo, pdftotext, qpdfCheck, receiptFor, searchable } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'export-pages-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A page as grey levels (pdftoppm -gray, binary PGM). */
function render(file: string, page: number, dpi = 24): { width: number; height: number; pixels: Buffer } {
  const pgm = execFileSync('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), '-cropbox', '-gray', file], { maxBuffer: 64 * 1024 * 1024 });
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 40))!;
  return { width: Number(header[1]), height: Number(header[2]), pixels: pgm.subarray(header[0].length) };
}

/** Mean absolute grey difference of two renderings, leaving out the bottom `skipBottom` pixel rows (the footer). */
function difference(a: ReturnType<typeof render>, b: ReturnType<typeof render>, skipBottom: number): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < a.height - skipBottom; y++) {
    for (let x = 0; x < a.width; x++) {
      sum += Math.abs(a.pixels[y * a.width + x]! - b.pixels[y * b.width + x]!);
      n++;
    }
  }
  return sum / n;
}

/** Pages that a viewer shows differently from their raw coordinates (offset boxes, crop boxes, rotations), a blank page and one of two content streams. */
async function awkwardPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const marks = (page: ReturnType<PDFDocument['addPage']>, x0: number, y0: number, w: number, h: number) => {
    // asymmetric marks: a dark block top left, a mid-grey bar along the bottom, a small square right of centre
    page.drawRectangle({ x: x0 + 20, y: y0 + h - 120, width: 140, height: 90, color: rgb(0.1, 0.1, 0.1) });
    page.drawRectangle({ x: x0 + 20, y: y0 + 60, width: w - 40, height: 30, color: rgb(0.5, 0.5, 0.5) });
    page.drawRectangle({ x: x0 + w * 0.6, y: y0 + h * 0.5, width: 50, height: 50, color: rgb(0.2, 0.2, 0.2) });
  };
  const plain = pdf.addPage([595.28, 841.89]);
  marks(plain, 0, 0, 595.28, 841.89);
  const offset = pdf.addPage([595, 842]);
  offset.setMediaBox(100, 200, 595, 842);
  marks(offset, 100, 200, 595, 842);
  const turned = pdf.addPage([612, 792]);
  turned.setRotation(degrees(90));
  marks(turned, 0, 0, 612, 792);
  const cropped = pdf.addPage([600, 800]);
  cropped.setCropBox(50, 100, 400, 500);
  cropped.setRotation(degrees(270));
  marks(cropped, 50, 100, 400, 500);
  const upside = pdf.addPage([300, 200]);
  upside.setRotation(degrees(180));
  marks(upside, 0, 0, 300, 200);
  // a blank page (no content at all) and a page whose content comes in two streams
  pdf.addPage([400, 300]);
  const twoStreams = pdf.addPage([400, 300]);
  marks(twoStreams, 0, 0, 400, 300);
  twoStreams.node.addContentStream(pdf.context.register(pdf.context.flateStream('0.2 g 300 120 60 60 re f')));
  return Buffer.from(await pdf.save());
}

function applicationWith(documents: ReadonlyArray<{ name: string; fileName: string; bytes: Buffer }>): Buffer {
  const docs = documents
    .map(
      (d, i) =>
        `<xsb:dokument><xsb:dokumentID>D${i + 1}</xsb:dokumentID><xsb:name>${d.name}</xsb:name><xsb:dokumentRepraesentation><xsb:mimeType>application/pdf</xsb:mimeType><xsb:inhalt>${d.bytes.toString('base64')}</xsb:inhalt><xsb:dateiname>${d.fileName}</xsb:dateiname></xsb:dokumentRepraesentation></xsb:dokument>`,
    )
    .join('');
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><xsb:vorgang.transportieren.1000001 xmlns:xsb="https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0" produkt="Hilfe zum Lebensunterhalt" standard="XSozial-basis" version="2.4.0"><xsb:xsozial><xsb:vorgang><xsb:person><xsb:personID>P1</xsb:personID><xsb:antragsteller>true</xsb:antragsteller><xsb:allgemein><xsb:nameNatuerlichePerson><xsb:familienname><xsb:name>Musterfrau</xsb:name></xsb:familienname><xsb:vorname><xsb:name>Erika</xsb:name></xsb:vorname></xsb:nameNatuerlichePerson></xsb:allgemein></xsb:person></xsb:vorgang>${docs}</xsb:xsozial></xsb:vorgang.transportieren.1000001>`,
  );
}

describe('PDF pages appended to the export', () => {
  it('follow without a cover page, look as a viewer shows the original (boxes, rotation), and each carries a footer naming message, document and page', async () => {
    const awkward = await awkwardPdf();
    const source = path.join(tmp, 'awkward.pdf');
    writeFileSync(source, awkward);
    const one = await PDFDocument.create();
    one.addPage([420, 595]).drawRectangle({ x: 40, y: 400, width: 200, height: 120, color: rgb(0, 0, 0) });
    const xml = applicationWith([
      { name: 'Seiten in allen Lagen', fileName: 'lagen.pdf', bytes: awkward },
      { name: 'Einseitiger Bescheid', fileName: 'bescheid-mit-einem-sehr-langen-dateinamen-der-kaum-in-die-fusszeile-passt.pdf', bytes: Buffer.from(await one.save()) },
    ]);
    const view = await readDelivery(xml);
    const out = path.join(tmp, 'pages.pdf');
    const receipt = receiptFor(createHash('sha256').update(xml).digest('hex'), xml.length);
    const result = await exportPdf(view, receipt, { source: xml, pdfa: false }, out);
    expect(result.documents).toEqual([
      { id: 'D1', included: 'pages', pages: 7 },
      { id: 'D2', included: 'pages', pages: 1 },
    ]);
    qpdfCheck(out);
    const total = Number(pdfinfo(out).Pages);
    expect(total).toBe(result.pages);
    // the eight imported pages are the last eight: no page of their own announces them
    const first = total - 7;
    for (let p = 1; p < first; p++) expect(pdftotext(out, p)).not.toMatch(/Es folg(t|en) \d+ Seite/);

    for (let i = 0; i < 7; i++) {
      const page = first + i;
      const text = searchable(pdftotext(out, page));
      expect(text).toContain(`Export OSCI-Postfach · Nachricht ${receipt.messageId} · Anlage 1: lagen.pdf (S. ${i + 1}/7) · Seite ${page} von ${total}`);
      const original = render(source, i + 1);
      const exported = render(out, page);
      expect([exported.width, exported.height]).toEqual([original.width, original.height]);
      // the same picture as the original, up to the footer band at the bottom edge
      expect(difference(exported, original, 6)).toBeLessThan(2);
    }
    const last = searchable(pdftotext(out, total));
    expect(last).toContain(`Anlage 2: bescheid-mit-einem-sehr-langen-dateinamen-der-kaum-in-die-fusszeile-passt.pdf · Seite ${total} von ${total}`);

    // every appended page is a Figure with alternative text inside a section titled for its document, and the
    // outline leads to each document's first page
    const struct = execFileSync('pdfinfo', ['-struct', out], { encoding: 'utf8' });
    expect(struct).toMatch(/Sect "Anlage 1: Seiten in allen Lagen"\n(\s+Figure\n){7}\s+Sect "Anlage 2: Einseitiger Bescheid"\n\s+Figure\n/);
    const target = await PDFDocument.load(readFileSync(out));
    const outlineTitles: string[] = [];
    const firstPages: number[] = [];
    const pageRefs = target.getPages().map((p) => p.ref);
    const visit = (item: PDFDict | undefined) => {
      for (let node = item; node; node = node.lookupMaybe(PDFName.of('Next'), PDFDict)) {
        const text = node.lookup(PDFName.of('Title'), PDFString, PDFHexString).decodeText();
        outlineTitles.push(text);
        const dest = node.lookupMaybe(PDFName.of('Dest'), PDFArray);
        if (/^Anlage(n$| \d)/.test(text) && dest) firstPages.push(pageRefs.findIndex((r) => r === dest.get(0)) + 1);
        visit(node.lookupMaybe(PDFName.of('First'), PDFDict));
      }
    };
    visit(target.catalog.lookup(PDFName.of('Outlines'), PDFDict).lookupMaybe(PDFName.of('First'), PDFDict));
    expect(outlineTitles.slice(-3)).toEqual(['Anlagen', 'Anlage 1: Seiten in allen Lagen', 'Anlage 2: Einseitiger Bescheid']);
    expect(firstPages).toEqual([first, first, total]);
  });

  it('keeps PDF/A-3b true: every font embedded, the footer artifacts included', async () => {
    const one = await PDFDocument.create();
    one.addPage([595.28, 841.89]).drawRectangle({ x: 40, y: 400, width: 200, height: 120, color: rgb(0.3, 0.3, 0.3) });
    const xml = applicationWith([{ name: 'Bescheid', fileName: 'bescheid.pdf', bytes: Buffer.from(await one.save()) }]);
    const view = await readDelivery(xml);
    const out = path.join(tmp, 'pdfa.pdf');
    const result = await exportPdf(view, receiptFor(createHash('sha256').update(xml).digest('hex'), xml.length), { source: xml }, out);
    expect(result.pdfa).toBe(true);
    qpdfCheck(out);
    const fonts = execFileSync('pdffonts', [out], { encoding: 'utf8' });
    const rows = fonts
      .split('\n')
      .slice(2)
      .filter((l) => l.trim() !== '');
    expect(rows.length).toBeGreaterThan(0);
    for (const line of rows) expect(line).toMatch(/CID TrueType\s+Identity-H\s+yes/);
    const total = Number(pdfinfo(out).Pages);
    expect(searchable(pdftotext(out, total))).toContain(`Anlage 1: bescheid.pdf · Seite ${total} von ${total}`);
    // the footer is page furniture, not content: the page's only structure is the document's Figure
    expect(execFileSync('pdfinfo', ['-struct', out], { encoding: 'utf8' })).toMatch(/Sect "Anlage 1: Bescheid"\n\s+Figure\n?$/);
  });
});
