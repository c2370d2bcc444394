import type { Migration } from './migration.js';

/**
 * The Creation check of each delivery (core/mailbox/legal-time.ts): whether the process card's Creation could be
 * taken as the legal Eingang, stored as versioned JSON with a code (`{"version":1,"check":{"code":"future",…}}`),
 * never as a sentence. In the lean table, because the list shows an implausible Eingang as such. Deliveries
 * stored before keep NULL: not checked at their fetch (the rule can be applied again to their stored stamps).
 */
export const migration009: Migration = {
  version: 9,
  name: 'creation-check',
  up(db) {
    db.exec('ALTER TABLE deliveries ADD COLUMN creation_check TEXT;');
  },
};
