import type { Migration } from './migration.js';

/**
 * Per part of a delivery, what the author signature covers (DESIGN.md "Signature coverage"): the stored content
 * (`delivery_details.content_coverage`) and each attachment (`attachments.coverage`) carry the fetch engine's
 * coverage record as versioned JSON of codes — role, status, the indexes of the covering signatures in
 * `signature_result`, container and Content id — never words. Rows stored before are marked
 * `{"version":1,"status":"before-coverage"}`: what their signature covered was not recorded, and is not guessed.
 */
export const migration010: Migration = {
  version: 10,
  name: 'part-coverage',
  up(db) {
    db.exec(`
      ALTER TABLE delivery_details ADD COLUMN content_coverage TEXT;
      ALTER TABLE attachments ADD COLUMN coverage TEXT;
      UPDATE delivery_details SET content_coverage = '{"version":1,"status":"before-coverage"}';
      UPDATE attachments SET coverage = '{"version":1,"status":"before-coverage"}';
    `);
  },
};
