import { describe, expect, it } from 'vitest';
import { nameSortKey } from '../../core/store/sort-key.js';

const collator = new Intl.Collator('de');
const byCollator = (a: readonly [string, string], b: readonly [string, string]) => collator.compare(a[0], b[0]) || collator.compare(a[1], b[1]);
const byKey = (a: readonly [string, string], b: readonly [string, string]) => {
  const x = nameSortKey(a[0], a[1])!;
  const y = nameSortKey(b[0], b[1])!;
  return x < y ? -1 : x > y ? 1 : 0;
};

describe('name sort key (German collation, compared byte by byte in SQLite)', () => {
  it('orders family name, then given name, as Intl.Collator("de") does', () => {
    const names: Array<[string, string]> = [
      ['Şükran', 'Ayşe'],
      ['Sükran', 'Bea'],
      ['Sven', 'Václav'],
      ['Renée', 'Anna'],
      ['Łukasiewicz', 'Jan'],
      ['Lutz', 'Ole'],
      ['Müller', 'Hans'],
      ['Mueller', 'Hans'],
      ['Muller', 'Hans'],
      ['müller', 'a'],
      ['Ärger', 'Ali'],
      ['Arndt', 'Zoe'],
      ['Strauß', 'Lea'],
      ['Strauss', 'Lea'],
      ['Øvergård', 'Kari'],
      ['Oberle', 'K'],
      ['van der Berg', 'Jan'],
      ['Berg', 'Anna'],
      ['Bergmann', 'Anna'],
      ['Đorđević', 'Ana'],
      ['Dorn', 'Max'],
      ["O'Neil", 'Sean'],
      ['Æbelø', 'A'],
      ['Abt', 'A'],
      ['Zoë', 'x'],
      ['Zoe', 'x'],
    ];
    expect([...names].sort(byKey)).toEqual([...names].sort(byCollator));
  });

  it('agrees with the collator on many generated DIN 91379 names, NFC or NFD', () => {
    const letters = [...'aäàáâåbcçčdđeéèëfgğhiıíjklłmnñoöøóprsşšßtuüúvwxyzžæœAÄÅBCČDĐEÉFGHIİKLŁMNOÖØPRSŞŠTUÜVWZŽÆ- '];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const word = () =>
      Array.from({ length: 2 + Math.floor(random() * 6) }, () => letters[Math.floor(random() * letters.length)])
        .join('')
        .trim() || 'x';
    const names: Array<[string, string]> = Array.from({ length: 600 }, () => [word(), word()]);
    const sorted = [...names].sort(byKey);
    for (let i = 1; i < sorted.length; i++) expect(byCollator(sorted[i - 1]!, sorted[i]!)).toBeLessThanOrEqual(0);
    // the same name decomposed (u + combining diaeresis) gets the same key
    expect(nameSortKey('Mu\u0308ller', 'Jo\u0308rg')).toBe(nameSortKey('Müller', 'Jörg'));
  });

  it('has no key without a name', () => {
    expect(nameSortKey('  ', '')).toBeNull();
  });
});
