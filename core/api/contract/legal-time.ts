/**
 * The legal time in the contract: the codes of the Creation ("Eingang") check and of the time author certificates
 * were judged at (core/domain/legal-time.ts) as zod schemas, and their words in German and English from the one
 * words module per language (core/domain/words), so that the list, the reading pane, the Laufzettel, the PDF, the
 * receipt and the command line all say the same. Dates inside the sentences come from the caller, formatted by
 * core/time/office-time.ts.
 * The rule itself (tolerances, which time is used) is core/mailbox/legal-time.ts.
 * No Node and no DOM here (the renderer imports this file).
 */
import { z } from 'zod';
import { isoTime } from './fields.js';
import { CREATION_CHECK_CODES, VALIDITY_BASES, type CreationCheckCode } from '../../domain/legal-time.js';
import { both } from '../../domain/words/index.js';

export { CREATION_CHECK_CODES, isImplausible, isPlausible, VALIDITY_BASES, type CreationCheckCode, type ValidityBasis } from '../../domain/legal-time.js';

export const creationCheckCodeSchema = z.enum(CREATION_CHECK_CODES);

/** The stored and shown result of the Creation check (versioned JSON in the store). */
export const creationCheckSchema = z.strictObject({
  code: creationCheckCodeSchema,
  /** What an implausible Creation was compared with: the Forwarding stamp or the message's own creation time. */
  reference: isoTime.optional(),
  /** The tolerance of the comparison that failed, in seconds. */
  toleranceSeconds: z
    .number()
    .int()
    .nonnegative()
    .max(86_400 * 366)
    .optional(),
});
export type CreationCheck = z.infer<typeof creationCheckSchema>;

export const validityBasisSchema = z.enum(VALIDITY_BASES);

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
