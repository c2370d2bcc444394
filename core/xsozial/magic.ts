/**
 * MIME type from a file's first bytes (`MAGIC_LENGTH` of them), to check the declared type of a document against
 * what it is and to choose the extension an exported file gets (core/export/file-names.ts). The formats that occur
 * as evidence uploads are told apart, and the ones a caseworker must be warned about: programs, shortcuts, HTML and
 * other text that a double click would run. Unknown stays undefined — never a guess.
 *
 * Text is told by its bytes: UTF-8 (or an 8-bit code page) without control characters other than tab, line breaks
 * and form feed. Text that holds markup or shortcut syntax a browser or Windows would act on is reported as what
 * it is (text/html, application/x-mswinurl), not as text/plain. XML is application/xml only when its root element
 * lies inside the window and is not (X)HTML, SVG or a Windows Script host file, and no style sheet processing
 * instruction precedes it — opened by a double click, such XML runs script in a browser.
 */
const SIGNATURES: ReadonlyArray<{ readonly mime: string; readonly test: (b: Uint8Array) => boolean }> = [
  { mime: 'application/pdf', test: (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d]) },
  { mime: 'image/png', test: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { mime: 'image/jpeg', test: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { mime: 'image/gif', test: (b) => startsWith(b, [0x47, 0x49, 0x46, 0x38]) },
  {
    mime: 'image/tiff',
    test: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]),
  },
  { mime: 'image/webp', test: (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && ascii(b, 8, 4) === 'WEBP' },
  { mime: 'image/heic', test: (b) => ascii(b, 4, 4) === 'ftyp' && /^(heic|heix|mif1|hevc)$/.test(ascii(b, 8, 4)) },
  { mime: 'application/zip', test: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) },
  { mime: 'application/x-ole-storage', test: (b) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) },
  // a DOS/Windows program header holds NUL bytes; a text that happens to start with "MZ" does not
  { mime: 'application/x-msdownload', test: (b) => startsWith(b, [0x4d, 0x5a]) && !looksLikeText(b.subarray(0, 64)) },
  { mime: 'application/x-executable', test: (b) => startsWith(b, [0x7f, 0x45, 0x4c, 0x46]) },
  { mime: 'application/x-ms-shortcut', test: (b) => startsWith(b, [0x4c, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00]) },
  { mime: 'application/vnd.ms-cab-compressed', test: (b) => ascii(b, 0, 4) === 'MSCF' },
  { mime: 'application/x-rar-compressed', test: (b) => ascii(b, 0, 6) === 'Rar!\x1a\x07' },
  { mime: 'application/x-7z-compressed', test: (b) => startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) },
  { mime: 'application/gzip', test: (b) => startsWith(b, [0x1f, 0x8b]) },
  { mime: 'application/rtf', test: (b) => ascii(b, 0, 5) === '{\\rtf' },
];

/** Stored for content of no recognised type (OSCI attachments have no declared type of their own). */
export const UNKNOWN_TYPE = 'application/octet-stream';

/** The detected type from a stored type: UNKNOWN_TYPE means not recognised. */
export function detectedFromStored(stored: string | null | undefined): string | undefined {
  return stored === null || stored === undefined || stored === UNKNOWN_TYPE ? undefined : stored;
}

/** How many leading bytes `detectMimeType` looks at (kept per inline document while reading: small). */
export const MAGIC_LENGTH = 1024;

export function detectMimeType(head: Uint8Array): string | undefined {
  const binary = SIGNATURES.find((s) => s.test(head))?.mime;
  if (binary !== undefined) return binary;
  if (head.length === 0 || !looksLikeText(head)) return undefined;
  const text = decodeHead(head);
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (/^<\?xml[\s?]/.test(start)) return xmlType(start);
  if (ACTIVE_MARKUP.test(text)) return 'text/html';
  if (SHORTCUT.test(text)) return 'application/x-mswinurl';
  return 'text/plain';
}

/** Markup a browser (mshta, a double-clicked .html) would act on, anywhere in the window. */
const ACTIVE_MARKUP = /<\s*(?:html|head|body|script|hta:application|svg|iframe|object|embed|meta)[\s>/]|<!doctype\s+html|javascript:|vbscript:/i;
/** Windows Internet shortcuts and desktop entries: "URL=file:///…calc.exe" runs a program. */
const SHORTCUT = /^\s*\[(?:InternetShortcut|Desktop Entry|\.ShellClassInfo)\]/im;

/** The type of XML: application/xml only for a plain document whose root is seen; see the module comment. */
function xmlType(text: string): string | undefined {
  // skip the prolog: declaration, processing instructions, comments, DOCTYPE (without internal subset brackets)
  let rest = text;
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith('<?')) {
      const end = rest.indexOf('?>');
      if (end < 0) return undefined;
      if (/^<\?xml-stylesheet[\s?]/i.test(rest)) return 'application/xhtml+xml';
      rest = rest.slice(end + 2);
    } else if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->');
      if (end < 0) return undefined;
      rest = rest.slice(end + 3);
    } else if (/^<!DOCTYPE/i.test(rest)) {
      const end = rest.search(/[[>]/);
      if (end < 0 || rest[end] === '[') return undefined;
      rest = rest.slice(end + 1);
    } else break;
  }
  const root = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([^>]*)>?/.exec(rest);
  if (root === null) return undefined;
  const local = (root[2] ?? '').toLowerCase();
  const attributes = root[3] ?? '';
  // the start tag must end inside the window: its namespace declarations decide
  if (!rest.slice(0, root[0].length).endsWith('>')) return undefined;
  if (local === 'html' || /http:\/\/www\.w3\.org\/1999\/xhtml/.test(attributes)) return 'application/xhtml+xml';
  if (local === 'svg' || /http:\/\/www\.w3\.org\/2000\/svg/.test(attributes)) return 'image/svg+xml';
  // Windows Script Host files (.wsf, .wsc, .sct) are XML whose root is one of these
  if (/^(package|job|scriptlet|component)$/.test(local)) return undefined;
  return 'application/xml';
}

/** No NUL and no control character other than tab, LF, CR, FF; UTF-8 or an 8-bit code page (Windows-1252). */
function looksLikeText(b: Uint8Array): boolean {
  for (const byte of b) {
    if (byte === 0x7f) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return false;
  }
  return true;
}

function decodeHead(b: Uint8Array): string {
  // a UTF-8 sequence cut at the window's end is no reason to fall back to Latin-1
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b, { stream: true });
  } catch {
    return new TextDecoder('latin1').decode(b);
  }
}

const norm = (m: string) => m.split(';')[0]!.trim().toLowerCase().replace('image/jpg', 'image/jpeg').replace('image/pjpeg', 'image/jpeg');

/** Declared types a PDF/image claim rests on: the bytes must then be that format, "not recognised" is a mismatch. */
export function claimsPdfOrImage(declared: string): boolean {
  const d = norm(declared);
  return d === 'application/pdf' || d.startsWith('image/');
}

/** PDF and image types a file name claims by its (last) extension. */
const CLAIMED_BY_EXTENSION: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  webp: 'image/webp',
  heic: 'image/heic',
};

/**
 * What a document claims to be: its declared MIME type, else the PDF/image type its file name's extension names
 * ("Nachweis.pdf" without a type is a claim to be a PDF too).
 */
export function declaredType(mimeType: string | undefined, fileName: string | undefined): string | undefined {
  if (mimeType !== undefined && mimeType.trim() !== '') return mimeType;
  const dot = fileName?.lastIndexOf('.') ?? -1;
  return dot < 0
    ? undefined
    : CLAIMED_BY_EXTENSION[
        fileName!
          .slice(dot + 1)
          .trim()
          .toLowerCase()
      ];
}

/**
 * Declared and detected type agree (jpg/jpeg spellings and parameters ignored). A declared PDF or image must be
 * confirmed by the bytes ("not recognised" is a mismatch); for other declared types unknown content is no conflict
 * (the export then writes .bin and says so).
 */
export function mimeTypesAgree(declared: string | undefined, detected: string | undefined): boolean {
  if (declared === undefined || declared.trim() === '') return true;
  if (detected === undefined) return !claimsPdfOrImage(declared);
  const d = norm(declared);
  const found = norm(detected);
  if (d === found) return true;
  // Office Open XML, OpenDocument and other +zip formats are ZIP files; old Office formats are OLE storage
  if (found === 'application/zip') return /^application\/(vnd\.openxmlformats-|vnd\.oasis\.opendocument\.|[\w.-]+\+zip$|vnd\.ms-[\w.]+\.macroenabled)/.test(d);
  if (found === 'application/x-ole-storage') return /^application\/(msword|vnd\.ms-excel|vnd\.ms-powerpoint|vnd\.ms-outlook)$/.test(d);
  if (found === 'application/xml') return d === 'text/xml' || d.endsWith('+xml');
  // plain text is what text/csv, text/markdown etc. are; HTML, scripts and shortcuts are not plain text
  if (found === 'text/plain') return /^text\/(?!html$)[\w.+-]+$/.test(d);
  if (found === 'text/html') return d === 'text/html' || d === 'application/xhtml+xml';
  return false;
}

function startsWith(b: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((v, i) => b[i] === v);
}

function ascii(b: Uint8Array, offset: number, length: number): string {
  return b.length < offset + length ? '' : String.fromCharCode(...b.subarray(offset, offset + length));
}
