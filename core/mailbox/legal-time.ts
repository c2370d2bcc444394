/**
 * The legal time of a delivery (DESIGN.md "Policies" → Time; issue 10 "The legal time"):
 *
 *  1. The process card's Creation is the Eingang — when it is plausible: not later than the local clock at
 *     receipt, not later than the intermediary's own Forwarding stamp of the same delivery, and not earlier than
 *     the creation time the author wrote into the (signed) message, each beyond a stated tolerance. OSCI itself
 *     carries no sending time of the author (StoreDelivery has only the QualityOfTimestamp requests, PROTOCOL.md
 *     §4, §10); the XSozial `erstellungszeitpunkt` is the message's own creation time where the content is readable.
 *  2. Author certificates are judged at the Creation only when it is plausible, else at the time of receipt — a
 *     Creation set into the future cannot make a valid certificate look expired, one set back cannot make an
 *     expired certificate look valid.
 *  3. A certificate judged valid at the Eingang that has expired since is always said so (`expiredSince`).
 *
 * Pure functions on times; `judgingTimeOfRecord` gives the same rule for a stored delivery (re-evaluating stored
 * trust words uses it, so a re-evaluation judges at the same time as the fetch did).
 */
import { z } from 'zod';
import { CREATION_CHECK_CODES, type CreationCheck, type ValidityBasis } from '../domain/legal-time.js';
import type { DeliveryRecord, JsonValue, ProcessCardInput } from '../store/index.js';
import { toInstant } from '../time/office-time.js';

/**
 * How far the Creation may lie after the local clock at receipt. The intermediary's and the office PC's clocks
 * each drift; Windows domain members are held within Kerberos's maximum skew of 5 minutes (the default domain
 * policy), so a larger lead is no clock drift but a wrong stamp.
 */
export const CREATION_FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * How far the Creation may lie after the Forwarding of the same process card. Both are the intermediary's own
 * stamps from one clock, written in whole seconds: only the rounding of a second is allowed.
 */
export const CREATION_AFTER_FORWARDING_TOLERANCE_MS = 1_000;

/**
 * How far the Creation may lie before the message's own creation time. That time comes from the author's machine
 * (a platform server outside the office's control, its clock set by other people); 15 minutes allow a badly kept
 * clock there, while a Creation set back far enough to change a certificate's verdict (days, months) is caught.
 */
export const CREATION_BEFORE_MESSAGE_TOLERANCE_MS = 15 * 60_000;

export interface CreationFacts {
  /** The process card's plain Creation as delivered (xs:dateTime), or null. */
  readonly creation: string | null | undefined;
  /** The process card's plain Forwarding, or null. */
  readonly forwarding?: string | null | undefined;
  /** The local clock when the delivery was received (and stored). */
  readonly receivedAt: Date;
  /**
   * The message's own creation time (XSozial `erstellungszeitpunkt`), where the content is readable. Only a value
   * with a zone (Z or an offset) is compared: a zone-less one cannot be placed without guessing the author's zone.
   */
  readonly messageCreatedAt?: string | null | undefined;
}

const hasZone = (text: string): boolean => /(Z|[+-]\d{2}:\d{2})$/.test(text.trim());

/** The Creation check of a delivery (stored as a code, shown as words: core/domain/words). */
export function checkCreation(facts: CreationFacts): CreationCheck {
  if (facts.creation === null || facts.creation === undefined || facts.creation.trim() === '') return { code: 'missing' };
  const creation = toInstant(facts.creation);
  if (creation === undefined) return { code: 'unreadable' };
  const seconds = (ms: number): number => Math.round(ms / 1000);
  if (creation.getTime() - facts.receivedAt.getTime() > CREATION_FUTURE_TOLERANCE_MS) {
    return { code: 'future', reference: facts.receivedAt.toISOString(), toleranceSeconds: seconds(CREATION_FUTURE_TOLERANCE_MS) };
  }
  const forwarding = toInstant(facts.forwarding);
  if (forwarding !== undefined && creation.getTime() - forwarding.getTime() > CREATION_AFTER_FORWARDING_TOLERANCE_MS) {
    return { code: 'after-forwarding', reference: forwarding.toISOString(), toleranceSeconds: seconds(CREATION_AFTER_FORWARDING_TOLERANCE_MS) };
  }
  const created = facts.messageCreatedAt && hasZone(facts.messageCreatedAt) ? toInstant(facts.messageCreatedAt) : undefined;
  if (created !== undefined && created.getTime() - creation.getTime() > CREATION_BEFORE_MESSAGE_TOLERANCE_MS) {
    return { code: 'before-message-created', reference: created.toISOString(), toleranceSeconds: seconds(CREATION_BEFORE_MESSAGE_TOLERANCE_MS) };
  }
  return { code: 'plausible' };
}

export interface JudgingTime {
  readonly at: Date;
  readonly basis: ValidityBasis;
}

/** The time author certificates are judged at: the Creation when plausible, else the time of receipt. */
export function judgingTime(check: CreationCheck, creation: string | null | undefined, receivedAt: Date): JudgingTime {
  const at = check.code === 'plausible' ? toInstant(creation) : undefined;
  return at === undefined ? { at: receivedAt, basis: 'receipt' } : { at, basis: 'creation' };
}

/**
 * The end of validity of a certificate judged valid at `judgedAt` that has passed by `now` ("expired since"),
 * as ISO 8601; undefined when it had already expired at the judging time (then the verdict itself says so) or has
 * not expired yet.
 */
export function expiredSince(validTo: string | Date, judgedAt: Date, now: Date): string | undefined {
  const end = toInstant(validTo);
  if (end === undefined) return undefined;
  return end.getTime() >= judgedAt.getTime() && end.getTime() < now.getTime() ? end.toISOString() : undefined;
}

/** The stored check (versioned JSON) of a delivery; undefined when none was stored (fetched before schema 9). */
export function storedCreationCheck(value: JsonValue | null | undefined): CreationCheck | undefined {
  const parsed = storedCheck.safeParse(value);
  return parsed.success ? parsed.data.check : undefined;
}

/** The JSON the store keeps for a check. */
export function creationCheckJson(check: CreationCheck): JsonValue {
  return { version: 1, check: { ...check } };
}

const storedCheck = z.object({
  version: z.literal(1),
  check: z.strictObject({
    code: z.enum(CREATION_CHECK_CODES),
    reference: z.string().max(40).optional(),
    toleranceSeconds: z
      .number()
      .int()
      .nonnegative()
      .max(86_400 * 366)
      .optional(),
  }),
});

/**
 * The judging time of a stored delivery, by the same rule as at its fetch: its stored check, or — for a delivery
 * fetched before the check was stored — the check done again on the stored stamps (without the message's own
 * creation time, which would need the content read again).
 */
export function judgingTimeOfRecord(record: Pick<DeliveryRecord, 'processCard' | 'times'>): JudgingTime & { readonly check: CreationCheck } {
  const receivedAt = new Date(record.times.fetchedAt);
  const check =
    storedCreationCheck(record.processCard.creationCheck) ?? checkCreation({ creation: record.processCard.creation, forwarding: record.processCard.forwarding, receivedAt });
  return { ...judgingTime(check, record.processCard.creation, receivedAt), check };
}

/**
 * The stamps of a process card fetched after the delivery was stored (FetchProcessCard), as the store should record
 * them: Forwarding and Reception as given (a zone-less stamp is UTC); the Creation only where none was stored yet —
 * the one the certificates were judged at is never replaced — and then checked like at acceptance (without the
 * message's own creation time), the check stored with it.
 */
export function laterProcessCard(
  stored: Pick<DeliveryRecord, 'processCard' | 'times'>,
  card: { readonly creation?: string | undefined; readonly forwarding?: string | undefined; readonly reception?: string | undefined },
): ProcessCardInput {
  const iso = (value: string | undefined): string | undefined => toInstant(value)?.toISOString();
  const forwarding = iso(card.forwarding);
  const reception = iso(card.reception);
  const creation = stored.processCard.creation === null ? iso(card.creation) : undefined;
  const check =
    creation === undefined
      ? undefined
      : checkCreation({ creation: card.creation, forwarding: card.forwarding ?? stored.processCard.forwarding, receivedAt: new Date(stored.times.fetchedAt) });
  return {
    ...(creation === undefined ? {} : { creation }),
    ...(check === undefined ? {} : { creationCheck: creationCheckJson(check) }),
    ...(forwarding === undefined ? {} : { forwarding }),
    ...(reception === undefined ? {} : { reception }),
  };
}
