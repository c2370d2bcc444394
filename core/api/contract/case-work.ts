/**
 * Contract area "case work" (issue 17, Outlook habits): what the office notes on an application — Aktenzeichen,
 * a note, a Wiedervorlage day — as plain values (the UI says the words). Stored in the encrypted store, each change
 * audited (core/store/case-work.ts). No Node and no DOM here (the renderer imports this file).
 */
import { z } from 'zod';

import { AKTENZEICHEN_MAX, NOTE_MAX } from './case-work-limits.js';

export { AKTENZEICHEN_MAX, NOTE_MAX } from './case-work-limits.js';

/** A calendar day of the office, "2026-12-10" (a Wiedervorlage is due on a day, not at a moment). */
export const officeDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const caseWorkSchema = z.lazy(() =>
  z.strictObject({
    aktenzeichen: z.string().max(AKTENZEICHEN_MAX).nullable(),
    note: z.string().max(NOTE_MAX).nullable(),
    followUpOn: officeDaySchema.nullable(),
  }),
);
export type CaseWorkDto = z.infer<typeof caseWorkSchema>;

/** A change: a field left out stays as it is; null or blanks remove it. */
export const caseWorkPatchSchema = z.lazy(() =>
  z.strictObject({
    aktenzeichen: z
      .string()
      .max(AKTENZEICHEN_MAX + 200)
      .nullable()
      .optional(),
    note: z
      .string()
      .max(NOTE_MAX + 200)
      .nullable()
      .optional(),
    followUpOn: officeDaySchema.nullable().optional(),
  }),
);
