/**
 * The legal time in the contract: the codes of the Creation ("Eingang") check and of the time author certificates
 * were judged at (core/domain/legal-time.ts) as zod schemas, and their words in German and English from the one
 * words module per language (core/domain/words), so that the list, the reading pane, the Laufzettel, the PDF, the
 * receipt and the command line all say the same. Dates inside the sentences come from the caller, formatted by
 * core/time/office-time.ts.
 * The rule itself (tolerances, which time is used) is core/mailbox/legal-time.ts.
 * No Node and no DOM here. The words are in legal-time-words.ts (no zod: the renderer imports that file).
 */
import { z } from 'zod';
import { isoTime } from './fields.js';
import { CREATION_CHECK_CODES, VALIDITY_BASES } from '../../domain/legal-time.js';

export { CREATION_CHECK_CODES, isImplausible, isPlausible, VALIDITY_BASES, type CreationCheckCode, type ValidityBasis } from '../../domain/legal-time.js';

export const creationCheckCodeSchema = z.lazy(() => z.enum(CREATION_CHECK_CODES));

/** The stored and shown result of the Creation check (versioned JSON in the store). */
export const creationCheckSchema = z.lazy(() =>
  z.strictObject({
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
  }),
);
export type CreationCheck = z.infer<typeof creationCheckSchema>;

export const validityBasisSchema = z.lazy(() => z.enum(VALIDITY_BASES));

export { creationCheckWords, creationFlagWords, expiredSinceWords, fetchedShortWords, JUDGED_AT_RECEIPT_WORDS, receivedInsteadWords, type LegalWords } from './legal-time-words.js';
