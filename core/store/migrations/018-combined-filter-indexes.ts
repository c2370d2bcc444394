import type { Migration } from './migration.js';

/**
 * Partial indexes for the list's combined filters (issue 14; schema 18), measured with 100,000 messages
 * (bench/ui-list.ts). Migration 5 gave each quick filter its own index; a view with two of them ("Ungelesen" with
 * "nicht übertragen", the filter "nur ungelesene" with "nicht übertragen") read one filter's index and looked the
 * other condition up in the table row by row: the count of 100,000 unread, open messages took 140–280 ms instead
 * of 3 ms. Each index below holds exactly the rows of one combination in Eingang order, so its first page and its
 * count read only its own entries; the planner picks the index whose condition matches all the query's terms (the
 * same shapes as migration 5, no statistics needed). The view "Übertragen" had no index of its own (its rows were
 * sorted for every page); its counts take the transfer index (migration 4, for the retention), which now also
 * holds the trash time, the Eingang and the read mark, so a count reads that index alone, never the rows.
 *
 * `deliveries_guessed_names`: the rows whose name parts the name backfill still has to read (core/mailbox/
 * name-backfill.ts asks at every store open). Its condition is word for word GUESSED_NAMES (applicant-names.ts);
 * without it that question read every row's JSON: 360 ms at 100,000 messages, right when the first list is asked.
 */
export const migration018: Migration = {
  version: 18,
  name: 'combined-filter-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX deliveries_unread_open ON deliveries(eingang) WHERE trashed_at IS NULL AND read_at IS NULL AND transferred_at IS NULL;
      CREATE INDEX deliveries_unread_attachments ON deliveries(eingang) WHERE trashed_at IS NULL AND read_at IS NULL AND attachment_count > 0;
      CREATE INDEX deliveries_open_attachments ON deliveries(eingang) WHERE trashed_at IS NULL AND transferred_at IS NULL AND attachment_count > 0;
      CREATE INDEX deliveries_unread_open_attachments ON deliveries(eingang)
        WHERE trashed_at IS NULL AND read_at IS NULL AND transferred_at IS NULL AND attachment_count > 0;
      CREATE INDEX deliveries_done ON deliveries(eingang) WHERE trashed_at IS NULL AND transferred_at IS NOT NULL;
      CREATE INDEX deliveries_unread_done ON deliveries(eingang) WHERE trashed_at IS NULL AND read_at IS NULL AND transferred_at IS NOT NULL;
      CREATE INDEX deliveries_guessed_names ON deliveries(id)
        WHERE unreadable_reason IS NULL AND json_extract(CASE WHEN json_valid(applicant_parts) THEN applicant_parts END, '$.guessed') = 1;
      DROP INDEX deliveries_transferred;
      CREATE INDEX deliveries_transferred ON deliveries(transferred_at, trashed_at, eingang, read_at) WHERE transferred_at IS NOT NULL;
    `);
  },
};
