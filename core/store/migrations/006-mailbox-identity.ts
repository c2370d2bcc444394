import type { Migration } from './migration.js';

/**
 * The mailbox identity, kept with the mailbox so the desktop app and the command line open it the same way: the
 * private keys as PKCS#8 (the p12 password is asked once, at set-up, and never kept), sealed a second time with a
 * key derived from the data key (mailbox-identity.ts) — a copy of the database pages alone never yields a usable
 * key —, their certificates, and the connection (intermediary URL, its encryption certificate, the signer pins,
 * the CAs trusted for author signatures, extra TLS CAs, options) as JSON with certificates in base64 DER.
 * One row: one store is one mailbox.
 */
export const migration006: Migration = {
  version: 6,
  name: 'mailbox-identity',
  up(db) {
    db.exec(`
      CREATE TABLE mailbox_identity (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        cipher_key BLOB NOT NULL,       -- sealed PKCS#8 DER
        cipher_cert BLOB NOT NULL,      -- DER
        signature_key BLOB,             -- sealed PKCS#8 DER; NULL: the cipher key signs too
        signature_cert BLOB,
        chain_certs TEXT NOT NULL DEFAULT '[]',   -- JSON: base64 DER of further certificates from the key files
        connection TEXT NOT NULL,       -- JSON (see core/store/mailbox-identity.ts)
        configured_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
