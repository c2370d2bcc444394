import type { Migration } from './migration.js';

/**
 * Partial indexes for the list, measured with 100,000 messages (bench/store.ts). Every list query names the trash
 * condition, so each index's condition names it too: the sort indexes hold only the inbox, and each quick filter
 * has its own index of exactly its rows in Eingang order — a filtered first page reads 50 index entries instead of
 * scanning the list, a count reads only its own index, and the planner (without statistics) finds the one index
 * whose condition matches the query's terms. No ANALYZE here:
 * statistics of a new, empty store would mislead the planner later (the shapes above leave it no bad choice).
 */
export const migration005: Migration = {
  version: 5,
  name: 'list-indexes',
  up(db) {
    db.exec(`
      DROP INDEX deliveries_eingang;
      DROP INDEX deliveries_applicant;
      DROP INDEX deliveries_benefit;
      DROP INDEX deliveries_state;
      CREATE INDEX deliveries_inbox_applicant ON deliveries(applicant_sort, eingang) WHERE trashed_at IS NULL;
      CREATE INDEX deliveries_inbox_benefit ON deliveries(benefit_code, eingang) WHERE trashed_at IS NULL;
      CREATE INDEX deliveries_inbox_state ON deliveries(state_rank, eingang) WHERE trashed_at IS NULL;
      CREATE INDEX deliveries_inbox ON deliveries(eingang) WHERE trashed_at IS NULL;
      CREATE INDEX deliveries_unread ON deliveries(eingang) WHERE trashed_at IS NULL AND read_at IS NULL;
      CREATE INDEX deliveries_open ON deliveries(eingang) WHERE trashed_at IS NULL AND transferred_at IS NULL;
      CREATE INDEX deliveries_with_attachments ON deliveries(eingang) WHERE trashed_at IS NULL AND attachment_count > 0;
      CREATE INDEX deliveries_test ON deliveries(eingang) WHERE trashed_at IS NULL AND is_test = 1;
      CREATE INDEX deliveries_unreadable ON deliveries(eingang) WHERE trashed_at IS NULL AND unreadable_reason IS NOT NULL;
      CREATE INDEX deliveries_in_trash ON deliveries(eingang) WHERE trashed_at IS NOT NULL;
    `);
  },
};
