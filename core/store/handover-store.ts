/**
 * HandoverStore: what the hand-over folder for the case system (core/handover/) needs of a store, asynchronous so that
 * the embedded SQLite store (sqlite-mailbox-store.ts, migration 15) and the shared store on PostgreSQL (core/store-pg,
 * schema version 5) answer the same calls: the switch-on point, the pending deliveries, the one record per delivery
 * with its audit entry — and the hand-over lock, so that two programs on one shared store (two services, a restart
 * while the old process still ends) never write into the folder at the same time: one removes what a stopped run
 * left, the other's folder in progress would be among it.
 */
import type { HandoverRecord, HandoverState, PendingHandover } from './handover-state.js';
import type { DeliveryRef } from './records.js';

/** Held while one hand-over run writes the folder; release() lets the next run in (also after a failure). */
export interface HandoverLock {
  release(): Promise<void>;
}

export interface HandoverOutcome {
  readonly state: HandoverState;
  /** The delivery's folder (or marker) name inside the hand-over folder: ids only, never a person's name. */
  readonly folder: string;
  readonly reason?: string;
  /** A repeat on request: audited only, the first record stays. */
  readonly again?: boolean;
}

export interface HandoverStore {
  /** Switches the hand-over on (once; audited): deliveries stored from now on are pending. */
  startHandover(): Promise<{ fromDelivery: number; started: boolean }>;
  /** Deliveries to hand over that have no record yet, oldest first. */
  pendingHandovers(limit?: number): Promise<PendingHandover[]>;
  handoverOf(ref: DeliveryRef): Promise<HandoverRecord | undefined>;
  /** Records a hand-over with its audit entry in one transaction; false when the delivery had its record already. */
  recordHandover(ref: DeliveryRef, outcome: HandoverOutcome): Promise<boolean>;
  /**
   * Takes the hand-over lock of this store, waiting while another program's run holds it (at most `waitMs`, then
   * `store-busy`). A killed holder's lock ends with its process (PostgreSQL: with its connection).
   */
  takeHandoverLock(waitMs?: number): Promise<HandoverLock>;
}
