import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportAttachments, exportPdf, exportReceiptPdf, exportXml, type ReceiptFacts } from '../../core/export/index.js';
import { readDelivery } from '../../core/xsozial/index.js';
import { vectorPath } from '../helpers/shared.js';
import { EINGANG_TEXT, pdfinfo, pdftotext, qpdfCheck, receiptFor, searchable } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'export-receipt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('Eingangsbestätigung', () => {
  it('is one tagged page with the Eingang, the message id and the results in plain words', async () => {
    const xml = readFileSync(vectorPath('content/antrag-2.xml'));
    const view = await readDelivery(xml);
    const receipt: ReceiptFacts = {
      ...receiptFor(sha(xml), xml.length),
      signatures: [
        { role: 'Inhaltsdaten (Autor)', signer: 'CN=Alice Signature 4096', result: 'invalid', certificate: 'unknown-issuer', revocationChecked: false },
        { role: 'Nachricht (Intermediär)', result: 'not-checkable', certificate: 'not-checked', revocationChecked: false },
      ],
    };
    const out = path.join(tmp, 'eingang.pdf');
    await exportReceiptPdf(receipt, view, out);
    qpdfCheck(out);
    const info = pdfinfo(out);
    expect(info.Pages).toBe('1');
    expect(info.Tagged).toBe('yes');
    const text = searchable(pdftotext(out));
    expect(text).toContain('Eingangsbestätigung');
    expect(text).toContain(EINGANG_TEXT);
    expect(text).toContain(receipt.messageId);
    expect(text).toContain('Signatur ungültig – Inhalt nicht verwenden; Zertifikat von unbekanntem Aussteller; Sperrstatus nicht geprüft');
    expect(text).toContain('Signatur nicht prüfbar; Zertifikat nicht geprüft');
    expect(text).toContain('TESTANTRAG');
    expect(text).toContain('Musterfrau, Erika');
    expect(text.replace(/\s/g, '')).toContain(sha(xml));
    // PDF/A identification in the XMP metadata (no validator is packaged; see docs)
    const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', out, '-'], { maxBuffer: 64 * 1024 * 1024 }).toString('latin1');
    expect(qdf).toMatch(/pdfaid:part>3</);
    expect(qdf).toMatch(/pdfaid:conformance>B</);
    expect(qdf).toContain('/Lang (de-DE)');
  });
});

describe('PDF export of the reference vectors', () => {
  it('includes the vector PDF page by page but drops the PDF/A claim: its font is not embedded', async () => {
    const xml = readFileSync(vectorPath('content/antrag-1.xml'));
    const view = await readDelivery(xml);
    const out = path.join(tmp, 'antrag-1.pdf');
    const result = await exportPdf(view, receiptFor(sha(xml), xml.length), { source: xml }, out);
    qpdfCheck(out);
    expect(result.pdfa).toBe(false);
    expect(result.pdfaBlockers.join(' ')).toContain('nicht eingebettete Schrift');
    expect(result.documents).toEqual([{ id: 'DOK-1', included: 'pages', pages: 1 }]);
    const text = searchable(pdftotext(out));
    expect(text).toContain('Musterfrau, Erika');
    // the vector's own page text, imported unchanged
    expect(text).toContain('OSCI-Testvektor - Anlage 1');
    const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', out, '-'], { maxBuffer: 64 * 1024 * 1024 }).toString('latin1');
    expect(qdf).not.toMatch(/pdfaid:part/);
  });

  it('shows names with DIN 91379 letters and combining marks, and flags an invalid IBAN', async () => {
    const xml = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>
<xsb:vorgang.transportieren.1000001 xmlns:xsb="https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0" produkt="Hilfe zum Lebensunterhalt" standard="XSozial-basis" version="2.4.0" test="1">
<xsb:xsozial><xsb:vorgang><xsb:vorgangsTyp><code>X</code></xsb:vorgangsTyp><xsb:antragsDatum>2026-01-31-05:00</xsb:antragsDatum>
<xsb:person><xsb:personID>P1</xsb:personID><xsb:antragsteller>true</xsb:antragsteller><xsb:allgemein><xsb:nameNatuerlichePerson><xsb:familienname><xsb:name>Łukasiewicz-Mu\u0308ller</xsb:name></xsb:familienname><xsb:vorname><xsb:name>Øystein Ḱemal</xsb:name></xsb:vorname></xsb:nameNatuerlichePerson></xsb:allgemein>
<xsb:bankverbindung><xsb:iban>DE89370400440532013001</xsb:iban></xsb:bankverbindung></xsb:person></xsb:vorgang></xsb:xsozial></xsb:vorgang.transportieren.1000001>`,
    );
    const view = await readDelivery(xml);
    expect(view.test).toBe(true);
    expect(view.applicationDate?.display).toBe('31.01.2026');
    const out = path.join(tmp, 'din.pdf');
    const result = await exportPdf(view, receiptFor(sha(xml), xml.length), { source: xml }, out);
    expect(result.pdfa).toBe(true);
    const text = searchable(pdftotext(out));
    expect(text).toContain(searchable('Łukasiewicz-Mu\u0308ller, Øystein Ḱemal'));
    expect(text).toContain('DE89 3704 0044 0532 0130 01');
    expect(text).toContain('IBAN ungültig');
    expect(text).toContain('TESTANTRAG');
    const fonts = execFileSync('pdffonts', [out], { encoding: 'utf8' });
    // every font embedded (column "emb" = yes)
    for (const line of fonts
      .split('\n')
      .slice(2)
      .filter((l) => l.trim() !== ''))
      expect(line).toMatch(/CID TrueType\s+Identity-H\s+yes/);
  });
});

describe('a source that changed after reading', () => {
  it('ends in a clear error instead of wrong files', async () => {
    const xml = readFileSync(vectorPath('content/antrag-1.xml'));
    const view = await readDelivery(xml);
    // same length, one base64 character of the document changed
    const at = xml.indexOf('JVBERi0x') + 20;
    const changed = Buffer.from(xml);
    changed[at] = changed[at] === 0x41 ? 0x42 : 0x41;
    await expect(exportAttachments(changed, view.documents, path.join(tmp, 'changed'))).rejects.toMatchObject({ kind: 'document-missing' });
    await expect(exportPdf(view, receiptFor(sha(xml), xml.length), { source: changed }, path.join(tmp, 'changed.pdf'))).rejects.toMatchObject({ kind: 'document-missing' });
    const short = {
      size: xml.length,
      async *stream() {
        yield xml.subarray(0, 100);
      },
    };
    await expect(exportXml(short, path.join(tmp, 'short.xml'))).rejects.toMatchObject({ kind: 'export-source' });
  });
});

describe('export targets', () => {
  it('fails with a clear error when the target cannot be written', async () => {
    const xml = readFileSync(vectorPath('content/antrag-1.xml'));
    const blocker = path.join(tmp, 'file-not-folder');
    writeFileSync(blocker, 'x');
    await expect(exportXml(xml, path.join(blocker, 'out.xml'))).rejects.toMatchObject({ kind: 'export-target' });
    const view = await readDelivery(xml);
    await expect(exportPdf(view, receiptFor(sha(xml), xml.length), { source: xml }, path.join(blocker, 'out.pdf'))).rejects.toMatchObject({ kind: 'export-target' });
  });
});
