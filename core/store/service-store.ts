/**
 * ServiceStore: what the service (core/app) and the fetch engine need of a store beyond the deliveries of
 * MailboxStore — the mailbox identity with its sealed keys, the office's trusted sender CAs, IT's code lists, and
 * the fetch lock (exactly one fetcher per mailbox). Declared once, asynchronous, so that the embedded SQLite store
 * (sqlite-mailbox-store.ts) and the shared PostgreSQL store (core/store-pg) answer the same calls; the service picks
 * one through its store factory (core/app/store-factory.ts).
 */
import type { CodeListSaveResult, NewCodeList, StoredCodeList } from './code-lists.js';
import type { MailboxIdentityRecord } from './mailbox-identity.js';
import type { HandoverStore } from './handover-store.js';
import type { KeyRotationStore } from './key-rotation-store.js';
import type { MailboxStore } from './mailbox-store.js';
import type { ReevaluationCount, TrustEvaluation, TrustedCaOrigin, TrustedCaRecord } from './trusted-cas.js';

/** Held while one fetch runs; release() lets the next fetcher in (also when the fetch failed). */
export interface FetchLock {
  /**
   * Called before every acknowledge of the fetch: resolves while the lock is still this fetcher's (taken again if it
   * was lost and nobody else took it), else throws `fetch-running` so that nothing more is acknowledged.
   */
  confirm(): Promise<void>;
  release(): Promise<void>;
}

export interface ServiceStore extends MailboxStore, HandoverStore, KeyRotationStore {
  // ---- the mailbox identity (keys sealed inside the store) ----
  /** Saves (or replaces) the identity; audited as a settings change naming the certificate fingerprint. */
  saveMailboxIdentity(record: MailboxIdentityRecord): Promise<void>;
  hasMailboxIdentity(): Promise<boolean>;
  /** The identity with its keys unsealed (service process only), or undefined. */
  readMailboxIdentity(): Promise<MailboxIdentityRecord | undefined>;
  /** Replaces the connection settings of the identity (audited); false when no identity is set up. */
  updateMailboxConnection(connection: MailboxIdentityRecord['connection']): Promise<boolean>;

  // ---- trusted sender CAs ----
  trustedCas(): Promise<TrustedCaRecord[]>;
  /** Adds the CAs not there yet (one audit entry each); returns the fingerprints added. */
  addTrustedCas(certificates: readonly Uint8Array[], origin: TrustedCaOrigin): Promise<string[]>;
  /** Removes one (audited); false when it was not in the list. Then `reevaluateTrust`. */
  removeTrustedCa(fingerprint: string): Promise<boolean>;
  /** The digest of the CA set the stored signature results were last judged with (null: never). */
  trustEvaluatedWith(): Promise<string | null>;
  /**
   * Judges every stored delivery again under `evaluation` in batches of their own transactions; then records the
   * set's digest and audits the run (core/store/trusted-cas.ts). The fetch's own result stays beside the new one.
   */
  reevaluateTrust(evaluation: TrustEvaluation, reason: 'ca-added' | 'ca-removed' | 'ca-set-changed'): Promise<ReevaluationCount>;

  // ---- code lists ----
  saveCodeList(list: NewCodeList): Promise<CodeListSaveResult>;
  codeLists(): Promise<StoredCodeList[]>;
  /** Changes whenever a code list is imported or replaced (also by another program). */
  codeListsStamp(): Promise<string>;

  // ---- exactly one fetcher per mailbox ----
  /**
   * Takes the fetch lock of the mailbox or refuses at once with `fetch-running-elsewhere` when another program
   * (another service, another desktop) fetches it now. `mailboxKey` is derived from the identity (its cipher
   * certificate); PostgreSQL names the lock by the mailbox id kept in the database instead, so that the lock stays
   * the same across a key rotation (a service still holding the old key and one after the switch exclude each other).
   */
  takeFetchLock(mailboxKey: string): Promise<FetchLock>;
}
