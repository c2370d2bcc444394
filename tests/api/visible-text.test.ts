import { describe, expect, it } from 'vitest';
import { hasHiddenChars, isolatedText, visibleSegments, visibleText } from '../../core/visible-text.js';

describe('visible text: hidden characters shown as tokens', () => {
  it('writes the right-to-left override of "Antrag<U+202E>fdp.exe" visibly, in logical order', () => {
    expect(visibleText('Antrag\u202Efdp.exe')).toBe('Antrag⟨U+202E⟩fdp.exe');
  });

  it('shows every bidi control, the marks, zero-width and other format characters', () => {
    const hidden = [
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u202E',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u200E',
      '\u200F',
      '\u061C',
      '\u200B',
      '\u200C',
      '\u200D',
      '\u2060',
      '\uFEFF',
      '\u00AD',
      '\u{E0041}',
      '\u3164',
      '\u115F',
      '\u034F',
      '\u2028',
      '\u2029',
    ];
    for (const char of hidden) {
      const shown = visibleText(`a${char}b`);
      expect(shown).toMatch(/^a⟨U\+[0-9A-F]{4,5}⟩b$/);
      expect(hasHiddenChars(shown)).toBe(false);
      expect(hasHiddenChars(`a${char}b`)).toBe(true);
    }
    expect(visibleText('\u{E0041}')).toBe('⟨U+E0041⟩');
  });

  it('shows control characters; multi-line values may keep tab and line breaks', () => {
    expect(visibleText('Zeile 1\nZeile 2\t\u0007')).toBe('Zeile 1⟨U+000A⟩Zeile 2⟨U+0009⟩⟨U+0007⟩');
    expect(visibleText('Zeile 1\r\nZeile 2\tx\u202E', { lineBreaks: true })).toBe('Zeile 1\nZeile 2\tx⟨U+202E⟩');
  });

  it('leaves ordinary text, umlauts, right-to-left letters and emoji alone, and is idempotent', () => {
    for (const text of ['Müller-Lüdenscheidt, Ärztin', 'Straße 5 a', 'محمد', 'שלום', '😀', '']) expect(visibleText(text)).toBe(text);
    const once = visibleText('x\u202Ey\u200Bz');
    expect(visibleText(once)).toBe(once);
  });

  it('cuts text into runs and tokens for a UI that marks the tokens', () => {
    expect(visibleSegments('Antrag\u202Efdp.exe')).toEqual([{ text: 'Antrag' }, { text: '⟨U+202E⟩', hidden: '\u202E' }, { text: 'fdp.exe' }]);
    expect(visibleSegments('a\nb', { lineBreaks: true })).toEqual([{ text: 'a\nb' }]);
    expect(visibleSegments('').length).toBe(0);
    expect(
      visibleSegments('x\u200B\u200By')
        .map((s) => s.text)
        .join(''),
    ).toBe(visibleText('x\u200B\u200By'));
  });

  it('isolates plain text between FSI and PDI, the value itself visible', () => {
    expect(isolatedText('a\u202Eb')).toBe('\u2068a⟨U+202E⟩b\u2069');
  });
});
