import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportAttachments, exportPdf, exportXml } from '../../core/export/index.js';
import { readDelivery } from '../../core/xsozial/index.js';
import { generateApplication, type Service } from '../../intermediary/generator/index.js';
import { EINGANG_TEXT, pdfinfo, pdftotext, qpdfCheck, receiptFor, searchable } from './helpers.js';

const SERVICES: Service[] = ['hzl', 'grusi', 'but', 'asylblg', 'wbs'];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'export-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(SERVICES)('export of a generated %s application', (service) => {
  it('PDF, XML and attachments are complete', async () => {
    const app = await generateApplication({ service, seed: `export-${service}`, evidence: { count: 3, size: 30_000 }, test: service === 'but' });
    const xml = app.bytes();
    const view = await readDelivery(xml);
    const dir = path.join(tmp, service);
    const pdfPath = path.join(tmp, `${service}.pdf`);
    const result = await exportPdf(view, receiptFor(sha(xml), xml.length), { source: xml, exportedAt: new Date('2026-11-29T09:00:00Z') }, pdfPath);

    // structure and properties
    expect(qpdfCheck(pdfPath)).toContain('No syntax or stream encoding errors');
    const info = pdfinfo(pdfPath);
    expect(info.Tagged).toBe('yes');
    expect(info['PDF version']).toBe('1.7');
    expect(Number(info.Pages)).toBe(result.pages);
    expect(result.pdfa).toBe(true);
    const applicationPdf = result.documents.find((d) => d.id === 'DOK-1');
    expect(applicationPdf).toMatchObject({ included: 'pages' });
    expect(applicationPdf!.pages).toBeGreaterThanOrEqual(3);
    expect(result.documents).toHaveLength(app.documents.length);
    expect(result.documents.every((d) => d.included !== 'listed-only')).toBe(true);

    // text read back: the Laufzettel with the Eingang first, every applicant and person, every document name
    const first = searchable(pdftotext(pdfPath, 1));
    expect(first).toContain('Laufzettel');
    expect(first).toContain(EINGANG_TEXT);
    expect(first).toContain('Sperrstatus nicht geprüft');
    const all = searchable(pdftotext(pdfPath));
    for (const name of [...app.facts.applicants, ...app.facts.persons]) expect(all).toContain(searchable(name));
    for (const doc of app.documents) {
      expect(all).toContain(searchable(doc.name));
      expect(all).toContain(doc.fileName);
    }
    // the application PDF follows without a cover page, and each of its pages names message, document and page
    const total = Number(info.Pages);
    const footers = Array.from({ length: total }, (_, p) => searchable(pdftotext(pdfPath, p + 1)));
    const antrag = footers.flatMap((text, p) => (text.includes('Anlage 1: Antrag.pdf') ? [p + 1] : []));
    expect(antrag).toHaveLength(applicationPdf!.pages);
    for (const [k, page] of antrag.entries()) {
      expect(footers[page - 1]).toContain(
        `Export OSCI-Postfach · Nachricht 7f3a9c0d1e2b4a5f8c6d7e8f9a0b1c2d · Anlage 1: Antrag.pdf (S. ${k + 1}/${applicationPdf!.pages}) · Seite ${page} von ${total}`,
      );
    }
    // right after the end of the list of documents, no cover page between
    expect(footers[antrag[0]! - 2]).toContain(`Folgt als Anlage ${app.documents.length} `);
    expect(footers.join(' ')).not.toMatch(/Es folg(t|en) \d+ Seite/);
    // the platform's application PDF states each declaration once
    expect(all.match(/Ich versichere, dass alle Angaben/g) ?? []).toHaveLength(1);
    // the account holder once per account (the name as written and its reference are one row, not two)
    expect(all.match(/Kontoinhaber\/in/g) ?? []).toHaveLength(app.facts.ibans.length);
    if (service === 'but') expect(first).toContain('TESTANTRAG');
    else expect(all).not.toContain('TESTANTRAG');

    // the original XML is embedded as associated file, byte for byte
    const detached = path.join(tmp, `${service}-detached.xml`);
    execFileSync('pdfdetach', ['-save', '1', '-o', detached, pdfPath]);
    expect(readFileSync(detached).equals(xml)).toBe(true);

    // XML export: byte for byte
    const xmlOut = await exportXml(xml, path.join(tmp, `${service}.xml`));
    expect(readFileSync(xmlOut.path).equals(xml)).toBe(true);
    expect(xmlOut.sha256).toBe(sha(xml));

    // attachments: every document, hashes equal the generator's
    const files = await exportAttachments(xml, view.documents, dir);
    expect(files.map((f) => f.fileName).sort()).toEqual(app.documents.map((d) => d.fileName).sort());
    for (const f of files) {
      const expected = app.documents.find((d) => d.id === f.documentId)!;
      expect(sha(readFileSync(f.path))).toBe(expected.sha256);
      expect(f.size).toBe(expected.size);
    }
  });
});

describe('attachment export into a folder that already has files', () => {
  it('never overwrites: duplicates are numbered', async () => {
    const app = await generateApplication({ service: 'wbs', seed: 'dup', evidence: { count: 1, size: 5_000 } });
    const xml = app.bytes();
    const view = await readDelivery(xml);
    const dir = path.join(tmp, 'dup');
    const first = await exportAttachments(xml, view.documents, dir);
    const second = await exportAttachments(xml, view.documents, dir);
    expect(second.map((f) => f.fileName)).toEqual(first.map((f) => f.fileName.replace(/\.(\w+)$/, ' (2).$1')));
    expect(readdirSync(dir)).toHaveLength(first.length * 2);
    for (const [i, f] of second.entries()) expect(sha(readFileSync(f.path))).toBe(first[i]!.sha256);
  });
});
