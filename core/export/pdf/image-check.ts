/**
 * Checks an evidence image before pdfkit sees it. pdfkit decodes some PNGs (alpha channel, transparency,
 * interlacing) asynchronously and throws from a zlib callback when the data is broken, which would end the whole
 * process; so a PNG's structure and its compressed pixel data are verified here, synchronously, first. Very large
 * images are not placed (their pixels would be decoded into memory).
 */
import { inflateSync } from 'node:zlib';

export const MAX_IMAGE_PIXELS = 40_000_000;

/** Why the image cannot be placed, or undefined when it can. */
export function imageProblem(bytes: Buffer, format: 'jpeg' | 'png'): string | undefined {
  return format === 'png' ? pngProblem(bytes) : jpegProblem(bytes);
}

function pngProblem(b: Buffer): string | undefined {
  if (b.length < 33 || b.readUInt32BE(0) !== 0x89504e47) return 'kein PNG';
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (at + 12 <= b.length) {
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > b.length) return 'PNG-Block über das Dateiende hinaus';
    const data = b.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      // a header shorter than its 13 bytes would make the reads below throw out of the whole export
      if (data.length < 13) return 'PNG-Bildkopf beschädigt';
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (width === 0 || height === 0) return 'PNG ohne Bildgröße';
  if (width * height > MAX_IMAGE_PIXELS) return 'Bild zu groß zur Darstellung';
  if (idat.length === 0) return 'PNG ohne Bilddaten';
  try {
    inflateSync(Buffer.concat(idat), { maxOutputLength: MAX_IMAGE_PIXELS * 8 + height });
  } catch {
    return 'PNG-Bilddaten beschädigt';
  }
  return undefined;
}

function jpegProblem(b: Buffer): string | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return 'kein JPEG';
  // walk the marker segments up to the frame header (SOFn), as pdfkit does
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return 'JPEG-Struktur beschädigt';
    const marker = b[at + 1]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > b.length) return 'JPEG-Struktur beschädigt';
      const height = b.readUInt16BE(at + 5);
      const width = b.readUInt16BE(at + 7);
      if (width === 0 || height === 0) return 'JPEG ohne Bildgröße';
      return width * height > MAX_IMAGE_PIXELS ? 'Bild zu groß zur Darstellung' : undefined;
    }
    at += 2 + b.readUInt16BE(at + 2);
  }
  return 'JPEG ohne Bildkopf';
}
