/**
 * The PostgreSQL store's schema, as numbered forward-only migrations recorded in `schema_migrations` (version,
 * name, when). Each runs in its own transaction together with its record, under a transaction-scoped advisory lock,
 * so two programs opening a new database at once migrate it once. A database with a version this program does not
 * know is refused (`store-too-new`). Released migrations are never edited: a change is a new migration.
 *
 * Times are milliseconds since the epoch (bigint), as in the SQLite store, so both compute the same Eingang,
 * state and retention. Readable columns are those the list, its filters, sorting and search need; what is sealed
 * (sealing.ts) is bytea. docs/datenschutz.md names each readable column for the data-protection officer.
 */
import type pg from 'pg';
import { storeError } from '../store/errors.js';

export interface PgMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Key of the advisory lock that serialises migrations (any constant the other locks of the program do not use). */
const MIGRATION_LOCK = 0x0f05_7fac;

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'deliveries, blobs, audit log, settings',
    sql: `
      CREATE TABLE store_meta (
        key text PRIMARY KEY,
        value bytea NOT NULL
      );

      -- one row per content or attachment; key_wrapped: the blob's own AES-256 key, sealed under the data key
      CREATE TABLE blobs (
        id text PRIMARY KEY,
        key_wrapped bytea NOT NULL,
        size bigint NOT NULL,
        sha256 bytea NOT NULL,
        chunk_bytes integer NOT NULL,
        chunks integer NOT NULL
      );
      -- AES-256-GCM chunks in the blob file format of core/store/blob-crypto.ts
      CREATE TABLE blob_chunks (
        blob_id text NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
        idx integer NOT NULL,
        sealed bytea NOT NULL,
        PRIMARY KEY (blob_id, idx)
      );

      CREATE TABLE deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        message_id text NOT NULL UNIQUE,
        subject text,
        creation_at bigint,
        forwarding_at bigint,
        reception_at bigint,
        creation_check jsonb,                 -- codes only
        unreadable_reason text,
        unreadable_kind text,
        fetched_at bigint NOT NULL,
        read_at bigint,
        exported_at bigint,
        transferred_at bigint,
        trashed_at bigint,
        applicants jsonb NOT NULL DEFAULT '[]',
        applicant_parts jsonb,
        applicant_sort text COLLATE "C",      -- sort-key.ts orders byte by byte
        benefit_code text COLLATE "C",
        benefit_text text,
        application_date text,
        is_test boolean NOT NULL DEFAULT false,
        attachment_count integer NOT NULL DEFAULT 0,
        signature_status text,
        checklist jsonb NOT NULL DEFAULT '[]',
        legal_hold boolean NOT NULL DEFAULT false,
        aktenzeichen text,
        note_sealed bytea,                    -- the office's note may name persons: sealed
        follow_up_on text COLLATE "C",
        search tsvector NOT NULL,             -- German stemming over names, ids, subject, benefit, Aktenzeichen
        eingang bigint NOT NULL GENERATED ALWAYS AS (coalesce(creation_at, fetched_at)) STORED,
        state_rank smallint GENERATED ALWAYS AS (
          CASE WHEN trashed_at IS NOT NULL THEN 4 WHEN transferred_at IS NOT NULL THEN 3
               WHEN exported_at IS NOT NULL THEN 2 WHEN read_at IS NOT NULL THEN 1 ELSE 0 END) STORED NOT NULL
      );

      CREATE TABLE delivery_details (
        delivery_id bigint PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,
        evidence_sealed bytea NOT NULL,       -- certificates, signature and certificate results, inspection report, coverage
        content_size bigint NOT NULL,
        content_sha256 bytea NOT NULL,
        content_type text,
        content_blob text NOT NULL REFERENCES blobs(id)
      );

      CREATE TABLE attachments (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        position integer NOT NULL,
        name_sealed bytea NOT NULL,           -- file names may name persons: sealed
        mime_type text NOT NULL,
        size bigint NOT NULL,
        sha256 bytea NOT NULL,
        blob_id text NOT NULL REFERENCES blobs(id),
        coverage jsonb,
        UNIQUE (delivery_id, position)
      );

      CREATE TABLE settings (
        key text PRIMARY KEY,
        value text NOT NULL
      );
      INSERT INTO settings(key, value) VALUES ('retention.transferredDays', '30'), ('retention.trashDays', '30');

      CREATE TABLE audit_log (
        seq bigint PRIMARY KEY,
        at bigint NOT NULL,
        os_user text NOT NULL,
        action text NOT NULL,
        delivery_id bigint,
        message_id text,
        detail text,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL
      );
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

      -- in the list's order (pg-queries.ts: NULLs first when ascending, as SQLite), so a page is read off the index
      CREATE INDEX deliveries_eingang ON deliveries(eingang, id);
      CREATE INDEX deliveries_applicant ON deliveries(applicant_sort ASC NULLS FIRST, eingang, id);
      CREATE INDEX deliveries_benefit ON deliveries(benefit_code ASC NULLS FIRST, eingang, id);
      CREATE INDEX deliveries_state ON deliveries(state_rank, eingang, id);
      CREATE INDEX deliveries_follow_up ON deliveries(follow_up_on ASC NULLS FIRST, eingang, id);
      CREATE INDEX deliveries_inbox ON deliveries(eingang, id) WHERE trashed_at IS NULL;
      CREATE INDEX deliveries_transferred ON deliveries(transferred_at) WHERE transferred_at IS NOT NULL;
      CREATE INDEX deliveries_trashed ON deliveries(trashed_at) WHERE trashed_at IS NOT NULL;
      CREATE INDEX deliveries_search ON deliveries USING gin(search);
      CREATE INDEX attachments_delivery ON attachments(delivery_id);
      CREATE INDEX audit_log_delivery ON audit_log(delivery_id);
    `,
  },
  {
    // the shared inbox (issue 13; SQLite migration 17): who works on a message, who marked it "übertragen", read per
    // person — plain names of staff accounts as the audit log has them (docs/datenschutz.md)
    version: 2,
    name: 'shared inbox: claims, transferred by, read per person',
    sql: `
      ALTER TABLE deliveries ADD COLUMN claimed_by text;
      ALTER TABLE deliveries ADD COLUMN claimed_at bigint;
      ALTER TABLE deliveries ADD COLUMN transferred_by text;
      CREATE INDEX deliveries_claimed ON deliveries(claimed_by, eingang) WHERE trashed_at IS NULL;
      CREATE TABLE delivery_reads (
        delivery_id bigint NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        person text NOT NULL,
        read_at bigint NOT NULL,
        PRIMARY KEY (delivery_id, person)
      );
      CREATE INDEX delivery_reads_person ON delivery_reads(person, delivery_id);
    `,
  },
  {
    version: 3,
    name: 'mailbox identity, trusted CAs, code lists',
    sql: `
      -- the identity (private keys, certificates, connection) sealed as one value under the field key
      CREATE TABLE mailbox_identity (
        id integer PRIMARY KEY CHECK (id = 1),
        sealed bytea NOT NULL,
        cipher_cert_sha256 text NOT NULL,
        configured_at bigint NOT NULL
      );

      CREATE TABLE trusted_cas (
        id bigserial PRIMARY KEY,
        fingerprint text NOT NULL UNIQUE,
        certificate bytea NOT NULL,
        origin text NOT NULL,
        added_at bigint NOT NULL
      );

      CREATE TABLE code_lists (
        id bigserial PRIMARY KEY,
        list_uri text NOT NULL,
        version text NOT NULL,
        canonical_version_uri text NOT NULL,
        name text NOT NULL,
        origin text NOT NULL,
        file_name text NOT NULL,
        sha256 text NOT NULL,
        imported_at bigint NOT NULL,
        codes text NOT NULL,
        UNIQUE (list_uri, version)
      );
    `,
  },
  {
    // key rotation on the shared store (issue 13; the SQLite store's migration 007): the staged key and the retired
    // keys sealed like the identity; and the mailbox id, which names the fetch lock — it stays the same when the
    // certificate changes, so a service with the old key and one after the switch still exclude each other
    version: 4,
    name: 'key rotation, retired keys, mailbox id',
    sql: `
      CREATE TABLE key_rotation (
        id integer PRIMARY KEY CHECK (id = 1),
        state text NOT NULL CHECK (state IN ('staged', 'draining', 'drained')),
        sealed bytea NOT NULL,
        cipher_cert_sha256 text NOT NULL,
        started_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        fetched integer NOT NULL DEFAULT 0,
        last_error text
      );

      CREATE TABLE retired_keys (
        id bigserial PRIMARY KEY,
        sealed bytea NOT NULL,
        cipher_cert_sha256 text NOT NULL,
        retired_at bigint NOT NULL
      );

      INSERT INTO store_meta(key, value) VALUES ('mailbox-id', convert_to(gen_random_uuid()::text, 'UTF8')) ON CONFLICT (key) DO NOTHING;
    `,
  },
  {
    // the hand-over folder for the case system (issue 13; SQLite migration 15, core/store-pg/pg-handover.ts): from
    // which delivery on it applies, and one row per delivery handed over — written with its audit entry after the
    // delivery's folder and marker are on disk; `folder` holds ids only, never a person's name
    version: 5,
    name: 'hand-over folder',
    sql: `
      CREATE TABLE handover_start (
        id integer PRIMARY KEY CHECK (id = 1),
        from_delivery bigint NOT NULL,
        started_at bigint NOT NULL
      );
      CREATE TABLE handover (
        delivery_id bigint PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,
        state text NOT NULL CHECK (state IN ('done', 'error')),
        folder text NOT NULL,
        reason text,
        at bigint NOT NULL
      );
    `,
  },
  {
    // the list at 100,000 messages (issue 14; the SQLite store's migrations 5 and 18): each quick filter and each
    // combination the list asks has a partial index of exactly its rows in the list's order (Eingang, id), so its
    // first page reads 50 entries and its total counts its own index (index-only, no table rows); the sort keys'
    // indexes hold only the inbox (every list names the trash condition), so a deep page is counted off in the
    // index before 50 rows are read (pg-queries.ts); the folder pane's counts read these indexes instead of every
    // row of the table. The trash is small: it keeps one index and is sorted when asked.
    version: 6,
    name: 'list indexes for filters, combinations, deep pages and counts',
    sql: `
      DROP INDEX deliveries_applicant;
      DROP INDEX deliveries_benefit;
      DROP INDEX deliveries_state;
      DROP INDEX deliveries_follow_up;
      DROP INDEX deliveries_claimed;
      CREATE INDEX deliveries_inbox_applicant ON deliveries(applicant_sort ASC NULLS FIRST, eingang, id) WHERE trashed_at IS NULL;
      CREATE INDEX deliveries_inbox_benefit ON deliveries(benefit_code ASC NULLS FIRST, eingang, id) WHERE trashed_at IS NULL;
      CREATE INDEX deliveries_inbox_state ON deliveries(state_rank, eingang, id) WHERE trashed_at IS NULL;
      CREATE INDEX deliveries_inbox_follow_up ON deliveries(follow_up_on ASC NULLS FIRST, eingang, id) WHERE trashed_at IS NULL;
      CREATE INDEX deliveries_claimed ON deliveries(claimed_by, eingang, id) WHERE trashed_at IS NULL;
      CREATE INDEX deliveries_unread ON deliveries(eingang, id) WHERE trashed_at IS NULL AND read_at IS NULL;
      CREATE INDEX deliveries_open ON deliveries(eingang, id) WHERE trashed_at IS NULL AND transferred_at IS NULL;
      CREATE INDEX deliveries_done ON deliveries(eingang, id) WHERE trashed_at IS NULL AND transferred_at IS NOT NULL;
      CREATE INDEX deliveries_with_attachments ON deliveries(eingang, id) WHERE trashed_at IS NULL AND attachment_count > 0;
      CREATE INDEX deliveries_test ON deliveries(eingang, id) WHERE trashed_at IS NULL AND is_test;
      CREATE INDEX deliveries_unreadable ON deliveries(eingang, id) WHERE trashed_at IS NULL AND unreadable_reason IS NOT NULL;
      CREATE INDEX deliveries_in_trash ON deliveries(eingang, id) WHERE trashed_at IS NOT NULL;
      CREATE INDEX deliveries_unread_open ON deliveries(eingang, id) WHERE trashed_at IS NULL AND read_at IS NULL AND transferred_at IS NULL;
      CREATE INDEX deliveries_unread_done ON deliveries(eingang, id) WHERE trashed_at IS NULL AND read_at IS NULL AND transferred_at IS NOT NULL;
      CREATE INDEX deliveries_unread_attachments ON deliveries(eingang, id) WHERE trashed_at IS NULL AND read_at IS NULL AND attachment_count > 0;
      CREATE INDEX deliveries_open_attachments ON deliveries(eingang, id) WHERE trashed_at IS NULL AND transferred_at IS NULL AND attachment_count > 0;
      -- index-only reads need the visibility map: every read mark or transfer clears it for its page, and by
      -- PostgreSQL's defaults autovacuum sets it again only after 20 % of the rows changed (20,000 at 100,000), so
      -- the counts would read ever more table pages; here after 100 + 0.2 % (300 at 100,000; cheap: the vacuum reads
      -- only pages not marked all-visible and skips the indexes while few rows are dead)
      ALTER TABLE deliveries SET (autovacuum_vacuum_scale_factor = 0.002, autovacuum_vacuum_threshold = 100,
        autovacuum_vacuum_insert_scale_factor = 0.002, autovacuum_vacuum_insert_threshold = 100);
      CREATE INDEX deliveries_unread_open_attachments ON deliveries(eingang, id)
        WHERE trashed_at IS NULL AND read_at IS NULL AND transferred_at IS NULL AND attachment_count > 0;
    `,
  },
];

/** The highest version (not the count: versions of parallel branches may be merged in any order). */
export const PG_LATEST_VERSION = Math.max(...PG_MIGRATIONS.map((m) => m.version));

const SCHEMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

async function versionInForce(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM schema_migrations');
  return Number(rows[0]?.version ?? 0);
}

async function apply(client: pg.ClientBase, m: PgMigration): Promise<void> {
  await client.query(m.sql);
  await client.query('INSERT INTO schema_migrations(version, name) VALUES ($1, $2)', [m.version, m.name]);
}

/** Applies every migration the database lacks; returns the version now in force. */
export async function migratePg(client: pg.ClientBase): Promise<number> {
  await client.query(SCHEMA_MIGRATIONS_TABLE).catch(async (error: unknown) => {
    // two programs creating it at the same moment: the loser sees a unique violation on the catalog; the table exists
    if ((error as { code?: string }).code !== '23505') throw error;
  });
  for (const m of PG_MIGRATIONS) {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const current = await versionInForce(client);
      if (current > PG_LATEST_VERSION) throw storeError('store-too-new', `schema version ${current}, this program knows up to ${PG_LATEST_VERSION}`);
      if (current < m.version) await apply(client, m);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
  return versionInForce(client);
}

/**
 * For a restore (core/backup/pg-backup.ts), inside the CALLER's transaction: takes the migration lock (a program
 * opening the database meanwhile waits for the commit or rollback, then finds the restored store) and brings the
 * schema to `version` — the version the backup's rows were written at; returns the version found before. The rows
 * go in at that version, then `migratePgAfterRestore` applies the later migrations in the same transaction, as an
 * update of the program would have applied them to the store itself.
 */
export async function migratePgForRestore(client: pg.ClientBase, version: number): Promise<number> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await client.query(SCHEMA_MIGRATIONS_TABLE);
  const found = await versionInForce(client);
  if (found <= version) for (const m of sortedMigrations()) if (m.version > found && m.version <= version) await apply(client, m);
  return found;
}

/** The migrations after `version`, inside the caller's transaction (see migratePgForRestore). */
export async function migratePgAfterRestore(client: pg.ClientBase, version: number): Promise<void> {
  for (const m of sortedMigrations()) if (m.version > version) await apply(client, m);
}

function sortedMigrations(): PgMigration[] {
  return [...PG_MIGRATIONS].sort((a, b) => a.version - b.version);
}
