/**
 * Text for the full-text index and the queries against it. SQLite's `unicode61 remove_diacritics 2` folds letters
 * that decompose (ä → a, ş → s, é → e), but not the DIN 91379 letters that have no decomposition — Ł, Ø, Đ, Ħ, ß,
 * Æ, Œ, Þ ... — so "Lukasiewicz" would not find "Łukasiewicz". We therefore fold in JS, the same way for the
 * indexed text and for the query: the letters below are transliterated, everything else is NFD-decomposed and its
 * combining marks dropped, then lower-cased. Letters with a second customary spelling are indexed both ways
 * (ü → u and ue, ø → o and oe, å → a and aa, đ → d and dj), so "Muller", "Mueller" and "Müller" all find "Müller",
 * "Djordjevic" and "Dordevic" find "Đorđević"; "Strasse" finds "Straße".
 *
 * The folding is part of the index format: changing it needs a migration that rebuilds the index.
 */

/** Letters without a canonical decomposition (DIN 91379 Latin repertoire) and their search form. */
const TRANSLITERATION: Readonly<Record<string, string>> = {
  Ł: 'L', ł: 'l', Ø: 'O', ø: 'o', Đ: 'D', đ: 'd', Ð: 'D', ð: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l',
  Ŧ: 'T', ŧ: 't', ß: 'ss', ẞ: 'SS', Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe', Þ: 'TH', þ: 'th', ĸ: 'k', ŉ: 'n',
  Ŋ: 'N', ŋ: 'n', ſ: 's', Ǥ: 'G', ǥ: 'g', Ɨ: 'I', ɨ: 'i', Ƶ: 'Z', ƶ: 'z', Ʒ: 'EZH', ʒ: 'ezh',
};
const TRANSLITERATED = new RegExp(`[${Object.keys(TRANSLITERATION).join('')}]`, 'gu');
/** Letters with a second customary transliteration, indexed in both forms. */
const ALTERNATE_SPELLING: Readonly<Record<string, string>> = {
  ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ø: 'oe', Ø: 'Oe', å: 'aa', Å: 'Aa', đ: 'dj', Đ: 'Dj',
};
const HAS_ALTERNATE = new RegExp(`[${Object.keys(ALTERNATE_SPELLING).join('')}]`, 'u');
const ALTERNATES = new RegExp(HAS_ALTERNATE.source, 'gu');

/** The search form of a text: transliterated, diacritics removed, lower case. */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFC')
    .replace(TRANSLITERATED, (c) => TRANSLITERATION[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
}

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

const MAX_QUERY_TERMS = 12;

/**
 * An FTS5 query from what the caseworker typed: every word must occur, each as a prefix ("Muster" finds
 * "Musterfrau"). Only letters and digits reach FTS5, so the input cannot inject query syntax.
 * Returns undefined when nothing searchable was typed.
 */
export function ftsQuery(typed: string, column?: 'names'): string | undefined {
  const terms = foldForSearch(typed)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, MAX_QUERY_TERMS);
  if (terms.length === 0) return undefined;
  // a column filter before each term: every word must occur in that column
  return terms.map((t) => `${column ? `${column} : ` : ''}"${t}"*`).join(' ');
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
