/**
 * A PNG's pixel data kept away from pdfkit where pdfkit would only pass it through (issue 14, export memory).
 * pdfkit's PNG reader (png-js) copies the compressed pixel data (the IDAT chunks) byte by byte into a JavaScript
 * array: a 4 MB PNG cost about 86 MB of heap. For a PNG without alpha channel, without indexed transparency and not
 * interlaced, pdfkit puts exactly that data into the image XObject as it is (FlateDecode with the PNG predictor);
 * such a PNG is laid out from its chunks without the IDAT chunks, and the data is put into the image object when
 * the file is written (export-pdf.ts), as for JPEG images.
 *
 * Only for PNGs imageProblem (image-check.ts) accepted: the chunk structure is known to be sound.
 */

interface Chunk {
  readonly type: string;
  /** Offset of the chunk (its length field). */
  readonly start: number;
  /** Offset after its CRC. */
  readonly end: number;
  readonly dataStart: number;
  readonly dataEnd: number;
}

/** The chunks up to and including IEND (as png-js and imageProblem read them). */
function chunksOf(png: Buffer): Chunk[] {
  const chunks: Chunk[] = [];
  let at = 8;
  while (at + 12 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const chunk = { type, start: at, end: at + 12 + length, dataStart: at + 8, dataEnd: at + 8 + length };
    chunks.push(chunk);
    if (type === 'IEND') break;
    at = chunk.end;
  }
  return chunks;
}

/**
 * The PNG without its IDAT chunks, for pdfkit to lay out (size, colours, palette, transparency mask), or undefined
 * when pdfkit must decode the pixels itself (alpha channel, indexed transparency, interlacing).
 */
export function pngWithoutPixelData(png: Buffer): Buffer | undefined {
  const chunks = chunksOf(png);
  const header = chunks.find((c) => c.type === 'IHDR');
  if (!header || header.dataEnd - header.dataStart < 13) return undefined;
  const colorType = png[header.dataStart + 9];
  const interlaced = png[header.dataStart + 12] !== 0;
  const indexedTransparency = colorType === 3 && chunks.some((c) => c.type === 'tRNS');
  if ((colorType !== 0 && colorType !== 2 && colorType !== 3) || interlaced || indexedTransparency) return undefined;
  return Buffer.concat([png.subarray(0, 8), ...chunks.filter((c) => c.type !== 'IDAT').map((c) => png.subarray(c.start, c.end))]);
}

/**
 * The PNG's pixel data as pdfkit would have embedded it: the IDAT chunks' data one after the other. Moved to the
 * front of `png` in place (no copy of several MB): `png` is no PNG afterwards.
 */
export function pngPixelDataInPlace(png: Buffer): Buffer {
  let length = 0;
  for (const chunk of chunksOf(png)) {
    if (chunk.type !== 'IDAT') continue;
    png.copyWithin(length, chunk.dataStart, chunk.dataEnd);
    length += chunk.dataEnd - chunk.dataStart;
  }
  return png.subarray(0, length);
}
