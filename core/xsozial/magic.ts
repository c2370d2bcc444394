/**
 * MIME type from a file's first bytes, to check the declared `mimeType` of an inline document against what it is.
 * Only the formats that occur as evidence uploads or that a caseworker must be warned about are known.
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
  { mime: 'application/xml', test: (b) => ascii(b, 0, 5) === '<?xml' || ascii(b, 3, 5) === '<?xml' },
  { mime: 'application/x-msdownload', test: (b) => startsWith(b, [0x4d, 0x5a]) },
];

/** How many leading bytes `detectMimeType` looks at. */
export const MAGIC_LENGTH = 16;

export function detectMimeType(head: Uint8Array): string | undefined {
  return SIGNATURES.find((s) => s.test(head))?.mime;
}

/** Declared and detected type agree (jpg/jpeg spellings and parameters ignored); unknown detection is no conflict. */
export function mimeTypesAgree(declared: string | undefined, detected: string | undefined): boolean {
  if (declared === undefined || detected === undefined) return true;
  const norm = (m: string) => m.split(';')[0]!.trim().toLowerCase().replace('image/jpg', 'image/jpeg');
  const d = norm(declared);
  const found = norm(detected);
  if (d === found) return true;
  // Office Open XML, OpenDocument and other +zip formats are ZIP files; old Office formats are OLE storage
  if (found === 'application/zip') return /^application\/(vnd\.openxmlformats-|vnd\.oasis\.opendocument\.|[\w.-]+\+zip$|vnd\.ms-[\w.]+\.macroenabled)/.test(d);
  if (found === 'application/x-ole-storage') return /^application\/(msword|vnd\.ms-excel|vnd\.ms-powerpoint|vnd\.ms-outlook)$/.test(d);
  if (found === 'application/xml') return d === 'text/xml' || d.endsWith('+xml');
  return false;
}

function startsWith(b: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((v, i) => b[i] === v);
}

function ascii(b: Uint8Array, offset: number, length: number): string {
  return b.length < offset + length ? '' : String.fromCharCode(...b.subarray(offset, offset + length));
}
