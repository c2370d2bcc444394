/**
 * Whether a document holds ACTIVE content — something the program that opens it on a double click may run: PDF
 * JavaScript, launch and other actions, embedded files; Office macros (VBA, Excel 4.0 macro sheets) and ActiveX;
 * RTF with embedded objects; HTML, SVG and script-host files; programs, scripts and shortcuts; archives (what they
 * hold is not looked into). Decided by the bytes, never by the name or the declared type: "Bescheid.pdf" that is a
 * program is a program. Used before "Im Standardprogramm öffnen" hands a copy to the operating system (issue 17):
 * the caseworker is warned with these findings.
 *
 * Bounded: at most `MAX_CHECKED_BYTES` are looked at; a longer document, a PDF object stream that cannot be
 * unpacked (an encrypted PDF) or a PDF whose unpacked streams exceed the budget is reported `not-checked` — a
 * warning too, never a silent "harmless".
 */
import { inflateSync } from 'node:zlib';
import { detectMimeType, MAGIC_LENGTH } from './magic.js';
import { ACTIVE_CONTENT_CODES, type ActiveContentCode } from './active-content-codes.js';

export { ACTIVE_CONTENT_CODES, type ActiveContentCode } from './active-content-codes.js';

/** How many bytes of a document are checked at most (larger ones are `not-checked`). */
export const MAX_CHECKED_BYTES = 64 * 1024 * 1024;
/** How many bytes the unpacked object streams of one PDF may take together. */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/** The findings for a document's bytes (`size` its full length, when only a part was read); [] = nothing active. */
export function activeContentOf(bytes: Uint8Array, size = bytes.length): ActiveContentCode[] {
  const found = new Set<ActiveContentCode>();
  if (size > bytes.length) found.add('not-checked');
  const type = detectMimeType(bytes.subarray(0, MAGIC_LENGTH));
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case 'application/pdf':
      for (const code of pdfFindings(buffer)) found.add(code);
      break;
    case 'application/zip':
      for (const code of zipFindings(buffer)) found.add(code);
      break;
    case 'application/x-ole-storage':
      for (const code of oleFindings(buffer)) found.add(code);
      break;
    case 'application/rtf':
      if (/\\object|\\objdata|\\objupdate/.test(buffer.toString('latin1'))) found.add('rtf-object');
      break;
    case 'text/html':
    case 'application/xhtml+xml':
    case 'image/svg+xml':
      found.add('markup');
      break;
    case 'application/x-msdownload':
    case 'application/x-executable':
      found.add('executable');
      break;
    case 'application/x-ms-shortcut':
    case 'application/x-mswinurl':
      found.add('shortcut');
      break;
    case 'application/vnd.ms-cab-compressed':
    case 'application/x-rar-compressed':
    case 'application/x-7z-compressed':
    case 'application/gzip':
      found.add('archive');
      break;
    case undefined:
      // content of no known type: a Mach-O program, a Windows Script host file, or nothing we can tell
      if (isMachO(buffer)) found.add('executable');
      else if (isScriptHost(buffer)) found.add('script');
      break;
    case 'text/plain':
      if (isScriptText(buffer)) found.add('script');
      break;
    default:
      break;
  }
  return ACTIVE_CONTENT_CODES.filter((code) => found.has(code));
}

// ---- PDF ----

/** PDF name keys that make a document act (pdfid's list, narrowed to what runs or reaches out). */
const PDF_KEYS: ReadonlyArray<readonly [string, ActiveContentCode]> = [
  ['JavaScript', 'pdf-javascript'],
  ['JS', 'pdf-javascript'],
  ['Launch', 'pdf-launch'],
  ['GoToE', 'pdf-launch'],
  ['EmbeddedFile', 'pdf-embedded-file'],
  ['EmbeddedFiles', 'pdf-embedded-file'],
  ['RichMedia', 'pdf-embedded-file'],
  ['SubmitForm', 'pdf-form-action'],
  ['ImportData', 'pdf-form-action'],
  ['XFA', 'pdf-form-action'],
];
const PDF_KEY_CODES = new Map(PDF_KEYS);

/** A name may be written with #xx escapes ("/J#61vaScript" is /JavaScript): decoded before it is compared. */
function pdfNames(text: string, found: Set<ActiveContentCode>): void {
  for (const match of text.matchAll(/\/([^\s/<>[\]()%{}]+)/g)) {
    const raw = match[1] as string;
    const name = raw.includes('#') ? raw.replace(/#([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))) : raw;
    const code = PDF_KEY_CODES.get(name);
    if (code !== undefined) found.add(code);
  }
}

function pdfFindings(pdf: Buffer): Set<ActiveContentCode> {
  const found = new Set<ActiveContentCode>();
  const text = pdf.toString('latin1');
  pdfNames(text, found);
  // dictionaries may also sit inside compressed object streams (PDF 1.5): unpack those and look again
  let budget = MAX_INFLATED_BYTES;
  for (const match of text.matchAll(/\/Type\s*\/ObjStm\b/g)) {
    const dictEnd = text.indexOf('stream', match.index);
    if (dictEnd < 0) continue;
    let start = dictEnd + 'stream'.length;
    if (text[start] === '\r') start++;
    if (text[start] === '\n') start++;
    const end = text.indexOf('endstream', start);
    if (end < 0) {
      found.add('not-checked');
      continue;
    }
    if (budget <= 0) {
      found.add('not-checked');
      break;
    }
    try {
      const unpacked = inflateSync(pdf.subarray(start, end), { maxOutputLength: budget, finishFlush: 2 /* Z_SYNC_FLUSH: tolerate trailing EOL bytes */ });
      budget -= unpacked.length;
      pdfNames(unpacked.toString('latin1'), found);
    } catch {
      // encrypted, or not Flate, or too large: what it holds is not known
      found.add('not-checked');
    }
  }
  return found;
}

// ---- ZIP (Office Open XML, OpenDocument, Java archives, plain archives) ----

/** The names of a ZIP's entries, from its central directory (no entry is unpacked). */
function zipEntryNames(zip: Buffer): string[] | undefined {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > zip.length) return undefined;
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== 0x02014b50) return undefined;
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function zipFindings(zip: Buffer): Set<ActiveContentCode> {
  const found = new Set<ActiveContentCode>();
  const names = zipEntryNames(zip);
  if (names === undefined) {
    found.add('not-checked');
    return found;
  }
  const lower = names.map((n) => n.toLowerCase());
  const office = lower.includes('[content_types].xml') || lower.includes('mimetype');
  for (const name of lower) {
    const base = name.split('/').pop() ?? name;
    if (
      base === 'vbaproject.bin' ||
      base === 'vbaprojectsignature.bin' ||
      name.includes('/macrosheets/') ||
      (lower.includes('mimetype') && (name.startsWith('basic/') || name.startsWith('scripts/')))
    )
      found.add('office-macros');
    else if (name.includes('/activex/')) found.add('office-activex');
    else if (name === 'meta-inf/manifest.mf' && !office) found.add('executable');
    else if (/\.(exe|dll|scr|com|bat|cmd|ps1|vbs|vbe|js|jse|wsf|wsh|hta|lnk|url|msi|jar|sh|app)$/.test(base)) found.add('executable');
  }
  // a ZIP that is neither an Office nor an OpenDocument file is an archive: what it holds is the next program's
  if (!office && !found.has('executable')) found.add('archive');
  return found;
}

// ---- OLE compound files (old Office formats, MSI and others) ----

const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');

/** Office documents name these streams in their directory (UTF-16LE names). */
const OLE_DOCUMENT_STREAMS = ['WordDocument', 'Workbook', 'Book', 'PowerPoint Document', '__substg1.0_'].map(utf16);
const OLE_MACRO_STREAMS = ['_VBA_PROJECT', 'VBA', 'Macros', '_VBA_PROJECT_CUR'].map(utf16);

function oleFindings(ole: Buffer): Set<ActiveContentCode> {
  const found = new Set<ActiveContentCode>();
  if (OLE_MACRO_STREAMS.some((name) => ole.includes(name))) found.add('office-macros');
  if (ole.includes(utf16('\u0003OCXNAME')) || ole.includes(utf16('OCXDATA'))) found.add('office-activex');
  if (!OLE_DOCUMENT_STREAMS.some((name) => ole.includes(name)) && !found.has('office-macros')) found.add('unknown-compound');
  return found;
}

// ---- programs and scripts without a type of their own ----

function isMachO(b: Buffer): boolean {
  if (b.length < 4) return false;
  const magic = b.readUInt32BE(0);
  return magic === 0xfeedface || magic === 0xfeedfacf || magic === 0xcefaedfe || magic === 0xcffaedfe || magic === 0xcafebabe;
}

/** Windows Script host files are XML whose root is <job>, <package>, <scriptlet> or <component> (magic.ts). */
function isScriptHost(b: Buffer): boolean {
  const head = b.subarray(0, MAGIC_LENGTH).toString('latin1');
  return /<\s*(?:job|package|scriptlet|component)[\s>]/i.test(head) && /<\s*script[\s>]/i.test(b.toString('latin1', 0, Math.min(b.length, 1024 * 1024)));
}

/** Plain text that is a script: a #! line, a batch file's @echo, PowerShell or VBScript statements at its start. */
function isScriptText(b: Buffer): boolean {
  const head = b
    .subarray(0, MAGIC_LENGTH)
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  if (head.startsWith('#!')) return true;
  const start = head.trimStart();
  return (
    /^(?:@echo\s+off|@?rem\s|set\s+\w+=|powershell\b|param\s*\(|\$\w+\s*=|function\s+\w+\s*\(|dim\s+\w+|option\s+explicit|set\s+\w+\s*=\s*(?:wscript\.)?createobject|wscript\.|createobject\s*\()/im.test(
      start,
    ) || /\b(?:wscript\.shell|createobject\s*\(|invoke-expression|frombase64string|downloadstring)\b/i.test(head)
  );
}
