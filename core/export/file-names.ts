/**
 * Safe, predictable file names for exported attachments on Windows, macOS and Linux: no path separators or
 * traversal, no control or reserved characters, no reserved Windows device names (CON, PRN, AUX, NUL, COM1–9,
 * LPT1–9, also with an extension), no trailing dots or spaces, a bounded length, and the extension that matches
 * the content where the declared name has none.
 */
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;
const FORBIDDEN = /[\u0000-\u001f\u007f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]/g;
const MAX_BYTES = 150;

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/tiff': 'tif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'application/xml': 'xml',
  'application/zip': 'zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/msword': 'doc',
  'text/plain': 'txt',
};

export function safeFileName(wanted: string | undefined, fallback: string, mimeType?: string): string {
  let name = (wanted ?? '').normalize('NFC').replace(FORBIDDEN, '_');
  // only the last path segment counts, and no name made of dots only
  name = name.replace(/^[.\s]+|[.\s]+$/g, '');
  if (name === '' || /^_*$/.test(name)) name = fallback;
  const dot = name.lastIndexOf('.');
  // an extension is a short alphanumeric tail; anything else stays part of the name
  const hasExt = dot > 0 && /^[A-Za-z0-9]{1,10}$/.test(name.slice(dot + 1));
  let stem = hasExt ? name.slice(0, dot) : name;
  let ext = hasExt ? name.slice(dot + 1) : '';
  const expected = mimeType ? EXTENSIONS[mimeType.toLowerCase()] : undefined;
  if (ext === '' && expected) ext = expected;
  if (RESERVED.test(stem.replace(/[.\s]+$/, '')) || RESERVED.test(stem.split('.')[0] ?? '')) stem = `_${stem}`;
  stem = truncateBytes(stem, MAX_BYTES - Buffer.byteLength(ext) - 1).replace(/[.\s]+$/, '');
  if (stem === '') stem = fallback;
  return ext === '' ? stem : `${stem}.${truncateBytes(ext, 16)}`;
}

/** "name.pdf" → "name (2).pdf" for the n-th duplicate. */
export function numbered(name: string, n: number): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch) > max) break;
    out += ch;
  }
  return out;
}
