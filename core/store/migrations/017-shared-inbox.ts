import type { Migration } from './migration.js';

/**
 * The shared inbox (issue 13; schema 17): several caseworkers on one store through `postfach serve`.
 *
 * - `claimed_by` / `claimed_at`: "in Bearbeitung durch …" — the person (as the audit log names them) who works on
 *   the application now, and since when; NULL: nobody ("Nicht zugewiesen").
 * - `transferred_by`: who marked it "übertragen" (the time is `transferred_at`, schema 4).
 * - `delivery_reads`: read/unread per person. The single-PC mode keeps its one read mark (`deliveries.read_at`),
 *   which stays "read by anyone" for the state; a person of the service has an own row per message read.
 *
 * Views "Meine" and "Nicht zugewiesen" read the claim index in Eingang order, like the other views (migration 5).
 */
export const migration017: Migration = {
  version: 17,
  name: 'shared-inbox',
  up(db) {
    db.exec(`
      ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;      -- NULL: not claimed
      ALTER TABLE deliveries ADD COLUMN claimed_at INTEGER;   -- ms since the epoch
      ALTER TABLE deliveries ADD COLUMN transferred_by TEXT;  -- NULL: not transferred, or before schema 17
      CREATE INDEX deliveries_claimed ON deliveries(claimed_by, eingang) WHERE trashed_at IS NULL;
      CREATE TABLE delivery_reads (
        delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        person TEXT NOT NULL,
        read_at INTEGER NOT NULL,
        PRIMARY KEY (delivery_id, person)
      ) WITHOUT ROWID;
      CREATE INDEX delivery_reads_person ON delivery_reads(person, delivery_id);
    `);
  },
};
