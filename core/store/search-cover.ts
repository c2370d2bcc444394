/**
 * A search's matches looked up in the narrow index of migration 19 (`deliveries_search_cover`: id, trash mark,
 * Eingang, read mark, transfer mark) instead of the table, where the query asks nothing else of a message: the
 * matches are sorted and counted from the index, and only the page's rows are read from the table. SQLite's
 * planner would take the table for a lookup by id every time (it does not weigh how wide the rows are), so the
 * index is named (`INDEXED BY`).
 *
 * Which queries: sorted by Eingang (the default, and the only grouped sort) with any of the conditions below; a
 * query that asks more of a message (attachments, test, follow-up, a team view, another sort) keeps the table.
 */
import type { ListQuery } from './records.js';

export const SEARCH_COVER_INDEX = 'deliveries_search_cover';

/** The query's conditions and sort read only the index's columns (the per-person read mark reads delivery_reads). */
export function searchCovered(query: ListQuery): boolean {
  return (
    (query.sort ?? 'eingang') === 'eingang' &&
    query.withAttachments === undefined &&
    query.test === undefined &&
    query.unreadable === undefined &&
    query.legalHold === undefined &&
    query.followUp === undefined &&
    query.view === undefined
  );
}

/** The FROM clause of a search with the messages looked up in the index: `deliveries d ON` becomes indexed. */
export function coveredFrom(from: string): string {
  if (!from.includes('CROSS JOIN deliveries d ON ')) throw new Error(`search-cover: unexpected FROM clause ${from.slice(0, 80)}`);
  return from.replace('CROSS JOIN deliveries d ON ', `CROSS JOIN deliveries d INDEXED BY ${SEARCH_COVER_INDEX} ON `);
}
