/**
 * The result envelope of a call and the serialised PostfachError, as plain TypeScript without zod: what the
 * renderer and the bridge client need to send and read calls (wire.ts adds the zod schemas the program's side checks
 * them with, and re-exports these). Errors cross as data (not as thrown objects) because Electron's contextBridge and
 * structured clone both drop an Error's own properties (kind, detail) on the way.
 */
import { PostfachError, toPostfachError, type PostfachErrorJson } from '../errors.js';

export type CallResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: PostfachErrorJson };

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
