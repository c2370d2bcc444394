/**
 * What you see is what is there: text that came from a message (names, file names, subjects, values) is shown
 * with every character that would otherwise be invisible or would silently rearrange what is around it written out
 * as a visible token, "⟨U+202E⟩". The same function serves the UI, the PDF, the CLI and the exported file names,
 * so screen, paper and disk agree. Runs anywhere (Node, the renderer — like core/errors.ts): no Node built-ins, no
 * packages.
 *
 * Shown as a token (decided for issue 16):
 *  - every format character (Unicode category Cf): the bidi controls U+202A–202E and U+2066–2069, the marks
 *    U+200E/200F/061C, zero-width space/joiners U+200B–200D, word joiner U+2060, U+FEFF, the soft hyphen U+00AD
 *    (invisible except at a line end, so "Mül­ler" would differ from "Müller" unseen), tag characters, …;
 *  - control characters (Cc: U+0000–001F, U+007F–009F) and the line/paragraph separators U+2028/2029 — a line
 *    break inside a name could fake a line of the program's own text; multi-line values may keep theirs
 *    (`lineBreaks`);
 *  - letters that are drawn as nothing (Hangul fillers U+115F, U+1160, U+3164, U+FFA0, the combining grapheme
 *    joiner U+034F).
 * The notation "⟨U+XXXX⟩" (mathematical angle brackets, the code point in hex) reads the same in German and
 * English, cannot be typed by accident, and is allowed in file names on Windows, macOS and Linux.
 *
 * Joiners inside emoji sequences and ZWNJ in Persian names are shown as tokens too: honest display of who wrote
 * what wins over typography in an evidence context.
 */

// eslint-disable-next-line no-misleading-character-class -- U+034F (combining grapheme joiner) is matched on its own: it is invisible
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u034F]/gu;
// eslint-disable-next-line no-misleading-character-class -- as above
const HIDDEN_KEEPING_LINES = /(?![\t\n])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u034F]/gu;

/** The token for one hidden character: "⟨U+202E⟩". */
export function hiddenCharToken(char: string): string {
  return `⟨U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

export interface VisibleTextOptions {
  /** Keep tab and line feed (CR LF and lone CR become LF) — for multi-line values; names never keep them. */
  readonly lineBreaks?: boolean;
}

/** The text with every hidden character written as its token; idempotent (tokens are plain visible text). */
export function visibleText(text: string, options: VisibleTextOptions = {}): string {
  if (options.lineBreaks) return text.replace(/\r\n?/g, '\n').replace(HIDDEN_KEEPING_LINES, hiddenCharToken);
  return text.replace(HIDDEN, hiddenCharToken);
}

/** Whether the text holds a character `visibleText` would write as a token. */
export function hasHiddenChars(text: string): boolean {
  HIDDEN.lastIndex = 0;
  const found = HIDDEN.test(text);
  HIDDEN.lastIndex = 0;
  return found;
}

/** The text cut into plain runs and hidden characters, for a UI that marks the tokens (same tokens as visibleText). */
export type VisibleSegment = { readonly text: string; readonly hidden?: undefined } | { readonly text: string; readonly hidden: string };

export function visibleSegments(text: string, options: VisibleTextOptions = {}): VisibleSegment[] {
  const source = options.lineBreaks ? text.replace(/\r\n?/g, '\n') : text;
  const pattern = options.lineBreaks ? HIDDEN_KEEPING_LINES : HIDDEN;
  const out: VisibleSegment[] = [];
  let at = 0;
  for (const match of source.matchAll(pattern)) {
    const index = match.index;
    if (index > at) out.push({ text: source.slice(at, index) });
    out.push({ text: hiddenCharToken(match[0]), hidden: match[0] });
    at = index + match[0].length;
  }
  if (at < source.length) out.push({ text: source.slice(at) });
  return out;
}

/**
 * For plain-text places that cannot hold a <bdi> element (accessible names, status messages, window titles): the
 * visible text between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, so a right-to-left name cannot reorder
 * the program's own words around it.
 */
export function isolatedText(text: string): string {
  return `\u2068${visibleText(text)}\u2069`;
}
