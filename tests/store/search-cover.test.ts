/**
 * A search sorts and counts its matches from the narrow index of migration 19 (core/store/search-cover.ts) instead
 * of looking every match up in the table (at 100,000 messages the first search for a name read and decrypted
 * nearly every page of the table). The plans say so, and the rows, their order, the totals and the day counts are
 * the same as the table's path gives: the same query with a condition the index does not hold (`legalHold: false`,
 * true of every message here) goes through the table and must agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/store/database.js';
import { listDeliveries } from '../../core/store/delivery-queries.js';
import type { ListQuery } from '../../core/store/records.js';
import { searchCovered, SEARCH_COVER_INDEX } from '../../core/store/search-cover.js';
import { delivery, newStore, rawDatabase } from './helpers.js';
import { recordListStatements, type RecordedStatement } from './recorded-statements.js';

const COUNT = 60;

/** The statements a list call runs, with their parameters (on a connection of its own: statements are cached per connection). */
async function recorded(dbPath: string, query: ListQuery): Promise<RecordedStatement[]> {
  const { db } = await rawDatabase(dbPath);
  try {
    const seen = recordListStatements(db, query);
    for (const s of seen) s.sql = `${s.sql}\n-- plan: ${plan(db, s.sql, s.params)}`;
    return seen;
  } finally {
    db.close();
  }
}

function plan(db: Db, sql: string, params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
}

describe('searches through the narrow list index', () => {
  let db: Db;
  let dbPath: string;
  let coveredStatements: RecordedStatement[] = [];
  const tableStatements: RecordedStatement[][] = [];
  const days = ['2026-11-02T00:00:00+01:00', '2026-11-02T12:00:00+01:00', '2026-11-03T00:00:00+01:00'];
  const uncovered: ListQuery[] = [
    { search: 'Łukasiewicz', withAttachments: true },
    { search: 'Łukasiewicz', sort: 'applicant' },
    { search: 'Łukasiewicz', followUp: true },
  ];
  beforeAll(async () => {
    const made = await newStore();
    const store = made.store;
    dbPath = made.dbPath;
    for (let i = 0; i < COUNT; i++) {
      const { id } = await store.saveDelivery(delivery(i));
      if (i % 2 === 0) store.markRead(id);
      if (i % 5 === 0) store.markTransferred(id);
      if (i % 9 === 4) store.moveToTrash(id);
    }
    store.close();
    db = (await rawDatabase(dbPath)).db;
    // the store's folder goes after the first test (helpers.ts): the statements are recorded now
    coveredStatements = await recorded(dbPath, { search: 'Łukasiewicz', countFrom: days });
    for (const query of uncovered) tableStatements.push(await recorded(dbPath, query));
  });
  afterAll(() => db?.close());

  const queries: ListQuery[] = [
    { search: 'Łukasiewicz' },
    { search: 'Łukasiewicz', descending: false },
    { search: 'Łukasiewicz', countFrom: days },
    { search: 'Łukasiewicz', unread: true },
    { search: 'Łukasiewicz', notTransferred: true, unread: false },
    { search: 'Łukasiewicz', transferred: true },
    { search: 'Łukasiewicz', trash: true },
    { search: 'Łukasiewicz', from: '2026-11-02T00:00:00Z', to: '2026-11-03T06:00:00Z' },
    { search: 'Łukasiewicz', limit: 3, offset: 2 },
    { search: 'Łukasiewicz', limit: 5, offset: 1000 },
    { search: 'Antrag', countFrom: days, limit: 7 },
    { search: 'keinTrefferHier' },
  ];

  it('gives the rows, order, totals and day counts of the table path', () => {
    let matched = 0;
    for (const query of queries) {
      expect(searchCovered(query)).toBe(true);
      const covered = listDeliveries(db, query);
      const viaTable = listDeliveries(db, { ...query, legalHold: false });
      expect(
        covered.items.map((i) => i.id),
        JSON.stringify(query),
      ).toEqual(viaTable.items.map((i) => i.id));
      expect(covered.items).toEqual(viaTable.items);
      expect(covered.total).toBe(viaTable.total);
      expect(covered.atOrAfter).toEqual(viaTable.atOrAfter);
      matched += covered.items.length;
    }
    expect(matched).toBeGreaterThan(20); // the searches find something
  });

  it('sorts and counts from the index, reading only the page from the table', () => {
    const statements = coveredStatements.filter((s) => s.sql.includes('delivery_search MATCH ?') && !s.sql.startsWith('SELECT 1'));
    expect(statements.length).toBe(2); // the page, and the total with the day counts
    for (const { sql } of statements) {
      expect(sql).toContain(`INDEXED BY ${SEARCH_COVER_INDEX}`);
      // the index answers the lookup; the table's row is sought only for a column the index lacks (none here)
      expect(sql).toMatch(new RegExp(`SCAN s VIRTUAL TABLE[^|]*\\| SEARCH d USING (COVERING )?INDEX ${SEARCH_COVER_INDEX} \\(id=\\?`));
    }
  });

  it('keeps the table where the query asks more of a message', () => {
    uncovered.forEach((query, i) => {
      expect(searchCovered(query)).toBe(false);
      const statements = tableStatements[i] ?? [];
      expect(statements.length).toBeGreaterThan(1);
      for (const { sql } of statements) expect(sql).not.toContain('INDEXED BY');
    });
  });
});
