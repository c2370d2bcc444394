/**
 * Singular or plural of a counted word by the language's plural rules (Intl.PluralRules), the one place that
 * decides it instead of `n === 1` in every sentence. Runs anywhere (renderer, CLI, shell, PDF export).
 */
export type WordsLanguage = 'de' | 'en';

const RULES: Readonly<Record<WordsLanguage, Intl.PluralRules>> = {
  de: new Intl.PluralRules('de-DE'),
  en: new Intl.PluralRules('en'),
};

/** `one` where the language says the count takes the singular, `other` otherwise. */
export function plural(language: WordsLanguage, n: number, one: string, other: string): string {
  return RULES[language].select(n) === 'one' ? one : other;
}
