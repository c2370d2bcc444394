/**
 * What crosses a process or network boundary besides the contract's own payloads: the result envelope of a call
 * and the serialised PostfachError, as zod schemas for the program's side; the plain types and helpers are in
 * call-result.ts (no zod: the renderer uses them) and re-exported here.
 */
import { z } from 'zod';
import { ERROR_KINDS } from '../error-kinds.js';
import type { PostfachErrorJson } from '../errors.js';

export { errorFromJson, failure, success, type CallResult } from './call-result.js';

export const postfachErrorJsonSchema = z.lazy(() =>
  z.object({
    kind: z.enum(ERROR_KINDS),
    osciCode: z.string().max(20).optional(),
    message: z.string().max(2000),
    messageEn: z.string().max(2000),
    detail: z.string().max(4000),
  }),
) satisfies z.ZodType<PostfachErrorJson>;

/** The envelope as it arrives, before the value is checked against the method's output schema. */
export const callResultSchema = z.lazy(() =>
  z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: postfachErrorJsonSchema })]),
);
