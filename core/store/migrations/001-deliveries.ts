import type { Migration } from './migration.js';

/**
 * Deliveries, their attachments and the encrypted blob files behind large contents and attachments.
 * Times are milliseconds since the epoch (UTC). The list's "Eingang" is the process card's Creation time, the
 * fetch time only while that is unknown; the state is derived from the step timestamps.
 */
export const migration001: Migration = {
  version: 1,
  name: 'deliveries',
  up(db) {
    db.exec(`
      CREATE TABLE blobs (
        id TEXT PRIMARY KEY,            -- file name in PATH.files/ (random)
        file_key BLOB NOT NULL,         -- the file's own AES-256 key
        size INTEGER NOT NULL,
        sha256 BLOB NOT NULL
      ) STRICT;

      -- blob files being written and not yet committed: the orphan sweep leaves them alone while the writer lives
      CREATE TABLE pending_blobs (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,            -- host:pid of the writing process
        created_at INTEGER NOT NULL
      ) STRICT;

      -- lean: what the list shows, filters and sorts by (bulky fields live in delivery_details, so scanning
      -- and counting the list never walks through certificates or content)
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        message_id TEXT NOT NULL UNIQUE,
        subject TEXT,
        creation_at INTEGER,
        forwarding_at INTEGER,
        reception_at INTEGER,
        unreadable_reason TEXT,         -- "nicht lesbar": why; NULL when readable
        fetched_at INTEGER NOT NULL,
        read_at INTEGER,
        exported_at INTEGER,
        transferred_at INTEGER,
        trashed_at INTEGER,
        applicants TEXT NOT NULL DEFAULT '[]',  -- JSON array of display names, sort order first
        applicant_sort TEXT,
        benefit_code TEXT,
        benefit_text TEXT,
        application_date TEXT,
        is_test INTEGER NOT NULL DEFAULT 0,
        attachment_count INTEGER NOT NULL DEFAULT 0,
        signature_status TEXT,
        eingang INTEGER GENERATED ALWAYS AS (coalesce(creation_at, fetched_at)) VIRTUAL,
        state_rank INTEGER GENERATED ALWAYS AS (
          CASE WHEN trashed_at IS NOT NULL THEN 4 WHEN transferred_at IS NOT NULL THEN 3
               WHEN exported_at IS NOT NULL THEN 2 WHEN read_at IS NOT NULL THEN 1 ELSE 0 END) VIRTUAL
      ) STRICT;

      CREATE TABLE delivery_details (
        delivery_id INTEGER PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,
        sender_cert BLOB,
        addressee_cert BLOB,
        inspection_report TEXT,         -- JSON
        signature_result TEXT,          -- JSON
        certificate_result TEXT,        -- JSON
        content_size INTEGER NOT NULL,
        content_sha256 BLOB NOT NULL,
        content_type TEXT,
        content_blob TEXT REFERENCES blobs(id),
        content_inline BLOB,            -- last: nothing after it has to be read past it
        CHECK ((content_inline IS NULL) <> (content_blob IS NULL))
      ) STRICT;

      CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 BLOB NOT NULL,
        blob_id TEXT NOT NULL REFERENCES blobs(id),
        UNIQUE (delivery_id, position)
      ) STRICT;

      CREATE INDEX deliveries_eingang ON deliveries(eingang);
      CREATE INDEX deliveries_applicant ON deliveries(applicant_sort, eingang);
      CREATE INDEX deliveries_benefit ON deliveries(benefit_code, eingang);
      CREATE INDEX deliveries_state ON deliveries(state_rank, eingang);
      CREATE INDEX attachments_blob ON attachments(blob_id);
      CREATE INDEX delivery_details_content_blob ON delivery_details(content_blob) WHERE content_blob IS NOT NULL;
    `);
  },
};
