/**
 * A hostile evidence PDF (Launch action to calc.exe, a javascript: link, document-level and page-level JavaScript,
 * an embedded file, a form with XFA, and active entries hidden in the page's resources) appended to the e-file
 * PDF: its pages are shown, but nothing active of it reaches the file, and the file holds no object that is not
 * reachable from its trailer. Checked on qpdf's uncompressed rewrite (--qdf, no object streams), so compressed
 * object streams cannot hide anything, and on qpdf's JSON of every object.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, rgb } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPdf } from '../../core/export/index.js';
import { readDelivery } from '../../core/xsozial/index.js';
import { pdftotext, qpdfCheck, receiptFor, searchable } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'export-clean-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** An evidence PDF that tries everything a PDF can do besides showing a page. */
async function hostilePdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const ctx = pdf.context;
  const page = pdf.addPage([595.28, 841.89]);
  page.drawRectangle({ x: 60, y: 600, width: 300, height: 120, color: rgb(0.1, 0.1, 0.1) });
  page.drawText('Kontoauszug (Nachweis)', { x: 60, y: 560, size: 18 });
  const js = (code: string) => ctx.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of(code) });
  const launch = ctx.register(ctx.obj({ Type: 'Action', S: 'Launch', F: PDFString.of('C:\\Windows\\System32\\calc.exe'), Win: { F: PDFString.of('calc.exe') } }));
  const uri = ctx.register(ctx.obj({ Type: 'Action', S: 'URI', URI: PDFString.of('javascript:app.alert(1)') }));
  const evilBytes = ctx.flateStream('MZ evil program', { Type: 'EmbeddedFile' });
  const evilFile = ctx.register(ctx.obj({ Type: 'Filespec', F: PDFString.of('evil.exe'), UF: PDFHexString.fromText('evil.exe'), EF: { F: ctx.register(evilBytes) } }));
  const link = (rect: number[], action: ReturnType<typeof ctx.register>) => ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'Link', Rect: rect, Border: [0, 0, 0], A: action }));
  const widget = ctx.register(
    ctx.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Btn',
      T: PDFString.of('knopf'),
      Rect: [60, 300, 200, 340],
      AA: { U: ctx.register(js('app.launchURL("http://example.invalid")')) },
    }),
  );
  const attachment = ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'FileAttachment', Rect: [400, 300, 420, 320], FS: evilFile }));
  page.node.set(PDFName.of('Annots'), ctx.obj([link([60, 600, 360, 720], launch), link([60, 550, 360, 580], uri), widget, attachment]));
  page.node.set(PDFName.of('AA'), ctx.obj({ O: ctx.register(js('app.alert("page open")')) }));
  // active entries hidden where a page's content lives: the resources, and a form XObject the content draws
  const resources = page.node.Resources()!;
  resources.set(PDFName.of('Versteck'), ctx.obj({ S: 'JavaScript', JS: PDFString.of('app.alert("resources")') }));
  const form = ctx.register(
    ctx.flateStream('0 0 1 rg 0 0 50 50 re f', {
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, 0, 50, 50],
      AA: { O: ctx.register(js('app.alert("form")')) },
      Ref: { F: PDFString.of('file:///C:/Windows/System32/calc.exe'), Page: 0 },
    }),
  );
  const xobjects = resources.lookupMaybe(PDFName.of('XObject'), PDFDict) ?? ctx.obj({});
  xobjects.set(PDFName.of('Fm9'), form);
  xobjects.set(PDFName.of('Anhang'), evilFile);
  resources.set(PDFName.of('XObject'), xobjects);
  page.node.addContentStream(ctx.register(ctx.flateStream('q 1 0 0 1 400 700 cm /Fm9 Do Q')));
  // document level: OpenAction, named JavaScript, embedded files, a form with XFA
  pdf.catalog.set(PDFName.of('OpenAction'), ctx.register(js('app.alert("open")')));
  pdf.catalog.set(PDFName.of('AA'), ctx.obj({ WC: ctx.register(js('app.alert("close")')) }));
  pdf.catalog.set(
    PDFName.of('Names'),
    ctx.obj({
      JavaScript: { Names: [PDFHexString.fromText('start'), ctx.register(js('app.alert("named")'))] },
      EmbeddedFiles: { Names: [PDFHexString.fromText('evil.exe'), evilFile] },
    }),
  );
  pdf.catalog.set(PDFName.of('AcroForm'), ctx.obj({ Fields: [widget], XFA: ctx.register(ctx.flateStream('<xdp:xdp><script>app.alert(1)</script></xdp:xdp>')) }));
  return Buffer.from(await pdf.save({ useObjectStreams: true }));
}

function applicationWith(bytes: Buffer): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><xsb:vorgang.transportieren.1000001 xmlns:xsb="https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0" produkt="Hilfe zum Lebensunterhalt" standard="XSozial-basis" version="2.4.0"><xsb:xsozial><xsb:vorgang><xsb:person><xsb:personID>P1</xsb:personID><xsb:antragsteller>true</xsb:antragsteller><xsb:allgemein><xsb:nameNatuerlichePerson><xsb:familienname><xsb:name>Musterfrau</xsb:name></xsb:familienname><xsb:vorname><xsb:name>Erika</xsb:name></xsb:vorname></xsb:nameNatuerlichePerson></xsb:allgemein></xsb:person></xsb:vorgang><xsb:dokument><xsb:dokumentID>D1</xsb:dokumentID><xsb:name>Kontoauszug</xsb:name><xsb:dokumentRepraesentation><xsb:mimeType>application/pdf</xsb:mimeType><xsb:inhalt>${bytes.toString('base64')}</xsb:inhalt><xsb:dateiname>kontoauszug.pdf</xsb:dateiname></xsb:dokumentRepraesentation></xsb:dokument></xsb:xsozial></xsb:vorgang.transportieren.1000001>`,
  );
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every object of the file (qpdf's JSON) and the objects reachable from the trailer, by "n g R". */
function reachability(file: string): { all: Set<string>; reachable: Set<string> } {
  const json = JSON.parse(execFileSync('qpdf', ['--json=2', '--json-key=qpdf', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as {
    qpdf: [unknown, Record<string, Json>];
  };
  const objects = json.qpdf[1];
  const all = new Set(
    Object.keys(objects)
      .filter((k) => k.startsWith('obj:'))
      .map((k) => k.slice(4)),
  );
  const reachable = new Set<string>();
  const visit = (value: Json): void => {
    if (typeof value === 'string') {
      if (/^\d+ \d+ R$/.test(value) && !reachable.has(value)) {
        reachable.add(value);
        const target = objects[`obj:${value}`];
        if (target !== undefined) visit(target);
      }
      return;
    }
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(objects.trailer!);
  return { all, reachable };
}

describe('a hostile evidence PDF in the e-file PDF', () => {
  it('leaves no action, JavaScript, link, form, embedded or external file, and no unreferenced object', async () => {
    const hostile = await hostilePdf();
    // the fixture really carries what the export must remove
    const fixture = path.join(tmp, 'hostile.pdf');
    writeFileSync(fixture, hostile);
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', fixture, `${fixture}.qdf`]);
    const fixtureText = readFileSync(`${fixture}.qdf`).toString('latin1');
    for (const needle of ['/JavaScript', '/JS', '/Launch', '/EmbeddedFile', '/AA', '/OpenAction', 'javascript:', '/AcroForm', '/XFA', 'calc.exe', '/Ref'])
      expect(fixtureText).toContain(needle);

    const xml = applicationWith(hostile);
    const view = await readDelivery(xml);
    const out = path.join(tmp, 'efile.pdf');
    const result = await exportPdf(view, receiptFor(createHash('sha256').update(xml).digest('hex'), xml.length), { source: xml, xmlFileName: 'Antrag-1.xml' }, out);
    expect(result.documents).toEqual([{ id: 'D1', included: 'pages', pages: 1 }]);
    qpdfCheck(out);

    const qdf = path.join(tmp, 'efile-qdf.pdf');
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', out, qdf]);
    const written = readFileSync(qdf).toString('latin1');
    // the e-file PDF carries the application's XML on purpose, and in it the evidence PDF as base64 text: searched
    // apart, since base64 can spell "/AA" or "/JS" (the hostile PDF's dates change it every run: a 1–3 % flake)
    const carried = hostile.toString('base64');
    expect(written).toContain(carried);
    const text = written.split(carried).join('');
    for (const needle of [
      '/JavaScript',
      '/JS',
      '/Launch',
      '/AA',
      '/OpenAction',
      'javascript:',
      '/URI',
      '/Annots',
      '/AcroForm',
      '/XFA',
      'calc.exe',
      'evil.exe',
      '/Ref',
      'app.alert',
      '/Versteck',
    ]) {
      expect(text, `${needle} left in the export`).not.toContain(needle);
    }
    // the one embedded file is the XML the e-file PDF carries on purpose
    expect(text.match(/\/Type \/EmbeddedFile\b/g)).toHaveLength(1);
    const exported = await PDFDocument.load(readFileSync(out));
    const names = exported.catalog.lookup(PDFName.of('Names'), PDFDict).lookup(PDFName.of('EmbeddedFiles'), PDFDict).lookup(PDFName.of('Names'), PDFArray);
    expect(names.size()).toBe(2);
    expect(names.lookup(0, PDFHexString).decodeText()).toBe('Antrag-1.xml');
    expect([...exported.catalog.asMap().keys()].map(String)).not.toContain('/Names/JavaScript');

    // every object of the file is reachable from the trailer
    const { all, reachable } = reachability(out);
    expect([...all].filter((ref) => !reachable.has(ref))).toEqual([]);

    // the list of documents says what was left out
    expect(searchable(pdftotext(out))).toContain('Verknüpfungen, Formularfelder, Aktionen, Skripte und eingebettete Dateien des Dokuments wurden nicht übernommen.');
    // and the page itself is still there, as the viewer showed it
    expect(searchable(pdftotext(out, result.pages))).toContain('Kontoauszug (Nachweis)');
  });

  it('leaves no unreferenced object in an export without documents either', async () => {
    const xml = Buffer.from(
      applicationWith(Buffer.alloc(0))
        .toString()
        .replace(/<xsb:dokument>.*<\/xsb:dokument>/, ''),
    );
    const view = await readDelivery(xml);
    const out = path.join(tmp, 'plain.pdf');
    await exportPdf(view, receiptFor(createHash('sha256').update(xml).digest('hex'), xml.length), { source: xml }, out);
    const { all, reachable } = reachability(out);
    expect([...all].filter((ref) => !reachable.has(ref))).toEqual([]);
  });
});
