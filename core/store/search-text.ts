/**
 * Text for the full-text index and the queries against it. SQLite's `unicode61 remove_diacritics 2` folds letters
 * that decompose (ä → a, ş → s, é → e), but not the DIN 91379 letters that have no decomposition — Ł, Ø, Đ, Ħ, ß,
 * Æ, Œ, Þ ... — so "Lukasiewicz" would not find "Łukasiewicz". We therefore fold in JS, the same way for the
 * indexed text and for the query (core/search-fold.ts, shared with the highlight in the UI): the letters without a decomposition are transliterated, everything else is NFD-decomposed and its
 * combining marks dropped, then lower-cased. Letters with a second customary spelling are indexed both ways
 * (ü → u and ue, ø → o and oe, å → a and aa, đ → d and dj), so "Muller", "Mueller" and "Müller" all find "Müller",
 * "Djordjevic" and "Dordevic" find "Đorđević"; "Strasse" finds "Straße".
 *
 * The folding is part of the index format: changing it needs a migration that rebuilds the index.
 */

import { ALTERNATE_SPELLING, foldForSearch, searchTerms } from '../search-fold.js';

export { foldForSearch } from '../search-fold.js';

const HAS_ALTERNATE = new RegExp(`[${Object.keys(ALTERNATE_SPELLING).join('')}]`, 'u');
const ALTERNATES = new RegExp(HAS_ALTERNATE.source, 'gu');

/** Text to put into the index: the folded text plus the second spelling of each word that has one. */
export function indexText(text: string): string {
  const folded = foldForSearch(text);
  const nfc = text.normalize('NFC');
  if (!HAS_ALTERNATE.test(nfc)) return folded;
  const alternates = new Set<string>();
  for (const word of nfc.split(/[^\p{L}\p{N}]+/u)) {
    if (HAS_ALTERNATE.test(word)) alternates.add(foldForSearch(word.replace(ALTERNATES, (c) => ALTERNATE_SPELLING[c] ?? c)));
  }
  return `${folded} ${[...alternates].join(' ')}`;
}

/**
 * An FTS5 query from what the caseworker typed: every word must occur, each as a prefix ("Muster" finds
 * "Musterfrau"). Only letters and digits reach FTS5, so the input cannot inject query syntax.
 * Returns undefined when nothing searchable was typed.
 */
export function ftsQuery(typed: string, column?: 'names'): string | undefined {
  const terms = searchTerms(typed);
  if (terms.length === 0) return undefined;
  // a column filter before each term: every word must occur in that column
  return terms.map((t) => `${column ? `${column} : ` : ''}"${t}"*`).join(' ');
}

/** The words of a search one by one, each an FTS5 prefix query (for matching each word in one of several indexes). */
export function ftsTerms(typed: string): string[] {
  return searchTerms(typed).map((t) => `"${t}"*`);
}

const MAX_BODY_TEXT = 512 * 1024;

/**
 * Searchable text of a content document: for XML (or any markup) the text between the tags and the attribute
 * values, with the five predefined and numeric character references decoded — nothing else is expanded, so a
 * hostile document (entity bomb) stays inert. Content that is not UTF-8 yields no text.
 */
export function contentText(bytes: Uint8Array): string {
  let text: string;
  try {
    // stream: a multi-byte character cut at the limit is dropped instead of failing the whole text
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, MAX_BODY_TEXT), { stream: true });
  } catch {
    return '';
  }
  return text
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*?>/g, (tag) => ` ${[...tag.matchAll(/=\s*["']([^"']*)["']/g)].map((m) => m[1]).join(' ')} `)
    .replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (_m, ref: string) => {
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (ref.startsWith('#')) {
        const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return named[ref.toLowerCase()] ?? ' ';
    })
    .replace(/\s+/g, ' ')
    .trim();
}
