/**
 * The hand-over folder's record (core/store/handover-store.ts) against both backends — a real SQLite store and a real
 * throw-away PostgreSQL cluster: the switch-on point (once, audited; what was stored before stays out), pending
 * deliveries oldest first, one record per delivery with one audit entry however often it is recorded, a repeat on
 * request audited without touching the first record, unsafe folder names refused — and, on PostgreSQL, the hand-over
 * lock across two programs (two pools, as two services on one database): the second waits for the first, gives up
 * with `store-busy` after its bound, and gets in when the holder's connection dies (a killed service).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PostfachError } from '../../../core/errors.js';
import type { MailboxStore, ServiceStore } from '../../../core/store/index.js';
import { PgMailboxStore } from '../../../core/store-pg/index.js';
import { delivery } from '../helpers.js';
import { sqliteBackend, usePgCluster, type Backend } from './backends.js';

const pgCluster = usePgCluster();
const BACKENDS: ReadonlyArray<readonly [string, Backend]> = [
  ['sqlite', sqliteBackend],
  ['postgresql', pgCluster.backend],
];

const opened: MailboxStore[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

function serviceStore(store: MailboxStore): ServiceStore {
  if (!('takeHandoverLock' in store)) throw new Error(`${store.backend} store does not implement the hand-over store`);
  return store as ServiceStore;
}

describe.each(BACKENDS)('hand-over store: %s', (_name, backend) => {
  async function open(): Promise<ServiceStore> {
    const store = serviceStore(await backend.open());
    opened.push(store);
    return store;
  }

  it('switches on once, lists what came after, records each delivery once with one audit entry', async () => {
    const store = await open();
    const before = (await store.saveDelivery(delivery(1))).id;
    // never switched on: nothing pending
    expect(await store.pendingHandovers()).toEqual([]);
    const start = await store.startHandover();
    expect(start).toEqual({ fromDelivery: before + 1, started: true });
    expect(await store.startHandover()).toEqual({ fromDelivery: before + 1, started: false });
    const a = (await store.saveDelivery(delivery(2))).id;
    const b = (await store.saveDelivery(delivery(3))).id;
    expect(await store.pendingHandovers()).toEqual([
      { id: a, messageId: delivery(2).messageId },
      { id: b, messageId: delivery(3).messageId },
    ]);
    expect(await store.pendingHandovers(1)).toHaveLength(1);

    expect(await store.recordHandover(a, { state: 'done', folder: 'osci-msg-00002-a1b2c3' })).toBe(true);
    // a resumed run records the same delivery again: nothing changes, no second audit entry
    expect(await store.recordHandover(a, { state: 'error', folder: 'anders', reason: 'unreadable' })).toBe(false);
    expect(await store.handoverOf(a)).toMatchObject({ deliveryId: a, state: 'done', folder: 'osci-msg-00002-a1b2c3', reason: null });
    expect(await store.recordHandover({ messageId: delivery(3).messageId }, { state: 'error', folder: 'osci-msg-00003-a1b2c3', reason: 'quarantined' })).toBe(true);
    expect(await store.handoverOf(b)).toMatchObject({ state: 'error', reason: 'quarantined' });
    expect(await store.handoverOf(before)).toBeUndefined();
    expect(await store.pendingHandovers()).toEqual([]);

    // a repeat on request: audited, the first record stays
    expect(await store.recordHandover(a, { state: 'done', folder: 'osci-msg-00002-a1b2c3-erneut-1', again: true })).toBe(true);
    expect(await store.handoverOf(a)).toMatchObject({ folder: 'osci-msg-00002-a1b2c3' });

    const entries = await store.auditEntries({ limit: 1000 });
    expect(entries.filter((e) => e.action === 'handed-over').map((e) => e.deliveryId)).toEqual([a, a]);
    expect(entries.filter((e) => e.action === 'handover-refused').map((e) => e.deliveryId)).toEqual([b]);
    expect(entries.filter((e) => e.action === 'settings-changed' && (e.detail ?? '').includes('handover-started'))).toHaveLength(1);
    expect((await store.verifyAuditLog()).ok).toBe(true);
  });

  it('refuses folder names outside the safe alphabet and reasons that are no codes', async () => {
    const store = await open();
    await store.startHandover();
    const id = (await store.saveDelivery(delivery(4))).id;
    for (const outcome of [
      { state: 'done' as const, folder: '../etc' + '/x' },
      { state: 'done' as const, folder: 'Müller' },
      { state: 'error' as const, folder: 'ok', reason: 'Nicht lesbar!' },
    ]) {
      const error = await store.recordHandover(id, outcome).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PostfachError);
      expect((error as PostfachError).kind).toBe('store-invalid-input');
    }
    expect(await store.handoverOf(id)).toBeUndefined();
  });
});

describe('hand-over lock on PostgreSQL: one program writes the folder at a time', () => {
  it('lets a second program wait for the first, gives up after its bound, and frees the lock of a dead connection', async () => {
    const cluster = pgCluster.cluster();
    const admin = new pg.Client({ connectionString: cluster.url });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      const database = `postfach_handover_lock_${process.pid}`;
      await admin.query(`CREATE DATABASE ${database}`);
      const connection = { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database };
      const dataKey = randomBytes(32);
      const a = await PgMailboxStore.open({ connection, dataKey });
      const b = await PgMailboxStore.open({ connection, dataKey });
      opened.push(a, b);

      const held = await a.takeHandoverLock();
      // bounded wait: refused as busy, not hanging
      const started = Date.now();
      const busy = await b.takeHandoverLock(300).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(busy).toBeInstanceOf(PostfachError);
      expect((busy as PostfachError).kind).toBe('store-busy');
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);

      // the second waits and gets in when the first releases
      let bGot = false;
      const waiting = b.takeHandoverLock(30_000).then((l) => {
        bGot = true;
        return l;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(bGot).toBe(false);
      await held.release();
      const second = await waiting;
      expect(bGot).toBe(true);

      // the holder's connection dies (a service killed with -9): the lock goes with it
      const { rows } = await admin.query<{ pid: number }>(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = $1)",
        [database],
      );
      expect(rows).toHaveLength(1);
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      const third = await a.takeHandoverLock(10_000);
      await third.release();
      // releasing a lock whose connection died is harmless
      await second.release();
    } finally {
      await admin.end();
    }
  }, 60_000);
});
