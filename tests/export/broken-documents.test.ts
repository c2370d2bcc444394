import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { exportAttachments, exportPdf } from '../../core/export/index.js';
import { readDelivery } from '../../core/xsozial/index.js';
import { pdfinfo, pdftotext, pngChunk, qpdfCheck, receiptFor, searchable } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'export-broken-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function png(colourType: 2 | 6, idat: Buffer, width = 4, height = 4): Buffer {
  const ihdr = Buffer.from([0, 0, 0, width, 0, 0, 0, height, 8, colourType, 0, 0, 0]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

const channels = 4;
const rows = Buffer.concat(Array.from({ length: 4 }, (_, y) => Buffer.from([0, ...Array.from({ length: 4 * channels }, (_, i) => (i % 4 === 3 ? 128 : y * 60))])));
const DOCS: Array<[string, string, Buffer]> = [
  ['Foto mit Transparenz', 'image/png', png(6, deflateSync(rows))],
  ['Beschädigtes PNG', 'image/png', png(6, Buffer.from('keine zlib-daten, kaputt'))],
  ['Beschädigtes JPEG', 'image/jpeg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]), Buffer.from('Musterfrau')])],
  ['Kaputtes PDF', 'application/pdf', Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF')],
  ['Word-Datei', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', Buffer.from('PK\u0003\u0004 Musterfrau')],
];

describe('PDF export with documents that cannot be shown', () => {
  it('places what it can, says why it cannot place the rest, and keeps a valid, tagged file', async () => {
    const docs = DOCS.map(
      ([name, mime, bytes], i) =>
        `<xsb:dokument><xsb:dokumentID>D${i + 1}</xsb:dokumentID><xsb:name>${name}</xsb:name><xsb:dokumentRepraesentation><xsb:mimeType>${mime}</xsb:mimeType><xsb:inhalt>${bytes.toString('base64')}</xsb:inhalt><xsb:dateiname>datei-${i + 1}</xsb:dateiname></xsb:dokumentRepraesentation></xsb:dokument>`,
    ).join('');
    const xml = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><xsb:vorgang.transportieren.1000001 xmlns:xsb="https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0" produkt="Hilfe zum Lebensunterhalt" standard="XSozial-basis" version="2.4.0"><xsb:xsozial><xsb:vorgang><xsb:person><xsb:personID>P1</xsb:personID><xsb:antragsteller>true</xsb:antragsteller><xsb:allgemein><xsb:nameNatuerlichePerson><xsb:familienname><xsb:name>Musterfrau</xsb:name></xsb:familienname><xsb:vorname><xsb:name>Erika</xsb:name></xsb:vorname></xsb:nameNatuerlichePerson></xsb:allgemein></xsb:person></xsb:vorgang>${docs}</xsb:xsozial></xsb:vorgang.transportieren.1000001>`,
    );
    const view = await readDelivery(xml);
    expect(view.documents.map((d) => d.detectedMimeType)).toEqual(['image/png', 'image/png', 'image/jpeg', 'application/pdf', 'application/zip']);
    const out = path.join(tmp, 'broken.pdf');
    const result = await exportPdf(view, receiptFor(createHash('sha256').update(xml).digest('hex'), xml.length), { source: xml }, out);
    expect(result.documents.map((d) => d.included)).toEqual(['image', 'listed-only', 'listed-only', 'listed-only', 'listed-only']);
    qpdfCheck(out);
    expect(pdfinfo(out).Tagged).toBe('yes');
    const text = searchable(pdftotext(out));
    expect(text).toContain('Das Bild kann nicht dargestellt werden (PNG-Bilddaten beschädigt)');
    expect(text).toContain('Das Bild kann nicht dargestellt werden (JPEG ohne Bildkopf)');
    expect(text).toContain('Das PDF ist beschädigt und kann nicht eingefügt werden');
    expect(text).toContain('kann hier nicht dargestellt werden');
    // a Word file is a ZIP: no false alarm about its declared type
    expect(view.documents[4]!.mimeMismatch).toBe(false);
    // the attachments are still exported as files, each with its own extension
    const files = await exportAttachments(xml, view.documents, path.join(tmp, 'anhaenge'));
    expect(files.map((f) => f.fileName)).toEqual(['datei-1.png', 'datei-2.png', 'datei-3.jpg', 'datei-4.pdf', 'datei-5.docx']);
  });
});
