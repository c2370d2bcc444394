/**
 * The sort key of a name for the list's "Antragsteller/in" order: family name, then given name, in German
 * collation (Intl.Collator 'de': "Şükran" beside "Sükran", "Ä" with "A", "ß" as "ss", "Ł" with "L").
 *
 * SQLite pages the list and compares TEXT byte by byte (better-sqlite3 registers no collations), so the key is
 * computed when a delivery is saved and kept in `applicant_sort`. It mirrors the collator's three levels: every
 * character is replaced by the weight of its group at base strength (letters), then — for names equal so far — by
 * its rank within that group at accent strength (accents), then at full strength (case). Weights are code points
 * from U+0100 up, in the collator's order, so comparing keys byte by byte (UTF-8 keeps code point order) orders as
 * the collator does. The weights come from sorting a fixed repertoire (the Latin letters of DIN 91379, digits,
 * space and punctuation) with the collator; letters the collator expands (ß → ss, æ → ae) are expanded first. The
 * levels are separated by U+0001, family and given name by U+0002 — both sort before every weight, so "Berg" comes
 * before "Bergmann". A character outside the repertoire sorts after all letters, by its code point.
 *
 * The key format is part of the store: a change needs a migration that computes every key again.
 */
import { SORT_WEIGHTS } from './sort-weights.generated.js';

const LEVEL = '\u0001';
const NAMES = '\u0002';
const UNKNOWN = '\uF000';

/** Letters the German collator treats as two at base strength (ranked after the two plain letters). */
export const EXPANSIONS: Readonly<Record<string, string>> = { ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ĳ: 'ij', Ĳ: 'IJ' };

/** Fixed-width base-36 fields of one entry of SORT_WEIGHTS: code point (3), primary, secondary, tertiary rank (2 each). */
export const ENTRY_FIELDS = [3, 2, 2, 2] as const;

interface Weights {
  readonly primary: string;
  readonly secondary: string;
  readonly tertiary: string;
}

let table: Map<string, Weights> | undefined;

/**
 * The weights of the repertoire, read from the generated table (sort-weights.generated.ts, made with the German ICU
 * collator by sort-weights-icu.ts): sorting the repertoire with three collators here cost about 40 ms of CPU in every
 * process that saved a delivery (issue 14).
 */
function weightTable(): Map<string, Weights> {
  if (table) return table;
  const [cpDigits, ...rankDigits] = ENTRY_FIELDS;
  const entryLength = ENTRY_FIELDS.reduce((a, b) => a + b, 0);
  const weights = new Map<string, Weights>();
  for (const line of SORT_WEIGHTS) {
    for (let at = 0; at < line.length; at += entryLength) {
      const cp = parseInt(line.slice(at, at + cpDigits), 36);
      let from = at + cpDigits;
      const [primary, secondary, tertiary] = rankDigits.map((digits) => {
        const rank = parseInt(line.slice(from, from + digits), 36);
        from += digits;
        return weight(rank);
      }) as [string, string, string];
      weights.set(String.fromCodePoint(cp), { primary, secondary, tertiary });
    }
  }
  table = weights;
  return weights;
}

function weight(n: number): string {
  return String.fromCharCode(0x100 + n);
}

/** The three levels of one name part. */
function levels(text: string): [string, string, string] {
  const w = weightTable();
  let p = '';
  let s = '';
  let t = '';
  for (const c of text.normalize('NFC')) {
    const expanded = EXPANSIONS[c];
    if (expanded !== undefined) {
      for (const e of expanded) {
        p += w.get(e)?.primary ?? '';
        // after the plain letters at the accent level ("Strauss" before "Strauß")
        s += weight(0x3000);
        t += w.get(e)?.tertiary ?? '';
      }
      continue;
    }
    const hit = w.get(c);
    if (hit !== undefined) {
      p += hit.primary;
      s += hit.secondary;
      t += hit.tertiary;
    } else if (/\p{M}/u.test(c)) {
      // a combining mark NFC could not join: an accent on the character before
      s += weight(0x3001);
    } else {
      p += `${UNKNOWN}${c}`;
      s += weight(0);
      t += weight(0);
    }
  }
  return [p, s, t];
}

/** The key of a name: family name, then given name, in German collation; null when there is no name. */
export function nameSortKey(family: string, given: string): string | null {
  const f = family.trim();
  const g = given.trim();
  if (f === '' && g === '') return null;
  return `${levels(f).join(LEVEL)}${NAMES}${levels(g).join(LEVEL)}`;
}
