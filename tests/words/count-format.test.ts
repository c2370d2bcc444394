/**
 * The UI's counts go through one cached Intl.NumberFormat per locale (renderer/src/format/count.ts) instead of
 * `toLocaleString` at every call (which set up a formatter each time: issue 14, the list at 100,000 messages).
 * The text must stay exactly what `toLocaleString` wrote, in both languages, for every size a list count takes.
 */
import { describe, expect, it } from 'vitest';
import { formatCount } from '../../renderer/src/format/count.js';

describe('formatCount', () => {
  it('writes what toLocaleString writes, German and English', () => {
    const samples = [0, 1, 7, 999, 1000, 8334, 12_345, 100_000, 1_234_567, 2 ** 31];
    for (const locale of ['de-DE', 'en-GB']) for (const n of samples) expect(formatCount(n, locale)).toBe(n.toLocaleString(locale));
    expect(formatCount(100_000, 'de-DE')).toBe('100.000');
    expect(formatCount(100_000, 'en-GB')).toBe('100,000');
  });

  it('keeps one formatter per locale and does not mix them up', () => {
    expect(formatCount(1000, 'de-DE')).toBe('1.000');
    expect(formatCount(1000, 'en-GB')).toBe('1,000');
    expect(formatCount(1000, 'de-DE')).toBe('1.000');
  });
});
