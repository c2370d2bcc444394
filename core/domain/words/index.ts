/** The words of the domain's codes in the language asked for, and both languages side by side where both are kept. */
import { de } from './de.js';
import { en } from './en.js';
import type { EvidenceWords, Language } from './words.js';

export type { EvidenceWords, Language, WarningWordsInput } from './words.js';
export { coverageSentence, signatureSentence } from './words.js';

export const WORDS: Readonly<Record<Language, EvidenceWords>> = { de, en };

export function wordsOf(language: Language): EvidenceWords {
  return WORDS[language];
}

/** Both languages from one function of the words: `both((w) => w.signatureResult.valid)` → {de, en}. */
export function both(say: (w: EvidenceWords, language: Language) => string): { de: string; en: string } {
  return { de: say(de, 'de'), en: say(en, 'en') };
}
