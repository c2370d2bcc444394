/**
 * Issue 14 (export memory): the PDF export reads every document it needs whole into one shared buffer, in turn
 * (core/export/pdf/document-buffer.ts). What must hold: each read gives exactly that document's bytes, and every
 * evidence PDF's page contents and images and every JPEG are in the exported file byte for byte, none overwritten
 * by the next document read into the same memory (without the export's write-ahead and its detach check, this
 * test fails: qpdf finds the streams broken).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPdf } from '../../core/export/index.js';
import { DocumentBuffer } from '../../core/export/pdf/document-buffer.js';
import { fileSource, readDelivery, readDocumentBytes } from '../../core/xsozial/index.js';
import { generateApplication } from '../../intermediary/generator/index.js';
import { qpdfCheck, receiptFor } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'export-buffer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** SHA-256 of every stream of a PDF file as stored (encoded). */
async function streamsOf(bytes: Uint8Array): Promise<Set<string>> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const found = new Set<string>();
  for (const [, object] of pdf.context.enumerateIndirectObjects()) if (object instanceof PDFRawStream) found.add(sha256(object.contents));
  return found;
}

/** SHA-256 of what draws a PDF's pages: each page's content stream and the JPEG images (stored bytes). */
async function pageStreamsOf(bytes: Uint8Array): Promise<string[]> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const found: string[] = [];
  for (const page of pdf.getPages()) {
    const contents = pdf.context.lookup(page.node.get(PDFName.of('Contents')));
    if (contents instanceof PDFRawStream) found.push(sha256(contents.contents));
  }
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (object instanceof PDFRawStream && object.dict.get(PDFName.of('Filter')) === PDFName.of('DCTDecode')) found.push(sha256(object.contents));
  }
  return found;
}

describe('the shared document buffer of the PDF export', () => {
  it('gives each document exactly its bytes, in turn, in one buffer; every image of every document is in the export', async () => {
    const app = await generateApplication({ service: 'hzl', seed: 'puffer', evidence: { count: 8, size: 400_000 } });
    const xml = path.join(tmp, 'antrag.xml');
    await app.writeFile(xml);
    const source = await fileSource(xml);
    const view = await readDelivery(source);
    const pdfs = view.documents.filter((d) => d.detectedMimeType === 'application/pdf');
    const jpegs = view.documents.filter((d) => d.detectedMimeType === 'image/jpeg');
    expect(pdfs.length).toBeGreaterThan(1);
    expect(jpegs.length).toBeGreaterThan(0);

    const buffer = new DocumentBuffer(source);
    let previous: Buffer | undefined;
    // the largest first: the buffer is made for it and then only reused
    for (const d of [...pdfs, ...jpegs].sort((a, b) => b.size - a.size)) {
      const bytes = await buffer.read(d);
      expect(bytes.length).toBe(d.size);
      expect(sha256(bytes), d.id).toBe(d.sha256);
      expect(buffer.sharesMemory(bytes)).toBe(true);
      expect(buffer.sharesMemory(Buffer.from(bytes))).toBe(false);
      // the same memory as the document before: that one's bytes are gone
      if (previous) expect(previous.buffer === bytes.buffer, `${d.id} read into the same memory`).toBe(true);
      previous = bytes;
    }

    const out = path.join(tmp, 'export.pdf');
    const result = await exportPdf(view, receiptFor('0'.repeat(64), source.size), { source }, out);
    expect(qpdfCheck(out)).toMatch(/No syntax or stream encoding errors/);
    expect(result.documents.filter((d) => d.included === 'pages')).toHaveLength(pdfs.length);
    const exported = await streamsOf(readFileSync(out));
    for (const d of pdfs) {
      const own = await pageStreamsOf(await readDocumentBytes(source, d));
      expect(own.length, `page streams of ${d.id}`).toBeGreaterThan(0);
      for (const stream of own) expect(exported.has(stream), `a page content or image of PDF ${d.id} in the export`).toBe(true);
    }
    for (const d of jpegs) expect(exported.has(d.sha256), `JPEG ${d.id} in the export`).toBe(true);
  }, 120_000);
});
