/**
 * core/words/format.ts: yes/no, amounts and sizes in words, German and English, as the XSozial view, the PDF and
 * the command line say them.
 */
import { describe, expect, it } from 'vitest';
import { amount, bytes, yesNo } from '../../core/words/format.js';

describe('values in words', () => {
  it('yes and no', () => {
    expect([yesNo(true), yesNo(false), yesNo(true, 'en'), yesNo(false, 'en')]).toEqual(['Ja', 'Nein', 'Yes', 'No']);
  });

  it('amounts keep the digits as written, at least two after the separator', () => {
    expect(amount('1234567.5')).toBe('1.234.567,50 €');
    expect(amount('-20')).toBe('−20,00 €');
    expect(amount('0.125')).toBe('0,125 €');
    expect(amount('1234567.5', 'en')).toBe('€1,234,567.50');
    expect(amount('-20', 'en')).toBe('−€20.00');
  });

  it('sizes: exact below 1 KB, one decimal above (1 KB = 1024 bytes)', () => {
    expect([bytes(0), bytes(1023), bytes(1536), bytes(5 * 1024 * 1024), bytes(3 * 1024 ** 4)]).toEqual(['0 Byte', '1023 Byte', '1,5 KB', '5,0 MB', '3072,0 GB']);
    expect([bytes(512, 'en'), bytes(1536, 'en')]).toEqual(['512 bytes', '1.5 KB']);
  });
});
