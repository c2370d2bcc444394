/**
 * The legal time of a delivery as codes (DESIGN.md "Policies" → Time): the Creation ("Eingang") check and the time
 * author certificates were judged at. The store keeps these codes, never sentences; the rule that makes them is
 * core/mailbox/legal-time.ts, their words are words/de.ts and words/en.ts. No Node and no DOM here (runs anywhere).
 */

/**
 * plausible: the Creation is the Eingang · missing: the process card carries no readable plain Creation (the time
 * of receipt is shown instead) · unreadable: a Creation that is no date-time · future: later than the local clock
 * at receipt · after-forwarding: later than the intermediary's own Forwarding stamp of the same delivery ·
 * before-message-created: earlier than the creation time the author wrote (and signed) into the message.
 */
export const CREATION_CHECK_CODES = ['plausible', 'missing', 'unreadable', 'future', 'after-forwarding', 'before-message-created'] as const;
export type CreationCheckCode = (typeof CREATION_CHECK_CODES)[number];

/** The result of the Creation check as stored (versioned JSON in the store) and shown. */
export interface CreationCheck {
  readonly code: CreationCheckCode;
  /** What an implausible Creation was compared with: the Forwarding stamp or the message's own creation time. */
  readonly reference?: string | undefined;
  /** The tolerance of the comparison that failed, in seconds. */
  readonly toleranceSeconds?: number | undefined;
}

/** Whether the Creation is the Eingang that counts (and certificates were judged at it). */
export const isPlausible = (code: CreationCheckCode | null | undefined): boolean => code === 'plausible' || code === null || code === undefined;

/** An implausible Creation (one that is there but cannot be taken as the Eingang). */
export const isImplausible = (code: CreationCheckCode | null | undefined): boolean =>
  code === 'future' || code === 'after-forwarding' || code === 'before-message-created' || code === 'unreadable';

/** Which time author certificates were judged at: the (plausible) Creation, or the time of receipt. */
export const VALIDITY_BASES = ['creation', 'receipt'] as const;
export type ValidityBasis = (typeof VALIDITY_BASES)[number];
