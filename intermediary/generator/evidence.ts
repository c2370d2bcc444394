/**
 * Synthetic evidence uploads ("Nachweise") as real, valid files: a "scanned" page image with a few lines of
 * upper-case text, as JPEG, PNG, or PDF (one or two scanned pages, no fonts). A file is padded to the requested
 * size with pseudo-random bytes in places every reader skips (JPEG comment segments, a private PNG chunk, the
 * first page's JPEG), and streamed: a 50 MB file never sits in memory.
 */
import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { Raster } from './bitmap-font.js';
import { fillerBytes } from './random.js';

export type EvidenceKind = 'pdf' | 'jpeg' | 'png';

export interface EvidenceFileOptions {
  readonly seed: string | number;
  readonly index: number;
  /** Wanted size in bytes; the file is exactly this size unless its content alone is larger (or up to 11 bytes short). */
  readonly size: number;
  readonly kind: EvidenceKind;
  /** Heading on the page, e.g. "Kontoauszug"; a default per index otherwise. */
  readonly title?: string;
  /** Further lines on the page (transliterated to upper case). */
  readonly lines?: readonly string[];
}

export const EVIDENCE_MIME: Record<EvidenceKind, string> = { pdf: 'application/pdf', jpeg: 'image/jpeg', png: 'image/png' };
export const EVIDENCE_EXTENSION: Record<EvidenceKind, string> = { pdf: 'pdf', jpeg: 'jpg', png: 'png' };

const DEFAULT_TITLES = [
  'Kontoauszug',
  'Mietvertrag',
  'Lohnabrechnung',
  'Personalausweis',
  'Nebenkostenabrechnung',
  'Rentenbescheid',
  'Krankenversicherungskarte',
  'Schulbescheinigung',
];

/** Bytes, pseudo-random filler, or a PNG chunk of filler (its CRC is computed while it is produced). */
type Piece = Buffer | { readonly filler: number; readonly seed: string; readonly pngChunk?: string };

/** The file as a stream. */
export function generateEvidenceFile(options: EvidenceFileOptions): Readable {
  return Readable.from(evidenceChunks(options), { objectMode: false });
}

/** The file's bytes in chunks (synchronous generator: for callers that write to their own sink). */
export function evidenceChunks(options: EvidenceFileOptions): Generator<Buffer> {
  return evidencePlan(options).chunks();
}

/** Size the file will have (without producing it). */
export function evidenceFileSize(options: EvidenceFileOptions): number {
  return evidencePlan(options).size;
}

export interface EvidencePlan {
  readonly size: number;
  /** The bytes, produced again on every call (the page images are rendered once, the padding on the fly). */
  chunks(): Generator<Buffer>;
}

/** Renders the page images once; the returned plan can stream the file any number of times. */
export function evidencePlan(options: EvidenceFileOptions): EvidencePlan {
  const pieces = evidencePieces(options);
  return {
    size: total(pieces),
    *chunks() {
      for (const piece of pieces) {
        if (Buffer.isBuffer(piece)) yield piece;
        else if (piece.pngChunk) yield* pngFillerChunk(piece.pngChunk, piece.seed, piece.filler);
        else yield* fillerBytes(piece.seed, piece.filler);
      }
    },
  };
}

function evidencePieces(options: EvidenceFileOptions): Piece[] {
  const seed = `${options.seed}:evidence:${options.index}:${options.kind}`;
  const title = options.title ?? DEFAULT_TITLES[options.index % DEFAULT_TITLES.length]!;
  const lines = options.lines ?? [];
  switch (options.kind) {
    case 'jpeg': {
      const image = jpegOf(page(title, lines, 1, 1, options.index));
      return padJpeg(image, Math.max(0, options.size - image.length), seed);
    }
    case 'png':
      return pngPieces(page(title, lines, 1, 1, options.index), options.size, seed);
    case 'pdf':
      return pdfPieces(title, lines, options, seed);
  }
}

function total(pieces: readonly Piece[]): number {
  return pieces.reduce((n, p) => n + (Buffer.isBuffer(p) ? p.length : p.filler + (p.pngChunk ? 12 : 0)), 0);
}

// ---------------------------------------------------------------------------------------------------------------
// the page image

const PAGE_W = 496;
const PAGE_H = 702;

function page(title: string, lines: readonly string[], pageNo: number, pages: number, index: number): Raster {
  const r = new Raster(PAGE_W, PAGE_H, [250, 249, 244]);
  const tint: [number, number, number][] = [
    [214, 228, 240],
    [226, 238, 214],
    [240, 226, 214],
    [232, 222, 240],
  ];
  r.rect(0, 0, PAGE_W, 70, tint[index % tint.length]!);
  // the heading is as large as fits the page width (6 font pixels per character)
  const scale = Math.max(2, Math.min(4, Math.floor((PAGE_W - 56) / (6 * Math.max(1, title.length)))));
  r.text(28, 20 + (4 - scale) * 4, title, scale, [30, 40, 60]);
  r.text(28, 90, `NACHWEIS ${index + 1} - SEITE ${pageNo} VON ${pages}`, 2, [60, 60, 60]);
  let y = 130;
  for (const line of lines.slice(0, 8)) {
    r.text(28, y, line, 2, [20, 20, 20]);
    y += 24;
  }
  // "text" of the scanned page: grey bars of varying length
  for (let i = 0; y + 14 < PAGE_H - 70; i++, y += 18) {
    const w = 200 + ((i * 97 + index * 31) % 240);
    r.rect(28, y, w, 7, [175, 175, 170]);
  }
  r.rect(0, PAGE_H - 44, PAGE_W, 1, [200, 200, 200]);
  r.text(28, PAGE_H - 32, 'TESTDATEN - KEIN ECHTES DOKUMENT', 2, [150, 40, 40]);
  return r;
}

function jpegOf(r: Raster): Buffer {
  const rgba = Buffer.alloc(r.width * r.height * 4);
  for (let i = 0; i < r.width * r.height; i++) {
    rgba[i * 4] = r.data[i * 3]!;
    rgba[i * 4 + 1] = r.data[i * 3 + 1]!;
    rgba[i * 4 + 2] = r.data[i * 3 + 2]!;
    rgba[i * 4 + 3] = 255;
  }
  return Buffer.from(jpeg.encode({ data: rgba, width: r.width, height: r.height }, 82).data);
}

/** Comment (COM) segments of `pad` bytes in all, after the JFIF APP0 segment. */
function padJpeg(image: Buffer, pad: number, seed: string): Piece[] {
  const app0End = image[2] === 0xff && image[3] === 0xe0 ? 4 + image.readUInt16BE(4) : 2;
  const pieces: Piece[] = [image.subarray(0, app0End)];
  let left = pad;
  let k = 0;
  while (left >= 4) {
    const payload = Math.min(65533, left - 4);
    const header = Buffer.from([0xff, 0xfe, 0, 0]);
    header.writeUInt16BE(payload + 2, 2);
    pieces.push(header, { filler: payload, seed: `${seed}:com${k++}` });
    left -= payload + 4;
  }
  pieces.push(image.subarray(app0End));
  return pieces;
}

// ---------------------------------------------------------------------------------------------------------------
// PNG

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(parts: readonly Buffer[], start = -1): number {
  return (crc32Update(parts, start) ^ -1) >>> 0;
}

function crc32Update(parts: readonly Buffer[], start: number): number {
  let c = start;
  for (const b of parts) for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return c;
}

/** A PNG chunk whose data is filler, produced piece by piece (length, type, data, CRC). */
function* pngFillerChunk(type: string, seed: string, length: number): Generator<Buffer> {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(length, 0);
  head.write(type, 4, 'ascii');
  yield head;
  let c = crc32Update([head.subarray(4)], -1);
  for (const data of fillerBytes(seed, length)) {
    c = crc32Update([data], c);
    yield data;
  }
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((c ^ -1) >>> 0, 0);
  yield crc;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32([head.subarray(4), data]), 0);
  return Buffer.concat([head, data, crc]);
}

function pngPieces(r: Raster, size: number, seed: string): Piece[] {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(r.width, 0);
  ihdr.writeUInt32BE(r.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.alloc((r.width * 3 + 1) * r.height);
  for (let y = 0; y < r.height; y++) r.data.copy(rows, y * (r.width * 3 + 1) + 1, y * r.width * 3, (y + 1) * r.width * 3);
  const head = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)]);
  const tail = Buffer.concat([chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
  // padding: private ancillary "paDd" chunks (readers skip them); each is built whole, at most 1 MiB
  let left = size - head.length - tail.length;
  const pieces: Piece[] = [head];
  let k = 0;
  while (left >= 12) {
    const payload = Math.min(1024 * 1024, left - 12);
    pieces.push({ filler: payload, seed: `${seed}:png${k++}`, pngChunk: 'paDd' });
    left -= payload + 12;
  }
  pieces.push(tail);
  return pieces;
}

// ---------------------------------------------------------------------------------------------------------------
// PDF: one or two scanned pages (JPEG images), no fonts, classic cross-reference table

function pdfPieces(title: string, lines: readonly string[], options: EvidenceFileOptions, seed: string): Piece[] {
  const pages = 1 + (options.index % 2);
  const images = Array.from({ length: pages }, (_, i) => jpegOf(page(title, lines, i + 1, pages, options.index)));
  let pad = 0;
  let pieces = pdfLayout(images, pad, seed);
  for (let i = 0; i < 4 && total(pieces) !== options.size; i++) {
    pad = Math.max(0, pad + options.size - total(pieces));
    pieces = pdfLayout(images, pad, seed);
  }
  return pieces;
}

function pdfLayout(images: readonly Buffer[], pad: number, seed: string): Piece[] {
  const pieces: Piece[] = [];
  const offsets: number[] = [];
  let offset = 0;
  const add = (p: Piece) => {
    pieces.push(p);
    offset += Buffer.isBuffer(p) ? p.length : p.filler;
  };
  const text = (s: string) => add(Buffer.from(s, 'latin1'));
  const obj = (n: number) => {
    offsets[n] = offset;
    text(`${n} 0 obj\n`);
  };
  text('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  const pageObjs = images.map((_, i) => 3 + i * 3);
  obj(1);
  text('<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
  obj(2);
  text(`<< /Type /Pages /Kids [${pageObjs.map((n) => `${n} 0 R`).join(' ')}] /Count ${images.length} >>\nendobj\n`);
  images.forEach((image, i) => {
    const p = pageObjs[i]!;
    const content = `q 595 0 0 842 0 0 cm /Im${i} Do Q\n`;
    obj(p);
    text(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im${i} ${p + 2} 0 R >> >> /Contents ${p + 1} 0 R >>\nendobj\n`);
    obj(p + 1);
    text(`<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`);
    const jpegPieces = i === 0 ? padJpeg(image, pad, seed) : [image];
    obj(p + 2);
    text(
      `<< /Type /XObject /Subtype /Image /Width ${PAGE_W} /Height ${PAGE_H} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${total(jpegPieces)} >>\nstream\n`,
    );
    jpegPieces.forEach(add);
    text('\nendstream\nendobj\n');
  });
  const count = 3 + images.length * 3;
  const xref = offset;
  let table = `xref\n0 ${count}\n0000000000 65535 f \n`;
  for (let n = 1; n < count; n++) table += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  text(`${table}trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return pieces;
}
