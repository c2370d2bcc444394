/**
 * core/words/plural.ts: singular and plural by Intl.PluralRules, for German and English, as the renderer, the CLI,
 * the tray and the PDF export use it.
 */
import { describe, expect, it } from 'vitest';
import { plural } from '../../core/words/plural.js';

describe('plural (Intl.PluralRules)', () => {
  it('takes the singular for exactly one and the plural for zero, many and fractions', () => {
    expect([0, 1, 2, 21, 1.5].map((n) => plural('de', n, 'Tag', 'Tagen'))).toEqual(['Tagen', 'Tag', 'Tagen', 'Tagen', 'Tagen']);
    expect([0, 1, 2, 21, 1.5].map((n) => plural('en', n, 'day', 'days'))).toEqual(['days', 'day', 'days', 'days', 'days']);
  });
});
