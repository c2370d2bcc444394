import type { Migration } from './migration.js';

/**
 * The hand-over folder for the case system (issue 13; core/handover/): which deliveries were written there, so that a
 * restart resumes the pending ones and never writes one twice.
 *
 * `handover_start` (one row) says from which delivery on the hand-over applies: the first store id after the last
 * delivery stored when the hand-over was first switched on — an office that switches it on gets the new deliveries,
 * not the whole mailbox. A delivery at or above it without a row in `handover` is pending.
 *
 * `handover`: one row per delivery handed over, written in the same transaction as its audit entry, after the
 * delivery's folder and its marker file are on disk (fsynced). `state` 'done' (folder and `.done` marker) or 'error'
 * (`.error` marker with `reason`, a code: the delivery is "nicht lesbar" or its hand-over is quarantined). `folder` is
 * the name of the delivery's folder (or marker) inside the hand-over folder: ids only, never a person's name.
 */
export const migration015: Migration = {
  version: 15,
  name: 'handover',
  up(db) {
    db.exec(`
      CREATE TABLE handover_start (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        from_delivery INTEGER NOT NULL,
        started_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE handover (
        delivery_id INTEGER PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('done', 'error')),
        folder TEXT NOT NULL,
        reason TEXT,
        at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
