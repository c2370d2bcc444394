import type { Migration } from './migration.js';

/**
 * The audit log: who did what to which message when. Append-only: triggers refuse UPDATE and DELETE, and each
 * entry carries the SHA-256 of its predecessor's hash and its own fields, so an altered, removed or inserted
 * entry breaks the chain (audit-log.ts verifies it). No foreign key to deliveries: entries outlive the messages.
 * Messages are named by store id and OSCI message id only, never by names or subjects.
 */
export const migration002: Migration = {
  version: 2,
  name: 'audit-log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        os_user TEXT NOT NULL,
        action TEXT NOT NULL,
        delivery_id INTEGER,
        message_id TEXT,
        detail TEXT,
        prev_hash BLOB NOT NULL,
        hash BLOB NOT NULL
      ) STRICT;

      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

      CREATE INDEX audit_log_delivery ON audit_log(delivery_id);
    `);
  },
};
