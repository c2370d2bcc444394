/**
 * Issue 14 (export memory): JPEG images are laid out by pdfkit without their bytes and filled in when the file is
 * written, imported pages are written as soon as each document is imported. What must hold: every JPEG document
 * is in the PDF byte for byte as its image stream (with the right /Length: qpdf reads every stream), the pages
 * and the text are those of a normal export, and a target that cannot be written is still `export-target` —
 * also when the failure shows while documents are still being imported (the file is opened before).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPdf } from '../../core/export/index.js';
import { fileSource, readDelivery } from '../../core/xsozial/index.js';
import { generateApplication } from '../../intermediary/generator/index.js';
import { pdfinfo, qpdfCheck, receiptFor } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'export-images-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('export with images and imported pages written as they come', () => {
  it('every JPEG document is in the PDF byte for byte, every stream readable', async () => {
    const app = await generateApplication({ service: 'hzl', seed: 'bilder', evidence: { count: 6, size: 300_000 } });
    const xml = path.join(tmp, 'antrag.xml');
    await app.writeFile(xml);
    const source = await fileSource(xml);
    const view = await readDelivery(source);
    const jpegs = view.documents.filter((d) => d.detectedMimeType === 'image/jpeg');
    const pdfs = view.documents.filter((d) => d.detectedMimeType === 'application/pdf');
    expect(jpegs.length).toBeGreaterThan(0);
    expect(pdfs.length).toBeGreaterThan(0);

    const out = path.join(tmp, 'export.pdf');
    const result = await exportPdf(view, receiptFor('0'.repeat(64), source.size), { source }, out);
    expect(qpdfCheck(out)).toMatch(/No syntax or stream encoding errors/);
    expect(Number(pdfinfo(out).Pages)).toBe(result.pages);
    expect(result.documents.filter((d) => d.included === 'image')).toHaveLength(
      view.documents.filter((d) => d.detectedMimeType === 'image/jpeg' || d.detectedMimeType === 'image/png').length,
    );

    const pdf = await PDFDocument.load(readFileSync(out), { updateMetadata: false });
    const images = new Set<string>();
    for (const [, object] of pdf.context.enumerateIndirectObjects()) {
      if (object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image') && object.dict.get(PDFName.of('Filter')) === PDFName.of('DCTDecode')) {
        images.add(sha256(object.contents));
      }
    }
    for (const d of jpegs) expect(images.has(d.sha256), `JPEG ${d.id} in the PDF`).toBe(true);
    // nothing of the export was left behind beside the file
    expect(readdirSync(tmp).filter((n) => n.endsWith('.part'))).toEqual([]);
  }, 120_000);

  it('a target that cannot be written: export-target, no .part file, no crash', async () => {
    const app = await generateApplication({ service: 'hzl', seed: 'bilder-ziel', evidence: { count: 3, size: 100_000 } });
    const xml = path.join(tmp, 'antrag-ziel.xml');
    await app.writeFile(xml);
    const source = await fileSource(xml);
    const view = await readDelivery(source);
    const blocker = path.join(tmp, 'blocker');
    writeFileSync(blocker, 'a file where a folder should be');
    await expect(exportPdf(view, receiptFor('0'.repeat(64), source.size), { source }, path.join(blocker, 'out.pdf'))).rejects.toMatchObject({ kind: 'export-target' });
    expect(readdirSync(tmp).filter((n) => n.endsWith('.part'))).toEqual([]);
  }, 120_000);
});
