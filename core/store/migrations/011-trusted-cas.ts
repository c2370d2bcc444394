import { createHash } from 'node:crypto';
import type { Migration } from './migration.js';

/**
 * The CAs the office trusts for the senders' (author) signatures, kept in the store beside the deliveries whose
 * trust words depend on them (core/store/trusted-cas.ts): the certificate as DER, its SHA-256 fingerprint, where it
 * came from (a code) and when. CAs that IT sets through policy or the machine file are not stored here: they are
 * read from there each time.
 *
 * `delivery_trust` holds a delivery's signature result as judged again after the CAs changed; the result the fetch
 * made stays untouched in `delivery_details` (whose row also carries contents up to 256 KiB: rewriting it for every
 * delivery at each change would rewrite the contents too — 20 ms per delivery of 150 KB). Readers take this one
 * where there is one.
 *
 * Earlier versions kept these CAs inside the mailbox identity's connection JSON (`trustedCas`, base64 DER). They are
 * moved here with origin `migrated` and taken out of the connection — the one place where the store reads that
 * JSON, which it otherwise keeps opaque. A connection that cannot be read is left as it is.
 */
export const migration011: Migration = {
  version: 11,
  name: 'trusted-cas',
  up(db) {
    db.exec(`
      CREATE TABLE trusted_cas (
        id INTEGER PRIMARY KEY,
        fingerprint TEXT NOT NULL UNIQUE,   -- SHA-256 of the DER, lower-case hex
        certificate BLOB NOT NULL,          -- DER
        origin TEXT NOT NULL CHECK (origin IN ('import', 'setup', 'fetch', 'demo', 'migrated')),
        added_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE delivery_trust (
        delivery_id INTEGER PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,
        signature_result TEXT NOT NULL,     -- JSON as in delivery_details.signature_result, judged again
        judged_at INTEGER NOT NULL
      ) STRICT;
    `);
    const row = db.prepare('SELECT connection, configured_at FROM mailbox_identity WHERE id = 1').get() as { connection: string; configured_at: number } | undefined;
    if (row === undefined) return;
    let connection: unknown;
    try {
      connection = JSON.parse(row.connection);
    } catch {
      return;
    }
    if (connection === null || typeof connection !== 'object' || Array.isArray(connection)) return;
    const { trustedCas, ...rest } = connection as Record<string, unknown>;
    if (!Array.isArray(trustedCas)) return;
    const insert = db.prepare("INSERT OR IGNORE INTO trusted_cas(fingerprint, certificate, origin, added_at) VALUES (?, ?, 'migrated', ?)");
    for (const entry of trustedCas) {
      if (typeof entry !== 'string' || entry.length === 0) continue;
      const der = Buffer.from(entry, 'base64');
      insert.run(createHash('sha256').update(der).digest('hex'), der, row.configured_at);
    }
    db.prepare('UPDATE mailbox_identity SET connection = ? WHERE id = 1').run(JSON.stringify(rest));
  },
};
