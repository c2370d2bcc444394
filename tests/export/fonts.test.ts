import { describe, expect, it } from 'vitest';
import { bundledFont } from '../../core/export/pdf/fonts.js';

/** Code points without a glyph in [from, to]. */
function missing(style: 'regular' | 'bold', from: number, to: number): string[] {
  const font = bundledFont(style);
  const out: string[] = [];
  for (let c = from; c <= to; c++) if (!font.hasGlyphForCodePoint(c)) out.push(`U+${c.toString(16).toUpperCase()}`);
  return out;
}

describe('bundled PDF fonts (DejaVu Sans)', () => {
  it.each(['regular', 'bold'] as const)('%s covers the Latin letters and combining marks of DIN 91379', (style) => {
    expect(missing(style, 0x20, 0x7e)).toEqual([]);
    expect(missing(style, 0xa0, 0xff)).toEqual([]);
    // Latin Extended-A and -B (Ł, Ø-forms, Ş, Ț, Ǎ, ...)
    expect(missing(style, 0x100, 0x24f)).toEqual([]);
    // Latin Extended Additional (Ḱ, Ẁ, ẞ, Vietnamese letters); U+1EFC–1EFF are Middle Welsh, not in DIN 91379
    expect(missing(style, 0x1e00, 0x1efb)).toEqual([]);
    // combining marks used by the DIN 91379 sequences (e.g. L̥, C̄, K͟H)
    const marks = [
      0x300, 0x301, 0x302, 0x303, 0x304, 0x306, 0x307, 0x308, 0x30b, 0x30c, 0x313, 0x315, 0x31b, 0x323, 0x324, 0x325, 0x326, 0x327, 0x328, 0x32e, 0x331, 0x335, 0x338, 0x35f,
    ];
    const font = bundledFont(style);
    expect(marks.filter((c) => !font.hasGlyphForCodePoint(c)).map((c) => c.toString(16))).toEqual([]);
  });
});
