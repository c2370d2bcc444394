/**
 * The store's record of the hand-over folder (migration 15, core/handover/): from which delivery on it applies, which
 * deliveries are still pending, and the one row per delivery handed over — written with its audit entry in one
 * transaction, after the files are on disk, so a restart resumes exactly the deliveries that have no row yet.
 */
import { stmt } from './statements.js';
import type { Db } from './database.js';
import { storeError } from './errors.js';

export type HandoverState = 'done' | 'error';

export interface HandoverRecord {
  readonly deliveryId: number;
  readonly state: HandoverState;
  /** The delivery's folder (or marker) name inside the hand-over folder. */
  readonly folder: string;
  /** Error only: a code (`unreadable`, `quarantined`, …). */
  readonly reason: string | null;
  /** ISO 8601, UTC. */
  readonly at: string;
}

export interface PendingHandover {
  readonly id: number;
  readonly messageId: string;
}

/** Switches the hand-over on once: deliveries stored from now on are pending (those stored before are not). Idempotent. */
export function startHandover(db: Db, now: number): { fromDelivery: number; started: boolean } {
  const row = stmt(db, 'SELECT from_delivery FROM handover_start WHERE id = 1').get() as { from_delivery: number } | undefined;
  if (row !== undefined) return { fromDelivery: row.from_delivery, started: false };
  const last = stmt(db, 'SELECT coalesce(max(id), 0) AS last FROM deliveries').get() as { last: number };
  stmt(db, 'INSERT INTO handover_start(id, from_delivery, started_at) VALUES (1, ?, ?)').run(last.last + 1, now);
  return { fromDelivery: last.last + 1, started: true };
}

/** The deliveries the hand-over applies to that have no row yet, oldest first. None while it was never switched on. */
export function pendingHandovers(db: Db, limit: number): PendingHandover[] {
  const rows = stmt(
    db,
    `SELECT d.id, d.message_id FROM deliveries d, handover_start s
      WHERE s.id = 1 AND d.id >= s.from_delivery AND NOT EXISTS (SELECT 1 FROM handover h WHERE h.delivery_id = d.id)
      ORDER BY d.id LIMIT ?`,
  ).all(limit) as Array<{ id: number; message_id: string }>;
  return rows.map((r) => ({ id: r.id, messageId: r.message_id }));
}

export function readHandover(db: Db, id: number): HandoverRecord | undefined {
  const row = stmt(db, 'SELECT delivery_id, state, folder, reason, at FROM handover WHERE delivery_id = ?').get(id) as
    { delivery_id: number; state: HandoverState; folder: string; reason: string | null; at: number } | undefined;
  return row === undefined ? undefined : { deliveryId: row.delivery_id, state: row.state, folder: row.folder, reason: row.reason, at: new Date(row.at).toISOString() };
}

/** Records the first hand-over of a delivery; false when it has one already (nothing changed). */
/** What both backends accept as a hand-over record: a state, a folder name of the safe alphabet, a reason code. */
export function checkHandoverOutcome(state: HandoverState, folder: string, reason: string | null): void {
  if (state !== 'done' && state !== 'error') throw storeError('store-invalid-input', 'handover: state done or error expected');
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(folder)) throw storeError('store-invalid-input', 'handover: folder name of the safe alphabet expected');
  if (reason !== null && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(reason)) throw storeError('store-invalid-input', 'handover: reason code expected');
}

export function writeHandover(db: Db, id: number, state: HandoverState, folder: string, reason: string | null, now: number): boolean {
  checkHandoverOutcome(state, folder, reason);
  return (
    stmt(db, 'INSERT INTO handover(delivery_id, state, folder, reason, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(delivery_id) DO NOTHING').run(id, state, folder, reason, now)
      .changes > 0
  );
}
