/**
 * The hand-over folder's record in the shared store on PostgreSQL (schema version 5; core/handover/, the SQLite side
 * is core/store/handover-state.ts with migration 15): the switch-on point, the pending deliveries, the one row per
 * delivery with its audit entry, and the hand-over lock.
 *
 * Several programs may work on one shared store (two services on one database, a restarted service while the old
 * process still ends): each run holds a session-level advisory lock on a connection of its own, so only one program
 * writes into the folder at a time — a second run waits for the first (bounded) and then finds the deliveries the
 * first recorded. The row is written only after the delivery's folder and marker are on disk, `ON CONFLICT DO
 * NOTHING`, so even a run without the lock could never record (or audit) a delivery twice.
 */
import type pg from 'pg';
import { auditDetail } from '../store/audit-words.js';
import type { NewAuditEntry } from '../store/audit-log.js';
import { storeError } from '../store/errors.js';
import { checkHandoverOutcome, type HandoverRecord, type HandoverState, type PendingHandover } from '../store/handover-state.js';
import type { HandoverLock, HandoverOutcome } from '../store/handover-store.js';
import type { DeliveryRef } from '../store/records.js';
import { pgResolveRef, type Queryable } from './pg-queries.js';

type Audit = (db: Queryable, entry: NewAuditEntry) => Promise<number>;

/** Switches the hand-over on once: deliveries stored from now on are pending. Idempotent, also across programs. */
export async function pgStartHandover(db: Queryable, audit: Audit, now: number): Promise<{ fromDelivery: number; started: boolean }> {
  // the table locked: two programs switching on at the same moment agree on one point
  await db.query('LOCK TABLE handover_start IN SHARE ROW EXCLUSIVE MODE');
  const known = (await db.query<{ from_delivery: number }>('SELECT from_delivery FROM handover_start WHERE id = 1')).rows[0];
  if (known !== undefined) return { fromDelivery: known.from_delivery, started: false };
  const { rows } = await db.query<{ from_delivery: number }>(
    'INSERT INTO handover_start(id, from_delivery, started_at) SELECT 1, coalesce(max(id), 0) + 1, $1 FROM deliveries RETURNING from_delivery',
    [now],
  );
  const fromDelivery = rows[0]?.from_delivery;
  if (fromDelivery === undefined) throw storeError('store-corrupt', 'handover_start: no row written');
  await audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'handover-started', fromDelivery }) });
  return { fromDelivery, started: true };
}

export async function pgPendingHandovers(db: Queryable, limit: number): Promise<PendingHandover[]> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw storeError('store-invalid-input', 'pending handovers: a positive limit expected');
  const { rows } = await db.query<{ id: number; message_id: string }>(
    `SELECT d.id, d.message_id FROM deliveries d, handover_start s
      WHERE s.id = 1 AND d.id >= s.from_delivery AND NOT EXISTS (SELECT 1 FROM handover h WHERE h.delivery_id = d.id)
      ORDER BY d.id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ id: r.id, messageId: r.message_id }));
}

export async function pgReadHandover(db: Queryable, ref: DeliveryRef): Promise<HandoverRecord | undefined> {
  const { id } = await pgResolveRef(db, ref);
  const row = (
    await db.query<{ delivery_id: number; state: HandoverState; folder: string; reason: string | null; at: number }>(
      'SELECT delivery_id, state, folder, reason, at FROM handover WHERE delivery_id = $1',
      [id],
    )
  ).rows[0];
  return row === undefined ? undefined : { deliveryId: row.delivery_id, state: row.state, folder: row.folder, reason: row.reason, at: new Date(row.at).toISOString() };
}

/** The first hand-over of a delivery (its row, once) or a repeat (`again`: audited only), in the caller's transaction. */
export async function pgRecordHandover(db: Queryable, audit: Audit, ref: DeliveryRef, outcome: HandoverOutcome, now: number): Promise<boolean> {
  const reason = outcome.reason ?? null;
  checkHandoverOutcome(outcome.state, outcome.folder, reason);
  const { id, messageId } = await pgResolveRef(db, ref, true);
  const again = outcome.again === true;
  const fresh =
    again ||
    ((
      await db.query('INSERT INTO handover(delivery_id, state, folder, reason, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (delivery_id) DO NOTHING', [
        id,
        outcome.state,
        outcome.folder,
        reason,
        now,
      ])
    ).rowCount ?? 0) > 0;
  if (fresh) {
    await audit(db, {
      action: outcome.state === 'done' ? 'handed-over' : 'handover-refused',
      deliveryId: id,
      messageId,
      detail: auditDetail({ folder: outcome.folder, ...(again ? { again: true } : {}), ...(outcome.reason ? { reason: outcome.reason } : {}) }),
    });
  }
  return fresh;
}

/** Key of the hand-over lock (one per database: one mailbox per database). */
const HANDOVER_LOCK = 'osci-postfach handover';

/**
 * Takes the hand-over lock on a connection of its own, waiting at most `waitMs` for another program's run
 * (`lock_timeout`; then `store-busy` through the caller). Held until release() or until the connection ends.
 */
export async function pgTakeHandoverLock(pool: pg.Pool, waitMs: number): Promise<HandoverLock> {
  const client = await pool.connect();
  let broken = false;
  const onError = (): void => {
    broken = true;
  };
  // a held connection that dies must not end the service (see pgTakeFetchLock): the lock is gone with it
  client.on('error', onError);
  try {
    await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(waitMs))}`);
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [HANDOVER_LOCK]);
    await client.query('SET lock_timeout = 0');
  } catch (error) {
    client.off('error', onError);
    client.release(true);
    throw error;
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      try {
        if (broken) throw new Error('connection broken');
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [HANDOVER_LOCK]);
        client.off('error', onError);
        client.release();
      } catch {
        client.off('error', onError);
        client.release(true);
      }
    },
  };
}
