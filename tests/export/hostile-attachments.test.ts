/**
 * Issue 16 "Attachments that are what they claim to be": an applicant's documents named like PDFs but holding an
 * HTML application, an Internet shortcut, a script and a program are recognised, flagged as not what they claim,
 * and exported as safe files (extension from the content, allow-list, else .bin; no double extension that looks
 * like .pdf); the Mark-of-the-Web is built for Windows.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportAttachments } from '../../core/export/index.js';
import { ALLOWED_EXTENSIONS, attachmentFileName } from '../../core/export/file-names.js';
import { markFromInternet, writesMarkOfTheWeb, ZONE_IDENTIFIER_CONTENT, zoneIdentifierPath } from '../../core/export/mark-of-the-web.js';
import { declaredType, detectMimeType, mimeTypesAgree } from '../../core/xsozial/magic.js';
import { readDelivery } from '../../core/xsozial/index.js';
import { dokumentXml, EXE, HOSTILE_DOCUMENTS, HOSTILE_EXPORT_NAMES, HTA, SCRIPT, URL_FILE } from '../helpers/hostile-application.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'export-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF');

function applicationWith(documents: ReadonlyArray<readonly [string, string | undefined, Buffer]>): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><xsb:vorgang.transportieren.1000001 xmlns:xsb="https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0" produkt="Hilfe zum Lebensunterhalt" standard="XSozial-basis" version="2.4.0"><xsb:xsozial><xsb:vorgang><xsb:person><xsb:personID>P1</xsb:personID><xsb:antragsteller>true</xsb:antragsteller><xsb:allgemein><xsb:nameNatuerlichePerson><xsb:familienname><xsb:name>Musterfrau</xsb:name></xsb:familienname><xsb:vorname><xsb:name>Erika</xsb:name></xsb:vorname></xsb:nameNatuerlichePerson></xsb:allgemein></xsb:person></xsb:vorgang>${dokumentXml(documents)}</xsb:xsozial></xsb:vorgang.transportieren.1000001>`,
  );
}

describe('content detection', () => {
  it('tells HTML applications, shortcuts, scripts and programs from what they claim', () => {
    expect(detectMimeType(HTA)).toBe('text/html');
    expect(detectMimeType(URL_FILE)).toBe('application/x-mswinurl');
    expect(detectMimeType(SCRIPT)).toBe('text/plain');
    expect(detectMimeType(EXE)).toBe('application/x-msdownload');
    expect(detectMimeType(PDF)).toBe('application/pdf');
    // a text that happens to begin with "MZ" is no program
    expect(detectMimeType(Buffer.from('MZ-Beleg vom 3. März\r\n'))).toBe('text/plain');
    expect(detectMimeType(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toBe('application/x-executable');
    expect(detectMimeType(Buffer.from([0x4c, 0, 0, 0, 1, 0x14, 2, 0, 0, 0]))).toBe('application/x-ms-shortcut');
    expect(detectMimeType(Buffer.from('{\\rtf1\\ansi'))).toBe('application/rtf');
    expect(detectMimeType(Buffer.from([0, 1, 2, 3]))).toBeUndefined();
    expect(detectMimeType(new Uint8Array(0))).toBeUndefined();
    // Windows-1252 text (ä as 0xE4) is text too
    expect(detectMimeType(Buffer.from([0x4b, 0xe4, 0x73, 0x65, 0x0d, 0x0a]))).toBe('text/plain');
  });

  it('takes XML for XML only with a plain root inside the window', () => {
    expect(detectMimeType(Buffer.from('<?xml version="1.0"?>\n<!-- Kommentar -->\n<nachweis xmlns="urn:x"><betrag>1</betrag></nachweis>'))).toBe('application/xml');
    expect(detectMimeType(Buffer.from('\uFEFF<?xml version="1.0"?><!DOCTYPE nachweis><nachweis/>'))).toBe('application/xml');
    expect(detectMimeType(Buffer.from('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>'))).toBe('application/xhtml+xml');
    expect(detectMimeType(Buffer.from('<?xml version="1.0"?><x:div xmlns:x="http://www.w3.org/1999/xhtml"/>'))).toBe('application/xhtml+xml');
    expect(detectMimeType(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'))).toBe('image/svg+xml');
    expect(detectMimeType(Buffer.from('<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="x.xsl"?><a/>'))).toBe('application/xhtml+xml');
    expect(detectMimeType(Buffer.from('<?xml version="1.0"?><package><job><script language="JScript">1</script></job></package>'))).toBeUndefined();
    // the root pushed out of the window by a long comment: not taken for plain XML
    expect(detectMimeType(Buffer.from(`<?xml version="1.0"?><!--${'x'.repeat(2000)}-->`).subarray(0, 1024))).toBeUndefined();
  });

  it('counts a declared PDF or image whose bytes are not one as a mismatch, "not recognised" included', () => {
    expect(mimeTypesAgree('application/pdf', undefined)).toBe(false);
    expect(mimeTypesAgree('image/jpeg', 'text/html')).toBe(false);
    expect(mimeTypesAgree('image/jpg', 'image/jpeg')).toBe(true);
    expect(mimeTypesAgree('application/octet-stream', undefined)).toBe(true);
    expect(mimeTypesAgree('text/csv', 'text/plain')).toBe(true);
    expect(mimeTypesAgree('text/plain', 'text/html')).toBe(false);
    expect(mimeTypesAgree(undefined, 'application/x-msdownload')).toBe(true);
    // a file name alone claims a type too
    expect(declaredType(undefined, 'Nachweis.PDF')).toBe('application/pdf');
    expect(declaredType(undefined, 'Bescheid.pdf.exe')).toBeUndefined();
    expect(declaredType('image/png', 'x.pdf')).toBe('image/png');
  });
});

describe('exported file names', () => {
  it('derives the extension from the content, keeps the name without a double extension, and writes the rest as .bin', () => {
    expect(attachmentFileName('Nachweis.pdf.hta', 'dok', 'text/html', 'application/pdf')).toEqual({ fileName: 'Nachweis_pdf_hta.bin', extension: 'bin', allowed: false });
    expect(attachmentFileName('Kontoauszug.pdf.url', 'dok', 'application/x-mswinurl', 'application/pdf').fileName).toBe('Kontoauszug_pdf_url.bin');
    expect(attachmentFileName('Rechnung.js', 'dok', 'text/plain', 'application/pdf')).toEqual({ fileName: 'Rechnung_js.txt', extension: 'txt', allowed: true });
    expect(attachmentFileName('Bescheid.pdf.exe', 'dok', 'application/x-msdownload', 'application/pdf').fileName).toBe('Bescheid_pdf_exe.bin');
    expect(attachmentFileName('Antrag\u202Efdp.exe', 'dok', 'application/pdf', 'application/pdf').fileName).toBe('Antrag⟨U+202E⟩fdp_exe.pdf');
    expect(attachmentFileName('Scan.PDF', 'dok', 'application/pdf').fileName).toBe('Scan.pdf');
    expect(attachmentFileName('Foto.jpeg', 'dok', 'image/jpeg').fileName).toBe('Foto.jpg');
    expect(attachmentFileName('Foto.pdf', 'dok', 'image/jpeg', 'application/pdf').fileName).toBe('Foto_pdf.jpg');
    expect(attachmentFileName('Mietvertrag vom 01.02.2026.pdf', 'dok', 'application/pdf').fileName).toBe('Mietvertrag vom 01_02_2026.pdf');
    expect(attachmentFileName(undefined, 'dokument-3', undefined).fileName).toBe('dokument-3.bin');
    expect(attachmentFileName('...', 'dokument-3', 'image/png').fileName).toBe('dokument-3.png');
    expect(attachmentFileName('CON.pdf', 'dok', 'application/pdf').fileName).toBe('_CON.pdf');
    expect(attachmentFileName('../../Autostart/x.lnk', 'dok', 'application/x-ms-shortcut').fileName).toBe('____Autostart_x_lnk.bin');
    // Office files: only as the declared (or named) OOXML/OpenDocument type, and only when the bytes are a ZIP
    expect(attachmentFileName('Lebenslauf.docx', 'dok', 'application/zip', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document').fileName).toBe(
      'Lebenslauf.docx',
    );
    expect(attachmentFileName('Lebenslauf.docx', 'dok', 'application/zip').fileName).toBe('Lebenslauf.docx');
    expect(attachmentFileName('Archiv.zip', 'dok', 'application/zip').fileName).toBe('Archiv_zip.bin');
    expect(attachmentFileName('Alt.doc', 'dok', 'application/x-ole-storage', 'application/msword').fileName).toBe('Alt_doc.bin');
  });

  it('has an allow-list of extensions that open without running anything', () => {
    expect([...ALLOWED_EXTENSIONS].sort()).toEqual(['docx', 'gif', 'heic', 'jpg', 'ods', 'odt', 'pdf', 'png', 'pptx', 'tif', 'txt', 'webp', 'xlsx', 'xml'].sort());
    for (const bad of ['exe', 'hta', 'url', 'js', 'lnk', 'html', 'svg', 'bat', 'cmd', 'ps1', 'vbs', 'scr', 'zip', 'doc', 'rtf']) expect(ALLOWED_EXTENSIONS).not.toContain(bad);
  });
});

describe('an application with disguised documents', () => {
  it('flags each as not what it claims, and exports it as a safe file', async () => {
    const xml = applicationWith(HOSTILE_DOCUMENTS);
    const view = await readDelivery(xml);
    expect(view.documents.map((d) => [d.detectedMimeType, d.mimeMismatch])).toEqual([
      ['text/html', true],
      ['application/x-mswinurl', true],
      ['text/plain', true],
      ['application/x-msdownload', true],
      ['application/pdf', false],
    ]);
    for (const doc of view.documents.slice(0, 4)) expect(doc.problem?.kind).toBe('mime-mismatch');
    const folder = path.join(tmp, 'anlagen');
    const files = await exportAttachments(xml, view.documents, folder);
    expect(files.map((f) => f.fileName)).toEqual(HOSTILE_EXPORT_NAMES);
    expect(files.map((f) => f.allowed)).toEqual([false, false, true, false, true]);
    expect(readdirSync(folder).sort()).toEqual(files.map((f) => f.fileName).sort());
    expect(readFileSync(path.join(folder, 'Bescheid_pdf_exe.bin')).equals(EXE)).toBe(true);
    // on this platform no alternate data stream (and no stray sibling file) is written
    expect(readdirSync(folder).some((f) => f.includes('Zone.Identifier'))).toBe(false);
  });
});

describe('Mark-of-the-Web', () => {
  it('is the Zone.Identifier stream with ZoneId=3, written on Windows only', async () => {
    expect(ZONE_IDENTIFIER_CONTENT).toBe('[ZoneTransfer]\r\nZoneId=3\r\n');
    expect(zoneIdentifierPath('C:\\Akten\\Anlage.pdf')).toBe('C:\\Akten\\Anlage.pdf:Zone.Identifier');
    expect(writesMarkOfTheWeb('win32')).toBe(true);
    for (const platform of ['linux', 'darwin', 'freebsd'] as const) expect(writesMarkOfTheWeb(platform)).toBe(false);
    const file = path.join(tmp, 'marked.pdf');
    expect(await markFromInternet(file, 'linux')).toBe(false);
    expect(readdirSync(tmp)).not.toContain('marked.pdf:Zone.Identifier');
    // the Windows path of the switch, run here: on a POSIX file system the stream path is an ordinary file
    expect(await markFromInternet(file, 'win32')).toBe(true);
    expect(readFileSync(zoneIdentifierPath(file), 'utf8')).toBe(ZONE_IDENTIFIER_CONTENT);
    // a place that cannot hold the mark does not fail the export
    expect(await markFromInternet(path.join(tmp, 'no-such-folder', 'x.pdf'), 'win32')).toBe(false);
  });
});

describe('evidence images with lying length fields', () => {
  it('a PNG whose header block is too short is "cannot be shown", not a failed export', async () => {
    const { imageProblem } = await import('../../core/export/pdf/image-check.js');
    const chunk = (type: string, data: Buffer) => {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(data.length, 0);
      head.write(type, 4, 'latin1');
      return Buffer.concat([head, data, Buffer.alloc(4)]);
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', Buffer.from([0, 0, 0, 4])),
      chunk('IDAT', Buffer.alloc(20)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect(imageProblem(png, 'png')).toBe('PNG-Bildkopf beschädigt');
  });
});
