import type { Migration } from './migration.js';

/**
 * The office's own notes on an application (issue 17, "Outlook habits"; schema 14): an Aktenzeichen (the file number in the
 * case management system), a free note, and a Wiedervorlage (follow-up) day. Plain values only — the words around
 * them are the UI's. `follow_up_on` is a calendar day of the office ("2026-12-10"), not a moment: a Wiedervorlage is
 * due on a day wherever the clock of the machine stands.
 *
 * The values are searchable through an index of their own (`case_work_search`, contentless like delivery_search,
 * rowid = deliveries.id): the delivery's index holds text from the message that is never read back, so it cannot be
 * rewritten when a note changes. A search matches each word in either index (delivery-queries.ts).
 *
 * The Wiedervorlage view reads its partial index in due order, like the other views (migration 5).
 */
export const migration014: Migration = {
  version: 14,
  name: 'case-work',
  up(db) {
    db.exec(`
      ALTER TABLE deliveries ADD COLUMN aktenzeichen TEXT;   -- NULL: none
      ALTER TABLE deliveries ADD COLUMN note TEXT;           -- NULL: none
      ALTER TABLE deliveries ADD COLUMN follow_up_on TEXT;   -- 'YYYY-MM-DD', the office's day; NULL: not flagged
      CREATE INDEX deliveries_follow_up ON deliveries(follow_up_on, eingang) WHERE trashed_at IS NULL AND follow_up_on IS NOT NULL;
      CREATE VIRTUAL TABLE case_work_search USING fts5(
        aktenzeichen, note,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
      );
    `);
  },
};
