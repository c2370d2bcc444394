/**
 * How long an Aktenzeichen and a note may be, without zod: the renderer says so before the store refuses (the
 * contract's schemas are in case-work.ts, which re-exports these). No Node and no DOM here.
 */

/** At most this long (the store refuses longer; the UI says so before). */
export const AKTENZEICHEN_MAX = 100;
export const NOTE_MAX = 4000;
