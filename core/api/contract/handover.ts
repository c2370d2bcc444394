/**
 * Contract area "handover": the hand-over folder for the case system (core/handover/). After every fetch the service
 * hands the new deliveries over by itself; `handover.run` does it now (e.g. after IT made the folder writable again),
 * `handover.again` writes one delivery once more into a new folder `<name>-erneut-<n>`, audited. No Node and no DOM.
 */
import { z } from 'zod';
import { serviceMethod } from '../contract-kit.js';
import { postfachErrorJsonSchema } from '../wire.js';
import { count, noInput } from './fields.js';

const storeId = z.number().int().positive();
const folderName = z.string().max(300);

/** What a run of the hand-over did; `error` when it stopped early (the rest stays pending). */
export const handoverRunSchema = z.lazy(() =>
  z.strictObject({
    handedOver: count,
    /** Written as `.error` only (not readable, quarantined). */
    refused: count,
    pending: count,
    error: postfachErrorJsonSchema.optional(),
  }),
);
export type HandoverRunDto = z.infer<typeof handoverRunSchema>;

export const handoverMethods = {
  'handover.run': serviceMethod(
    () => noInput,
    () => handoverRunSchema,
  ),
  'handover.again': serviceMethod(
    () => z.strictObject({ id: storeId }),
    () => z.strictObject({ folder: folderName, state: z.enum(['done', 'error']), path: z.string().max(4000) }),
  ),
};

export const handoverEvents = {};
