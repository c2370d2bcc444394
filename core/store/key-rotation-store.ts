/**
 * KeyRotationStore: the rows of a mailbox key rotation as the service reads and writes them on either backend —
 * the staged new key, the rotation's state, the switch and the retired keys (older content stays readable with
 * them). Asynchronous so that the embedded SQLite store (key-rotation.ts through sqlite-mailbox-store.ts) and the
 * shared store on PostgreSQL (core/store-pg/pg-key-rotation.ts) answer the same calls; the steps themselves are
 * core/mailbox/rotation.ts. Held to one behaviour by the store contract suite (tests/store/contract/).
 */
import type { KeyMaterial, KeyRotationRecord, RetiredKey, RotationState } from './key-rotation.js';
import type { MailboxIdentityRecord } from './mailbox-identity.js';

export interface KeyRotationStore {
  /** The identity with its keys unsealed, or undefined (the key in force until the switch). */
  readMailboxIdentity(): Promise<MailboxIdentityRecord | undefined>;
  /** Stages a new mailbox key (replacing a staged one); audited with the new certificate's fingerprint. */
  stageKeyRotation(keys: KeyMaterial, chain: readonly Buffer[]): Promise<void>;
  readKeyRotation(): Promise<KeyRotationRecord | undefined>;
  /** false: no rotation staged. `fetched` is added to the count so far. */
  updateKeyRotation(state: RotationState, change?: { fetched?: number; lastError?: string | null }): Promise<boolean>;
  /** Abandons a staged rotation (the current key stays); false when there was none. */
  cancelKeyRotation(): Promise<boolean>;
  /** The switch in one transaction: the current keys retired (kept sealed), the staged keys in force. */
  completeKeyRotation(): Promise<void>;
  /** Keys of earlier certificates, oldest first, for content still encrypted for them. */
  retiredKeys(): Promise<RetiredKey[]>;
}
