/**
 * Values put into words the same way wherever they are shown (the XSozial view, the PDF, the command line): yes or
 * no, an amount in euros, a size in bytes. Runs anywhere (no Node, no DOM). German first: the office's language,
 * and the default where a caller gives none.
 */
import type { WordsLanguage } from './plural.js';

const YES_NO: Readonly<Record<WordsLanguage, readonly [yes: string, no: string]>> = { de: ['Ja', 'Nein'], en: ['Yes', 'No'] };

/** true → "Ja" / "Yes". */
export function yesNo(value: boolean, language: WordsLanguage = 'de'): string {
  return YES_NO[language][value ? 0 : 1];
}

/**
 * A decimal amount as written ("1234.5", "-20") in euros: "1.234,50 €" / "€1,234.50". The digits are taken as
 * written (never through a float), with at least two after the separator.
 */
export function amount(raw: string, language: WordsLanguage = 'de'): string {
  const negative = raw.startsWith('-');
  const [int = '', frac = ''] = raw.replace('-', '').split('.');
  const [group, decimal] = language === 'de' ? ['.', ','] : [',', '.'];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const number = `${grouped}${decimal}${(frac + '00').slice(0, Math.max(2, frac.length))}`;
  return language === 'de' ? `${negative ? '−' : ''}${number} €` : `${negative ? '−' : ''}€${number}`;
}

/** 1536 → "1,5 KB" / "1.5 KB" (1 KB = 1024 bytes); below 1 KB the exact count: "512 Byte" / "512 bytes". */
export function bytes(n: number, language: WordsLanguage = 'de'): string {
  if (n < 1024) return language === 'de' ? `${n} Byte` : `${n} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value.toFixed(1);
  return `${language === 'de' ? shown.replace('.', ',') : shown} ${units[unit]}`;
}
