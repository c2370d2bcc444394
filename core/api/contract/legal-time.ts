/**
 * The legal time in the contract: the codes the fetch engine stores for the Creation ("Eingang") check and for the
 * time author certificates were judged at, and their words in German and English, so that the list, the reading
 * pane, the Laufzettel, the PDF, the receipt and the command line all say the same. Codes are stored, never the
 * sentences; dates inside the sentences come from the caller, formatted by core/time/office-time.ts.
 * The rule itself (tolerances, which time is used) is core/mailbox/legal-time.ts.
 * No Node and no DOM here (the renderer imports this file).
 */
import { z } from 'zod';
import { isoTime } from './fields.js';

/**
 * plausible: the Creation is the Eingang · missing: the process card carries no readable plain Creation (the time
 * of receipt is shown instead) · unreadable: a Creation that is no date-time · future: later than the local clock
 * at receipt · after-forwarding: later than the intermediary's own Forwarding stamp of the same delivery ·
 * before-message-created: earlier than the creation time the author wrote (and signed) into the message.
 */
export const CREATION_CHECK_CODES = ['plausible', 'missing', 'unreadable', 'future', 'after-forwarding', 'before-message-created'] as const;
export type CreationCheckCode = (typeof CREATION_CHECK_CODES)[number];
export const creationCheckCodeSchema = z.enum(CREATION_CHECK_CODES);

/** The stored and shown result of the Creation check (versioned JSON in the store). */
export const creationCheckSchema = z.strictObject({
  code: creationCheckCodeSchema,
  /** What an implausible Creation was compared with: the Forwarding stamp or the message's own creation time. */
  reference: isoTime.optional(),
  /** The tolerance of the comparison that failed, in seconds. */
  toleranceSeconds: z.number().int().nonnegative().max(86_400 * 366).optional(),
});
export type CreationCheck = z.infer<typeof creationCheckSchema>;

/** Whether the Creation is the Eingang that counts (and certificates were judged at it). */
export const isPlausible = (code: CreationCheckCode | null | undefined): boolean => code === 'plausible' || code === null || code === undefined;

/** An implausible Creation (one that is there but cannot be taken as the Eingang). */
export const isImplausible = (code: CreationCheckCode | null | undefined): boolean => code === 'future' || code === 'after-forwarding' || code === 'before-message-created' || code === 'unreadable';

/** Which time author certificates were judged at: the (plausible) Creation, or the time of receipt. */
export const VALIDITY_BASES = ['creation', 'receipt'] as const;
export const validityBasisSchema = z.enum(VALIDITY_BASES);
export type ValidityBasis = z.infer<typeof validityBasisSchema>;

export interface LegalWords {
  readonly de: string;
  readonly en: string;
}

const CREATION_WORDS: Readonly<Record<CreationCheckCode, LegalWords>> = {
  plausible: { de: 'Eingang plausibel', en: 'Eingang plausible' },
  missing: { de: 'Eingang unbekannt: der Laufzettel nennt keinen Zeitpunkt', en: 'Eingang unknown: the process card gives no time' },
  unreadable: { de: 'Eingang nicht plausibel: der Zeitstempel des Intermediärs ist kein gültiger Zeitpunkt', en: "Eingang not plausible: the intermediary's time stamp is no valid time" },
  future: { de: 'Eingang nicht plausibel: liegt in der Zukunft', en: 'Eingang not plausible: it lies in the future' },
  'after-forwarding': { de: 'Eingang nicht plausibel: liegt nach der Weiterleitung an dieses Postfach', en: 'Eingang not plausible: it lies after the forwarding to this mailbox' },
  'before-message-created': { de: 'Eingang nicht plausibel: liegt vor der Erstellung der Nachricht', en: 'Eingang not plausible: it lies before the message was created' },
};

/** The short flag where there is little room (a list row, in the Eingang's place): "nicht plausibel" / "unbekannt". */
export function creationFlagWords(code: CreationCheckCode): LegalWords {
  return code === 'missing' ? { de: 'unbekannt', en: 'unknown' } : { de: 'nicht plausibel', en: 'not plausible' };
}

/** The check in words, e.g. "Eingang nicht plausibel: liegt in der Zukunft". */
export function creationCheckWords(code: CreationCheckCode): LegalWords {
  return CREATION_WORDS[code];
}

/**
 * What the caseworker is told beside an implausible or missing Creation: the time of receipt stands in for it,
 * e.g. "abgerufen am 05.12.2026, 12:58:49 Uhr (MEZ, UTC+01:00); Zertifikate zu diesem Zeitpunkt geprüft".
 */
export function receivedInsteadWords(receivedAt: LegalWords): LegalWords {
  return {
    de: `abgerufen am ${receivedAt.de}; Zertifikate zu diesem Zeitpunkt geprüft`,
    en: `fetched on ${receivedAt.en}; certificates checked at that time`,
  };
}

/** Where there is little room (a list row): "Abruf 05.12.2026, 12:58" / "fetched 05/12/2026, 12:58". */
export function fetchedShortWords(receivedAt: LegalWords): LegalWords {
  return { de: `Abruf ${receivedAt.de}`, en: `fetched ${receivedAt.en}` };
}

/** Why certificates were judged at the time of receipt (said beside the signature result). */
export const JUDGED_AT_RECEIPT_WORDS: LegalWords = {
  de: 'Zertifikat zum Zeitpunkt des Abrufs geprüft, weil der Eingang nicht plausibel oder unbekannt ist',
  en: 'certificate checked at the time of fetching, because the Eingang is not plausible or unknown',
};

/** A certificate judged valid at the Eingang that has expired since; `validTo` already formatted (office time). */
export function expiredSinceWords(validTo: LegalWords): LegalWords {
  return {
    de: `Zertifikat inzwischen abgelaufen (gültig bis ${validTo.de}); zum Eingang war es gültig`,
    en: `certificate expired since (valid until ${validTo.en}); it was valid at the Eingang`,
  };
}
