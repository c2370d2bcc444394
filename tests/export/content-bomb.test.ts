/**
 * A decompression bomb in an evidence PDF (issue 16, "Bounded work on any file"): a page whose content is an array
 * of streams is decoded by the export itself, and a megabyte of FlateDecode can stand for a gigabyte. The export
 * runs in a fresh process (bench/export-large.ts --export-only) whose peak RSS is measured: the page is refused
 * within its bound and the PDF listed with the reason, the export and its file stay whole.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDeflate } from 'node:zlib';
import { PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/shared.js';
import { pdftotext, qpdfCheck, searchable } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'export-bomb-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BOMB_BYTES = 1024 * 1024 * 1024;

/** 1 GiB of zeros as a zlib stream (about a megabyte), made piece by piece so this process stays small. */
async function zeroBomb(): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const piece = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < BOMB_BYTES; written += piece.length) {
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  await new Promise((resolve) => deflate.end(resolve));
  return Buffer.concat(out);
}

async function bombPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([300, 300]);
  const ctx = pdf.context;
  const drawn = ctx.register(ctx.flateStream('0 0 m 100 100 l S'));
  const bomb = ctx.register(ctx.stream(await zeroBomb(), { Filter: 'FlateDecode' }));
  page.node.set(PDFName.of('Contents'), ctx.obj([drawn, bomb]));
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

describe('an evidence PDF whose page content is a decompression bomb', () => {
  it('is listed with the reason, within the export’s memory bound, and the e-file PDF stays valid', async () => {
    const bytes = await bombPdf();
    expect(bytes.length).toBeLessThan(4 * 1024 * 1024);
    const doc = `<xsb:dokument><xsb:dokumentID>D1</xsb:dokumentID><xsb:name>Kontoauszug</xsb:name><xsb:dokumentRepraesentation><xsb:mimeType>application/pdf</xsb:mimeType><xsb:inhalt>${bytes.toString('base64')}</xsb:inhalt><xsb:dateiname>kontoauszug.pdf</xsb:dateiname></xsb:dokumentRepraesentation></xsb:dokument>`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?><xsb:vorgang.transportieren.1000001 xmlns:xsb="https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0" produkt="Hilfe zum Lebensunterhalt" standard="XSozial-basis" version="2.4.0"><xsb:xsozial><xsb:vorgang><xsb:person><xsb:personID>P1</xsb:personID><xsb:antragsteller>true</xsb:antragsteller><xsb:allgemein><xsb:nameNatuerlichePerson><xsb:familienname><xsb:name>Musterfrau</xsb:name></xsb:familienname><xsb:vorname><xsb:name>Erika</xsb:name></xsb:vorname></xsb:nameNatuerlichePerson></xsb:allgemein></xsb:person></xsb:vorgang>${doc}</xsb:xsozial></xsb:vorgang.transportieren.1000001>`;
    const file = path.join(tmp, 'antrag.xml');
    await writeFile(file, xml);
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bench', 'export-large.ts'), '--export-only', file, tmp], {
      cwd: projectRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as { peakRssBytes: number };
    console.info(`export with a 1 GiB content bomb: peak RSS ${Math.round(result.peakRssBytes / 1024 / 1024)} MiB`);
    // decoded whole, the page alone would take a gigabyte (1,183 MiB peak RSS measured before the bound)
    expect(result.peakRssBytes).toBeLessThan(400 * 1024 * 1024);
    const out = path.join(tmp, 'export.pdf');
    qpdfCheck(out);
    expect(searchable(pdftotext(out))).toContain('Der Inhalt einer Seite des PDF ist größer als 64 MB und wird nicht eingefügt');
  }, 180_000);
});
