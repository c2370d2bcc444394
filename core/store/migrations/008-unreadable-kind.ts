import type { Migration } from './migration.js';

/**
 * "nicht lesbar" carries a stable kind beside its German reason (`unreadable_kind`, e.g. `no-matching-key`), so a
 * UI can say it in its own language. Rows stored before keep their text; their kind is taken from what the fetch
 * engine has always kept in the details' `certificate_result` (`{"unreadable":{"kind":…}}`) where that is there
 * and a plain token — nothing else is rewritten.
 */
export const migration008: Migration = {
  version: 8,
  name: 'unreadable-kind',
  up(db) {
    db.exec(`
      ALTER TABLE deliveries ADD COLUMN unreadable_kind TEXT;
      UPDATE deliveries SET unreadable_kind = (
        SELECT CASE WHEN json_valid(x.certificate_result) AND json_type(x.certificate_result, '$.unreadable.kind') = 'text'
                     AND length(json_extract(x.certificate_result, '$.unreadable.kind')) BETWEEN 1 AND 64
                    THEN json_extract(x.certificate_result, '$.unreadable.kind') END
        FROM delivery_details x WHERE x.delivery_id = deliveries.id)
      WHERE unreadable_reason IS NOT NULL;
    `);
  },
};
