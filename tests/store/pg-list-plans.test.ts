/**
 * The PostgreSQL list's statements and their query plans (PostgreSQL schema version 6, issue 14): each quick filter
 * and combination the list asks is counted and paged off the one partial index made for exactly its rows, without
 * reading table rows (index-only) and without sorting; a deep page of a sort key is counted off in the inbox's
 * index of that key; the folder pane's counts read the inbox's narrow index and the trash's, never the table. The
 * plans are asked with sequential scans switched off (40 rows would be read whole anyway): what is tested is that
 * a fitting index exists and that the statement's conditions match its condition word for word. And the answers
 * are those of a plain filter over all messages.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgCountDeliveries, pgListDeliveries, type Queryable } from '../../core/store-pg/pg-queries.js';
import { PgMailboxStore } from '../../core/store-pg/index.js';
import type { DeliveryListItem, ListQuery } from '../../core/store/records.js';
import { delivery } from './helpers.js';
import { usePgCluster } from './contract/backends.js';

const { cluster } = usePgCluster();
const COUNT = 40;

let client: pg.Client;

/** Runs `work` against the database, recording each statement with its parameters. */
async function recorded(work: (db: Queryable) => Promise<unknown>): Promise<Array<{ sql: string; params: unknown[] }>> {
  const seen: Array<{ sql: string; params: unknown[] }> = [];
  const spy = {
    query: (sql: string, params?: unknown[]) => {
      seen.push({ sql, params: params ?? [] });
      return client.query(sql, params);
    },
  } as unknown as Queryable;
  await work(spy);
  return seen;
}

async function plan(sql: string, params: unknown[]): Promise<string> {
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

/** The lines of one part of a plan ("CTE page"): from its head to the next line indented as far or less. */
function part(text: string, head: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === head);
  if (start === -1) return '';
  const indent = (l: string) => l.length - l.trimStart().length;
  const end = lines.findIndex((l, i) => i > start && indent(l) <= indent(lines[start] as string));
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
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

beforeAll(async () => {
  const c = cluster();
  const admin = new pg.Client({ host: c.host, port: c.port, user: c.user, password: c.password, database: 'postgres' });
  await admin.connect();
  await admin.query('CREATE DATABASE plans');
  await admin.end();
  const connection = { host: c.host, port: c.port, user: c.user, password: c.password, database: 'plans' };
  const store = await PgMailboxStore.open({ connection, dataKey: randomBytes(32), osUser: 'sachbearbeitung1' });
  try {
    for (let i = 0; i < COUNT; i++) {
      const attachments = i % 3 === 0 ? [{ name: `beleg-${i}.pdf`, mimeType: 'application/pdf', content: Buffer.from(`Beleg ${i}`) }] : [];
      const { id } = await store.saveDelivery(delivery(i, { attachments }));
      if (i % 2 === 0) await store.markRead(id);
      if (i % 5 === 0) await store.markTransferred(id);
      if (i % 10 === 5) await store.markUnread(id);
      if (i === 7 || i === 8) await store.moveToTrash(id);
    }
  } finally {
    await store.close();
  }
  // bigint columns as numbers, as the store's pool reads them (pg-store.ts)
  const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format ?? 'text')) };
  client = new pg.Client({ ...connection, types });
  client.on('error', () => undefined);
  await client.connect();
  // the visibility map and statistics as autovacuum keeps them; then no table scans, so the indexes are judged
  await client.query('VACUUM (ANALYZE) deliveries');
  await client.query('SET enable_seqscan = off');
  await client.query('SET enable_bitmapscan = off');
}, 120_000);
afterAll(async () => {
  await client?.end();
});

describe('list statements on PostgreSQL', () => {
  const cases: Array<[string, ListQuery, string]> = [
    ['Posteingang', {}, 'deliveries_inbox'],
    ['nur ungelesene', { unread: true }, 'deliveries_unread'],
    ['nicht übertragen', { notTransferred: true }, 'deliveries_open'],
    ['mit Anhängen', { withAttachments: true }, 'deliveries_with_attachments'],
    ['view Übertragen', { transferred: true }, 'deliveries_done'],
    ['nur ungelesene + nicht übertragen', { unread: true, notTransferred: true }, 'deliveries_unread_open'],
    ['nur ungelesene + mit Anhängen', { unread: true, withAttachments: true }, 'deliveries_unread_attachments'],
    ['nicht übertragen + mit Anhängen', { notTransferred: true, withAttachments: true }, 'deliveries_open_attachments'],
    ['all three quick filters', { unread: true, notTransferred: true, withAttachments: true }, 'deliveries_unread_open_attachments'],
    ['view Übertragen + nur ungelesene', { transferred: true, unread: true }, 'deliveries_unread_done'],
    ['Testanträge', { test: true }, 'deliveries_test'],
    ['nicht lesbar', { unreadable: true }, 'deliveries_unreadable'],
    ['Papierkorb', { trash: true }, 'deliveries_in_trash'],
    [
      'all three with a period',
      { unread: true, withAttachments: true, notTransferred: true, from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' },
      'deliveries_unread_open_attachments',
    ],
  ];

  it.each(cases)('%s: total, day count and page read only their own index, no table rows, no sort', async (_name, filter, index) => {
    const statements = await recorded((db) => pgListDeliveries(db, { ...filter, limit: 10, offset: 3, countFrom: ['2026-11-02T00:00:00Z'] }));
    expect(statements).toHaveLength(1); // total, day count and page in one round trip
    const [statement] = statements;
    const text = await plan(statement!.sql, statement!.params);
    // the page's ids are counted off the filter's own index in the list's order (index-only, no sort); then its 10
    // rows are read by their id; the total reads an index of exactly these rows or of the inbox, no table rows
    const page = part(text, 'CTE page');
    expect(page, text).toMatch(new RegExp(`Index Only Scan(?: Backward)? using ${index} on deliveries`));
    expect(page, text).not.toMatch(/Sort|Filter/);
    const totals = part(text, 'CTE totals');
    expect(totals, text).toMatch(/Index Only Scan using deliveries_\w+ on deliveries/);
    expect(totals, text).not.toMatch(/Filter|Recheck/);
    expect(text).not.toMatch(/Seq Scan on deliveries|Bitmap Heap Scan on deliveries/);
  });

  it.each([
    ['applicant', 'deliveries_inbox_applicant'],
    ['benefit', 'deliveries_inbox_benefit'],
    ['state', 'deliveries_inbox_state'],
    ['followUp', 'deliveries_inbox_follow_up'],
  ] as const)('a deep page sorted by %s is counted off in the inbox index of that key', async (sort, index) => {
    for (const descending of [false, true]) {
      const [statement] = await recorded((db) => pgListDeliveries(db, { sort, descending, limit: 5, offset: 20 }));
      const text = await plan(statement!.sql, statement!.params);
      const page = part(text, 'CTE page');
      expect(page, text).toMatch(new RegExp(`Index Only Scan(?: Backward)? using ${index} on deliveries`));
      expect(page, text).not.toMatch(/Sort/);
    }
  });

  it('the folder counts read only indexes (each count its own), never the table', async () => {
    for (const who of [undefined, { person: 'serve:anna', perPerson: true }]) {
      const statements = await recorded((db) => pgCountDeliveries(db, who));
      expect(statements).toHaveLength(1);
      const text = await plan(statements[0]!.sql, statements[0]!.params);
      for (const index of ['deliveries_open', 'deliveries_unreadable', 'deliveries_test', 'deliveries_claimed', ...(who === undefined ? ['deliveries_unread'] : [])]) {
        expect(text, text).toMatch(new RegExp(`Index Only Scan using ${index} on deliveries`));
      }
      expect(text, text).toMatch(/Index Only Scan using deliveries_(trashed|in_trash) on deliveries/);
      expect(text).not.toMatch(/Seq Scan on deliveries|Bitmap Heap Scan on deliveries|Filter:/);
    }
  });

  it('the folder counts are those of a plain count over every message', async () => {
    const all = (await pgListDeliveries(client, { limit: 1000 })).items;
    const trash = (await pgListDeliveries(client, { trash: true, limit: 1000 })).items;
    expect(await pgCountDeliveries(client)).toEqual({
      inbox: all.length,
      unread: all.filter((i) => i.unread).length,
      notTransferred: all.filter((i) => i.transfer === null).length,
      transferred: all.filter((i) => i.transfer !== null).length,
      unreadable: all.filter((i) => i.unreadableReason !== null).length,
      test: all.filter((i) => i.isTest).length,
      trash: trash.length,
      followUp: all.filter((i) => i.followUpOn !== null).length,
      mine: 0,
      unassigned: all.length,
    });
  });

  it.each(cases.filter(([, q]) => q.trash === undefined && q.test === undefined && q.unreadable === undefined && q.from === undefined))(
    '%s: the same rows, order and count as a plain filter',
    async (_name, filter) => {
      const all = (await pgListDeliveries(client, { limit: 1000 })).items;
      expect(all).toHaveLength(COUNT - 2);
      const expected = byHand(all, filter);
      const page = await pgListDeliveries(client, { ...filter, limit: 1000 });
      expect(page.items.map((i) => i.id)).toEqual(expected);
      expect(page.total).toBe(expected.length);
      expect(expected.length).toBeGreaterThan(0);
      const deep = await pgListDeliveries(client, { ...filter, limit: 2, offset: 1 });
      expect(deep.items.map((i) => i.id)).toEqual(expected.slice(1, 3));
    },
  );
});
