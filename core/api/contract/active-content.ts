/**
 * Contract area "active content" (issue 17, "Im Standardprogramm öffnen"): what the service found in a document's
 * bytes that the program opening it may run (core/xsozial/active-content.ts decides), as codes with German and
 * English words, and the shell method that hands a private copy to the operating system's program. No Node and no
 * DOM here (the renderer and the preload import this file).
 */
import { z } from 'zod';
import { serviceMethod, shellMethod } from '../contract-kit.js';
import { ACTIVE_CONTENT_CODES } from '../../xsozial/active-content-codes.js';

/** The codes core/xsozial/active-content.ts decides (declared once in core/xsozial/active-content-codes.ts). */
export const activeContentCodeSchema = z.lazy(() => z.enum(ACTIVE_CONTENT_CODES));
export type ActiveContentCodeDto = z.infer<typeof activeContentCodeSchema>;

export { ACTIVE_CONTENT_WORDS } from './active-content-words.js';

/** A finding as its code; its words (ACTIVE_CONTENT_WORDS) are said where shown. */
export const activeFindingSchema = z.lazy(() => z.strictObject({ code: activeContentCodeSchema }));
export const activeContentSchema = z.lazy(() => z.strictObject({ findings: z.array(activeFindingSchema).max(activeContentCodeSchema.unwrap().options.length) }));

const storeId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** The same document reference as messages.documentChunk takes (an inline document or an OSCI attachment). */
const openableRef = z.lazy(() =>
  z.union([
    z.strictObject({ source: z.literal('inline'), ordinal: z.number().int().nonnegative().max(1_000_000) }),
    z.strictObject({ source: z.literal('attachment'), attachmentId: storeId }),
  ]),
);

export const activeContentMethods = {
  /** What in this document's bytes the program opening it may run ([] = nothing found). Not audited: nothing leaves. */
  'messages.documentActiveContent': serviceMethod(
    () => z.strictObject({ id: storeId, document: openableRef }),
    () => activeContentSchema,
  ),
  /**
   * Desktop app: a private temporary copy of the document (its content-derived name, the Mark-of-the-Web, audited as
   * "exportiert") opened with the operating system's program. When the document holds active content and
   * `acceptActive` is false, nothing is written or opened and the findings come back (`opened: false`) for the
   * warning. Browser mode answers `shell-unavailable` (the UI offers the download instead).
   */
  'document.openExternally': shellMethod(
    () => z.strictObject({ id: storeId, document: openableRef, acceptActive: z.boolean() }),
    () => z.strictObject({ opened: z.boolean(), findings: activeContentSchema.unwrap().shape.findings }),
  ),
  /** Desktop app: the document in a window of its own (sandboxed, the same CSP); browser mode: `shell-unavailable`. */
  'window.openDocument': shellMethod(
    () => z.strictObject({ id: storeId, document: openableRef }),
    () => z.strictObject({ opened: z.boolean() }),
  ),
};

/** The findings as the contract carries them (codes), in the order of the codes. */
export function activeFindings(codes: readonly ActiveContentCodeDto[]): z.infer<typeof activeFindingSchema>[] {
  return codes.map((code) => ({ code }));
}
