import type { Migration } from './migration.js';

/**
 * The caseworker's workflow beyond the states: the transfer checklist (which blocks were carried over), legal hold
 * (exempt from retention and deletion), and the store's settings (retention periods).
 */
export const migration004: Migration = {
  version: 4,
  name: 'workflow',
  up(db) {
    db.exec(`
      ALTER TABLE deliveries ADD COLUMN checklist TEXT NOT NULL DEFAULT '[]';   -- JSON array of ticked section ids
      ALTER TABLE deliveries ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL             -- JSON
      ) STRICT;
      INSERT INTO settings(key, value) VALUES ('retention.transferredDays', '30'), ('retention.trashDays', '30');

      CREATE INDEX deliveries_transferred ON deliveries(transferred_at) WHERE transferred_at IS NOT NULL;
      CREATE INDEX deliveries_trashed ON deliveries(trashed_at) WHERE trashed_at IS NOT NULL;
    `);
  },
};
