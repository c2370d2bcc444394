/**
 * German (and English) labels for element and attribute names: the curated table in
 * resources/xsozial/labels.de.json first, then labels from a user-loaded XSD bundle, then a humanised element name
 * (`nameNatuerlichePerson` → "Name natürliche Person").
 */
import { readResourceJson } from './resources.js';
import type { Label } from './view-schema.js';

export type ValueType = 'boolean' | 'date' | 'amount' | 'iban';

export type { Label } from './view-schema.js';

interface LabelEntry extends Label {
  readonly type?: ValueType;
}

export interface LabelSource {
  /** Label for an element given its local-name path from the root (last entry = the element itself). */
  label(path: readonly string[]): Label;
  /** Formatting hint for an element's value, if the curated table has one. */
  valueType(path: readonly string[]): ValueType | undefined;
}

/** Labels from an XSD bundle: element name → xs:documentation text (German). */
export type XsdLabels = ReadonlyMap<string, string>;

let curated: Map<string, LabelEntry> | undefined;

function curatedTable(): Map<string, LabelEntry> {
  if (!curated) {
    const file = readResourceJson('xsozial', 'labels.de.json') as { labels: Record<string, LabelEntry> };
    curated = new Map(Object.entries(file.labels));
  }
  return curated;
}

const MAX_SUFFIX = 4;

function lookup(table: Map<string, LabelEntry>, path: readonly string[]): LabelEntry | undefined {
  for (let n = Math.min(MAX_SUFFIX, path.length); n >= 1; n--) {
    const hit = table.get(path.slice(path.length - n).join('/'));
    if (hit) return hit;
  }
  return undefined;
}

export function createLabelSource(xsdLabels?: XsdLabels): LabelSource {
  const table = curatedTable();
  return {
    label(path) {
      const hit = lookup(table, path);
      if (hit) return { de: hit.de, en: hit.en };
      const name = path[path.length - 1] ?? '';
      const fromXsd = xsdLabels?.get(name.replace(/^@/, ''));
      if (fromXsd) return { de: fromXsd, en: humanise(name) };
      const human = humanise(name);
      return { de: human, en: human };
    },
    valueType(path) {
      return lookup(table, path)?.type;
    },
  };
}

const UMLAUT_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/ae/g, 'ä'],
  [/oe/g, 'ö'],
  [/ue/g, 'ü'],
];
/** Words where the ae/oe/ue spelling is no umlaut. */
const KEEP_SPELLING =
  /^(?:neue?[nrs]?|steuer\w*|feuer\w*|aktuel\w*|manuel\w*|individuel\w*|quelle\w*|dauer\w*|bauer\w*|mauer\w*|trauer\w*|israel\w*|michael|raphael|poet\w*|koexist\w*|bauerwartungsland|uebrig)$/i;

/** `nameNatuerlichePerson` → "Name natürliche Person", `identifikation.nachricht` → "Identifikation Nachricht". */
export function humanise(name: string): string {
  const bare = name.replace(/^@/, '').replace(/^[^:]*:/, '');
  const words = bare
    .replace(/[._-]+/g, ' ')
    .replace(/([a-zäöüß])([A-ZÄÖÜ])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => (KEEP_SPELLING.test(w) ? w : UMLAUT_WORDS.reduce((s, [re, r]) => s.replace(re, r), w)));
  return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : isNounLike(words, i) ? w : w.toLowerCase())).join(' ');
}

/** In camelCase element names every later word starts upper-case; German keeps nouns capitalised, adjectives not. */
function isNounLike(words: readonly string[], i: number): boolean {
  const w = words[i]!;
  if (w !== w.charAt(0).toUpperCase() + w.slice(1)) return false;
  // an adjective before a noun ("natürliche Person"): ends like an inflected adjective and is followed by a word
  return !(i < words.length - 1 && /(?:e|en|er|es|em)$/.test(w) && /(?:lich|ig|isch|ale|iche|ische|ige|ene|ete)[a-z]*$/i.test(w));
}
