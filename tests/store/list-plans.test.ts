/**
 * The list's statements and their query plans (migration 18): every combination of the quick filters and views
 * reads the one partial index made for exactly its rows, in Eingang order without sorting — the page and the count
 * never look a second condition up in the table row by row (with 100,000 unread, open messages that cost 140–280 ms
 * per count). And the rows, their order and the counts are the same as a plain filter over all messages says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/store/database.js';
import { listDeliveries } from '../../core/store/delivery-queries.js';
import { GUESSED_NAMES } from '../../core/store/applicant-names.js';
import { PostfachStore } from '../../core/store/index.js';
import type { DeliveryListItem, ListQuery } from '../../core/store/records.js';
import { PASSWORD, delivery, newStore, rawDatabase } from './helpers.js';
import { recordListStatements } from './recorded-statements.js';

const COUNT = 40;

function plan(db: Db, sql: string, params: unknown[]): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
}

/** The same filter, by hand over every message of the inbox. */
function byHand(all: readonly DeliveryListItem[], q: ListQuery): number[] {
  return all
    .filter(
      (i) =>
        (q.unread === undefined || i.unread === q.unread) &&
        (q.notTransferred === undefined || (i.transfer === null) === q.notTransferred) &&
        (q.transferred === undefined || (i.transfer !== null) === q.transferred) &&
        (q.withAttachments === undefined || i.attachmentCount > 0 === q.withAttachments),
    )
    .map((i) => i.id);
}

describe('list statements at combined filters', () => {
  let store: PostfachStore;
  let db: Db;
  let dbPath: string;
  beforeAll(async () => {
    const made = await newStore();
    store = made.store;
    dbPath = made.dbPath;
    for (let i = 0; i < COUNT; i++) {
      const attachments = i % 3 === 0 ? [{ name: `beleg-${i}.pdf`, mimeType: 'application/pdf', content: Buffer.from(`Beleg ${i}`) }] : [];
      const { id } = await store.saveDelivery(delivery(i, { attachments }));
      if (i % 2 === 0) store.markRead(id);
      if (i % 5 === 0) store.markTransferred(id);
      if (i % 10 === 5) store.markUnread(id);
      if (i === 7) store.moveToTrash(id);
    }
    store.close();
    db = (await rawDatabase(dbPath)).db;
  });
  afterAll(() => db?.close());

  /** The index the statements read: the partial index of exactly these rows, or one that covers the whole statement. */
  const cases: Array<[string, ListQuery, RegExp]> = [
    ['nur ungelesene + nicht übertragen', { unread: true, notTransferred: true }, /USING (COVERING )?INDEX deliveries_unread_open\b/],
    ['nur ungelesene + mit Anhängen', { unread: true, withAttachments: true }, /USING (COVERING )?INDEX deliveries_unread_attachments\b/],
    ['nicht übertragen + mit Anhängen', { notTransferred: true, withAttachments: true }, /USING (COVERING )?INDEX deliveries_open_attachments\b/],
    ['all three quick filters', { unread: true, notTransferred: true, withAttachments: true }, /USING (COVERING )?INDEX deliveries_unread_open_attachments\b/],
    ['view Übertragen', { transferred: true }, /USING (INDEX deliveries_done|COVERING INDEX deliveries_transferred)\b/],
    ['view Übertragen + nur ungelesene', { transferred: true, unread: true }, /USING (INDEX deliveries_unread_done|COVERING INDEX deliveries_transferred)\b/],
    ['nur ungelesene (migration 5)', { unread: true }, /USING (COVERING )?INDEX deliveries_unread\b/],
    ['nicht übertragen (migration 5)', { notTransferred: true }, /USING (COVERING )?INDEX deliveries_open\b/],
    ['Posteingang (migration 5)', {}, /USING (COVERING )?INDEX deliveries_inbox\b/],
  ];

  it.each(cases)('%s: the page and the count read only their own index, in Eingang order', (_name, filter, index) => {
    const statements = recordListStatements(db, { ...filter, sort: 'eingang', descending: true, limit: 10, countFrom: [new Date(Date.UTC(2026, 10, 2)).toISOString()] });
    const lists = statements.filter((s) => /FROM deliveries d/.test(s.sql));
    expect(lists.length).toBeGreaterThanOrEqual(3); // page, count, day count
    for (const s of lists) {
      const steps = plan(db, s.sql, s.params);
      expect(steps.join(' | '), s.sql).toMatch(index);
      expect(steps.join(' | '), s.sql).not.toMatch(/TEMP B-TREE/);
    }
  });

  it.each(cases)('%s: the same rows, order and count as a plain filter', (_name, filter) => {
    const all = listDeliveries(db, { sort: 'eingang', descending: true, limit: 1000 }).items;
    expect(all).toHaveLength(COUNT - 1);
    const expected = byHand(all, filter);
    const page = listDeliveries(db, { ...filter, sort: 'eingang', descending: true, limit: 1000 });
    expect(page.items.map((i) => i.id)).toEqual(expected);
    expect(page.total).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(0);
  });
});

describe('the name backfill at every store open', () => {
  it('finds the rows with guessed name parts through their own index, not by reading every row', async () => {
    const { store, dbPath } = await newStore();
    const guessed = (await store.saveDelivery(delivery(1))).id;
    const damaged = (await store.saveDelivery(delivery(2))).id;
    await store.saveDelivery(delivery(3)); // parts read from the content: not asked for
    store.close();
    const { db } = await rawDatabase(dbPath);
    try {
      // a row of before schema 9 (parts guessed by the migration), and one whose parts are damaged
      db.prepare(`UPDATE deliveries SET applicant_parts = json_set(applicant_parts, '$.guessed', json('true')) WHERE id = ?`).run(guessed);
      db.prepare(`UPDATE deliveries SET applicant_parts = '{damaged' WHERE id = ?`).run(damaged);
      const sql = `SELECT id FROM deliveries WHERE id > ? AND ${GUESSED_NAMES} ORDER BY id LIMIT ?`;
      expect(plan(db, sql, [0, 50]).join(' | ')).toMatch(/USING (COVERING )?INDEX deliveries_guessed_names\b/);
      expect(db.prepare(sql).all(0, 50)).toEqual([{ id: guessed }]);
    } finally {
      db.close();
    }
    const reopened = await PostfachStore.open(dbPath, { password: PASSWORD });
    try {
      expect(reopened.rowsWithGuessedNames(0, 50)).toEqual([guessed]);
    } finally {
      reopened.close();
    }
  });
});
