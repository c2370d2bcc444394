/**
 * Retention: transferred messages deleted N days after the transfer, the Papierkorb after its own period, never
 * under legal hold; a dry run first; files removed too; every deletion audited.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { delivery, newStore, rawDatabase } from './helpers.js';

const DAY = 24 * 60 * 60 * 1000;

async function setUp(): Promise<Awaited<ReturnType<typeof newStore>> & { now: number }> {
  const s = await newStore();
  for (let i = 0; i < 8; i++) {
    await s.store.saveDelivery(
      delivery(i, { attachments: [{ name: 'a.pdf', mimeType: 'application/pdf', content: Buffer.alloc(300_000, i) }], content: Buffer.alloc(400_000, 0x41 + i) }),
    );
  }
  return { ...s, now: Date.now() };
}

/** Moves a step's time into the past, as if it had happened `days` ago. */
async function backdate(dbPath: string, id: number, column: 'transferred_at' | 'trashed_at', days: number): Promise<void> {
  const { db } = await rawDatabase(dbPath);
  db.prepare(`UPDATE deliveries SET ${column} = ? WHERE id = ?`).run(Date.now() - days * DAY, id);
  db.close();
}

describe('retention', () => {
  it('plans, then deletes transferred messages after 30 days and the trash after its period, never on legal hold', async () => {
    const { store, dbPath, dir } = await setUp();
    const filesDir = path.join(dir, 'postfach.db.files');
    expect(readdirSync(filesDir)).toHaveLength(16);
    for (const id of [1, 2, 3, 4]) store.markTransferred(id);
    await backdate(dbPath, 1, 'transferred_at', 31); // due
    await backdate(dbPath, 2, 'transferred_at', 29); // not yet
    await backdate(dbPath, 3, 'transferred_at', 60); // due, but on legal hold
    store.setLegalHold(3, true);
    store.moveToTrash(5);
    await backdate(dbPath, 5, 'trashed_at', 31); // trash period over
    store.moveToTrash(6); // just trashed
    store.moveToTrash(7);
    await backdate(dbPath, 7, 'trashed_at', 45);
    store.setLegalHold(7, true); // held in the trash

    const plan = store.planRetention();
    expect(plan.map((c) => [c.id, c.reason])).toEqual([
      [1, 'transferred'],
      [5, 'trash'],
    ]);
    expect(Date.parse(plan[0]?.dueAt ?? '')).toBeLessThan(Date.now());
    // the dry run deleted nothing
    expect(store.list({ limit: 100 }).total + store.list({ trash: true }).total).toBe(8);

    const { deleted } = await store.applyRetention();
    expect(deleted.map((c) => c.id)).toEqual([1, 5]);
    expect(() => store.getDelivery(1)).toThrowError(expect.objectContaining({ kind: 'store-unknown-message' }));
    expect(() => store.getDelivery(5)).toThrowError(expect.objectContaining({ kind: 'store-unknown-message' }));
    for (const kept of [2, 3, 4, 6, 7, 8]) expect(store.getDelivery(kept).id).toBe(kept);
    expect(readdirSync(filesDir)).toHaveLength(12);
    expect(
      store
        .auditEntries()
        .filter((e) => e.action === 'retention-deleted')
        .map((e) => [e.deliveryId, e.messageId, e.detail]),
    ).toEqual([
      [1, 'osci-msg-00000-a1b2c3', '{"v":1,"reason":"transferred"}'],
      [5, 'osci-msg-00004-a1b2c3', '{"v":1,"reason":"trash"}'],
    ]);
    // the search index forgot them too
    expect(store.list({ search: 'osci-msg-00000' }).total).toBe(0);
    const { db } = await rawDatabase(dbPath);
    expect(db.prepare('SELECT count(*) AS n FROM blobs').get()).toEqual({ n: 12 });
    expect(db.prepare('SELECT count(*) AS n FROM attachments WHERE delivery_id IN (1, 5)').get()).toEqual({ n: 0 });
    db.close();

    // lifting the hold makes it due at the next run; 7 stays held in the trash
    store.setLegalHold(3, false);
    expect(store.planRetention().map((c) => c.id)).toEqual([3]);
    expect(store.verifyAuditLog().ok).toBe(true);
    store.close();
  });

  it('uses the configured periods (changes audited) and deletes only what the user was shown', async () => {
    const { store, dbPath } = await setUp();
    for (const id of [1, 2, 3]) store.markTransferred(id);
    await backdate(dbPath, 1, 'transferred_at', 11);
    await backdate(dbPath, 2, 'transferred_at', 12);
    await backdate(dbPath, 3, 'transferred_at', 5);
    expect(store.getSettings()).toEqual({ retentionTransferredDays: 30, retentionTrashDays: 30 });
    expect(store.planRetention()).toEqual([]);
    store.updateSettings({ retentionTransferredDays: 10, retentionTrashDays: 7 });
    expect(store.getSettings()).toEqual({ retentionTransferredDays: 10, retentionTrashDays: 7 });
    expect(store.auditEntries().find((e) => e.action === 'settings-changed')?.detail).toBe(
      '{"v":1,"event":"retention","changes":["retention.transferredDays=30→10","retention.trashDays=30→7"]}',
    );
    expect(() => store.updateSettings({ retentionTransferredDays: -1 })).toThrowError(expect.objectContaining({ kind: 'store-invalid-input' }));
    expect(store.planRetention().map((c) => c.id)).toEqual([1, 2]);
    // the user confirmed only message 2 (say, the list shown was older than the plan)
    const { deleted } = await store.applyRetention({ onlyIds: [2, 3] });
    expect(deleted.map((c) => c.id)).toEqual([2]);
    expect(store.planRetention().map((c) => c.id)).toEqual([1]);
    // a later "now": message 3 becomes due too
    expect(store.planRetention(new Date(Date.now() + 6 * DAY)).map((c) => c.id)).toEqual([1, 3]);
    store.close();
  });

  it('undoing "übertragen" stops the clock; permanent deletion is refused under legal hold', async () => {
    const { store, dbPath } = await setUp();
    store.markTransferred(1);
    await backdate(dbPath, 1, 'transferred_at', 40);
    store.markTransferred(1, false);
    expect(store.planRetention()).toEqual([]);
    store.setLegalHold(2, true);
    store.moveToTrash(2);
    await expect(store.deletePermanently(2)).rejects.toMatchObject({ kind: 'store-legal-hold' });
    expect(store.getDelivery(2).state).toBe('trashed');
    expect(store.auditEntries().map((e) => e.action)).toEqual(expect.arrayContaining(['marked-transferred', 'unmarked-transferred', 'legal-hold-set', 'trashed']));
    store.close();
  });
});
