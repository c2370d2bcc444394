/**
 * Cutting text from a message to a bound without breaking a character: never between the two halves of a surrogate
 * pair, never before a combining mark, joiner or variation selector that belongs to the character before. Plain
 * TypeScript without Node or DOM: the PDF writer, the service's DTOs and the renderer use the same rule.
 */

// eslint-disable-next-line no-misleading-character-class -- single code points are tested one at a time: nothing in the class can combine
const JOINING = /^[\p{M}\u200d\ufe00-\ufe0f\u{e0100}-\u{e01ef}\u{1f3fb}-\u{1f3ff}]$/u;
const joiningCache = new Map<number, boolean>();

/** A code point that belongs to the character before it (combining mark, joiner, variation selector): never cut before it. */
export function joinsPrevious(codePoint: number): boolean {
  if (codePoint < 0x300) return false;
  let joins = joiningCache.get(codePoint);
  if (joins === undefined) {
    joins = JOINING.test(String.fromCodePoint(codePoint));
    if (joiningCache.size < 4096) joiningCache.set(codePoint, joins);
  }
  return joins;
}

/** The largest index ≤ `at` where `text` may be cut between two characters (0 at the least). */
export function cutIndex(text: string, at: number): number {
  let cut = Math.min(at, text.length);
  while (cut > 0 && cut < text.length) {
    const code = text.charCodeAt(cut);
    const lowSurrogate = code >= 0xdc00 && code <= 0xdfff;
    if (!lowSurrogate && !joinsPrevious(text.codePointAt(cut)!)) break;
    cut--;
  }
  return cut;
}

/**
 * Text for a place of bounded length (a title, an outline entry, a list row, a DTO field): at most `maxChars` code
 * units, cut between characters, with "…" where it was cut.
 */
export function clipText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, cutIndex(text, maxChars - 1))}…`;
}
