/**
 * PostfachStore: the encrypted local store of one mailbox. Create it once (which yields the recovery key to show),
 * open it with any one of its key wrappers, hand it deliveries, query, change states, run retention, read the
 * audit log. Queries and state changes are synchronous (better-sqlite3; run the store off the UI thread), saving
 * and reading files are asynchronous streams.
 *
 * Concurrency: SQLite WAL with a busy timeout. One writer (the fetch engine, in a worker) and any number of readers
 * (UI, CLI) may have the same store open at the same time, in one process or several, on one machine; the CLI and
 * the desktop app open the same store (each with its own wrapper: password, OS key store). Not supported: a store
 * on a network share used from several machines (WAL needs shared memory on one host).
 *
 * The store logs nothing; its errors (errors.ts) carry ids and codes, never names, subjects or content.
 */
import { collectBounded as collect, technicalDetail } from './bounded-read.js';
import { createHash } from 'node:crypto';
import { mkdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { appendAudit, auditCsv, readAudit, verifyAuditChain, type AuditEntry, type AuditQuery, type AuditVerification, type NewAuditEntry } from './audit-log.js';
import { blobStream, deleteBlobFile, nodeBlobFileIo, type BlobFileIo } from './blob-files.js';
import { DEFAULT_CHUNK_BYTES } from './blob-crypto.js';
import { stmt } from './statements.js';
import { auditDetail, type AuditParams } from './audit-words.js';
import { GUESSED_NAMES, applicantSortKey, checkNames, encodeNames, type StoredPersonName } from './applicant-names.js';
import { readCodeLists, saveCodeList, type CodeListSaveResult, type NewCodeList, type StoredCodeList } from './code-lists.js';
import { openEncryptedDatabase, type Db } from './database.js';
import { migrateToLatest } from './schema-check.js';
import { deleteDeliveryRows } from './deletion.js';
import { readCaseWork, writeCaseWork, type CaseWork, type CaseWorkPatch } from './case-work.js';
import { pendingHandovers, readHandover, startHandover, writeHandover, type HandoverRecord, type HandoverState, type PendingHandover } from './handover-state.js';
import { countDeliveries, deliveriesNamed, getDeliveryRecord, listDeliveries, resolveRef, type Who } from './delivery-queries.js';
import { accountChangeEntry, assertMayTransfer, currentPerson, decideClaim, readsPerPerson, type InboxStep } from './shared-inbox.js';
import { saveDelivery, type WriterContext } from './delivery-writer.js';
import { fromFsError, fromSqliteError, storeError } from './errors.js';
import { readKeyFile } from './key-file.js';
import type { KeyProtector } from './key-protector.js';
import type { ScryptParams } from './key-wrapping.js';
import {
  changeWrappers,
  createKeyring,
  newRecoveryWrapper,
  setPasswordWrapper,
  setProtectorWrapper,
  unlockDataKey,
  wrapperInfo,
  type KeyWrapperInfo,
  type StoreUnlock,
} from './keyring.js';
import { hasMailboxIdentity, readMailboxIdentity, updateMailboxConnection, writeMailboxIdentity, type MailboxIdentityRecord } from './mailbox-identity.js';
import { sweepOrphans } from './orphans.js';
import {
  caSetDigest,
  deleteTrustedCa,
  evaluatedWith,
  insertTrustedCas,
  readTrustedCas,
  recordEvaluatedWith,
  reevaluateBatch,
  type ReevaluationCount,
  type TrustedCaOrigin,
  type TrustedCaRecord,
  type TrustEvaluation,
} from './trusted-cas.js';
import {
  deleteRotation,
  readRetiredKeys,
  readRotation,
  stageRotation,
  switchToStagedKeys,
  updateRotation,
  type KeyMaterial,
  type KeyRotationRecord,
  type RetiredKey,
  type RotationState,
} from './key-rotation.js';
import { currentOsUser } from './os-user.js';
import { storePaths, type StorePaths } from './paths.js';
import type {
  DeliveryCounts,
  DeliveryPage,
  DeliveryRecord,
  DeliveryRef,
  ListQuery,
  NewDelivery,
  ProcessCardInput,
  RetentionCandidate,
  SaveResult,
  StoreSettings,
  TimeInput,
  AccountAuditChange,
} from './records.js';
import { planRetention, readSettings, writeSettings } from './retention.js';
import { toMillis, toMillisOrNull } from './time.js';

export interface OpenStoreOptions {
  /** "Who" in the audit log; default: the OS user running the program. */
  readonly osUser?: string;
  /** Caps the database size: beyond it saving fails with `store-full` (IT quota; tests simulate a full disk). */
  readonly maxDatabaseBytes?: number;
  /** File writing for blobs; tests inject write errors here. */
  readonly fileIo?: BlobFileIo;
  /** Contents up to this size are kept inside the database (default 256 KiB), larger ones in blob files. */
  readonly inlineContentLimit?: number;
  /** Plaintext bytes per encrypted chunk of a blob file (default 256 KiB). */
  readonly chunkBytes?: number;
  /**
   * Default true: every save is fsynced (files, folder, commit) before it returns. false — ONLY for bulk loading
   * and benchmarks: nothing is fsynced; a killed process still loses nothing (WAL), a power failure may lose the
   * last saves. The fetch engine never sets it: its acknowledgement relies on durable saves.
   */
  readonly durableCommits?: boolean;
}

export interface CreateStoreOptions extends OpenStoreOptions {
  readonly password?: string;
  readonly protector?: KeyProtector;
  /** Password KDF cost; default scrypt N=2^17, r=8, p=1. */
  readonly scrypt?: ScryptParams;
}

export interface CreatedStore {
  readonly store: PostfachStore;
  /** Show once, ask the user to write it down; it is not kept anywhere in clear. */
  readonly recoveryKey: string;
}

export interface RetentionResult {
  readonly deleted: readonly RetentionCandidate[];
}

const DEFAULT_INLINE_LIMIT = 256 * 1024;

function storeExists(paths: StorePaths): boolean {
  for (const file of [paths.database, paths.keyFile]) {
    try {
      statSync(file);
      return true;
    } catch {
      // absent
    }
  }
  return false;
}

/**
 * Removes what a failed `create` made: the database with its WAL files, the key file (checked absent before), the
 * files folder where this call made it, and the folders above where this call created them (only while empty).
 */
function removeNewStore(paths: StorePaths, made: { folder?: string | undefined; filesDir?: boolean }): void {
  for (const file of [paths.database, `${paths.database}-wal`, `${paths.database}-shm`, paths.keyFile, paths.keyLock]) rmSync(file, { force: true });
  if (made.filesDir === true) rmSync(paths.filesDir, { recursive: true, force: true });
  const madeFolder = made.folder;
  if (madeFolder === undefined) return;
  // mkdirSync(recursive) names the first folder it made; remove from the store's folder up to that one, if empty
  for (let folder = path.dirname(paths.database); ; folder = path.dirname(folder)) {
    try {
      rmdirSync(folder);
    } catch {
      return;
    }
    if (path.resolve(folder) === path.resolve(madeFolder) || path.dirname(folder) === folder) return;
  }
}

export class PostfachStore {
  private db: Db | undefined;
  private readonly writer: WriterContext;

  private constructor(
    db: Db,
    readonly paths: StorePaths,
    readonly storeId: string,
    private readonly dataKey: Buffer,
    private readonly osUser: string,
    options: OpenStoreOptions,
  ) {
    this.db = db;
    this.writer = {
      db,
      filesDir: paths.filesDir,
      io: options.fileIo ?? nodeBlobFileIo,
      osUser,
      inlineLimit: options.inlineContentLimit ?? DEFAULT_INLINE_LIMIT,
      chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
      durable: options.durableCommits !== false,
    };
  }

  /** Is there a store (database or key file) at this path? */
  static exists(databasePath: string): boolean {
    return storeExists(storePaths(databasePath));
  }

  /**
   * Creates a new store: data key, key file (password and/or OS key store wrapper, always a recovery key), database.
   * `prepare` runs on the new, open store before it is handed out (e.g. the mailbox identity of a set-up): when it
   * or any step of the creation fails, every file and folder this call made is removed again — a failed set-up
   * leaves nothing behind, and the next attempt is not blocked by `store-exists`.
   */
  static async create(databasePath: string, options: CreateStoreOptions = {}, prepare?: (store: PostfachStore) => void | Promise<void>): Promise<CreatedStore> {
    const paths = storePaths(databasePath);
    if (storeExists(paths)) throw storeError('store-exists', 'database or key file already present');
    const made: { folder?: string | undefined; filesDir?: boolean } = {};
    try {
      made.folder = mkdirSync(path.dirname(paths.database), { recursive: true, mode: 0o700 });
      made.filesDir = mkdirSync(paths.filesDir, { recursive: true, mode: 0o700 }) !== undefined;
    } catch (error) {
      removeNewStore(paths, made);
      throw fromFsError(error, 'store folder');
    }
    let keyring: Awaited<ReturnType<typeof createKeyring>>;
    try {
      keyring = await createKeyring(paths, { password: options.password, protector: options.protector, scrypt: options.scrypt });
    } catch (error) {
      removeNewStore(paths, made);
      throw error;
    }
    let db: Db | undefined;
    let store: PostfachStore | undefined;
    try {
      db = openEncryptedDatabase(paths.database, keyring.dataKey, { create: true, maxBytes: options.maxDatabaseBytes, durable: options.durableCommits });
      await migrateToLatest(db);
      const osUser = options.osUser ?? currentOsUser();
      const wrappers = ['recovery', ...(options.password === undefined ? [] : ['password']), ...(options.protector === undefined ? [] : [options.protector.id])];
      const audited = db;
      audited
        .transaction(() => {
          appendAudit(audited, osUser, { action: 'store-created', detail: auditDetail({ wrappers }) });
          recordEvaluatedWith(audited, caSetDigest([]));
        })
        .immediate();
      store = new PostfachStore(db, paths, keyring.storeId, keyring.dataKey, osUser, options);
      if (prepare) await prepare(store);
      return { store, recoveryKey: keyring.recoveryKey };
    } catch (error) {
      // a half-created store would block the next attempt with store-exists, and a store made for a set-up that
      // failed must not stay behind (its recovery key was never shown)
      if (store) store.close();
      else {
        db?.close();
        keyring.dataKey.fill(0);
      }
      removeNewStore(paths, made);
      throw fromSqliteError(error, 'create store');
    }
  }

  /**
   * Opens the store with one of its wrappers. A wrong password or recovery key is found in the key file alone:
   * the database is not opened and no file of the store is written. Migrates an older schema, then sweeps orphans.
   */
  static async open(databasePath: string, unlock: StoreUnlock, options: OpenStoreOptions = {}): Promise<PostfachStore> {
    const paths = storePaths(databasePath);
    const keyFile = readKeyFile(paths.keyFile);
    try {
      statSync(paths.database);
    } catch {
      throw storeError('store-not-found', 'database file missing beside the key file');
    }
    const dataKey = await unlockDataKey(keyFile, unlock);
    let db: Db | undefined;
    try {
      db = openEncryptedDatabase(paths.database, dataKey, { create: false, maxBytes: options.maxDatabaseBytes, durable: options.durableCommits });
      await migrateToLatest(db);
      mkdirSync(paths.filesDir, { recursive: true, mode: 0o700 });
      const store = new PostfachStore(db, paths, keyFile.storeId, dataKey, options.osUser ?? currentOsUser(), options);
      await store.cleanupOrphans();
      return store;
    } catch (error) {
      db?.close();
      dataKey.fill(0);
      throw fromSqliteError(error, 'open store');
    }
  }

  close(): void {
    if (this.db === undefined) return;
    this.db.close();
    this.db = undefined;
    this.dataKey.fill(0);
  }

  get isOpen(): boolean {
    return this.db !== undefined;
  }

  private get database(): Db {
    if (this.db === undefined) throw storeError('store-closed', 'store used after close()');
    return this.db;
  }

  /** Runs a synchronous database operation, turning SQLite errors into store errors. */
  private run<T>(operation: string, work: (db: Db) => T): T {
    const db = this.database;
    try {
      return work(db);
    } catch (error) {
      throw fromSqliteError(error, operation);
    }
  }

  /** A write transaction (IMMEDIATE: takes the write lock up front, so it never fails half-way on a busy lock). */
  private write<T>(operation: string, work: (db: Db) => T): T {
    return this.run(operation, (db) => db.transaction(() => work(db)).immediate());
  }

  private audit(db: Db, entry: NewAuditEntry): void {
    appendAudit(db, this.osUser, entry);
  }

  /** The person of the running call (shared-inbox.ts): the service's signed-in person, else the OS user. */
  private who(): Who {
    return { person: currentPerson(this.osUser), perPerson: readsPerPerson() };
  }

  /** Read marks: the one mark of the single-PC mode ("read by anyone", the state), and the person's own. */
  private markReadBy(db: Db, id: number, at: number): void {
    stmt(db, 'UPDATE deliveries SET read_at = coalesce(read_at, ?) WHERE id = ?').run(at, id);
    stmt(db, 'INSERT INTO delivery_reads(delivery_id, person, read_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(id, currentPerson(this.osUser), at);
  }

  // ---- deliveries in ----

  /**
   * Stores one delivery with its content and attachment streams, atomically and durably (delivery-writer.ts).
   * Idempotent by OSCI message id: a message already stored is not read again; its id is returned.
   */
  async saveDelivery(delivery: NewDelivery): Promise<SaveResult> {
    if (!this.isOpen) throw storeError('store-closed', 'store used after close()');
    return saveDelivery(this.writer, delivery);
  }

  /** Records (later) process card stamps, e.g. Reception after FetchProcessCard; fields left out stay as they are. */
  recordProcessCard(ref: DeliveryRef, card: ProcessCardInput): void {
    this.recordProcessCards([{ ref, card }]);
  }

  /**
   * The stamps of several process cards in one transaction: the receipts of a fetch are one commit (one fsync)
   * instead of one per delivery. All or none are recorded.
   */
  recordProcessCards(cards: ReadonlyArray<{ readonly ref: DeliveryRef; readonly card: ProcessCardInput }>): void {
    if (cards.length === 0) return;
    this.write('record process card', (db) => {
      for (const { ref, card } of cards) {
        const { id } = resolveRef(db, ref);
        const set = (column: string, value: TimeInput | null | undefined, field: string): void => {
          if (value !== undefined) stmt(db, `UPDATE deliveries SET ${column} = ? WHERE id = ?`).run(toMillisOrNull(value, field), id);
        };
        set('creation_at', card.creation, 'processCard.creation');
        set('forwarding_at', card.forwarding, 'processCard.forwarding');
        set('reception_at', card.reception, 'processCard.reception');
        if (card.inspectionReport !== undefined) {
          stmt(db, 'UPDATE delivery_details SET inspection_report = ? WHERE delivery_id = ?').run(JSON.stringify(card.inspectionReport), id);
        }
        if (card.creationCheck !== undefined) stmt(db, 'UPDATE deliveries SET creation_check = ? WHERE id = ?').run(JSON.stringify(card.creationCheck), id);
      }
    });
  }

  // ---- reading ----

  /** The store id for an OSCI message id, or undefined. */
  findByMessageId(messageId: string): number | undefined {
    return this.run('find message', (db) => (stmt(db, 'SELECT id FROM deliveries WHERE message_id = ?').get(messageId) as { id: number } | undefined)?.id);
  }

  /** The full record, without audit (for the fetch engine and internal use). What a person opens goes through openDelivery. */
  getDelivery(ref: DeliveryRef): DeliveryRecord {
    return this.run('get message', (db) => getDeliveryRecord(db, resolveRef(db, ref).id, this.who()));
  }

  /** A caseworker opens a message: audited as "opened", marked read. */
  openDelivery(ref: DeliveryRef): DeliveryRecord {
    return this.write('open message', (db) => {
      const { id, messageId } = resolveRef(db, ref);
      this.markReadBy(db, id, Date.now());
      this.audit(db, { action: 'opened', deliveryId: id, messageId });
      return getDeliveryRecord(db, id, this.who());
    });
  }

  list(query: ListQuery = {}): DeliveryPage {
    return this.run('list messages', (db) => listDeliveries(db, query, this.who()));
  }

  counts(): DeliveryCounts {
    return this.run('count messages', (db) => countDeliveries(db, this.who()));
  }

  /** The content exactly as received, as a stream (each chunk authenticated before it is passed on). */
  openContent(ref: DeliveryRef): Readable {
    const row = this.run('open content', (db) => {
      const { id } = resolveRef(db, ref);
      return stmt(
        db,
        `SELECT x.content_inline, x.content_size, b.id AS blob_id, b.file_key FROM delivery_details x
           LEFT JOIN blobs b ON b.id = x.content_blob WHERE x.delivery_id = ?`,
      ).get(id) as { content_inline: Buffer | null; content_size: number; blob_id: string | null; file_key: Buffer | null };
    });
    if (row.content_inline !== null) return Readable.from([row.content_inline]);
    if (row.blob_id === null || row.file_key === null) throw storeError('store-corrupt', 'content blob row missing');
    return blobStream(this.paths.filesDir, row.blob_id, row.file_key, row.content_size);
  }

  /** The content in memory (refused beyond maxBytes, default 64 MiB: use openContent for large ones). */
  async readContent(ref: DeliveryRef, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    return collect(this.openContent(ref), maxBytes, 'content');
  }

  openAttachment(attachmentId: number): Readable {
    const row = this.run(
      'open attachment',
      (db) =>
        stmt(db, 'SELECT a.size, b.id AS blob_id, b.file_key FROM attachments a JOIN blobs b ON b.id = a.blob_id WHERE a.id = ?').get(attachmentId) as
          { size: number; blob_id: string; file_key: Buffer } | undefined,
    );
    if (row === undefined) throw storeError('store-unknown-message', `no attachment with id ${attachmentId}`);
    return blobStream(this.paths.filesDir, row.blob_id, row.file_key, row.size);
  }

  async readAttachment(attachmentId: number, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    return collect(this.openAttachment(attachmentId), maxBytes, 'attachment');
  }

  // ---- the caseworker's steps (each audited where DESIGN.md asks for it) ----

  /** Marks a message read without opening it (no "opened" audit entry: nobody saw the content). */
  markRead(ref: DeliveryRef): void {
    this.write('mark read', (db) => {
      this.markReadBy(db, resolveRef(db, ref).id, Date.now());
    });
  }

  markUnread(ref: DeliveryRef): void {
    this.write('mark unread', (db) => {
      const { id } = resolveRef(db, ref);
      // per person (the service): only this person's mark goes; the single-PC mode clears its one mark, as before
      if (!readsPerPerson()) stmt(db, 'UPDATE deliveries SET read_at = NULL WHERE id = ?').run(id);
      stmt(db, 'DELETE FROM delivery_reads WHERE delivery_id = ? AND person = ?').run(id, currentPerson(this.osUser));
    });
  }

  /** `detail`: what was exported, e.g. "pdf", "xml", "attachments" — a format, never a file name with a person's name. */
  recordExported(ref: DeliveryRef, detail: string): void {
    this.write('record export', (db) => {
      const { id, messageId } = resolveRef(db, ref);
      // exported means seen: it leaves "ungelesen" as well
      stmt(db, 'UPDATE deliveries SET exported_at = ? WHERE id = ?').run(Date.now(), id);
      this.markReadBy(db, id, Date.now());
      this.audit(db, { action: 'exported', deliveryId: id, messageId, detail: auditDetail({ format: technicalDetail(detail) }) });
    });
  }

  recordPrinted(ref: DeliveryRef): void {
    this.write('record print', (db) => {
      const { id, messageId } = resolveRef(db, ref);
      this.audit(db, { action: 'printed', deliveryId: id, messageId });
    });
  }

  markTransferred(ref: DeliveryRef, transferred = true): void {
    this.write('mark transferred', (db) => {
      const { id, messageId } = resolveRef(db, ref);
      const me = currentPerson(this.osUser);
      assertMayTransfer((stmt(db, 'SELECT claimed_by FROM deliveries WHERE id = ?').get(id) as { claimed_by: string | null }).claimed_by, me, id);
      const changed = transferred
        ? stmt(db, 'UPDATE deliveries SET transferred_at = ?, transferred_by = ? WHERE id = ? AND transferred_at IS NULL').run(Date.now(), me, id).changes
        : stmt(db, 'UPDATE deliveries SET transferred_at = NULL, transferred_by = NULL WHERE id = ? AND transferred_at IS NOT NULL').run(id).changes;
      if (transferred) this.markReadBy(db, id, Date.now());
      if (changed > 0) this.audit(db, { action: transferred ? 'marked-transferred' : 'unmarked-transferred', deliveryId: id, messageId });
    });
  }

  /**
   * Shared inbox: claim, release, hand to a colleague (`to`: the person as the audit log names them) or take over a
   * colleague's claim (shared-inbox.ts decides; a colleague's claim is refused, never overridden silently).
   */
  claimStep(ref: DeliveryRef, step: InboxStep): DeliveryRecord {
    return this.write('shared inbox', (db) => {
      const { id, messageId } = resolveRef(db, ref);
      const current = (stmt(db, 'SELECT claimed_by FROM deliveries WHERE id = ?').get(id) as { claimed_by: string | null }).claimed_by;
      const { next, entry } = decideClaim(current, currentPerson(this.osUser), step, { deliveryId: id, messageId });
      if (entry !== undefined) {
        stmt(db, 'UPDATE deliveries SET claimed_by = ?, claimed_at = ? WHERE id = ?').run(next, next === null ? null : Date.now(), id);
        this.audit(db, entry);
      }
      return getDeliveryRecord(db, id, this.who());
    });
  }

  /** `postfach serve`: a change of a personal account into the audit log (the actor: who made it). */
  recordAccountChange(change: AccountAuditChange): void {
    this.write('record account change', (db) => this.audit(db, accountChangeEntry(change)));
  }

  /** Which checklist sections were ticked (ids defined by the UI, e.g. "person", "einkommen"). */
  setChecklist(ref: DeliveryRef, ticked: readonly string[]): void {
    if (!Array.isArray(ticked) || ticked.some((t) => typeof t !== 'string' || t.length > 64) || ticked.length > 100) {
      throw storeError('store-invalid-input', 'checklist: up to 100 section ids of at most 64 characters expected');
    }
    this.write('set checklist', (db) => {
      stmt(db, 'UPDATE deliveries SET checklist = ? WHERE id = ?').run(JSON.stringify([...new Set(ticked)]), resolveRef(db, ref).id);
    });
  }

  moveToTrash(ref: DeliveryRef): void {
    this.write('move to trash', (db) => {
      const { id, messageId } = resolveRef(db, ref);
      if (stmt(db, 'UPDATE deliveries SET trashed_at = ? WHERE id = ? AND trashed_at IS NULL').run(Date.now(), id).changes > 0) {
        this.audit(db, { action: 'trashed', deliveryId: id, messageId });
      }
    });
  }

  restoreFromTrash(ref: DeliveryRef): void {
    this.write('restore from trash', (db) => {
      const { id, messageId } = resolveRef(db, ref);
      if (stmt(db, 'UPDATE deliveries SET trashed_at = NULL WHERE id = ? AND trashed_at IS NOT NULL').run(id).changes > 0) {
        this.audit(db, { action: 'restored', deliveryId: id, messageId });
      }
    });
  }

  /**
   * The office's Aktenzeichen, note and Wiedervorlage day (case-work.ts): fields left out stay, null removes; one
   * audit entry per field that changed, in the same transaction. Returns the values now stored.
   */
  setCaseWork(ref: DeliveryRef, patch: CaseWorkPatch): CaseWork {
    return this.write('set case work', (db) => {
      const { id, messageId } = resolveRef(db, ref);
      for (const entry of writeCaseWork(db, id, messageId, patch)) this.audit(db, entry);
      return readCaseWork(db, id);
    });
  }

  setLegalHold(ref: DeliveryRef, hold: boolean): void {
    this.write('set legal hold', (db) => {
      const { id, messageId } = resolveRef(db, ref);
      if (stmt(db, 'UPDATE deliveries SET legal_hold = ? WHERE id = ? AND legal_hold <> ?').run(hold ? 1 : 0, id, hold ? 1 : 0).changes > 0) {
        this.audit(db, { action: hold ? 'legal-hold-set' : 'legal-hold-released', deliveryId: id, messageId });
      }
    });
  }

  // ---- hand-over folder (core/handover/, migration 15) ----

  /** Switches the hand-over on (once; audited): deliveries stored from now on are pending. */
  startHandover(): { fromDelivery: number; started: boolean } {
    return this.write('start handover', (db) => {
      const started = startHandover(db, Date.now());
      if (started.started) this.audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'handover-started', fromDelivery: started.fromDelivery }) });
      return started;
    });
  }

  /** Deliveries to hand over that have no record yet, oldest first. */
  pendingHandovers(limit = 100): PendingHandover[] {
    return this.run('pending handovers', (db) => pendingHandovers(db, limit));
  }

  handoverOf(ref: DeliveryRef): HandoverRecord | undefined {
    return this.run('read handover', (db) => readHandover(db, resolveRef(db, ref).id));
  }

  /**
   * Records a hand-over with its audit entry (one transaction): the first of a delivery (`again` false: its row, once;
   * false when it had one) or a repeat on request (`again` true: audited only). `folder`: ids only, no names.
   */
  recordHandover(ref: DeliveryRef, outcome: { state: HandoverState; folder: string; reason?: string; again?: boolean }): boolean {
    return this.write('record handover', (db) => {
      const { id, messageId } = resolveRef(db, ref);
      const again = outcome.again === true;
      const fresh = again || writeHandover(db, id, outcome.state, outcome.folder, outcome.reason ?? null, Date.now());
      if (fresh) {
        this.audit(db, {
          action: outcome.state === 'done' ? 'handed-over' : 'handover-refused',
          deliveryId: id,
          messageId,
          detail: auditDetail({ folder: outcome.folder, ...(again ? { again: true } : {}), ...(outcome.reason ? { reason: outcome.reason } : {}) }),
        });
      }
      return fresh;
    });
  }

  /** Deletes a message for good (from the Papierkorb, by a person). Refused while on legal hold. */
  async deletePermanently(ref: DeliveryRef): Promise<void> {
    const blobIds = this.write('delete message', (db) => {
      const { id, messageId } = resolveRef(db, ref);
      const hold = (stmt(db, 'SELECT legal_hold FROM deliveries WHERE id = ?').get(id) as { legal_hold: number }).legal_hold;
      if (hold === 1) throw storeError('store-legal-hold', `message ${id} is on legal hold`);
      const ids = deleteDeliveryRows(db, id);
      this.audit(db, { action: 'deleted', deliveryId: id, messageId });
      return ids;
    });
    await this.unlinkBlobs(blobIds);
  }

  // ---- code lists (imported by local IT) ----

  /** Keeps a code list version (replacing the same version with other content); audited when anything changed. */
  saveCodeList(list: NewCodeList): CodeListSaveResult {
    return this.write('save code list', (db) => saveCodeList(db, this.osUser, list));
  }

  codeLists(): StoredCodeList[] {
    return this.run('read code lists', (db) => readCodeLists(db));
  }

  /** Changes whenever a code list is imported or replaced (also by another program on the same store). */
  codeListsStamp(): string {
    return this.run('code lists stamp', (db) => {
      const row = stmt(db, 'SELECT count(*) AS n, coalesce(max(imported_at), 0) AS at, coalesce(max(id), 0) AS id FROM code_lists').get() as { n: number; at: number; id: number };
      return `${row.n}:${row.at}:${row.id}`;
    });
  }

  // ---- applicants' names in their parts (schema 9) ----

  /** Readable rows whose name parts were guessed by the migration, by id from `afterId`, at most `limit`. */
  rowsWithGuessedNames(afterId: number, limit: number): number[] {
    return this.run('find guessed names', (db) =>
      (stmt(db, `SELECT id FROM deliveries WHERE id > ? AND ${GUESSED_NAMES} ORDER BY id LIMIT ?`).all(afterId, limit) as Array<{ id: number }>).map((r) => r.id),
    );
  }

  /** The names in their parts as read from the content (replaces guessed parts; the sort key follows). */
  setApplicantNames(id: number, names: readonly StoredPersonName[]): void {
    if (names.length > 50 || !checkNames(names)) throw storeError('store-invalid-input', 'applicant names: not a list of names or too long');
    this.write('set applicant names', (db) => {
      stmt(db, 'UPDATE deliveries SET applicant_parts = ?, applicant_sort = ? WHERE id = ?').run(names.length === 0 ? null : encodeNames(names), applicantSortKey(names), id);
    });
  }

  // ---- settings and retention ----

  getSettings(): StoreSettings {
    return this.run('read settings', (db) => readSettings(db));
  }

  updateSettings(patch: Partial<StoreSettings>): StoreSettings {
    return this.write('change settings', (db) => {
      const changes = writeSettings(db, patch);
      if (changes.length > 0) this.audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'retention', changes }) });
      return readSettings(db);
    });
  }

  /** Dry run: what retention would delete now (for the UI to announce before it happens). */
  planRetention(now: TimeInput = new Date()): RetentionCandidate[] {
    return this.run('plan retention', (db) => planRetention(db, toMillis(now, 'now')));
  }

  /**
   * Deletes what planRetention lists at `now` — restricted to `onlyIds` when given (what the user was shown),
   * so nothing is deleted that was not announced. Each deletion is audited as "retention-deleted".
   */
  async applyRetention(options: { now?: TimeInput; onlyIds?: readonly number[] } = {}): Promise<RetentionResult> {
    const now = toMillis(options.now ?? new Date(), 'now');
    const allowed = options.onlyIds === undefined ? undefined : new Set(options.onlyIds);
    const { deleted, blobIds } = this.write('apply retention', (db) => {
      const plan = planRetention(db, now).filter((c) => allowed === undefined || allowed.has(c.id));
      const ids: string[] = [];
      for (const c of plan) {
        ids.push(...deleteDeliveryRows(db, c.id));
        this.audit(db, { action: 'retention-deleted', deliveryId: c.id, messageId: c.messageId, detail: auditDetail({ reason: c.reason }) });
      }
      return { deleted: plan, blobIds: ids };
    });
    await this.unlinkBlobs(blobIds);
    if (deleted.length > 0) this.run('vacuum', (db) => db.pragma('incremental_vacuum'));
    return { deleted };
  }

  private async unlinkBlobs(ids: readonly string[]): Promise<void> {
    // committed already: a failure here leaves orphans for the next sweep, never a dangling row
    await Promise.all(ids.map((id) => deleteBlobFile(this.paths.filesDir, id).catch(() => undefined)));
  }

  // ---- the mailbox identity (keys sealed inside the store; mailbox-identity.ts) ----

  /** Saves (or replaces) the mailbox identity; audited as a settings change naming the certificate fingerprint. */
  saveMailboxIdentity(record: MailboxIdentityRecord): void {
    this.write('save mailbox identity', (db) => {
      writeMailboxIdentity(db, this.dataKey, this.storeId, record, Date.now());
      const fingerprint = createHash('sha256').update(record.cipherCertificate).digest('hex');
      this.audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'identity-set', sha256: fingerprint }) });
    });
  }

  /** Replaces the connection settings of the identity; false when no identity is set up. */
  updateMailboxConnection(connection: MailboxIdentityRecord['connection']): boolean {
    return this.write('update mailbox connection', (db) => {
      const changed = updateMailboxConnection(db, connection, Date.now());
      if (changed) this.audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'connection-changed' }) });
      return changed;
    });
  }

  hasMailboxIdentity(): boolean {
    return this.run('read mailbox identity', (db) => hasMailboxIdentity(db));
  }

  /** The identity with its keys unsealed (for the fetch engine, in the service process only), or undefined. */
  readMailboxIdentity(): MailboxIdentityRecord | undefined {
    return this.run('read mailbox identity', (db) => readMailboxIdentity(db, this.dataKey, this.storeId));
  }

  // ---- trusted sender CAs (trusted-cas.ts; what a signature result becomes is the engine's judgement) ----

  /** The office's trusted CAs, in the order they were added. */
  trustedCas(): TrustedCaRecord[] {
    return this.run('read trusted CAs', (db) => readTrustedCas(db));
  }

  /** The digest of the CA set the stored signature results were last judged with (null: never). */
  trustEvaluatedWith(): string | null {
    return this.run('read trust evaluation', (db) => evaluatedWith(db));
  }

  /**
   * Adds trusted CAs (those not there yet), one audit entry each, in one transaction; returns the fingerprints added.
   * The stored deliveries are then judged again with `reevaluateTrust`.
   */
  addTrustedCas(certificates: readonly Uint8Array[], origin: TrustedCaOrigin): string[] {
    return this.write('add trusted CAs', (db) => {
      const added = insertTrustedCas(db, certificates, origin, Date.now());
      for (const fingerprint of added) this.audit(db, { action: 'trusted-ca-added', detail: auditDetail({ sha256: fingerprint, origin }) });
      return added;
    });
  }

  /** Removes a trusted CA (audited); then `reevaluateTrust`. */
  removeTrustedCa(fingerprint: string): boolean {
    return this.write('remove trusted CA', (db) => {
      const removed = deleteTrustedCa(db, fingerprint);
      if (removed) this.audit(db, { action: 'trusted-ca-removed', detail: auditDetail({ sha256: fingerprint.toLowerCase() }) });
      return removed;
    });
  }

  /**
   * Judges every stored delivery again under `evaluation` (the engine's judgement under the CAs now in force), in
   * batches of their own transactions with a turn of the event loop between them, so that neither a fetch in another
   * process nor the service's other calls wait long. At the end, in one transaction, the set's digest is recorded and
   * the run audited with its reason (a code) and counts — unless there was nothing to judge and no CA changed (a new
   * store). Cut short, the old digest stays and the next open judges again.
   */
  async reevaluateTrust(evaluation: TrustEvaluation, reason: 'ca-added' | 'ca-removed' | 'ca-set-changed'): Promise<ReevaluationCount> {
    let checked = 0;
    let changed = 0;
    for (let after = 0; ;) {
      const batch = this.write('re-evaluate trust', (db) => reevaluateBatch(db, evaluation, after));
      checked += batch.checked;
      changed += batch.changed;
      if (batch.last === undefined) break;
      after = batch.last;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.write('record trust evaluation', (db) => {
      recordEvaluatedWith(db, evaluation.digest);
      if (checked > 0 || reason !== 'ca-set-changed') this.audit(db, { action: 'trust-reevaluated', detail: auditDetail({ reason, checked, changed }) });
    });
    return { checked, changed };
  }

  // ---- mailbox key rotation (key-rotation.ts; the steps: core/mailbox/rotation.ts) ----

  /** Stages a new mailbox key (replacing a staged one); audited with the new certificate's fingerprint. */
  stageKeyRotation(keys: KeyMaterial, chain: readonly Buffer[]): void {
    this.write('stage key rotation', (db) => {
      stageRotation(db, this.dataKey, this.storeId, keys, chain, Date.now());
      const fingerprint = createHash('sha256').update(keys.cipherCertificate).digest('hex');
      this.audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'rotation-started', sha256: fingerprint }) });
    });
  }

  readKeyRotation(): KeyRotationRecord | undefined {
    return this.run('read key rotation', (db) => readRotation(db, this.dataKey, this.storeId));
  }

  updateKeyRotation(state: RotationState, change: { fetched?: number; lastError?: string | null } = {}): boolean {
    return this.write('update key rotation', (db) => updateRotation(db, state, Date.now(), change));
  }

  /** Abandons a staged rotation (the current key stays). */
  cancelKeyRotation(): boolean {
    return this.write('cancel key rotation', (db) => {
      const removed = deleteRotation(db);
      if (removed) this.audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'rotation-cancelled' }) });
      return removed;
    });
  }

  /** The switch in one transaction: current keys retired (kept sealed), staged keys in force. */
  completeKeyRotation(): void {
    this.write('complete key rotation', (db) => {
      const { oldCipherCertificate, newCipherCertificate } = switchToStagedKeys(db, this.dataKey, this.storeId, Date.now());
      const fp = (der: Buffer) => createHash('sha256').update(der).digest('hex');
      this.audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'rotated', retired: fp(oldCipherCertificate), inForce: fp(newCipherCertificate) }) });
    });
  }

  /** Keys of earlier certificates, for content still encrypted for them. */
  retiredKeys(): RetiredKey[] {
    return this.run('read retired keys', (db) => readRetiredKeys(db, this.dataKey, this.storeId));
  }

  // ---- audit log ----

  auditEntries(query: AuditQuery & { person?: string } = {}): AuditEntry[] {
    return this.run('read audit log', (db) => {
      const { person, ...rest } = query;
      // a person is found through the messages about them (a deleted message's entries keep only its ids)
      return readAudit(db, person === undefined || person.trim() === '' ? rest : { ...rest, deliveryIds: deliveriesNamed(db, person) });
    });
  }

  verifyAuditLog(): AuditVerification {
    return this.run('verify audit log', (db) => verifyAuditChain(db));
  }

  /** The audit log as RFC 4180 CSV (UTF-8 with BOM), in pieces; times in the office time zone `timeZone`. */
  auditCsv(delimiter: ',' | ';' = ',', timeZone?: string): Generator<string> {
    return auditCsv(this.database, delimiter, timeZone);
  }

  /** Writes the audit log CSV to a file (for the data-protection officer). */
  async exportAuditCsv(file: string, delimiter: ',' | ';' = ',', timeZone?: string): Promise<void> {
    const text = this.run('export audit log', () => [...this.auditCsv(delimiter, timeZone)].join(''));
    try {
      await writeFile(file, text, { encoding: 'utf8', mode: 0o600 });
    } catch (error) {
      throw fromFsError(error, 'audit CSV file');
    }
  }

  // ---- key wrappers ----

  keyWrappers(): KeyWrapperInfo[] {
    return wrapperInfo(readKeyFile(this.paths.keyFile));
  }

  /** Sets or replaces the password (the old one stops working). */
  async changePassword(newPassword: string, scrypt?: ScryptParams): Promise<void> {
    await changeWrappers(this.paths, this.storeId, this.dataKey, (w) => setPasswordWrapper(w, this.dataKey, this.storeId, newPassword, scrypt));
    this.auditKeyChange({ event: 'password-set' });
  }

  /** Adds (or renews) an OS key store wrapper, e.g. for another Windows user of this PC. */
  async addProtector(protector: KeyProtector): Promise<void> {
    await changeWrappers(this.paths, this.storeId, this.dataKey, (w) => setProtectorWrapper(w, this.dataKey, this.storeId, protector));
    this.auditKeyChange({ event: 'protector-added', id: protector.id });
  }

  /** A new recovery key (the old one stops working); returned once, to be shown to the user. */
  async renewRecoveryKey(): Promise<string> {
    let recoveryKey = '';
    await changeWrappers(this.paths, this.storeId, this.dataKey, async (w) => {
      const next = newRecoveryWrapper(w, this.dataKey, this.storeId);
      recoveryKey = next.recoveryKey;
      return next.wrappers;
    });
    this.auditKeyChange({ event: 'recovery-renewed' });
    return recoveryKey;
  }

  /** Removes a wrapper by id ("password", "recovery" or a protector id); the last one cannot be removed. */
  async removeKeyWrapper(id: string): Promise<void> {
    await changeWrappers(this.paths, this.storeId, this.dataKey, async (w) => {
      if (!w.some((x) => x.id === id)) throw storeError('store-key-unavailable', `no key wrapper ${id}`);
      return w.filter((x) => x.id !== id);
    });
    this.auditKeyChange({ event: 'removed', id });
  }

  private auditKeyChange(params: AuditParams): void {
    this.write('audit key change', (db) => this.audit(db, { action: 'key-wrapper-changed', detail: auditDetail(params) }));
  }

  // ---- backup ----

  /**
   * A consistent copy of the database at `target` (SQLite's VACUUM INTO: encrypted with the same data key, the
   * WAL folded in) and the blob files that copy refers to. For the backup (core/backup); `target` must not exist.
   */
  snapshotDatabase(target: string): { blobIds: string[] } {
    this.run('snapshot database', (db) => stmt(db, 'VACUUM INTO ?').run(target));
    let copy: Db | undefined;
    try {
      copy = openEncryptedDatabase(target, this.dataKey, { create: false });
      const blobIds = (stmt(copy, 'SELECT id FROM blobs ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);
      copy.pragma('journal_mode = DELETE');
      return { blobIds };
    } catch (error) {
      throw fromSqliteError(error, 'read database snapshot');
    } finally {
      copy?.close();
    }
  }

  // ---- maintenance ----

  /** Removes blob files no row points to (also run on every open). Returns how many. */
  async cleanupOrphans(): Promise<number> {
    const db = this.database;
    try {
      return await sweepOrphans(db, this.paths.filesDir);
    } catch (error) {
      throw fromSqliteError(error, 'orphan sweep');
    }
  }

  /** SQLite's integrity check over the whole database (reads every page: every page's HMAC is verified). */
  checkIntegrity(): { ok: boolean; problems: string[] } {
    return this.run('integrity check', (db) => {
      const rows = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
      const ok = rows.length === 1 && rows[0] === 'ok';
      return { ok, problems: ok ? [] : rows };
    });
  }
}
