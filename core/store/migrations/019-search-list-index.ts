import type { Migration } from './migration.js';

/**
 * The list's columns of every message in one narrow index, for searches (issue 14; schema 19), measured with
 * 100,000 messages (bench/ui-list.ts). A search finds its matches through the full-text index and then looked each
 * one up in the table for its trash mark and Eingang, to sort them and count them: a name in 8,334 messages read
 * and decrypted nearly every page of the table on the first search after opening (125 ms CPU, 0.3–0.5 s; 15 ms
 * once cached). Looked up in this index instead (a few dozen bytes per message, `INDEXED BY` in
 * core/store/search-cover.ts), the same search reads a few hundred pages: 17 ms CPU cold; only the page's 100
 * rows are then read from the table.
 *
 * `WHERE id IS NOT NULL` (true of every message) keeps the planner from taking this index for the plain views: only
 * a statement that says something of `d.id` (the search's `d.id = s.rowid`) may use it; a view's page and count keep
 * their own partial indexes (migrations 5 and 18; tests/store/list-plans.test.ts).
 */
export const migration019: Migration = {
  version: 19,
  name: 'search-list-index',
  up(db) {
    db.exec(`CREATE INDEX deliveries_search_cover ON deliveries(id, trashed_at, eingang, read_at, transferred_at) WHERE id IS NOT NULL;`);
  },
};
