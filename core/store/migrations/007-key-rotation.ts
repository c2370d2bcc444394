import type { Migration } from './migration.js';

/**
 * Certificate rotation of the mailbox key (core/mailbox/rotation.ts): the new key staged while what still waits for
 * the old certificate is fetched (one row; its state makes an interrupted rotation resumable), and the retired keys
 * kept — sealed like the identity's — so that content still encrypted for an old certificate can be read.
 */
export const migration007: Migration = {
  version: 7,
  name: 'key-rotation',
  up(db) {
    db.exec(`
      CREATE TABLE key_rotation (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        state TEXT NOT NULL CHECK (state IN ('staged', 'draining', 'drained')),
        cipher_key BLOB NOT NULL,       -- sealed PKCS#8 DER of the NEW cipher key
        cipher_cert BLOB NOT NULL,
        signature_key BLOB,
        signature_cert BLOB,
        chain_certs TEXT NOT NULL DEFAULT '[]',
        started_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        fetched INTEGER NOT NULL DEFAULT 0,   -- deliveries fetched for the old certificate during the rotation
        last_error TEXT                        -- error kind of the last drain attempt (no personal data)
      ) STRICT;
      CREATE TABLE retired_keys (
        id INTEGER PRIMARY KEY,
        cipher_key BLOB NOT NULL,       -- sealed PKCS#8 DER
        cipher_cert BLOB NOT NULL,
        signature_key BLOB,
        signature_cert BLOB,
        retired_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
