/**
 * Line layout of text for the PDF writer in bounded time and memory, whatever an application puts into a value.
 *
 * pdfkit's own line wrapper breaks a word wider than the line by measuring ever shorter and then the remaining
 * slices of it again and again (time and memory grow with the square of the word's length: 40,000 × "A" took
 * minutes and gigabytes). Here every glyph is measured once (advance widths from the font, cached per code point),
 * lines are filled greedily in one pass, a word wider than the line is broken between two characters (never inside
 * a character made of several code points), and the pass stops after a fixed number of characters and lines: what
 * is left is replaced by a notice. The writer hands the finished lines to pdfkit, which then has no word wider than
 * its line to break.
 *
 * Takes text as it is to be printed: cleaning or making characters visible (e.g. bidi controls) happens before.
 */
import type { Font } from 'fontkit';
import { joinsPrevious } from '../../text-bounds.js';

export { clipText } from '../../text-bounds.js';

/** What a shortened value says, per kind of document (the e-file PDF carries the XML; the others do not). */
export const SHORTENED = {
  efile: { de: '… (gekürzt, vollständig in der XML-Anlage)', en: '… (shortened, complete in the XML attachment)' },
  standalone: { de: '… (gekürzt, vollständig in der Nachricht im Postfach)', en: '… (shortened, complete in the message in the mailbox)' },
} as const;
export type ShortenedNotice = (typeof SHORTENED)[keyof typeof SHORTENED];

/** Bounds of one block of text: at most this many UTF-16 code units are read, at most this many lines produced. */
export interface TextBounds {
  readonly maxChars: number;
  readonly maxLines: number;
}

/** A value in a table cell: at most about one and a half pages. */
export const VALUE_BOUNDS: TextBounds = { maxChars: 4000, maxLines: 60 };
/** A label, a heading, a banner: a few lines. */
export const LABEL_BOUNDS: TextBounds = { maxChars: 400, maxLines: 8 };
/** A paragraph of the program's own text with values in it (notes, log lines). */
export const PARAGRAPH_BOUNDS: TextBounds = { maxChars: 4000, maxLines: 60 };

export interface LaidOut {
  readonly lines: readonly string[];
  /** Text was left out (characters or lines beyond the bounds). */
  readonly shortened: boolean;
}

/** Advance width of a code point in points at a font size, from the font's glyph (cached per font and code point). */
export class GlyphWidths {
  private readonly units = new Map<number, number>();
  private readonly scale: number;

  constructor(private readonly font: Font) {
    this.scale = 1 / font.unitsPerEm;
  }

  /** Width at font size 1 (multiply by the size). */
  unit(codePoint: number): number {
    let width = this.units.get(codePoint);
    if (width === undefined) {
      width = this.font.glyphForCodePoint(codePoint).advanceWidth * this.scale;
      this.units.set(codePoint, width);
    }
    return width;
  }
}

const LINE_FEED = 0x0a;

const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

function isHardBreak(cp: number): boolean {
  return cp === LINE_FEED || cp === CARRIAGE_RETURN || cp === 0x2028 || cp === 0x2029 || cp === 0x85 || cp === 0x0b || cp === 0x0c;
}

function isSpace(cp: number): boolean {
  return cp === SPACE || cp === TAB;
}

/** After these a line may end (besides spaces): hyphen, slash, as in compound names, dates and addresses. */
function isBreakAfter(cp: number): boolean {
  return cp === 0x2d || cp === 0x2f || cp === 0x2010 || cp === 0x2013;
}

/** How text is measured: glyph advances (fast, per code point) and, where given, the exact width of a line as pdfkit draws it. */
export interface Measure {
  readonly widths: GlyphWidths;
  readonly size: number;
  /**
   * The width pdfkit gives a line (kerning included). The advances alone can be a little narrower than that; a line
   * found too wide is laid out again a little shorter.
   */
  readonly exact?: (line: string) => number;
}

interface LineEnd {
  /** End of the line's text (trailing spaces left out). */
  readonly stop: number;
  /** Where the next line starts. */
  readonly next: number;
}

/** The next line from `pos`: as much as fits into `limit` points, ending after a space or hyphen where there is one. */
function scanLine(text: string, pos: number, end: number, measure: Measure, limit: number): LineEnd {
  let lineWidth = 0;
  /** Index after the last place the line may end (after spaces, a hyphen). */
  let breakAt = -1;
  let i = pos;
  const trimmed = (stop: number): number => {
    let s = stop;
    while (s > pos && isSpace(text.charCodeAt(s - 1))) s--;
    return s;
  };
  const afterSpaces = (from: number): number => {
    let n = from;
    while (n < end && isSpace(text.charCodeAt(n))) n++;
    return n;
  };
  while (i < end) {
    const cp = text.codePointAt(i)!;
    const step = cp > 0xffff ? 2 : 1;
    if (isHardBreak(cp)) return { stop: trimmed(i), next: cp === CARRIAGE_RETURN && text.charCodeAt(i + 1) === LINE_FEED ? i + 2 : i + step };
    const w = measure.widths.unit(cp) * measure.size;
    if (lineWidth + w > limit && i > pos && !joinsPrevious(cp)) {
      // a space that does not fit ends the line and is dropped
      if (isSpace(cp)) return { stop: trimmed(i), next: afterSpaces(i) };
      if (breakAt > pos) return { stop: trimmed(breakAt), next: breakAt };
      // no place to break in the line: between two characters
      return { stop: i, next: i };
    }
    lineWidth += w;
    i += step;
    if ((isSpace(cp) || isBreakAfter(cp)) && i < end && !joinsPrevious(text.codePointAt(i)!)) breakAt = i;
  }
  return { stop: i, next: i };
}

/**
 * Lays `text` out in lines no wider than `width` points, reading at most `bounds.maxChars` code units and
 * producing at most `bounds.maxLines` lines. One pass over the text (a line found too wide by the exact measure is
 * scanned again, a few times at most): linear in the characters read, never in the length of the value.
 */
export function layoutText(text: string, measure: Measure, width: number, bounds: TextBounds): LaidOut {
  let end = Math.min(text.length, bounds.maxChars);
  // the bound falls inside a surrogate pair: the pair is left out
  const last = text.charCodeAt(end - 1);
  if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
  const lines: string[] = [];
  let pos = 0;
  while (pos < end || lines.length === 0) {
    if (lines.length >= bounds.maxLines) return { lines, shortened: true };
    let limit = width - 0.01;
    let line = scanLine(text, pos, end, measure, limit);
    for (let attempt = 0; measure.exact !== undefined && attempt < 6 && line.stop - pos > 1; attempt++) {
      const exact = measure.exact(text.slice(pos, line.stop));
      if (exact <= width) break;
      limit = Math.max(0, limit * (width / exact) - 0.25);
      line = scanLine(text, pos, end, measure, limit);
    }
    lines.push(text.slice(pos, line.stop));
    pos = line.next;
  }
  return { lines, shortened: end < text.length };
}
