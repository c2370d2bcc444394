/** The fetch service's errors: a PostfachError of one of the `serve-*` kinds, German first. */
import { PostfachError, type ErrorKind } from '../errors.js';

export type ServeErrorKind = Extract<ErrorKind, `serve-${string}`>;

export function serveError(kind: ServeErrorKind, words: { readonly de: string; readonly en: string }, detail: string): PostfachError {
  return new PostfachError(kind, words, detail);
}
