/**
 * The bulk path that fills the 100,000-message store of tests/ui/performance.test.ts (bench/batched-saves.ts, one
 * commit per batch) writes exactly the rows that one PostfachStore.saveDelivery call per delivery writes: every
 * table, row by row and column by column, the full-text index by its content and its answers, and an audit chain
 * that verifies. Only the audit entries' time stamps and with them their hashes differ (both stores are written
 * now, a few milliseconds apart).
 */
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../core/store/audit-log.js';
import type { Db } from '../../core/store/database.js';
import { bulkDelivery, BULK_OS_USER } from '../../bench/ui-list.js';
import { saveInBatches } from '../../bench/batched-saves.js';
import { delivery, newStore, PASSWORD, rawDatabase } from './helpers.js';
import type { NewDelivery } from '../../core/store/records.js';
import { ftsQuery } from '../../core/store/search-text.js';

/** The bulk store's deliveries (0 is a test application, every 50th not checkable) and the richer store fixtures. */
function sample(): NewDelivery[] {
  return [...Array.from({ length: 260 }, (_, i) => bulkDelivery(i)), ...Array.from({ length: 40 }, (_, i) => delivery(i, { messageId: `reich-${i}` }))];
}

/** Columns that hold the time of writing (the audit entry's `at`) or follow from it (the chain hashes). */
const WRITE_TIME = new Set(['audit_log.at', 'audit_log.prev_hash', 'audit_log.hash']);

/** Every row of every table the saves write to, as JSON-comparable values, except the write-time columns. */
function rowsOf(db: Db): Record<string, unknown[]> {
  const tables = (db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string; sql: string | null }>)
    // the FTS5 shadow tables hold the index's segments, whose layout depends on the commits; compared by content below
    .filter((t) => !t.name.startsWith('delivery_search_') && !t.name.startsWith('sqlite_'));
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as Array<{ name: string }>).map((c) => c.name).filter((c) => !WRITE_TIME.has(`${name}.${c}`));
    const order = name === 'delivery_search' ? 'rowid' : columns.map((c) => `"${c}"`).join(', ');
    out[name] = (
      db
        .prepare(`SELECT ${name === 'delivery_search' ? 'rowid, ' : ''}${columns.map((c) => `"${c}"`).join(', ')} FROM "${name}" ORDER BY ${order}`)
        .raw()
        .all() as unknown[][]
    ).map((row) => row.map((v) => (Buffer.isBuffer(v) ? `0x${v.toString('hex')}` : v)));
  }
  return out;
}

async function storeRows(dbPath: string): Promise<Record<string, unknown[]>> {
  const { db } = await rawDatabase(dbPath);
  try {
    expect(verifyAuditChain(db)).toMatchObject({ ok: true });
    const rows = rowsOf(db);
    // the index answers the same (a name, a word of the body, a message id)
    for (const query of ['Łukasiewicz', 'Antrag', 'Zofia', 'reich']) {
      rows[`match ${query}`] = db.prepare(`SELECT rowid FROM delivery_search WHERE delivery_search MATCH ? ORDER BY rowid`).raw().all(ftsQuery(query));
    }
    return rows;
  } finally {
    db.close();
  }
}

describe('saving in batches (the bulk store of the list performance test)', () => {
  it('writes the same rows as one saveDelivery call per delivery', async () => {
    const deliveries = sample();

    const one = await newStore({ osUser: BULK_OS_USER, durableCommits: false });
    for (const d of deliveries) await one.store.saveDelivery(d);
    one.store.close();

    const batched = await newStore({ osUser: BULK_OS_USER, durableCommits: false });
    batched.store.close();
    // batches of 70: commits fall inside both kinds of delivery, and the last batch is a partial one
    const done: number[] = [];
    expect(await saveInBatches(batched.dbPath, { password: PASSWORD }, BULK_OS_USER, deliveries, { batch: 70, onProgress: (n) => done.push(n) })).toBe(deliveries.length);
    expect(done).toEqual([70, 140, 210, 280]);

    const expected = await storeRows(one.dbPath);
    const actual = await storeRows(batched.dbPath);
    expect(expected['deliveries']).toHaveLength(deliveries.length);
    expect(expected['delivery_search']).toHaveLength(deliveries.length);
    expect((expected['match Łukasiewicz'] ?? []).length).toBeGreaterThan(10);
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const table of Object.keys(expected)) expect(actual[table], table).toEqual(expected[table]);
  }, 120_000);
});
