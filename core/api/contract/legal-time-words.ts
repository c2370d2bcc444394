/**
 * The legal time's codes in words, German and English, from the one words module per language (core/domain/words),
 * without zod: the renderer imports this file (the contract's schemas are in legal-time.ts, which re-exports it).
 * Dates inside the sentences come from the caller, formatted by core/time/office-time.ts. No Node and no DOM here.
 */
import type { CreationCheckCode } from '../../domain/legal-time.js';
import { both } from '../../domain/words/index.js';

export type { CreationCheckCode } from '../../domain/legal-time.js';

export interface LegalWords {
  readonly de: string;
  readonly en: string;
}

/** The short flag where there is little room (a list row, in the Eingang's place): "nicht plausibel" / "unbekannt". */
export function creationFlagWords(code: CreationCheckCode): LegalWords {
  return both((w) => (code === 'missing' ? w.creationFlagMissing : w.creationFlagImplausible));
}

/** The check in words, e.g. "Eingang nicht plausibel: liegt in der Zukunft". */
export function creationCheckWords(code: CreationCheckCode): LegalWords {
  return both((w) => w.creationCheck[code]);
}

/**
 * What the caseworker is told beside an implausible or missing Creation: the time of receipt stands in for it,
 * e.g. "abgerufen am 05.12.2026, 12:58:49 Uhr (MEZ, UTC+01:00); Zertifikate zu diesem Zeitpunkt geprüft".
 */
export function receivedInsteadWords(receivedAt: LegalWords): LegalWords {
  return both((w, language) => w.receivedInstead(receivedAt[language]));
}

/** Where there is little room (a list row): "Abruf 05.12.2026, 12:58" / "fetched 05/12/2026, 12:58". */
export function fetchedShortWords(receivedAt: LegalWords): LegalWords {
  return both((w, language) => w.fetchedShort(receivedAt[language]));
}

/** Why certificates were judged at the time of receipt (said beside the signature result). */
export const JUDGED_AT_RECEIPT_WORDS: LegalWords = both((w) => w.judgedAtReceipt);

/** A certificate judged valid at the Eingang that has expired since; `validTo` already formatted (office time). */
export function expiredSinceWords(validTo: LegalWords): LegalWords {
  return both((w, language) => w.expiredSince(validTo[language]));
}
