/** The words of the domain's codes in the language asked for, and both languages side by side where both are kept. */
import { de } from './de.js';
import { en } from './en.js';
import { warningSentence, type EvidenceWords, type Language, type WarningWordsInput } from './words.js';

export type { EvidenceWords, Language, WarningWordsInput } from './words.js';
export { coverageSentence, inspectionSentence, signatureSentence, warningSentence } from './words.js';

export const WORDS: Readonly<Record<Language, EvidenceWords>> = { de, en };

/**
 * A certificate warning in a language's words, its certificate's days formatted by `day` (the caller's office-time
 * formatter: "03.05.2036" in German, "2036-05-03" in English).
 */
export function certificateWarningWords(
  language: Language,
  warning: Omit<WarningWordsInput, 'validFrom' | 'validTo'> & { readonly validFrom: string; readonly validTo: string },
  day: (iso: string) => string,
): string {
  return warningSentence(WORDS[language], { ...warning, validFrom: day(warning.validFrom), validTo: day(warning.validTo) });
}

export function wordsOf(language: Language): EvidenceWords {
  return WORDS[language];
}

/** Both languages from one function of the words: `both((w) => w.signatureResult.valid)` → {de, en}. */
export function both(say: (w: EvidenceWords, language: Language) => string): { de: string; en: string } {
  return { de: say(de, 'de'), en: say(en, 'en') };
}
