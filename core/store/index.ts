/**
 * core/store — the encrypted local store (public surface). See store.ts for the class, records.ts for the types.
 */
export { PostfachStore, type CreateStoreOptions, type CreatedStore, type OpenStoreOptions, type RetentionResult } from './store.js';
export type { StoreUnlock, KeyWrapperInfo } from './keyring.js';
export type { KeyProtector } from './key-protector.js';
export type { ScryptParams } from './key-wrapping.js';
export { DEFAULT_SCRYPT } from './key-wrapping.js';
export type { StoreInput, ByteChunks } from './store-input.js';
export type { BlobFileIo, WritableBlobFile } from './blob-files.js';
export { AUDIT_ACTIONS, auditCsvOf, type AuditAction, type AuditEntry, type AuditQuery, type AuditVerification } from './audit-log.js';
export { actionWords, auditWords, auditParams, type Words } from './audit-words.js';
export { storePaths, type StorePaths } from './paths.js';
export { LATEST_SCHEMA_VERSION } from './migrations/latest.js';
export { foldForSearch } from './search-text.js';
export type { MailboxIdentityRecord } from './mailbox-identity.js';
export { MAX_AKTENZEICHEN, MAX_NOTE, type CaseWork, type CaseWorkPatch } from './case-work.js';
export {
  TRUSTED_CA_ORIGINS,
  caSetDigest,
  fingerprintOf,
  type ReevaluationCount,
  type StoredTrustRow,
  type TrustedCaOrigin,
  type TrustedCaRecord,
  type TrustEvaluation,
  type TrustUpdate,
} from './trusted-cas.js';
export type { KeyMaterial, KeyRotationRecord, RetiredKey, RotationState } from './key-rotation.js';
export type { StoreErrorKind } from './errors.js';
export type { StoredPersonName } from './applicant-names.js';
export type { NewCodeList, StoredCodeList, CodeListSaveResult } from './code-lists.js';
export type { HandoverRecord, HandoverState, PendingHandover } from './handover-state.js';
export * from './records.js';
export type { MailboxStore, MailboxRetentionResult } from './mailbox-store.js';
export { SqliteMailboxStore } from './sqlite-mailbox-store.js';
export type { FetchLock, ServiceStore } from './service-store.js';
export type { HandoverLock, HandoverOutcome, HandoverStore } from './handover-store.js';
export { SERVE_ACTOR_PREFIX, personName, type InboxStep } from './shared-inbox.js';
