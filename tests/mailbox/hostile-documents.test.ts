/**
 * Issue 16, end to end on the command line: a stored application with disguised documents and right-to-left
 * overrides. `show` names each document with its hidden characters as tokens, says which are not what they claim
 * and which are exported as .bin, and names the file the export writes; `show --json` carries the same facts;
 * `export --attachments` writes exactly those names; `list` shows the tokens; the e-file PDF (pdftotext) shows them
 * and lists the documents with a warning on its Laufzettel. No raw U+202E reaches any text output.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PostfachStore } from '../../core/store/index.js';
import { HOSTILE_EXPORT_NAMES, HOSTILE_OSCI_ATTACHMENTS, hostileDelivery, RLO } from '../helpers/hostile-application.js';
import { pdftotext, searchable } from '../export/helpers.js';
import { ensureBuilt, FAST_SCRYPT, postfach, STORE_PASSWORD, tempDir } from './helpers.js';

const root = tempDir('postfach-hostile-docs-');
const storePath = path.join(root, 'postfach.db');
const env = { POSTFACH_STORE_PASSWORD: STORE_PASSWORD };
let applicant = '';
let applicantFiled = '';

beforeAll(async () => {
  ensureBuilt();
  const { store } = await PostfachStore.create(storePath, { password: STORE_PASSWORD, scrypt: FAST_SCRYPT });
  try {
    const { delivery, application } = await hostileDelivery();
    applicant = application.applicant;
    applicantFiled = application.applicantFiled;
    await store.saveDelivery(delivery);
  } finally {
    store.close();
  }
}, 180_000);

describe('disguised documents and hidden characters on the command line', () => {
  it('show: tokens instead of overrides, the mismatch, the .bin warning and the export name of every document', async () => {
    const run = await postfach(['show', '1', '--store', storePath], env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toContain(RLO);
    expect(run.stdout).toContain('Antrag⟨U+202E⟩fdp.exe (application/pdf');
    expect(run.stdout).toContain('Betreff:');
    expect(run.stdout).toContain('Antrag auf Hilfe zum Lebensunterhalt ⟨U+202E⟩(gnuthcaeb)');
    expect(run.stdout).toMatch(/IBAN.*⟨U\+202E⟩/);
    expect(run.stdout).toContain('rellüM');
    // each review document: what it is, that it is not what it claims, the .bin, the name on disk
    expect(run.stdout).toMatch(/Nachweis\.pdf\.hta \(text\/html, angegeben: application\/pdf/);
    expect(run.stdout).toMatch(/Kontoauszug\.pdf\.url \(application\/x-mswinurl, angegeben: application\/pdf/);
    expect(run.stdout).toMatch(/Bescheid\.pdf\.exe \(application\/x-msdownload, angegeben: application\/pdf/);
    expect(run.stdout.match(/WARNUNG: +Der angegebene Dateityp stimmt nicht mit dem Inhalt überein/g)).toHaveLength(4);
    expect(run.stdout.match(/WARNUNG: +Kein zugelassener Dateityp: wird als \.bin exportiert/g)).toHaveLength(4);
    for (const name of [...HOSTILE_EXPORT_NAMES, ...HOSTILE_OSCI_ATTACHMENTS.map((a) => a.exportName)])
      expect(run.stdout).toMatch(new RegExp(`Export als: +${name.replace(/[.+()]/g, '\\$&')}\n`));
    // an OSCI attachment that looks like "Scanknl.pdf" on screen is a Windows shortcut: the token shows the trick
    expect(run.stdout).toContain('Scan⟨U+202E⟩fdp.lnk (application/x-ms-shortcut');
  });

  it('show --json: the facts as data (raw values, JSON keeps them exactly)', async () => {
    const run = await postfach(['show', '1', '--store', storePath, '--json'], env);
    expect(run.status, run.stderr).toBe(0);
    const detail = JSON.parse(run.stdout) as { documents: Array<{ name: string; detectedMimeType?: string; mimeMismatch: boolean; exportName: string; exportAllowed: boolean }> };
    const docs = detail.documents.filter((d) => d.name !== 'Antrag' && d.name !== 'Lohnabrechnung' && !/^Nachweis \d/.test(d.name));
    expect(docs.map((d) => [d.exportName, d.mimeMismatch, d.exportAllowed])).toEqual([
      ['Nachweis_pdf_hta.bin', true, false],
      ['Kontoauszug_pdf_url.bin', true, false],
      ['Rechnung_js.txt', true, true],
      ['Bescheid_pdf_exe.bin', true, false],
      ['Antrag⟨U+202E⟩fdp_exe.pdf', false, true],
      // its name ends in .lnk (the override only makes it look like .pdf): no PDF claimed, but .bin and the token
      ['Scan⟨U+202E⟩fdp_lnk.bin', false, false],
      ['Mietvertrag.pdf', false, true],
    ]);
    expect(docs[4]!.name).toBe(`Antrag${RLO}fdp.exe`);
  });

  it('export --attachments writes exactly the names the detail announced, with a note for each .bin', async () => {
    const folder = path.join(root, 'anlagen');
    const run = await postfach(['export', '1', '--store', storePath, '--attachments', folder], env);
    expect(run.status, run.stderr).toBe(0);
    const written = readdirSync(folder);
    for (const name of [...HOSTILE_EXPORT_NAMES, ...HOSTILE_OSCI_ATTACHMENTS.map((a) => a.exportName)]) expect(written).toContain(name);
    expect(written.some((n) => n.includes(RLO))).toBe(false);
    expect(written.filter((n) => /\.(exe|hta|url|js|lnk)$/i.test(n))).toEqual([]);
    expect(run.stdout.match(/Hinweis: „[^“]+\.bin“: kein zugelassener Dateityp/g)).toHaveLength(4);
  });

  it('list shows the applicant with the token', async () => {
    const run = await postfach(['list', '--store', storePath], env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toContain(RLO);
    expect(applicant).toContain(RLO);
    // written "Nachname, Vorname", as the list files it
    expect(run.stdout).toContain(applicantFiled.replace(RLO, '⟨U+202E⟩').normalize('NFC').slice(0, 20));
  });

  it('the e-file PDF shows the tokens and lists the documents with a warning on its Laufzettel', async () => {
    const file = path.join(root, 'akte.pdf');
    const run = await postfach(['export', '1', '--store', storePath, '--pdf', file], env);
    expect(run.status, run.stderr).toBe(0);
    const text = pdftotext(file);
    expect(text).not.toContain(RLO);
    const flat = searchable(text);
    const laufzettel = searchable(pdftotext(file, 1, 2));
    expect(laufzettel).toContain('Dokumente mit Warnung');
    expect(laufzettel).toContain('„Nachweis.pdf.hta“: angegeben application/pdf, Inhalt text/html – passt nicht zur Angabe; Export als Nachweis_pdf_hta.bin');
    expect(laufzettel).toContain('„Bescheid.pdf.exe“: angegeben application/pdf, Inhalt application/x-msdownload');
    expect(laufzettel).toContain('⟨U+202E⟩(gnuthcaeb)');
    expect(flat).toContain('Antrag⟨U+202E⟩fdp.exe');
    expect(flat).toContain('Beim Export der Anhänge: Antrag⟨U+202E⟩fdp_exe.pdf');
    expect(flat).toContain('Kein zugelassener Dateityp: wird als .bin exportiert');
  }, 120_000);
});
