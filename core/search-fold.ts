/**
 * The search form of a text, shared by the full-text index (core/store/search-text.ts) and the highlight of what a
 * search matched (the renderer): both must fold the same way, or a row would match without a mark to show why.
 * Runs anywhere (no Node built-ins, no packages).
 *
 * SQLite's `unicode61 remove_diacritics 2` folds letters that decompose (ä → a, ş → s, é → e), but not the DIN 91379
 * letters without a decomposition — Ł, Ø, Đ, Ħ, ß, Æ, Œ, Þ ... — so they are transliterated here; everything else is
 * NFD-decomposed and its combining marks dropped, then lower-cased. The folding is part of the index format:
 * changing it needs a migration that rebuilds the index.
 */

/** Letters without a canonical decomposition (DIN 91379 Latin repertoire) and their search form (a table: kept compact). */
// prettier-ignore
const TRANSLITERATION: Readonly<Record<string, string>> = {
  Ł: 'L', ł: 'l', Ø: 'O', ø: 'o', Đ: 'D', đ: 'd', Ð: 'D', ð: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l',
  Ŧ: 'T', ŧ: 't', ß: 'ss', ẞ: 'SS', Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe', Þ: 'TH', þ: 'th', ĸ: 'k', ŉ: 'n',
  Ŋ: 'N', ŋ: 'n', ſ: 's', Ǥ: 'G', ǥ: 'g', Ɨ: 'I', ɨ: 'i', Ƶ: 'Z', ƶ: 'z', Ʒ: 'EZH', ʒ: 'ezh',
};
const TRANSLITERATED = new RegExp(`[${Object.keys(TRANSLITERATION).join('')}]`, 'gu');

/** Letters with a second customary transliteration (ü → ue), indexed in both forms. */
// prettier-ignore
export const ALTERNATE_SPELLING: Readonly<Record<string, string>> = {
  ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ø: 'oe', Ø: 'Oe', å: 'aa', Å: 'Aa', đ: 'dj', Đ: 'Dj',
};
const ALTERNATES = new RegExp(`[${Object.keys(ALTERNATE_SPELLING).join('')}]`, 'gu');

/** The search form of a text: transliterated, diacritics removed, lower case. */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFC')
    .replace(TRANSLITERATED, (c) => TRANSLITERATION[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
}

/** At most this many words of a search count (the rest is ignored, as by the index query). */
export const MAX_SEARCH_TERMS = 12;

/** The words of what the caseworker typed, folded: each must occur as a prefix of a word. */
export function searchTerms(typed: string): string[] {
  return foldForSearch(typed)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, MAX_SEARCH_TERMS);
}

/** A word as the index tokenizer sees it: letters, digits and their combining marks. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Where in `text` the search `terms` (folded, from searchTerms) match: the start of every word whose search form
 * begins with a term, as [start, end) in UTF-16 units of `text` — the matched prefix only ("Muster" in
 * "Musterfrau"); a word found through its second spelling ("Mueller" finds "Müller") is marked whole.
 */
export function matchRanges(text: string, terms: readonly string[]): Array<readonly [number, number]> {
  if (terms.length === 0 || text.length === 0) return [];
  const ranges: Array<readonly [number, number]> = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const folded = foldForSearch(word);
    const prefix = terms.filter((t) => folded.startsWith(t)).reduce((a, b) => Math.max(a, b.length), 0);
    if (prefix > 0) {
      ranges.push([match.index, match.index + originalLength(word, prefix)]);
      continue;
    }
    const alternate = foldForSearch(word.replace(ALTERNATES, (c) => ALTERNATE_SPELLING[c] ?? c));
    if (alternate !== folded && terms.some((t) => alternate.startsWith(t))) ranges.push([match.index, match.index + word.length]);
  }
  return ranges;
}

/** How many UTF-16 units of `word` fold to (at least) `foldedLength` characters, whole code points only. */
function originalLength(word: string, foldedLength: number): number {
  let folded = 0;
  let at = 0;
  for (const char of word) {
    if (folded >= foldedLength && foldForSearch(char).length > 0) break;
    folded += foldForSearch(char).length;
    at += char.length;
  }
  return at;
}
