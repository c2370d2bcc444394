/**
 * Issue 14 (export memory): pdfkit's PNG reader copies a PNG's pixel data byte by byte into a JavaScript array
 * (a 4 MB PNG: about 86 MB of heap). Where pdfkit only passes that data through (no alpha channel, no indexed
 * transparency, not interlaced), the export lays the PNG out without it and puts the IDAT data into the image object
 * when the file is written (core/export/pdf/png-data.ts). What must hold: such an image object carries exactly the
 * PNG's IDAT data with the predictor parameters and palette pdfkit gives it (objects that must not get lost when the
 * image is written ahead), and a PNG with alpha still gets pdfkit’s own treatment.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPdf } from '../../core/export/index.js';
import { pngWithoutPixelData } from '../../core/export/pdf/png-data.js';
import { bytesSource, readDelivery } from '../../core/xsozial/index.js';
import { dokumentXml } from '../helpers/hostile-application.js';
import { pngChunk, qpdfCheck, receiptFor } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'export-png-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A PNG of noise (so its IDAT data is as large as its pixels), its IDAT split in several chunks. */
function png(width: number, height: number, colorType: 2 | 3 | 6, extra: Buffer[] = []): { file: Buffer; idat: Buffer } {
  const channels = colorType === 2 ? 3 : colorType === 6 ? 4 : 1;
  const rows = Buffer.alloc((width * channels + 1) * height);
  randomBytes(rows.length).copy(rows);
  for (let y = 0; y < height; y++) rows[y * (width * channels + 1)] = 0;
  const idat = deflateSync(rows, { level: 1 });
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = colorType;
  const parts = [0, 1, 2].map((k) => idat.subarray(Math.floor((k * idat.length) / 3), Math.floor(((k + 1) * idat.length) / 3)));
  const file = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    ...extra,
    ...parts.map((p) => pngChunk('IDAT', p)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
  return { file, idat };
}

function applicationWith(documents: ReadonlyArray<readonly [string, string | undefined, Buffer]>): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><xsb:vorgang.transportieren.1000001 xmlns:xsb="https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0" produkt="Hilfe zum Lebensunterhalt" standard="XSozial-basis" version="2.4.0"><xsb:xsozial><xsb:vorgang><xsb:person><xsb:personID>P1</xsb:personID><xsb:antragsteller>true</xsb:antragsteller><xsb:allgemein><xsb:nameNatuerlichePerson><xsb:familienname><xsb:name>Musterfrau</xsb:name></xsb:familienname><xsb:vorname><xsb:name>Erika</xsb:name></xsb:vorname></xsb:nameNatuerlichePerson></xsb:allgemein></xsb:person></xsb:vorgang>${dokumentXml(documents)}</xsb:xsozial></xsb:vorgang.transportieren.1000001>`,
  );
}

describe('PNG images in the PDF export', () => {
  it('are laid out without their pixel data where pdfkit passes it through', () => {
    const rgb = png(40, 30, 2);
    const stripped = pngWithoutPixelData(rgb.file);
    expect(stripped).toBeDefined();
    expect(stripped!.includes(Buffer.from('IDAT'))).toBe(false);
    expect(stripped!.includes(Buffer.from('IHDR'))).toBe(true);
    // alpha channel: pdfkit splits it from the pixels, it needs them
    expect(pngWithoutPixelData(png(40, 30, 6).file)).toBeUndefined();
    // a palette with transparency: pdfkit decodes the pixels for the mask
    const palette = pngChunk('PLTE', Buffer.from([0, 0, 0, 255, 255, 255]));
    expect(pngWithoutPixelData(png(40, 30, 3, [palette, pngChunk('tRNS', Buffer.from([0]))]).file)).toBeUndefined();
    expect(pngWithoutPixelData(png(40, 30, 3, [palette]).file)).toBeDefined();
  });

  it('carry exactly their IDAT data, predictor and palette in the exported file', async () => {
    const large = png(1200, 900, 2);
    const colours = randomBytes(256 * 3);
    const indexed = png(300, 200, 3, [pngChunk('PLTE', colours)]);
    const alpha = png(200, 100, 6);
    const xml = applicationWith([
      ['gross.png', 'image/png', large.file],
      ['palette.png', 'image/png', indexed.file],
      ['alpha.png', 'image/png', alpha.file],
    ]);
    const source = bytesSource(xml);
    const view = await readDelivery(source);
    const out = path.join(tmp, 'png.pdf');
    const result = await exportPdf(view, receiptFor('0'.repeat(64), xml.length), { source }, out);
    expect(result.documents.map((d) => d.included)).toEqual(['image', 'image', 'image']);
    expect(qpdfCheck(out)).toMatch(/No syntax or stream encoding errors/);

    const pdf = await PDFDocument.load(readFileSync(out), { updateMetadata: false });
    const images = pdf.context
      .enumerateIndirectObjects()
      .map(([, o]) => o)
      .filter((o): o is PDFRawStream => o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
    // the colour images (an alpha PNG's soft mask has the same width, no DecodeParms and DeviceGray)
    const byWidth = (w: number) =>
      images.find((i) => i.dict.lookup(PDFName.of('Width'), PDFNumber).asNumber() === w && i.dict.get(PDFName.of('ColorSpace')) !== PDFName.of('DeviceGray'));

    const big = byWidth(1200)!;
    expect(Buffer.from(big.contents).equals(large.idat)).toBe(true);
    const parms = big.dict.lookup(PDFName.of('DecodeParms'), PDFDict);
    expect(parms.lookup(PDFName.of('Predictor'), PDFNumber).asNumber()).toBe(15);
    expect(parms.lookup(PDFName.of('Colors'), PDFNumber).asNumber()).toBe(3);
    expect(parms.lookup(PDFName.of('Columns'), PDFNumber).asNumber()).toBe(1200);
    expect(big.dict.get(PDFName.of('ColorSpace'))).toBe(PDFName.of('DeviceRGB'));

    const pal = byWidth(300)!;
    expect(Buffer.from(pal.contents).equals(indexed.idat)).toBe(true);
    const space = pal.dict.lookup(PDFName.of('ColorSpace'), PDFArray);
    expect(space.get(0)).toBe(PDFName.of('Indexed'));
    const table = space.lookup(3, PDFRawStream);
    const stored = Buffer.from(table.contents);
    expect(table.dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode') ? inflateSync(stored).equals(colours) : stored.equals(colours)).toBe(true);
    expect(pal.dict.lookup(PDFName.of('DecodeParms'), PDFDict).lookup(PDFName.of('Colors'), PDFNumber).asNumber()).toBe(1);

    // the alpha PNG as pdfkit makes it: colour and alpha split and compressed anew, the alpha as soft mask
    const withAlpha = byWidth(200)!;
    expect(withAlpha.dict.lookup(PDFName.of('SMask'))).toBeInstanceOf(PDFRawStream);
  }, 120_000);
});
