/**
 * MailboxStore: what the mailbox needs from a store, declared once, asynchronous so that a store behind a network
 * connection (PostgreSQL, core/store-pg) and the embedded SQLite store (PostfachStore, through
 * sqlite-mailbox-store.ts) answer the same calls. Both are held to the same behaviour by one contract test suite
 * (tests/store/contract/): idempotent save by OSCI message id, list/filter/search with paging, counts, the
 * caseworker's steps, case work, the audit log with its hash chain, retention.
 *
 * Key management, the mailbox identity, trusted CAs, key rotation, code lists and backup stay on PostfachStore for
 * now: the single-PC mode needs them and the service (issue 13) decides how it keeps them on PostgreSQL.
 */
import type { Readable } from 'node:stream';
import type { AuditEntry, AuditQuery, AuditVerification } from './audit-log.js';
import type { CaseWork, CaseWorkPatch } from './case-work.js';
import type { InboxStep } from './shared-inbox.js';
import type {
  AccountAuditChange,
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
} from './records.js';

export interface MailboxRetentionResult {
  readonly deleted: readonly RetentionCandidate[];
}

export interface MailboxStore {
  /** Which engine answers ("sqlite" or "postgresql"), for the technical log and the tests. */
  readonly backend: 'sqlite' | 'postgresql';

  // ---- deliveries in ----
  /** Saves one delivery with its content and attachments in one step; a message id stored before writes nothing. */
  saveDelivery(delivery: NewDelivery): Promise<SaveResult>;
  /** Later process card stamps (fields left out stay as they are). */
  recordProcessCard(ref: DeliveryRef, card: ProcessCardInput): Promise<void>;
  /** The stamps of several process cards in one transaction (a fetch's receipts: one commit); all or none. */
  recordProcessCards(cards: ReadonlyArray<{ readonly ref: DeliveryRef; readonly card: ProcessCardInput }>): Promise<void>;

  // ---- reading ----
  findByMessageId(messageId: string): Promise<number | undefined>;
  /** The full record without an audit entry (for the fetch engine). */
  getDelivery(ref: DeliveryRef): Promise<DeliveryRecord>;
  /** A person opens it: audited as "opened", marked read. */
  openDelivery(ref: DeliveryRef): Promise<DeliveryRecord>;
  list(query?: ListQuery): Promise<DeliveryPage>;
  counts(): Promise<DeliveryCounts>;
  /** The content exactly as received, as a stream of authenticated plaintext. */
  openContent(ref: DeliveryRef): Promise<Readable>;
  readContent(ref: DeliveryRef, maxBytes?: number): Promise<Buffer>;
  openAttachment(attachmentId: number): Promise<Readable>;
  readAttachment(attachmentId: number, maxBytes?: number): Promise<Buffer>;

  // ---- the caseworker's steps ----
  markRead(ref: DeliveryRef): Promise<void>;
  markUnread(ref: DeliveryRef): Promise<void>;
  recordExported(ref: DeliveryRef, detail: string): Promise<void>;
  recordPrinted(ref: DeliveryRef): Promise<void>;
  markTransferred(ref: DeliveryRef, transferred?: boolean): Promise<void>;
  setChecklist(ref: DeliveryRef, ticked: readonly string[]): Promise<void>;
  moveToTrash(ref: DeliveryRef): Promise<void>;
  restoreFromTrash(ref: DeliveryRef): Promise<void>;
  setCaseWork(ref: DeliveryRef, patch: CaseWorkPatch): Promise<CaseWork>;
  setLegalHold(ref: DeliveryRef, hold: boolean): Promise<void>;
  /** Deletes for good (refused while on legal hold). */
  deletePermanently(ref: DeliveryRef): Promise<void>;

  // ---- the shared inbox (issue 13): the person is the call's audit actor, else the store's OS user ----
  /** Claim, release, hand to a colleague or take over (shared-inbox.ts); the record as the person now sees it. */
  claimStep(ref: DeliveryRef, step: InboxStep): Promise<DeliveryRecord>;

  /** `postfach serve`: a change of a personal account into the audit log (the call's actor made it). */
  recordAccountChange(change: AccountAuditChange): Promise<void>;

  // ---- audit log ----
  /** `person`: entries about messages whose applicants' names contain every word typed (prefixes). */
  auditEntries(query?: AuditQuery & { readonly person?: string }): Promise<AuditEntry[]>;
  verifyAuditLog(): Promise<AuditVerification>;

  // ---- settings and retention ----
  getSettings(): Promise<StoreSettings>;
  updateSettings(patch: Partial<StoreSettings>): Promise<StoreSettings>;
  /** Dry run: what retention would delete at `now`. */
  planRetention(now?: TimeInput): Promise<RetentionCandidate[]>;
  /** Deletes what planRetention lists at `now`, restricted to `onlyIds` when given (what the person was shown). */
  applyRetention(options?: { now?: TimeInput; onlyIds?: readonly number[] }): Promise<MailboxRetentionResult>;

  close(): Promise<void>;
}
