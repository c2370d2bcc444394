/**
 * The bundled DejaVu Sans fonts, parsed once per process and shared by every PDF (parsing the 700 KB TrueType
 * file costs about a third of a second and much memory each time; pdfkit makes its own subset per document).
 */
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { resourcePath } from '../../xsozial/resources.js';

export type FontStyle = 'regular' | 'bold';

const FILES: Record<FontStyle, string> = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' };
const cache = new Map<FontStyle, fontkit.Font>();

/** A parsed font for pdfkit's registerFont/font (pdfkit accepts fontkit font objects as source). */
export function bundledFont(style: FontStyle): fontkit.Font {
  let font = cache.get(style);
  if (!font) {
    const parsed = fontkit.create(readFileSync(resourcePath('fonts', FILES[style])));
    if (!('layout' in parsed)) throw new Error(`${FILES[style]} is a font collection, not a font`);
    font = parsed;
    cache.set(style, font);
  }
  return font;
}
