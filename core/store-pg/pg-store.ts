/**
 * PgMailboxStore: the shared store of one mailbox on PostgreSQL ≥ 15, behind the same MailboxStore interface as the
 * embedded SQLite store, held to the same behaviour by the same contract tests (tests/store/contract/).
 *
 * - Saving is one transaction: the content and attachments (sealed chunks, pg-blobs.ts), the delivery row with its
 *   search vector, the "fetched" audit entry. Idempotent by OSCI message id (`ON CONFLICT (message_id) DO NOTHING`:
 *   a second program saving the same message at the same time waits for the first and then writes nothing). The
 *   commit returns once PostgreSQL has made it durable — the fetch engine's commit-before-acknowledge rule holds.
 * - Contents, attachments, attachment names, the note and the evidence (certificates, signature results) are sealed
 *   under the mailbox data key (sealing.ts); a dump shows none of it. What stays readable for list and search is
 *   named in docs/datenschutz.md.
 * - The data key comes from the caller (the service unseals it as today); a wrong key is refused on open by the
 *   key check before anything is written.
 *
 * Differences to the SQLite store, by design: the search finds names, ids, subject and Aktenzeichen (with German
 * stemming) but not the content's text and not the note — indexing them would put their words into the database in
 * clear; a deleted row's bytes stay in PostgreSQL's pages until VACUUM reuses them, but its keys are unreadable
 * without the data key.
 */
import { collectBounded as collect, technicalDetail } from '../store/bounded-read.js';
import { Readable } from 'node:stream';
import pg from 'pg';
import { auditDetail } from '../store/audit-words.js';
import type { AuditEntry, AuditQuery, AuditVerification, NewAuditEntry } from '../store/audit-log.js';
import { applyCaseWorkPatch, type CaseWork, type CaseWorkPatch } from '../store/case-work.js';
import { prepareDelivery } from '../store/delivery-writer.js';
import { storeError } from '../store/errors.js';
import type { MailboxRetentionResult } from '../store/mailbox-store.js';
import type { CodeListSaveResult, NewCodeList, StoredCodeList } from '../store/code-lists.js';
import type { KeyMaterial, KeyRotationRecord, RetiredKey, RotationState } from '../store/key-rotation.js';
import type { MailboxIdentityRecord } from '../store/mailbox-identity.js';
import type { FetchLock, ServiceStore } from '../store/service-store.js';
import { caSetDigest, EVALUATED_WITH, evaluatedWithValue, type ReevaluationCount, type TrustEvaluation, type TrustedCaOrigin, type TrustedCaRecord } from '../store/trusted-cas.js';
import { currentOsUser } from '../store/os-user.js';
import type {
  AccountAuditChange,
  AttachmentInfo,
  DeliveryCounts,
  DeliveryListItem,
  DeliveryPage,
  DeliveryRecord,
  DeliveryRef,
  JsonValue,
  ListQuery,
  NewDelivery,
  ProcessCardInput,
  RetentionCandidate,
  SaveResult,
  StoreSettings,
  TimeInput,
} from '../store/records.js';
import { retentionCandidate, retentionCuts, settingChanges, settingsFromRows } from '../store/retention.js';
import { discardSource, resolveSource } from '../store/store-input.js';
import { isoOrNull, toMillis, toMillisOrNull } from '../store/time.js';
import { migratePg } from './migrations.js';
import { pgAppendAudit, pgDeliveriesNamed, pgReadAudit, pgVerifyAuditChain } from './pg-audit.js';
import { pgBlobStream, writePgBlob } from './pg-blobs.js';
import {
  pgAddTrustedCas,
  pgCodeLists,
  pgCodeListsStamp,
  pgHasIdentity,
  pgReadIdentity,
  pgRemoveTrustedCa,
  pgSaveCodeList,
  pgSaveIdentity,
  pgTakeFetchLock,
  pgTrustedCas,
  pgUpdateConnection,
} from './pg-service-data.js';
import { fromPgError } from './pg-errors.js';
import { pgPendingHandovers, pgReadHandover, pgRecordHandover, pgStartHandover, pgTakeHandoverLock } from './pg-handover.js';
import type { HandoverRecord, PendingHandover } from '../store/handover-state.js';
import type { HandoverLock, HandoverOutcome } from '../store/handover-store.js';
import { pgCancelRotation, pgMailboxId, pgReadRotation, pgRetiredKeys, pgStageRotation, pgSwitchToStagedKeys, pgUpdateRotation } from './pg-key-rotation.js';
import {
  PG_LIST_COLUMNS,
  pgCountDeliveries,
  pgListDeliveries,
  pgListItem,
  pgResolveRef,
  pgWithPersonalReads,
  searchParts,
  searchVector,
  type PgListRow,
  type Queryable,
} from './pg-queries.js';
import type { Who } from '../store/delivery-queries.js';
import { accountChangeEntry, assertMayTransfer, currentPerson, decideClaim, readsPerPerson, type InboxStep } from '../store/shared-inbox.js';
import { KEY_CHECK_AAD, KEY_CHECK_TEXT, sealingKeys, sealText, unsealText, type SealingKeys } from './sealing.js';

export interface PgStoreOptions {
  /** A connection string (`postgresql://user:password@host:port/database`) or node-postgres pool settings. */
  readonly connection: string | pg.PoolConfig;
  /** The mailbox data key (32 bytes); copied, and the copy is wiped on close(). */
  readonly dataKey: Uint8Array;
  /** "Who" in the audit log; default: the OS user running the program. */
  readonly osUser?: string;
  /** Connections in the pool (default 4). */
  readonly maxConnections?: number;
  /**
   * Default true. false — ONLY for bulk loading and benchmarks, as the SQLite store's option of the same name: the
   * connections commit with synchronous_commit=off (a server crash may lose the last commits). The fetch engine
   * never sets it: its acknowledgement relies on durable saves.
   */
  readonly durableCommits?: boolean;
}

/** bigint (int8) columns as numbers: ids, sizes and epoch milliseconds all fit 2^53. */
const INT8_OID = 20;
const builtinTypes: { getTypeParser(oid: number, format: 'text' | 'binary'): (value: string) => unknown } = pg.types;
const parseInt8 = (value: string): number => Number(value);
function getTypeParser(oid: number, format: 'text' | 'binary' = 'text'): (value: string) => unknown {
  return oid === INT8_OID ? parseInt8 : builtinTypes.getTypeParser(oid, format);
}
const types: pg.CustomTypesConfig = { getTypeParser };

interface Evidence {
  senderCertificate: string | null;
  addresseeCertificate: string | null;
  inspectionReport: JsonValue | null;
  signatureResult: JsonValue | null;
  certificateResult: JsonValue | null;
  contentCoverage: JsonValue | null;
  /** The signature result as judged again after the office's CAs changed (the fetch's own stays in signatureResult). */
  judged?: { signatureResult: JsonValue; at: number };
}

const evidenceAad = (messageId: string) => `delivery_details:evidence:${messageId}`;
const noteAad = (messageId: string) => `deliveries:note:${messageId}`;
const attachmentNameAad = (blobId: string) => `attachments:name:${blobId}`;

function jsonOrNull(value: JsonValue | undefined, field: string): JsonValue | null {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value)) as JsonValue;
  } catch (error) {
    throw storeError('store-invalid-input', `${field}: not serialisable as JSON`, error);
  }
}

export class PgMailboxStore implements ServiceStore {
  readonly backend = 'postgresql' as const;
  private pool: pg.Pool | undefined;
  private mailboxId: string | undefined;

  private constructor(
    pool: pg.Pool,
    private readonly keys: SealingKeys,
    private readonly osUser: string,
  ) {
    this.pool = pool;
  }

  /**
   * Connects, migrates the schema to this program's version, and checks the data key (a new database gets the key
   * check and its "store created" audit entry). A wrong key is `store-wrong-password`: nothing is written.
   */
  static async open(options: PgStoreOptions): Promise<PgMailboxStore> {
    const keys = sealingKeys(Buffer.from(options.dataKey));
    const config: pg.PoolConfig = typeof options.connection === 'string' ? { connectionString: options.connection } : options.connection;
    const pool = new pg.Pool({
      ...config,
      max: options.maxConnections ?? 4,
      types,
      ...(options.durableCommits === false ? { options: `${config.options ?? ''} -c synchronous_commit=off`.trim() } : {}),
    });
    // an idle connection the server dropped must not crash the process; the next query reports it
    pool.on('error', () => undefined);
    const osUser = options.osUser ?? currentOsUser();
    try {
      const client = await pool.connect();
      try {
        await migratePg(client);
        await client.query('BEGIN');
        await client.query("SELECT pg_advisory_xact_lock(hashtext('osci-postfach key check'))");
        const { rows } = await client.query<{ value: Buffer }>("SELECT value FROM store_meta WHERE key = 'key-check'");
        const check = rows[0];
        if (check === undefined) {
          await client.query("INSERT INTO store_meta(key, value) VALUES ('key-check', $1)", [sealText(keys.field, KEY_CHECK_AAD, KEY_CHECK_TEXT)]);
          await pgAppendAudit(client, osUser, { action: 'store-created', detail: auditDetail({ wrappers: [] }) });
          // as a new SQLite store: nothing judged, with no CA — the first open has nothing to judge again
          await client.query('INSERT INTO settings(key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [EVALUATED_WITH, JSON.stringify(caSetDigest([]))]);
        } else {
          let ok = false;
          try {
            ok = unsealText(keys.field, KEY_CHECK_AAD, check.value, 'key check') === KEY_CHECK_TEXT;
          } catch {
            ok = false;
          }
          if (!ok) throw storeError('store-wrong-password', 'the data key does not open this database (key check)');
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    } catch (error) {
      keys.blob.fill(0);
      keys.field.fill(0);
      await pool.end().catch(() => undefined);
      throw fromPgError(error, 'open store');
    }
    return new PgMailboxStore(pool, keys, osUser);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    if (pool === undefined) return;
    this.pool = undefined;
    this.keys.blob.fill(0);
    this.keys.field.fill(0);
    await pool.end();
  }

  private get db(): pg.Pool {
    if (this.pool === undefined) throw storeError('store-closed', 'store used after close()');
    return this.pool;
  }

  private async read<T>(operation: string, work: (db: Queryable) => Promise<T>): Promise<T> {
    try {
      return await work(this.db);
    } catch (error) {
      throw fromPgError(error, operation);
    }
  }

  /** One transaction on one connection; rolled back on any failure. */
  private async write<T>(operation: string, work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.db.connect();
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (client !== undefined) await client.query('ROLLBACK').catch(() => undefined);
      throw fromPgError(error, operation);
    } finally {
      client?.release();
    }
  }

  private audit(db: Queryable, entry: NewAuditEntry): Promise<number> {
    return pgAppendAudit(db, this.osUser, entry);
  }

  /** The person of the running call (core/store/shared-inbox.ts): the service's signed-in person, else the OS user. */
  private who(): Who {
    return { person: currentPerson(this.osUser), perPerson: readsPerPerson() };
  }

  /** Read marks: the one mark ("read by anyone", the state) and the person's own. */
  private async markReadBy(db: Queryable, id: number, at: number): Promise<void> {
    // one statement, one round trip (issue 14: opening a message is a chain of them inside its transaction)
    await db.query(
      `WITH mark AS (UPDATE deliveries SET read_at = coalesce(read_at, $2) WHERE id = $1)
       INSERT INTO delivery_reads(delivery_id, person, read_at) VALUES ($1, $3, $2) ON CONFLICT DO NOTHING`,
      [id, at, currentPerson(this.osUser)],
    );
  }

  // ---- deliveries in ----

  async saveDelivery(delivery: NewDelivery): Promise<SaveResult> {
    const discardAll = () => {
      discardSource(delivery.content);
      for (const a of delivery.attachments ?? []) discardSource(a.content);
    };
    let prepared: ReturnType<typeof prepareDelivery>;
    try {
      prepared = prepareDelivery(delivery);
      // refused before anything is read, as the SQLite store does
      for (const [i, a] of (delivery.attachments ?? []).entries()) jsonOrNull(a.coverage, `attachments[${i}].coverage`);
    } catch (error) {
      discardAll();
      throw error;
    }
    const known = await this.findByMessageId(prepared.messageId);
    if (known !== undefined) {
      discardAll();
      return { id: known, created: false };
    }
    const card = delivery.processCard ?? {};
    const evidence: Evidence = {
      senderCertificate: delivery.senderCertificate ? Buffer.from(delivery.senderCertificate).toString('base64') : null,
      addresseeCertificate: delivery.addresseeCertificate ? Buffer.from(delivery.addresseeCertificate).toString('base64') : null,
      inspectionReport: jsonOrNull(card.inspectionReport, 'processCard.inspectionReport'),
      signatureResult: jsonOrNull(delivery.signatureResult, 'signatureResult'),
      certificateResult: jsonOrNull(delivery.certificateResult, 'certificateResult'),
      contentCoverage: jsonOrNull(delivery.contentCoverage, 'contentCoverage'),
    };
    const attachments = delivery.attachments ?? [];
    const r = prepared.row;
    let client: pg.PoolClient | undefined;
    try {
      client = await this.db.connect();
      await client.query('BEGIN');
      const content = await writePgBlob(client, this.keys, await resolveSource(delivery.content));
      const stored = [];
      for (const [i, attachment] of attachments.entries()) {
        const blob = await writePgBlob(client, this.keys, await resolveSource(attachment.content));
        if (attachment.expectedSha256 !== undefined && blob.sha256.toString('hex') !== attachment.expectedSha256.toLowerCase()) {
          throw storeError('store-invalid-input', `attachments[${i}]: SHA-256 of the bytes received differs from the expected value`);
        }
        stored.push({ attachment, blob });
      }
      const inserted = await client.query<{ id: number }>(
        `INSERT INTO deliveries(message_id, subject, creation_at, forwarding_at, reception_at, creation_check, unreadable_reason, unreadable_kind, fetched_at,
           applicants, applicant_parts, applicant_sort, benefit_code, benefit_text, application_date, is_test, attachment_count, signature_status, search)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, ''::tsvector)
         ON CONFLICT (message_id) DO NOTHING RETURNING id`,
        [
          r['message_id'],
          r['subject'],
          r['creation_at'],
          r['forwarding_at'],
          r['reception_at'],
          r['creation_check'],
          r['unreadable_reason'],
          r['unreadable_kind'],
          r['fetched_at'],
          r['applicants'],
          r['applicant_parts'],
          r['applicant_sort'],
          r['benefit_code'],
          r['benefit_text'],
          r['application_date'],
          r['is_test'] === 1,
          r['attachment_count'],
          r['signature_status'],
        ],
      );
      const row = inserted.rows[0];
      if (row === undefined) {
        // another program saved the same message meanwhile: take back everything of this attempt
        await client.query('ROLLBACK');
        discardAll();
        // on this connection: waiting for another one of the pool while holding this one could exhaust the pool
        const raced = (await client.query<{ id: number }>('SELECT id FROM deliveries WHERE message_id = $1', [prepared.messageId])).rows[0]?.id;
        if (raced === undefined) throw storeError('store-busy', 'save delivery: message id conflict without a stored row');
        return { id: raced, created: false };
      }
      const id = row.id;
      await client.query(`UPDATE deliveries SET search = ${searchVector(2)} WHERE id = $1`, [
        id,
        ...searchParts({ applicants: prepared.applicants, messageId: prepared.messageId, id, subject: prepared.subject, aktenzeichen: null }),
      ]);
      await client.query('INSERT INTO delivery_details(delivery_id, evidence_sealed, content_size, content_sha256, content_type, content_blob) VALUES ($1, $2, $3, $4, $5, $6)', [
        id,
        sealText(this.keys.field, evidenceAad(prepared.messageId), JSON.stringify(evidence)),
        content.size,
        content.sha256,
        prepared.details['content_type'],
        content.id,
      ]);
      for (const [position, { attachment, blob }] of stored.entries()) {
        await client.query('INSERT INTO attachments(delivery_id, position, name_sealed, mime_type, size, sha256, blob_id, coverage) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
          id,
          position,
          sealText(this.keys.field, attachmentNameAad(blob.id), attachment.name),
          attachment.mimeType,
          blob.size,
          blob.sha256,
          blob.id,
          attachment.coverage === undefined ? null : JSON.stringify(attachment.coverage),
        ]);
      }
      const detail = auditDetail({ attachments: stored.length, content: 'inline', ...(r['unreadable_reason'] !== null ? { unreadable: true } : {}) });
      await this.audit(client, { action: 'fetched', deliveryId: id, messageId: prepared.messageId, detail });
      await client.query('COMMIT');
      return { id, created: true };
    } catch (error) {
      if (client !== undefined) await client.query('ROLLBACK').catch(() => undefined);
      discardAll();
      throw fromPgError(error, 'save delivery');
    } finally {
      client?.release();
    }
  }

  async recordProcessCard(ref: DeliveryRef, card: ProcessCardInput): Promise<void> {
    await this.recordProcessCards([{ ref, card }]);
  }

  /** The stamps of several process cards in one transaction (a fetch's receipts: one commit); all or none. */
  async recordProcessCards(cards: ReadonlyArray<{ readonly ref: DeliveryRef; readonly card: ProcessCardInput }>): Promise<void> {
    if (cards.length === 0) return;
    await this.write('record process card', async (db) => {
      for (const { ref, card } of cards) {
        const { id, messageId } = await pgResolveRef(db, ref, true);
        const set = async (column: string, value: TimeInput | null | undefined, field: string) => {
          if (value !== undefined) await db.query(`UPDATE deliveries SET ${column} = $2 WHERE id = $1`, [id, toMillisOrNull(value, field)]);
        };
        await set('creation_at', card.creation, 'processCard.creation');
        await set('forwarding_at', card.forwarding, 'processCard.forwarding');
        await set('reception_at', card.reception, 'processCard.reception');
        if (card.inspectionReport !== undefined) {
          const evidence = await this.evidenceOf(db, id, messageId);
          evidence.inspectionReport = jsonOrNull(card.inspectionReport, 'processCard.inspectionReport');
          await db.query('UPDATE delivery_details SET evidence_sealed = $2 WHERE delivery_id = $1', [
            id,
            sealText(this.keys.field, evidenceAad(messageId), JSON.stringify(evidence)),
          ]);
        }
        if (card.creationCheck !== undefined) await db.query('UPDATE deliveries SET creation_check = $2 WHERE id = $1', [id, JSON.stringify(card.creationCheck)]);
      }
    });
  }

  private async evidenceOf(db: Queryable, id: number, messageId: string): Promise<Evidence> {
    const { rows } = await db.query<{ evidence_sealed: Buffer }>('SELECT evidence_sealed FROM delivery_details WHERE delivery_id = $1', [id]);
    const sealed = rows[0]?.evidence_sealed;
    if (sealed === undefined) throw storeError('store-corrupt', `message ${id}: details row missing`);
    return JSON.parse(unsealText(this.keys.field, evidenceAad(messageId), sealed, `message ${id} evidence`)) as Evidence;
  }

  // ---- reading ----

  findByMessageId(messageId: string): Promise<number | undefined> {
    return this.read('find message', async (db) => (await db.query<{ id: number }>('SELECT id FROM deliveries WHERE message_id = $1', [messageId])).rows[0]?.id);
  }

  private async record(db: Queryable, id: number): Promise<DeliveryRecord> {
    const who = this.who();
    const { rows } = await db.query<
      PgListRow & {
        forwarding_at: number | null;
        reception_at: number | null;
        creation_check: JsonValue | null;
        exported_at: number | null;
        transferred_at: number | null;
        trashed_at: number | null;
        checklist: string[];
        note_sealed: Buffer | null;
        content_size: number;
        content_sha256: Buffer;
        content_type: string | null;
        evidence_sealed: Buffer;
      }
    >(
      `SELECT ${PG_LIST_COLUMNS}, d.forwarding_at, d.reception_at, d.creation_check, d.exported_at, d.transferred_at, d.trashed_at, d.checklist, d.note_sealed,
         x.content_size, x.content_sha256, x.content_type, x.evidence_sealed
       FROM deliveries d JOIN delivery_details x ON x.delivery_id = d.id WHERE d.id = $1`,
      [id],
    );
    const row = rows[0];
    if (row === undefined) throw storeError('store-unknown-message', `no message with store id ${id}`);
    // the evidence comes with the row (one round trip less than asking evidenceOf)
    const evidence = JSON.parse(unsealText(this.keys.field, evidenceAad(row.message_id), row.evidence_sealed, `message ${id} evidence`)) as Evidence;
    const cert = (b64: string | null) => (b64 === null ? null : Buffer.from(b64, 'base64'));
    return {
      ...((await pgWithPersonalReads(db, [pgListItem(row, who)], who))[0] as DeliveryListItem),
      senderCertificate: cert(evidence.senderCertificate),
      addresseeCertificate: cert(evidence.addresseeCertificate),
      processCard: {
        creation: isoOrNull(row.creation_at),
        forwarding: isoOrNull(row.forwarding_at),
        reception: isoOrNull(row.reception_at),
        inspectionReport: evidence.inspectionReport,
        creationCheck: row.creation_check,
      },
      signatureResult: evidence.judged?.signatureResult ?? evidence.signatureResult,
      certificateResult: evidence.certificateResult,
      content: { size: row.content_size, sha256: row.content_sha256.toString('hex'), contentType: row.content_type, coverage: evidence.contentCoverage },
      attachments: await this.attachmentsOf(db, id),
      times: {
        fetchedAt: new Date(row.fetched_at).toISOString(),
        readAt: isoOrNull(row.read_at),
        exportedAt: isoOrNull(row.exported_at),
        transferredAt: isoOrNull(row.transferred_at),
        trashedAt: isoOrNull(row.trashed_at),
      },
      checklist: row.checklist,
      note: row.note_sealed === null ? null : unsealText(this.keys.field, noteAad(row.message_id), row.note_sealed, `message ${id} note`),
    };
  }

  private async attachmentsOf(db: Queryable, id: number): Promise<AttachmentInfo[]> {
    const { rows } = await db.query<{
      id: number;
      position: number;
      name_sealed: Buffer;
      mime_type: string;
      size: number;
      sha256: Buffer;
      blob_id: string;
      coverage: JsonValue | null;
    }>('SELECT id, position, name_sealed, mime_type, size, sha256, blob_id, coverage FROM attachments WHERE delivery_id = $1 ORDER BY position', [id]);
    return rows.map((a) => ({
      id: a.id,
      position: a.position,
      name: unsealText(this.keys.field, attachmentNameAad(a.blob_id), a.name_sealed, `attachment ${a.id} name`),
      mimeType: a.mime_type,
      size: a.size,
      sha256: a.sha256.toString('hex'),
      coverage: a.coverage,
    }));
  }

  getDelivery(ref: DeliveryRef): Promise<DeliveryRecord> {
    return this.read('get message', async (db) => this.record(db, (await pgResolveRef(db, ref)).id));
  }

  openDelivery(ref: DeliveryRef): Promise<DeliveryRecord> {
    return this.write('open message', async (db) => {
      const { id, messageId } = await pgResolveRef(db, ref, true);
      await this.markReadBy(db, id, Date.now());
      await this.audit(db, { action: 'opened', deliveryId: id, messageId });
      return this.record(db, id);
    });
  }

  list(query: ListQuery = {}): Promise<DeliveryPage> {
    return this.read('list messages', (db) => pgListDeliveries(db, query, this.who()));
  }

  counts(): Promise<DeliveryCounts> {
    return this.read('count messages', (db) => pgCountDeliveries(db, this.who()));
  }

  async openContent(ref: DeliveryRef): Promise<Readable> {
    const blobId = await this.read('open content', async (db) => {
      const { id } = await pgResolveRef(db, ref);
      const { rows } = await db.query<{ content_blob: string }>('SELECT content_blob FROM delivery_details WHERE delivery_id = $1', [id]);
      const blob = rows[0]?.content_blob;
      if (blob === undefined) throw storeError('store-corrupt', 'content row missing');
      return blob;
    });
    return pgBlobStream(this.db, this.keys, blobId);
  }

  async readContent(ref: DeliveryRef, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    return collect(await this.openContent(ref), maxBytes, 'content');
  }

  async openAttachment(attachmentId: number): Promise<Readable> {
    const blobId = await this.read('open attachment', async (db) => {
      if (!Number.isSafeInteger(attachmentId)) throw storeError('store-unknown-message', 'attachment id is not a whole number');
      const { rows } = await db.query<{ blob_id: string }>('SELECT blob_id FROM attachments WHERE id = $1', [attachmentId]);
      const blob = rows[0]?.blob_id;
      if (blob === undefined) throw storeError('store-unknown-message', `no attachment with id ${attachmentId}`);
      return blob;
    });
    return pgBlobStream(this.db, this.keys, blobId);
  }

  async readAttachment(attachmentId: number, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    return collect(await this.openAttachment(attachmentId), maxBytes, 'attachment');
  }

  // ---- the caseworker's steps ----

  async markRead(ref: DeliveryRef): Promise<void> {
    await this.write('mark read', async (db) => {
      await this.markReadBy(db, (await pgResolveRef(db, ref)).id, Date.now());
    });
  }

  async markUnread(ref: DeliveryRef): Promise<void> {
    await this.write('mark unread', async (db) => {
      const { id } = await pgResolveRef(db, ref);
      // per person (the service): only this person's mark goes; without a person the one mark is cleared, as before
      if (!readsPerPerson()) await db.query('UPDATE deliveries SET read_at = NULL WHERE id = $1', [id]);
      await db.query('DELETE FROM delivery_reads WHERE delivery_id = $1 AND person = $2', [id, currentPerson(this.osUser)]);
    });
  }

  async recordExported(ref: DeliveryRef, detail: string): Promise<void> {
    await this.write('record export', async (db) => {
      const { id, messageId } = await pgResolveRef(db, ref, true);
      const now = Date.now();
      await db.query('UPDATE deliveries SET exported_at = $2 WHERE id = $1', [id, now]);
      await this.markReadBy(db, id, now);
      await this.audit(db, { action: 'exported', deliveryId: id, messageId, detail: auditDetail({ format: technicalDetail(detail) }) });
    });
  }

  async recordPrinted(ref: DeliveryRef): Promise<void> {
    await this.write('record print', async (db) => {
      const { id, messageId } = await pgResolveRef(db, ref);
      await this.audit(db, { action: 'printed', deliveryId: id, messageId });
    });
  }

  async markTransferred(ref: DeliveryRef, transferred = true): Promise<void> {
    await this.write('mark transferred', async (db) => {
      const { id, messageId } = await pgResolveRef(db, ref, true);
      const now = Date.now();
      const me = currentPerson(this.osUser);
      const { rows } = await db.query<{ claimed_by: string | null }>('SELECT claimed_by FROM deliveries WHERE id = $1', [id]);
      assertMayTransfer(rows[0]?.claimed_by ?? null, me, id);
      const changed = transferred
        ? (await db.query('UPDATE deliveries SET transferred_at = $2, transferred_by = $3 WHERE id = $1 AND transferred_at IS NULL', [id, now, me])).rowCount
        : (await db.query('UPDATE deliveries SET transferred_at = NULL, transferred_by = NULL WHERE id = $1 AND transferred_at IS NOT NULL', [id])).rowCount;
      if (transferred) await this.markReadBy(db, id, now);
      if ((changed ?? 0) > 0) await this.audit(db, { action: transferred ? 'marked-transferred' : 'unmarked-transferred', deliveryId: id, messageId });
    });
  }

  claimStep(ref: DeliveryRef, step: InboxStep): Promise<DeliveryRecord> {
    return this.write('shared inbox', async (db) => {
      // the row locked: two persons claiming at the same moment are decided one after the other
      const { id, messageId } = await pgResolveRef(db, ref, true);
      const { rows } = await db.query<{ claimed_by: string | null }>('SELECT claimed_by FROM deliveries WHERE id = $1', [id]);
      const { next, entry } = decideClaim(rows[0]?.claimed_by ?? null, currentPerson(this.osUser), step, { deliveryId: id, messageId });
      if (entry !== undefined) {
        await db.query('UPDATE deliveries SET claimed_by = $2, claimed_at = $3 WHERE id = $1', [id, next, next === null ? null : Date.now()]);
        await this.audit(db, entry);
      }
      return this.record(db, id);
    });
  }

  async recordAccountChange(change: AccountAuditChange): Promise<void> {
    await this.write('record account change', async (db) => {
      await this.audit(db, accountChangeEntry(change));
    });
  }

  async setChecklist(ref: DeliveryRef, ticked: readonly string[]): Promise<void> {
    if (!Array.isArray(ticked) || ticked.some((t) => typeof t !== 'string' || t.length > 64) || ticked.length > 100) {
      throw storeError('store-invalid-input', 'checklist: up to 100 section ids of at most 64 characters expected');
    }
    await this.write('set checklist', async (db) => {
      await db.query('UPDATE deliveries SET checklist = $2 WHERE id = $1', [(await pgResolveRef(db, ref)).id, JSON.stringify([...new Set(ticked)])]);
    });
  }

  async moveToTrash(ref: DeliveryRef): Promise<void> {
    await this.write('move to trash', async (db) => {
      const { id, messageId } = await pgResolveRef(db, ref, true);
      const { rowCount } = await db.query('UPDATE deliveries SET trashed_at = $2 WHERE id = $1 AND trashed_at IS NULL', [id, Date.now()]);
      if ((rowCount ?? 0) > 0) await this.audit(db, { action: 'trashed', deliveryId: id, messageId });
    });
  }

  async restoreFromTrash(ref: DeliveryRef): Promise<void> {
    await this.write('restore from trash', async (db) => {
      const { id, messageId } = await pgResolveRef(db, ref, true);
      const { rowCount } = await db.query('UPDATE deliveries SET trashed_at = NULL WHERE id = $1 AND trashed_at IS NOT NULL', [id]);
      if ((rowCount ?? 0) > 0) await this.audit(db, { action: 'restored', deliveryId: id, messageId });
    });
  }

  setCaseWork(ref: DeliveryRef, patch: CaseWorkPatch): Promise<CaseWork> {
    return this.write('set case work', async (db) => {
      const { id, messageId } = await pgResolveRef(db, ref, true);
      const { rows } = await db.query<{ aktenzeichen: string | null; note_sealed: Buffer | null; follow_up_on: string | null; applicants: string[]; subject: string | null }>(
        'SELECT aktenzeichen, note_sealed, follow_up_on, applicants, subject FROM deliveries WHERE id = $1',
        [id],
      );
      const row = rows[0];
      if (row === undefined) throw storeError('store-unknown-message', `no message with store id ${id}`);
      const before: CaseWork = {
        aktenzeichen: row.aktenzeichen,
        note: row.note_sealed === null ? null : unsealText(this.keys.field, noteAad(messageId), row.note_sealed, `message ${id} note`),
        followUpOn: row.follow_up_on,
      };
      const { next, entries } = applyCaseWorkPatch(before, patch, { deliveryId: id, messageId });
      if (entries.length === 0) return before;
      await db.query(`UPDATE deliveries SET aktenzeichen = $2, note_sealed = $3, follow_up_on = $4, search = ${searchVector(5)} WHERE id = $1`, [
        id,
        next.aktenzeichen,
        next.note === null ? null : sealText(this.keys.field, noteAad(messageId), next.note),
        next.followUpOn,
        ...searchParts({ applicants: row.applicants, messageId, id, subject: row.subject, aktenzeichen: next.aktenzeichen }),
      ]);
      for (const entry of entries) await this.audit(db, entry);
      return next;
    });
  }

  async setLegalHold(ref: DeliveryRef, hold: boolean): Promise<void> {
    await this.write('set legal hold', async (db) => {
      const { id, messageId } = await pgResolveRef(db, ref, true);
      const { rowCount } = await db.query('UPDATE deliveries SET legal_hold = $2 WHERE id = $1 AND legal_hold <> $2', [id, hold]);
      if ((rowCount ?? 0) > 0) await this.audit(db, { action: hold ? 'legal-hold-set' : 'legal-hold-released', deliveryId: id, messageId });
    });
  }

  /** The rows of a delivery and its blobs (their wrapped keys and sealed chunks), in the caller's transaction. */
  private async deleteRows(db: Queryable, id: number): Promise<void> {
    const { rows } = await db.query<{ blob_id: string }>(
      'SELECT blob_id FROM attachments WHERE delivery_id = $1 UNION ALL SELECT content_blob FROM delivery_details WHERE delivery_id = $1',
      [id],
    );
    await db.query('DELETE FROM deliveries WHERE id = $1', [id]);
    if (rows.length > 0) await db.query('DELETE FROM blobs WHERE id = ANY($1::text[])', [rows.map((r) => r.blob_id)]);
  }

  async deletePermanently(ref: DeliveryRef): Promise<void> {
    await this.write('delete message', async (db) => {
      const { id, messageId } = await pgResolveRef(db, ref, true);
      const { rows } = await db.query<{ legal_hold: boolean }>('SELECT legal_hold FROM deliveries WHERE id = $1', [id]);
      if (rows[0]?.legal_hold === true) throw storeError('store-legal-hold', `message ${id} is on legal hold`);
      await this.deleteRows(db, id);
      await this.audit(db, { action: 'deleted', deliveryId: id, messageId });
    });
  }

  // ---- audit log ----

  auditEntries(query: AuditQuery & { readonly person?: string } = {}): Promise<AuditEntry[]> {
    return this.read('read audit log', async (db) => {
      const { person, ...rest } = query;
      // a person is found through the messages about them (a deleted message's entries keep only its ids)
      return pgReadAudit(db, person === undefined || person.trim() === '' ? rest : { ...rest, deliveryIds: await pgDeliveriesNamed(db, person) });
    });
  }

  verifyAuditLog(): Promise<AuditVerification> {
    return this.read('verify audit log', (db) => pgVerifyAuditChain(db));
  }

  // ---- settings and retention ----

  private async settings(db: Queryable): Promise<StoreSettings> {
    return settingsFromRows((await db.query<{ key: string; value: string }>('SELECT key, value FROM settings')).rows);
  }

  getSettings(): Promise<StoreSettings> {
    return this.read('read settings', (db) => this.settings(db));
  }

  updateSettings(patch: Partial<StoreSettings>): Promise<StoreSettings> {
    return this.write('change settings', async (db) => {
      await db.query('LOCK TABLE settings IN SHARE ROW EXCLUSIVE MODE');
      const { writes, changes } = settingChanges(await this.settings(db), patch);
      for (const w of writes) await db.query('INSERT INTO settings(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [w.key, w.value]);
      if (changes.length > 0) await this.audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'retention', changes }) });
      return this.settings(db);
    });
  }

  private async plan(db: Queryable, now: number): Promise<RetentionCandidate[]> {
    const s = await this.settings(db);
    const { transferredCut, trashCut } = retentionCuts(s, now);
    const { rows } = await db.query<{ id: number; message_id: string; transferred_at: number | null; trashed_at: number | null }>(
      `SELECT id, message_id, transferred_at, trashed_at FROM deliveries
       WHERE NOT legal_hold AND ((transferred_at IS NOT NULL AND transferred_at <= $1) OR (trashed_at IS NOT NULL AND trashed_at <= $2))
       ORDER BY id`,
      [transferredCut, trashCut],
    );
    return rows.map((r) => retentionCandidate(s, r));
  }

  planRetention(now: TimeInput = new Date()): Promise<RetentionCandidate[]> {
    return this.read('plan retention', (db) => this.plan(db, toMillis(now, 'now')));
  }

  applyRetention(options: { now?: TimeInput; onlyIds?: readonly number[] } = {}): Promise<MailboxRetentionResult> {
    const now = toMillis(options.now ?? new Date(), 'now');
    const allowed = options.onlyIds === undefined ? undefined : new Set(options.onlyIds);
    return this.write('apply retention', async (db) => {
      // the plan and the deletions see the same rows: no change by another program slips in between
      await db.query('LOCK TABLE deliveries IN SHARE ROW EXCLUSIVE MODE');
      const plan = (await this.plan(db, now)).filter((c) => allowed === undefined || allowed.has(c.id));
      for (const c of plan) {
        await this.deleteRows(db, c.id);
        await this.audit(db, { action: 'retention-deleted', deliveryId: c.id, messageId: c.messageId, detail: auditDetail({ reason: c.reason }) });
      }
      return { deleted: plan };
    });
  }

  // ---- what the service keeps besides deliveries (schema version 3, pg-service-data.ts) ----

  async saveMailboxIdentity(record: MailboxIdentityRecord): Promise<void> {
    await this.write('save mailbox identity', (db) => pgSaveIdentity(db, this.keys.field, (q, e) => this.audit(q, e), record));
  }
  /** Changes whenever the identity is saved or switched (by any program): its certificate and when it was set. */
  identityStamp(): Promise<string | undefined> {
    return this.read('read mailbox identity', async (db) => {
      const row = (await db.query<{ stamp: string }>("SELECT cipher_cert_sha256 || ':' || configured_at AS stamp FROM mailbox_identity WHERE id = 1")).rows[0];
      return row?.stamp;
    });
  }
  hasMailboxIdentity(): Promise<boolean> {
    return this.read('read mailbox identity', (db) => pgHasIdentity(db));
  }
  readMailboxIdentity(): Promise<MailboxIdentityRecord | undefined> {
    return this.read('read mailbox identity', (db) => pgReadIdentity(db, this.keys.field));
  }
  trustedCas(): Promise<TrustedCaRecord[]> {
    return this.read('read trusted CAs', (db) => pgTrustedCas(db));
  }
  addTrustedCas(certificates: readonly Uint8Array[], origin: TrustedCaOrigin): Promise<string[]> {
    return this.write('add trusted CAs', (db) => pgAddTrustedCas(db, (q, e) => this.audit(q, e), certificates, origin));
  }
  saveCodeList(list: NewCodeList): Promise<CodeListSaveResult> {
    return this.write('save code list', (db) => pgSaveCodeList(db, (q, e) => this.audit(q, e), list));
  }
  codeLists(): Promise<StoredCodeList[]> {
    return this.read('read code lists', (db) => pgCodeLists(db));
  }
  codeListsStamp(): Promise<string> {
    return this.read('code lists stamp', (db) => pgCodeListsStamp(db));
  }
  updateMailboxConnection(connection: MailboxIdentityRecord['connection']): Promise<boolean> {
    return this.write('update mailbox connection', (db) => pgUpdateConnection(db, this.keys.field, (q, e) => this.audit(q, e), connection));
  }
  removeTrustedCa(fingerprint: string): Promise<boolean> {
    return this.write('remove trusted CA', (db) => pgRemoveTrustedCa(db, (q, e) => this.audit(q, e), fingerprint));
  }

  // ---- trust re-evaluation (core/store/trusted-cas.ts: the same batches, digest and audit as on SQLite) ----

  trustEvaluatedWith(): Promise<string | null> {
    return this.read('read trust evaluation', async (db) =>
      evaluatedWithValue((await db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [EVALUATED_WITH])).rows[0]?.value),
    );
  }

  async reevaluateTrust(evaluation: TrustEvaluation, reason: 'ca-added' | 'ca-removed' | 'ca-set-changed'): Promise<ReevaluationCount> {
    let checked = 0;
    let changed = 0;
    for (let after = 0; ;) {
      const batch = await this.write('re-evaluate trust', (db) => this.reevaluateBatch(db, evaluation, after));
      checked += batch.checked;
      changed += batch.changed;
      if (batch.last === undefined) break;
      after = batch.last;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await this.write('record trust evaluation', async (db) => {
      await db.query('INSERT INTO settings(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
        EVALUATED_WITH,
        JSON.stringify(evaluation.digest),
      ]);
      if (checked > 0 || reason !== 'ca-set-changed') await this.audit(db, { action: 'trust-reevaluated', detail: auditDetail({ reason, checked, changed }) });
    });
    return { checked, changed };
  }

  /**
   * One batch (ids above `after`): the evidence is sealed, so the rows with a signer in their result are found after
   * unsealing; a new judgement is sealed into the evidence beside the fetch's own result, the list status follows.
   */
  private async reevaluateBatch(db: Queryable, evaluation: TrustEvaluation, after: number): Promise<ReevaluationCount & { readonly last: number | undefined }> {
    const now = Date.now();
    const { rows } = await db.query<{ id: number; message_id: string; unreadable_reason: string | null; evidence_sealed: Buffer }>(
      `SELECT d.id, d.message_id, d.unreadable_reason, x.evidence_sealed FROM deliveries d JOIN delivery_details x ON x.delivery_id = d.id
       WHERE d.id > $1 ORDER BY d.id LIMIT 500 FOR UPDATE OF d`,
      [after],
    );
    let checked = 0;
    let changed = 0;
    for (const row of rows) {
      const evidence = JSON.parse(unsealText(this.keys.field, evidenceAad(row.message_id), row.evidence_sealed, `message ${row.id} evidence`)) as Evidence;
      const current = evidence.judged?.signatureResult ?? evidence.signatureResult;
      // as the SQLite store selects them: a result that names a signer
      if (current === null || !JSON.stringify(current).includes('"signer"')) continue;
      checked++;
      const update = evaluation.evaluate({
        id: row.id,
        signatureResult: current,
        senderCertificate: evidence.senderCertificate === null ? null : Buffer.from(evidence.senderCertificate, 'base64'),
        unreadable: row.unreadable_reason !== null,
        contentCoverage: evidence.contentCoverage,
      });
      if (update === undefined) continue;
      const next: Evidence = { ...evidence, judged: { signatureResult: jsonOrNull(update.signatureResult, 'signatureResult') ?? null, at: now } };
      await db.query('UPDATE delivery_details SET evidence_sealed = $2 WHERE delivery_id = $1', [
        row.id,
        sealText(this.keys.field, evidenceAad(row.message_id), JSON.stringify(next)),
      ]);
      await db.query('UPDATE deliveries SET signature_status = $2 WHERE id = $1', [row.id, update.signatureStatus.slice(0, 64)]);
      changed++;
    }
    return { checked, changed, last: rows.at(-1)?.id };
  }

  /**
   * The lock is named by the mailbox id kept in this database, not by `_identityKey` (the cipher certificate's
   * hash): a key rotation changes the certificate, and a service still holding the old key must exclude one that
   * has switched — both fetch the one mailbox this database holds.
   */
  async takeFetchLock(_identityKey: string): Promise<FetchLock> {
    try {
      this.mailboxId ??= await pgMailboxId(this.db);
      const lock = await pgTakeFetchLock(this.db, `mailbox ${this.mailboxId}`);
      return {
        confirm: async () => {
          try {
            await lock.confirm();
          } catch (error) {
            throw fromPgError(error, 'confirm fetch lock');
          }
        },
        release: () => lock.release(),
      };
    } catch (error) {
      throw fromPgError(error, 'take fetch lock');
    }
  }

  // ---- the hand-over folder (schema version 5, pg-handover.ts) ----

  startHandover(): Promise<{ fromDelivery: number; started: boolean }> {
    return this.write('start handover', (db) => pgStartHandover(db, (q, e) => this.audit(q, e), Date.now()));
  }
  pendingHandovers(limit = 100): Promise<PendingHandover[]> {
    return this.read('pending handovers', (db) => pgPendingHandovers(db, limit));
  }
  handoverOf(ref: DeliveryRef): Promise<HandoverRecord | undefined> {
    return this.read('read handover', (db) => pgReadHandover(db, ref));
  }
  recordHandover(ref: DeliveryRef, outcome: HandoverOutcome): Promise<boolean> {
    return this.write('record handover', (db) => pgRecordHandover(db, (q, e) => this.audit(q, e), ref, outcome, Date.now()));
  }
  async takeHandoverLock(waitMs = 10 * 60_000): Promise<HandoverLock> {
    try {
      return await pgTakeHandoverLock(this.db, waitMs);
    } catch (error) {
      throw fromPgError(error, 'take handover lock');
    }
  }

  /** The key file outside the database changed (core/app/pg-session.ts): audited here, as the SQLite store does. */
  async recordKeyWrapperChange(event: 'password-set' | 'recovery-renewed'): Promise<void> {
    await this.write('audit key change', (db) => this.audit(db, { action: 'key-wrapper-changed', detail: auditDetail({ event }) }));
  }

  // ---- key rotation (schema version 4, pg-key-rotation.ts; the steps: core/mailbox/rotation.ts) ----

  async stageKeyRotation(keys: KeyMaterial, chain: readonly Buffer[]): Promise<void> {
    await this.write('stage key rotation', (db) => pgStageRotation(db, this.keys.field, (q, e) => this.audit(q, e), keys, chain));
  }
  readKeyRotation(): Promise<KeyRotationRecord | undefined> {
    return this.read('read key rotation', (db) => pgReadRotation(db, this.keys.field));
  }
  updateKeyRotation(state: RotationState, change: { fetched?: number; lastError?: string | null } = {}): Promise<boolean> {
    return this.write('update key rotation', (db) => pgUpdateRotation(db, state, change));
  }
  cancelKeyRotation(): Promise<boolean> {
    return this.write('cancel key rotation', (db) => pgCancelRotation(db, (q, e) => this.audit(q, e)));
  }
  async completeKeyRotation(): Promise<void> {
    await this.write('complete key rotation', (db) => pgSwitchToStagedKeys(db, this.keys.field, (q, e) => this.audit(q, e)));
  }
  retiredKeys(): Promise<RetiredKey[]> {
    return this.read('read retired keys', (db) => pgRetiredKeys(db, this.keys.field));
  }
}
