/**
 * The active-content check of one stored document (core/xsozial/active-content.ts decides on the bytes): reads at
 * most `MAX_CHECKED_BYTES` of it through the same source the viewer and the export read, so the check sees exactly
 * the bytes that would be opened.
 */
import { activeContentOf, MAX_CHECKED_BYTES, type ActiveContentCode } from '../xsozial/active-content.js';
import { documentBytes, type DetailStore, type DocumentRef, type ViewCache } from './message-detail.js';
import { readRange } from './stored-content.js';

export async function documentActiveContent(store: DetailStore, id: number, ref: DocumentRef, cache: ViewCache): Promise<ActiveContentCode[]> {
  const source = await documentBytes(store, id, ref, cache);
  const bytes = await readRange(source, 0, Math.min(source.size, MAX_CHECKED_BYTES));
  return activeContentOf(bytes, source.size);
}
