/**
 * Safe, predictable file names for exported documents on Windows, macOS and Linux: no path separators or
 * traversal, no reserved characters, no reserved Windows device names (CON, PRN, AUX, NUL, COM1–9, LPT1–9, also
 * with an extension), no trailing dots or spaces, a bounded length. Invisible and direction-changing characters
 * are written as the same visible tokens the UI, PDF and CLI show ("⟨U+202E⟩", core/visible-text.ts), so the
 * name on screen and the name on disk agree.
 *
 * Documents from an application (`attachmentFileName`) get their extension from the DETECTED content, and only
 * from the allow-list below; everything else is written as `.bin` (the caseworker is warned). The name the sender
 * chose keeps what it can, but every dot in it becomes "_": "Bescheid.pdf.exe" with a program inside is written as
 * "Bescheid_pdf_exe.bin", never as something that ends in or looks like ".pdf" when Windows hides extensions.
 */
import { visibleText } from '../visible-text.js';

const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;
const FORBIDDEN = /[<>:"/\\|?*]/g;
const MAX_BYTES = 150;

/**
 * The extensions an exported document may get, by detected type. Chosen because what opens them on a double click
 * shows content and runs nothing: PDF readers (and with the Mark-of-the-Web in Protected View), image viewers, a
 * text editor; XML only when magic.ts saw a plain XML root (never XHTML/SVG/script hosts). Office files are ZIP or
 * OLE containers: OOXML/OpenDocument (no macros in these formats) only where the sender declared exactly that type
 * and the bytes are a ZIP; old binary Office formats (.doc/.xls may carry macros), RTF, HTML, ZIP archives,
 * programs and shortcuts become .bin.
 */
const ALLOWED: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/tiff': 'tif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'text/plain': 'txt',
  'application/xml': 'xml',
};
const OFFICE_IN_ZIP: Readonly<Record<string, string>> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
};
/** Spellings of the same extension, dropped from the sender's name before the canonical one is added. */
const SAME_EXTENSION: Readonly<Record<string, readonly string[]>> = {
  pdf: ['pdf'],
  jpg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  png: ['png'],
  gif: ['gif'],
  tif: ['tif', 'tiff'],
  webp: ['webp'],
  heic: ['heic', 'heif'],
  txt: ['txt', 'text'],
  xml: ['xml'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  pptx: ['pptx'],
  odt: ['odt'],
  ods: ['ods'],
};
export const UNSAFE_EXTENSION = 'bin';

/** Allowed extensions, for README/docs and tests. */
export const ALLOWED_EXTENSIONS: readonly string[] = [...new Set([...Object.values(ALLOWED), ...Object.values(OFFICE_IN_ZIP)])];

const baseType = (m: string | undefined): string | undefined => m?.split(';')[0]?.trim().toLowerCase() || undefined;

/** The allowed extension for content of type `detected` (declared type only chooses among Office ZIP formats). */
export function allowedExtension(detected: string | undefined, declared: string | undefined): string | undefined {
  const found = baseType(detected);
  if (found === undefined) return undefined;
  if (found === 'application/zip') {
    const d = baseType(declared);
    return d === undefined ? undefined : OFFICE_IN_ZIP[d];
  }
  return ALLOWED[found];
}

/** An Office type named by a file's extension ("Lebenslauf.docx"), for content without a declared type. */
function officeTypeByName(name: string | undefined): string | undefined {
  const dot = name?.lastIndexOf('.') ?? -1;
  const ext =
    dot < 0
      ? undefined
      : name!
          .slice(dot + 1)
          .trim()
          .toLowerCase();
  return Object.entries(OFFICE_IN_ZIP).find(([, e]) => e === ext)?.[0];
}

export interface AttachmentName {
  /** The file name to write (before " (2)" numbering of duplicates). */
  readonly fileName: string;
  /** The extension it got: one of ALLOWED_EXTENSIONS, or "bin". */
  readonly extension: string;
  /** False: the content is of no allowed type and is written as .bin. */
  readonly allowed: boolean;
}

/**
 * The name an exported document is written under: the sender's name made safe and visible, every dot in it "_",
 * the extension from the detected content (allow-list) or ".bin". `fallback` ("dokument-3") where no name is left.
 */
export function attachmentFileName(wanted: string | undefined, fallback: string, detected: string | undefined, declared?: string): AttachmentName {
  const extension = allowedExtension(detected, declared ?? officeTypeByName(wanted));
  const ext = extension ?? UNSAFE_EXTENSION;
  let stem = cleaned(wanted);
  // the sender's own extension, where it is the one the content gets anyway, is not repeated as "_pdf"
  const dot = stem.lastIndexOf('.');
  if (extension !== undefined && dot > 0 && (SAME_EXTENSION[extension] ?? []).includes(stem.slice(dot + 1).toLowerCase())) stem = stem.slice(0, dot);
  stem = stem.replace(/\./g, '_').replace(/[\s_]+$/, '');
  if (stem === '' || /^_*$/.test(stem)) stem = fallback;
  if (RESERVED.test(stem)) stem = `_${stem}`;
  stem = truncateBytes(stem, MAX_BYTES - byteLength(ext) - 1).replace(/[.\s]+$/, '');
  if (stem === '') stem = fallback;
  return { fileName: `${stem}.${ext}`, extension: ext, allowed: extension !== undefined };
}

/** The file name of an inline document (xsb:dokument): its file name or name, the content's detected type. */
export function inlineDocumentName(doc: {
  readonly ordinal: number;
  readonly name: string;
  readonly fileName?: string | undefined;
  readonly mimeType?: string | undefined;
  readonly detectedMimeType?: string | undefined;
}): AttachmentName {
  return attachmentFileName(doc.fileName ?? doc.name, `dokument-${doc.ordinal + 1}`, doc.detectedMimeType, doc.mimeType);
}

/** A name for a file the program itself names (no extension logic beyond the one given). */
export function safeFileName(wanted: string | undefined, fallback: string, mimeType?: string): string {
  let name = cleaned(wanted);
  if (name === '' || /^_*$/.test(name)) name = fallback;
  const dot = name.lastIndexOf('.');
  // an extension is a short alphanumeric tail; anything else stays part of the name
  const hasExt = dot > 0 && /^[A-Za-z0-9]{1,10}$/.test(name.slice(dot + 1));
  let stem = hasExt ? name.slice(0, dot) : name;
  let ext = hasExt ? name.slice(dot + 1) : '';
  const expected = mimeType ? ALLOWED[mimeType.toLowerCase()] : undefined;
  if (ext === '' && expected) ext = expected;
  if (RESERVED.test(stem.replace(/[.\s]+$/, '')) || RESERVED.test(stem.split('.')[0] ?? '')) stem = `_${stem}`;
  stem = truncateBytes(stem, MAX_BYTES - byteLength(ext) - 1).replace(/[.\s]+$/, '');
  if (stem === '') stem = fallback;
  return ext === '' ? stem : `${stem}.${truncateBytes(ext, 16)}`;
}

/** NFC, hidden characters as visible tokens, reserved characters "_", no leading/trailing dots or spaces. */
function cleaned(wanted: string | undefined): string {
  return visibleText((wanted ?? '').normalize('NFC'))
    .replace(FORBIDDEN, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '');
}

/** "name.pdf" → "name (2).pdf" for the n-th duplicate. */
export function numbered(name: string, n: number): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

const encoder = new TextEncoder();
function byteLength(s: string): number {
  return encoder.encode(s).length;
}

function truncateBytes(s: string, max: number): string {
  if (byteLength(s) <= max) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = byteLength(ch);
    if (bytes + n > max) break;
    out += ch;
    bytes += n;
  }
  return out;
}
