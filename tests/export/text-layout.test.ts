/**
 * The PDF writer's own line layout (core/export/pdf/text-layout.ts): lines that pdfkit draws unchanged, linear work
 * however long a word is, bounds per value, and no break inside a character made of several code points.
 */
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { bundledFont } from '../../core/export/pdf/fonts.js';
import { clipText, GlyphWidths, layoutText, VALUE_BOUNDS, type Measure } from '../../core/export/pdf/text-layout.js';

const SIZE = 9.5;
const WIDTH = 318;

/** The measure the writer uses: advances from the font, the exact width from pdfkit (kerning included); counts the exact calls. */
function pdfkitMeasure(): Measure & { calls: number; exact: (line: string) => number } {
  const doc = new PDFDocument({ size: 'A4' });
  doc.registerFont('R', bundledFont('regular') as unknown as string);
  doc.font('R').fontSize(SIZE);
  const measure = {
    widths: new GlyphWidths(bundledFont('regular')),
    size: SIZE,
    calls: 0,
    exact: (line: string) => {
      measure.calls++;
      return doc.widthOfString(line);
    },
  };
  return measure;
}

describe('text layout for the PDF', () => {
  it('breaks a 200,000-character word into lines pdfkit finds no wider than the column, bounded per value', () => {
    const measure = pdfkitMeasure();
    const started = performance.now();
    const laid = layoutText('A'.repeat(200_000), measure, WIDTH, VALUE_BOUNDS);
    const ms = performance.now() - started;
    expect(laid.shortened).toBe(true);
    expect(laid.lines.length).toBe(VALUE_BOUNDS.maxLines);
    for (const line of laid.lines) expect(measure.exact(line)).toBeLessThanOrEqual(WIDTH);
    // filled: a line is never shorter than the column by more than one character
    expect(measure.exact(`${laid.lines[0]!}A`)).toBeGreaterThan(WIDTH);
    expect(ms).toBeLessThan(2_000);
  });

  it('does linear work: one pass, and a few exact measurements per line however long the word', () => {
    const measure = pdfkitMeasure();
    const unbounded = { maxChars: 2_000_000, maxLines: 1_000_000 };
    const laid = layoutText('W'.repeat(400_000), measure, WIDTH, unbounded);
    expect(laid.shortened).toBe(false);
    expect(laid.lines.join('')).toHaveLength(400_000);
    expect(measure.calls).toBeLessThanOrEqual(laid.lines.length * 7);
    // each line is measured exactly on its own: a few dozen characters, never the rest of the word
    expect(Math.max(...laid.lines.map((l) => l.length))).toBeLessThan(60);
  });

  it('breaks at spaces and after hyphens where it can, keeps hard line breaks, drops trailing spaces', () => {
    const measure = pdfkitMeasure();
    const words = Array.from({ length: 40 }, (_, i) => `Wort${i}`).join(' ');
    const laid = layoutText(`${words}\nzweite Zeile\n\nnach Leerzeile`, measure, WIDTH, VALUE_BOUNDS);
    expect(laid.shortened).toBe(false);
    // no word is cut
    for (const line of laid.lines) for (const word of line.split(' ')) expect(word === '' || /^(Wort\d+|zweite|Zeile|nach|Leerzeile)$/.test(word)).toBe(true);
    expect(laid.lines.join(' ').replace(/ +/g, ' ')).toBe(`${words} zweite Zeile  nach Leerzeile`.replace(/ +/g, ' '));
    expect(laid.lines.slice(-3)).toEqual(['zweite Zeile', '', 'nach Leerzeile']);
    for (const line of laid.lines) expect(line).not.toMatch(/ $/);
    const hyphenated = layoutText(`${'Müller-'.repeat(30)}Schmidt`, measure, WIDTH, VALUE_BOUNDS);
    for (const line of hyphenated.lines.slice(0, -1)) expect(line).toMatch(/-$/);
  });

  it('never breaks inside a surrogate pair or before a combining mark', () => {
    const measure = pdfkitMeasure();
    const emoji = '\u{1F600}'.repeat(3000);
    for (const line of layoutText(emoji, measure, 100, VALUE_BOUNDS).lines) expect(line).toMatch(/^(\u{1F600})+$/u);
    const marked = 'a\u0308\u0323'.repeat(5000);
    for (const line of layoutText(marked, measure, 100, VALUE_BOUNDS).lines) expect(line).toMatch(/^(a\u0308\u0323)+$/);
    // the bound falls inside a pair: the pair is left out, not half printed
    const bounded = layoutText(`A${'\u{1F600}'.repeat(10)}`, measure, WIDTH, { maxChars: 4, maxLines: 10 });
    expect(bounded).toEqual({ lines: ['A\u{1F600}'], shortened: true });
  });

  it('stops after the bounds of lines and characters and says so', () => {
    const measure = pdfkitMeasure();
    const many = layoutText('kurz\n'.repeat(1000), measure, WIDTH, { maxChars: 100_000, maxLines: 5 });
    expect(many).toEqual({ lines: ['kurz', 'kurz', 'kurz', 'kurz', 'kurz'], shortened: true });
    const exact = layoutText('kurz\n'.repeat(5), measure, WIDTH, { maxChars: 100_000, maxLines: 5 });
    expect(exact.shortened).toBe(false);
    expect(layoutText('', measure, WIDTH, VALUE_BOUNDS)).toEqual({ lines: [''], shortened: false });
  });

  it('clips single-line texts between characters with an ellipsis', () => {
    expect(clipText('kurz', 10)).toBe('kurz');
    expect(clipText('A'.repeat(200_000), 300)).toBe(`${'A'.repeat(299)}…`);
    expect(clipText(`${'A'.repeat(9)}\u{1F600}`, 10)).toBe(`${'A'.repeat(9)}…`);
    expect(clipText(`${'A'.repeat(8)}a\u0308\u0308`, 10)).toBe(`${'A'.repeat(8)}…`);
  });
});
