/**
 * The embedded SQLite store (PostfachStore) behind the asynchronous MailboxStore interface. A thin adapter: every
 * call goes to the PostfachStore method of the same name, so the SQLite behaviour stays exactly as it is; the
 * synchronous answers become resolved promises (and a thrown store error a rejected one).
 */
import type { Readable } from 'node:stream';
import type { AuditEntry, AuditQuery, AuditVerification } from './audit-log.js';
import type { CaseWork, CaseWorkPatch } from './case-work.js';
import type { InboxStep } from './shared-inbox.js';
import type { MailboxRetentionResult } from './mailbox-store.js';
import type { CodeListSaveResult, NewCodeList, StoredCodeList } from './code-lists.js';
import type { KeyMaterial, KeyRotationRecord, RetiredKey, RotationState } from './key-rotation.js';
import type { MailboxIdentityRecord } from './mailbox-identity.js';
import { assertNoServiceElsewhere } from './serve-lock.js';
import type { FetchLock, ServiceStore } from './service-store.js';
import type { HandoverLock, HandoverOutcome } from './handover-store.js';
import type { HandoverRecord, PendingHandover } from './handover-state.js';
import type { ReevaluationCount, TrustEvaluation, TrustedCaOrigin, TrustedCaRecord } from './trusted-cas.js';
import type { PostfachStore } from './store.js';
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

/** Runs a synchronous call so that a throw becomes a rejection (callers only ever await). */
async function call<T>(work: () => T): Promise<T> {
  return work();
}

export class SqliteMailboxStore implements ServiceStore {
  readonly backend = 'sqlite' as const;

  /** `store` stays owned by the caller only until close(): closing the adapter closes it. */
  constructor(readonly store: PostfachStore) {}

  saveDelivery(delivery: NewDelivery): Promise<SaveResult> {
    return this.store.saveDelivery(delivery);
  }
  recordProcessCard(ref: DeliveryRef, card: ProcessCardInput): Promise<void> {
    return call(() => this.store.recordProcessCard(ref, card));
  }
  recordProcessCards(cards: ReadonlyArray<{ readonly ref: DeliveryRef; readonly card: ProcessCardInput }>): Promise<void> {
    return call(() => this.store.recordProcessCards(cards));
  }
  findByMessageId(messageId: string): Promise<number | undefined> {
    return call(() => this.store.findByMessageId(messageId));
  }
  getDelivery(ref: DeliveryRef): Promise<DeliveryRecord> {
    return call(() => this.store.getDelivery(ref));
  }
  openDelivery(ref: DeliveryRef): Promise<DeliveryRecord> {
    return call(() => this.store.openDelivery(ref));
  }
  list(query?: ListQuery): Promise<DeliveryPage> {
    return call(() => this.store.list(query));
  }
  counts(): Promise<DeliveryCounts> {
    return call(() => this.store.counts());
  }
  openContent(ref: DeliveryRef): Promise<Readable> {
    return call(() => this.store.openContent(ref));
  }
  readContent(ref: DeliveryRef, maxBytes?: number): Promise<Buffer> {
    return this.store.readContent(ref, maxBytes);
  }
  openAttachment(attachmentId: number): Promise<Readable> {
    return call(() => this.store.openAttachment(attachmentId));
  }
  readAttachment(attachmentId: number, maxBytes?: number): Promise<Buffer> {
    return this.store.readAttachment(attachmentId, maxBytes);
  }
  markRead(ref: DeliveryRef): Promise<void> {
    return call(() => this.store.markRead(ref));
  }
  markUnread(ref: DeliveryRef): Promise<void> {
    return call(() => this.store.markUnread(ref));
  }
  recordExported(ref: DeliveryRef, detail: string): Promise<void> {
    return call(() => this.store.recordExported(ref, detail));
  }
  recordPrinted(ref: DeliveryRef): Promise<void> {
    return call(() => this.store.recordPrinted(ref));
  }
  markTransferred(ref: DeliveryRef, transferred?: boolean): Promise<void> {
    return call(() => this.store.markTransferred(ref, transferred));
  }
  setChecklist(ref: DeliveryRef, ticked: readonly string[]): Promise<void> {
    return call(() => this.store.setChecklist(ref, ticked));
  }
  moveToTrash(ref: DeliveryRef): Promise<void> {
    return call(() => this.store.moveToTrash(ref));
  }
  restoreFromTrash(ref: DeliveryRef): Promise<void> {
    return call(() => this.store.restoreFromTrash(ref));
  }
  setCaseWork(ref: DeliveryRef, patch: CaseWorkPatch): Promise<CaseWork> {
    return call(() => this.store.setCaseWork(ref, patch));
  }
  setLegalHold(ref: DeliveryRef, hold: boolean): Promise<void> {
    return call(() => this.store.setLegalHold(ref, hold));
  }
  deletePermanently(ref: DeliveryRef): Promise<void> {
    return this.store.deletePermanently(ref);
  }
  claimStep(ref: DeliveryRef, step: InboxStep): Promise<DeliveryRecord> {
    return call(() => this.store.claimStep(ref, step));
  }
  recordAccountChange(change: AccountAuditChange): Promise<void> {
    return call(() => this.store.recordAccountChange(change));
  }
  auditEntries(query?: AuditQuery & { readonly person?: string }): Promise<AuditEntry[]> {
    return call(() => this.store.auditEntries(query));
  }
  verifyAuditLog(): Promise<AuditVerification> {
    return call(() => this.store.verifyAuditLog());
  }
  getSettings(): Promise<StoreSettings> {
    return call(() => this.store.getSettings());
  }
  updateSettings(patch: Partial<StoreSettings>): Promise<StoreSettings> {
    return call(() => this.store.updateSettings(patch));
  }
  planRetention(now?: TimeInput): Promise<RetentionCandidate[]> {
    return call(() => this.store.planRetention(now));
  }
  applyRetention(options?: { now?: TimeInput; onlyIds?: readonly number[] }): Promise<MailboxRetentionResult> {
    return this.store.applyRetention(options);
  }
  close(): Promise<void> {
    return call(() => this.store.close());
  }

  // ---- ServiceStore (service-store.ts) ----
  saveMailboxIdentity(record: MailboxIdentityRecord): Promise<void> {
    return call(() => this.store.saveMailboxIdentity(record));
  }
  hasMailboxIdentity(): Promise<boolean> {
    return call(() => this.store.hasMailboxIdentity());
  }
  readMailboxIdentity(): Promise<MailboxIdentityRecord | undefined> {
    return call(() => this.store.readMailboxIdentity());
  }
  updateMailboxConnection(connection: MailboxIdentityRecord['connection']): Promise<boolean> {
    return call(() => this.store.updateMailboxConnection(connection));
  }
  trustedCas(): Promise<TrustedCaRecord[]> {
    return call(() => this.store.trustedCas());
  }
  addTrustedCas(certificates: readonly Uint8Array[], origin: TrustedCaOrigin): Promise<string[]> {
    return call(() => this.store.addTrustedCas(certificates, origin));
  }
  removeTrustedCa(fingerprint: string): Promise<boolean> {
    return call(() => this.store.removeTrustedCa(fingerprint));
  }
  trustEvaluatedWith(): Promise<string | null> {
    return call(() => this.store.trustEvaluatedWith());
  }
  reevaluateTrust(evaluation: TrustEvaluation, reason: 'ca-added' | 'ca-removed' | 'ca-set-changed'): Promise<ReevaluationCount> {
    return this.store.reevaluateTrust(evaluation, reason);
  }
  saveCodeList(list: NewCodeList): Promise<CodeListSaveResult> {
    return call(() => this.store.saveCodeList(list));
  }
  codeLists(): Promise<StoredCodeList[]> {
    return call(() => this.store.codeLists());
  }
  codeListsStamp(): Promise<string> {
    return call(() => this.store.codeListsStamp());
  }
  stageKeyRotation(keys: KeyMaterial, chain: readonly Buffer[]): Promise<void> {
    return call(() => this.store.stageKeyRotation(keys, chain));
  }
  readKeyRotation(): Promise<KeyRotationRecord | undefined> {
    return call(() => this.store.readKeyRotation());
  }
  updateKeyRotation(state: RotationState, change?: { fetched?: number; lastError?: string | null }): Promise<boolean> {
    return call(() => this.store.updateKeyRotation(state, change));
  }
  cancelKeyRotation(): Promise<boolean> {
    return call(() => this.store.cancelKeyRotation());
  }
  completeKeyRotation(): Promise<void> {
    return call(() => this.store.completeKeyRotation());
  }
  retiredKeys(): Promise<RetiredKey[]> {
    return call(() => this.store.retiredKeys());
  }
  /**
   * The SQLite store is one PC's: the one fetcher is the service's own fetch lock (core/app) plus the serve lock
   * file — no fetch while a `postfach serve` of another process holds this store (`serve-running`).
   */
  takeFetchLock(): Promise<FetchLock> {
    return call(() => {
      assertNoServiceElsewhere(this.store.paths.database);
      // nothing that could be lost mid-fetch: the serve lock file stays with the other process's lifetime
      return { confirm: () => Promise.resolve(), release: () => Promise.resolve() };
    });
  }

  // ---- HandoverStore (handover-store.ts) ----
  startHandover(): Promise<{ fromDelivery: number; started: boolean }> {
    return call(() => this.store.startHandover());
  }
  pendingHandovers(limit?: number): Promise<PendingHandover[]> {
    return call(() => this.store.pendingHandovers(limit));
  }
  handoverOf(ref: DeliveryRef): Promise<HandoverRecord | undefined> {
    return call(() => this.store.handoverOf(ref));
  }
  recordHandover(ref: DeliveryRef, outcome: HandoverOutcome): Promise<boolean> {
    return call(() => this.store.recordHandover(ref, outcome));
  }
  /**
   * The SQLite store is one PC's: the runs of one process are serialized by the service (core/app/handover-runner.ts)
   * and a `postfach serve` holds the store alone (serve lock) — nothing to wait for here.
   */
  takeHandoverLock(): Promise<HandoverLock> {
    return Promise.resolve({ release: () => Promise.resolve() });
  }
}
