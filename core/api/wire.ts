/**
 * What crosses a process or network boundary besides the contract's own payloads: the result envelope of a call
 * and the serialised PostfachError. Errors cross as data (not as thrown objects) because Electron's contextBridge
 * and structured clone both drop an Error's own properties (kind, detail) on the way.
 */
import { z } from 'zod';
import { ERROR_KINDS } from '../error-kinds.js';
import { PostfachError, toPostfachError, type PostfachErrorJson } from '../errors.js';

export const postfachErrorJsonSchema = z.object({
  kind: z.enum(ERROR_KINDS),
  osciCode: z.string().max(20).optional(),
  message: z.string().max(2000),
  messageEn: z.string().max(2000),
  detail: z.string().max(4000),
}) satisfies z.ZodType<PostfachErrorJson>;

export type CallResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: PostfachErrorJson };

/** The envelope as it arrives, before the value is checked against the method's output schema. */
export const callResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: postfachErrorJsonSchema }),
]);

/** Brings a serialised error back to life on the receiving side, so callers catch one error type everywhere. */
export function errorFromJson(json: PostfachErrorJson): PostfachError {
  return new PostfachError(json.kind, { de: json.message, en: json.messageEn }, json.detail, json.osciCode === undefined ? {} : { osciCode: json.osciCode });
}

export function failure(error: unknown): { ok: false; error: PostfachErrorJson } {
  return { ok: false, error: toPostfachError(error).toJSON() };
}

export function success<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}
