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

const LEVEL = '\u0001';
const NAMES = '\u0002';
const UNKNOWN = '\uF000';

/** Letters the German collator treats as two at base strength (ranked after the two plain letters). */
const EXPANSIONS: Readonly<Record<string, string>> = { ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ĳ: 'ij', Ĳ: 'IJ' };

function repertoire(): string[] {
  const chars = new Set<string>();
  const add = (from: number, to: number) => {
    for (let c = from; c <= to; c++) chars.add(String.fromCodePoint(c));
  };
  add(0x20, 0x7e); // ASCII letters, digits, space, punctuation
  add(0xa0, 0x24f); // Latin-1 Supplement, Latin Extended-A and -B
  add(0x1e00, 0x1eff); // Latin Extended Additional (ḍ, ṣ, …)
  for (const c of Object.keys(EXPANSIONS)) chars.delete(c);
  return [...chars].filter((c) => /[\p{L}\p{N}\p{Zs}\p{P}\p{S}]/u.test(c));
}

interface Weights {
  readonly primary: string;
  readonly secondary: string;
  readonly tertiary: string;
}

let table: Map<string, Weights> | undefined;

/** Ranks of `chars` under a comparison: equal ones share a rank. */
function ranks(chars: readonly string[], compare: (a: string, b: string) => number): Map<string, number> {
  const sorted = [...chars].sort((a, b) => compare(a, b) || (a < b ? -1 : 1));
  const out = new Map<string, number>();
  let rank = 0;
  sorted.forEach((c, i) => {
    if (i > 0 && compare(sorted[i - 1]!, c) !== 0) rank += 1;
    out.set(c, rank);
  });
  return out;
}

function weightTable(): Map<string, Weights> {
  if (table) return table;
  const base = new Intl.Collator('de', { sensitivity: 'base', usage: 'sort' });
  const accent = new Intl.Collator('de', { sensitivity: 'accent', usage: 'sort' });
  const full = new Intl.Collator('de', { sensitivity: 'variant', usage: 'sort' });
  const chars = repertoire();
  const groups = ranks(chars, (a, b) => base.compare(a, b));
  const members = new Map<number, string[]>();
  for (const c of chars) members.set(groups.get(c)!, [...(members.get(groups.get(c)!) ?? []), c]);
  const weights = new Map<string, Weights>();
  for (const [group, inGroup] of members) {
    const accents = ranks(inGroup, (a, b) => accent.compare(a, b));
    for (const c of inGroup) {
      const sameAccent = inGroup.filter((x) => accents.get(x) === accents.get(c));
      const cases = ranks(sameAccent, (a, b) => full.compare(a, b));
      weights.set(c, { primary: weight(group), secondary: weight(accents.get(c)!), tertiary: weight(cases.get(c)!) });
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
