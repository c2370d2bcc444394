/**
 * An evidence PDF's page tree is the sender's: pdf-lib walks it recursively and follows every path, so a page tree
 * whose nodes are shared (each level naming the next twice) makes a 1 KB file stand for 2^40 pages, and a /Parent
 * that points back to its own node makes every inherited attribute (the MediaBox) climb without end. The export
 * walks the tree itself first, bounded: such a PDF is listed with the reason, the rest of the export stays whole,
 * and a sound nested tree is still inserted.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPdf } from '../../core/export/index.js';
import { DocumentBuffer } from '../../core/export/pdf/document-buffer.js';
import { MAX_EXPORT_PAGES, MAX_PDF_PAGES, planDocuments } from '../../core/export/pdf/import-pages.js';
import { readDelivery } from '../../core/xsozial/index.js';
import { pdftotext, qpdfCheck, receiptFor, searchable } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'export-page-tree-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A PDF of the given objects (1 is the catalog), with a correct cross-reference table. */
function rawPdf(objects: readonly string[]): Buffer {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const CATALOG = '<< /Type /Catalog /Pages 2 0 R >>';
const PAGE = (parent: number) => `<< /Type /Page /Parent ${parent} 0 R /MediaBox [0 0 200 200] /Contents 99 0 R >>`;

/** 40 levels, each node naming the next one twice: 2^40 pages by pdf-lib's count. */
function sharedTree(levels: number): Buffer {
  const objects = [CATALOG];
  for (let i = 0; i < levels; i++) objects.push(`<< /Type /Pages /Kids [${3 + i} 0 R ${3 + i} 0 R] /Count 2 >>`);
  objects.push('<< /Type /Page /MediaBox [0 0 200 200] >>');
  return rawPdf(objects);
}

const PARENT_CYCLE = rawPdf([CATALOG, '<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 2 0 R >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>']);
const KIDS_CYCLE = rawPdf([CATALOG, '<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>']);

/** A sound tree of two levels: root → two nodes → two pages each (objects 3, 4 nodes; 5–8 pages; 9 content). */
const NESTED = rawPdf([
  CATALOG,
  '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 4 >>',
  '<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 6 0 R] /Count 2 >>',
  '<< /Type /Pages /Parent 2 0 R /Kids [7 0 R 8 0 R] /Count 2 >>',
  PAGE(3).replace('99 0 R', '9 0 R'),
  PAGE(3).replace('99 0 R', '9 0 R'),
  PAGE(4).replace('99 0 R', '9 0 R'),
  PAGE(4).replace('99 0 R', '9 0 R'),
  '<< /Length 17 >>\nstream\n0 0 m 100 100 l S\nendstream',
]);

/** A flat tree of `count` distinct pages. */
function flatPdf(count: number): Buffer {
  const pages = Array.from({ length: count }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>');
  return rawPdf([CATALOG, `<< /Type /Pages /Kids [${pages.map((_, i) => `${i + 3} 0 R`).join(' ')}] /Count ${count} >>`, ...pages]);
}

function application(pdfs: ReadonlyArray<readonly [string, Buffer]>): Buffer {
  const docs = pdfs
    .map(
      ([name, bytes], i) =>
        `<xsb:dokument><xsb:dokumentID>D${i + 1}</xsb:dokumentID><xsb:name>${name}</xsb:name><xsb:dokumentRepraesentation><xsb:mimeType>application/pdf</xsb:mimeType><xsb:inhalt>${bytes.toString('base64')}</xsb:inhalt><xsb:dateiname>datei-${i + 1}.pdf</xsb:dateiname></xsb:dokumentRepraesentation></xsb:dokument>`,
    )
    .join('');
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><xsb:vorgang.transportieren.1000001 xmlns:xsb="https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0" produkt="Hilfe zum Lebensunterhalt" standard="XSozial-basis" version="2.4.0"><xsb:xsozial><xsb:vorgang><xsb:person><xsb:personID>P1</xsb:personID><xsb:antragsteller>true</xsb:antragsteller></xsb:person></xsb:vorgang>${docs}</xsb:xsozial></xsb:vorgang.transportieren.1000001>`,
  );
}

describe('PDF export with a hostile page tree in an evidence PDF', () => {
  it('lists shared, cyclic and self-parented page trees with the reason and inserts the sound one', async () => {
    const xml = application([
      ['Geteilter Seitenbaum', sharedTree(40)],
      ['Zyklischer Elternverweis', PARENT_CYCLE],
      ['Zyklische Kinder', KIDS_CYCLE],
      ['Verschachtelt', NESTED],
    ]);
    const view = await readDelivery(xml);
    const out = path.join(tmp, 'page-tree.pdf');
    const started = process.cpuUsage();
    // before the bounded walk: the shared tree ended the process (V8 "invalid size" after 46 s and 2 GB), the
    // parent cycle escaped the export as a RangeError
    const result = await exportPdf(view, receiptFor(createHash('sha256').update(xml).digest('hex'), xml.length), { source: xml }, out);
    const cpu = process.cpuUsage(started);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(20_000);
    expect(result.documents.map((d) => [d.included, d.pages])).toEqual([
      ['listed-only', 0],
      ['listed-only', 0],
      ['listed-only', 0],
      ['pages', 4],
    ]);
    qpdfCheck(out);
    const text = searchable(pdftotext(out));
    expect(text.split('Das Seitenverzeichnis des PDF ist beschädigt und kann nicht eingefügt werden').length - 1).toBe(3);
    expect(text).toContain('Folgt als Anlage 4 mit 4 Seiten');
  }, 60_000);

  it('inserts at most MAX_PDF_PAGES pages of one PDF and MAX_EXPORT_PAGES of all', async () => {
    expect(MAX_EXPORT_PAGES % MAX_PDF_PAGES).toBe(0);
    const full = MAX_EXPORT_PAGES / MAX_PDF_PAGES;
    const parts = Array.from({ length: full }, (_, i): [string, Buffer] => [`Teil ${i + 1}`, flatPdf(MAX_PDF_PAGES)]);
    const xml = application([['Zu viele Seiten', flatPdf(MAX_PDF_PAGES + 1)], ...parts, ['Klein', NESTED]]);
    const view = await readDelivery(xml);
    const plans = await planDocuments(new DocumentBuffer(xml), view.documents);
    expect(plans.map((p) => (p.kind === 'pdf' ? p.pages : p.kind))).toEqual(['none', ...parts.map(() => MAX_PDF_PAGES), 'none']);
    const notes = plans.map((p) => (p.kind === 'none' ? p.note : ''));
    expect(notes[0]).toBe('Das PDF hat mehr als 2.000 Seiten und wird nicht eingefügt; die Datei liegt beim Export der Anhänge bei.');
    expect(notes.at(-1)).toBe('Mit diesem PDF hätte der Export mehr als 10.000 übernommene Seiten; es wird nicht eingefügt, die Datei liegt beim Export der Anhänge bei.');
    // with room left, the same small PDF is inserted
    const fits = application([...parts.slice(1), ['Klein', NESTED]]);
    const fitsPlans = await planDocuments(new DocumentBuffer(fits), (await readDelivery(fits)).documents);
    expect(fitsPlans.at(-1)).toMatchObject({ kind: 'pdf', pages: 4 });
  }, 60_000);
});
