/**
 * The audit log in PostgreSQL, chained by the same rule as the SQLite store's (core/store/audit-log.ts entryHash:
 * SHA-256 over the predecessor's hash and the entry's fields), so one verification rule and one CSV format serve
 * both. Several service processes may write: an append takes a transaction-scoped advisory lock first, so the
 * sequence numbers and the chain stay gap-free; the table's triggers refuse UPDATE, DELETE and TRUNCATE.
 */
import {
  AUDIT_INSERT_COLUMNS,
  chainedAuditValues,
  entryHash,
  isAuditAction,
  GENESIS,
  toAuditEntry,
  type AuditRow,
  type AuditEntry,
  type AuditQuery,
  type AuditVerification,
  type NewAuditEntry,
} from '../store/audit-log.js';
import { searchTerms } from '../search-fold.js';
import { indexText } from '../store/search-text.js';
import type { Queryable } from './pg-queries.js';

/** Key of the advisory lock that serialises appends. */
const AUDIT_LOCK = 0x0f05_a0d1;

/** Appends one entry. Call inside the write transaction of the change it records, so both commit or neither. */
export async function pgAppendAudit(db: Queryable, storeUser: string, entry: NewAuditEntry, at: number = Date.now()): Promise<number> {
  await db.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
  const { rows } = await db.query<{ seq: number; hash: Buffer }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const { seq, values } = chainedAuditValues(rows[0], storeUser, entry, at);
  await db.query(`INSERT INTO audit_log(${AUDIT_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [...values]);
  return seq;
}

export async function pgReadAudit(db: Queryable, query: AuditQuery = {}): Promise<AuditEntry[]> {
  const limit = Math.min(Math.max(query.limit ?? 1000, 1), 100_000);
  const values: unknown[] = [query.afterSeq ?? 0];
  const conditions = ['seq > $1'];
  const add = (sql: (p: string) => string, value: unknown) => {
    values.push(value);
    conditions.push(sql(`$${values.length}`));
  };
  if (query.deliveryId !== undefined) add((p) => `delivery_id = ${p}`, query.deliveryId);
  if (query.messageId !== undefined) add((p) => `message_id = ${p}`, query.messageId);
  if (query.deliveryIds !== undefined) add((p) => `delivery_id = ANY(${p}::bigint[])`, query.deliveryIds.slice(0, 1000));
  if (query.from !== undefined) add((p) => `at >= ${p}`, query.from);
  if (query.to !== undefined) add((p) => `at < ${p}`, query.to);
  values.push(limit);
  const { rows } = await db.query<AuditRow>(`SELECT * FROM audit_log WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT $${values.length}`, values);
  return rows.map(toAuditEntry);
}

/** Recomputes the chain, in pages of 1000 (a long log is never held whole). */
export async function pgVerifyAuditChain(db: Queryable): Promise<AuditVerification> {
  let prev: Buffer = GENESIS;
  let expectedSeq = 1;
  let entries = 0;
  let after = 0;
  for (;;) {
    const { rows } = await db.query<AuditRow>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 1000', [after]);
    if (rows.length === 0) break;
    for (const row of rows) {
      entries++;
      const bad = (problem: 'gap' | 'link' | 'hash' | 'unknown-action'): AuditVerification => ({ ok: false, entries, firstBadSeq: row.seq, problem });
      if (row.seq !== expectedSeq) return bad('gap');
      if (!row.prev_hash.equals(prev)) return bad('link');
      const recomputed = entryHash(prev, row.seq, row.at, row.os_user, row.action, row.delivery_id, row.message_id, row.detail);
      if (!recomputed.equals(row.hash)) return bad('hash');
      if (!isAuditAction(row.action)) return bad('unknown-action');
      prev = recomputed;
      expectedSeq++;
      after = row.seq;
    }
  }
  return { ok: true, entries, head: entries === 0 ? null : prev.toString('hex') };
}

/**
 * Store ids of the messages whose applicants' names contain every word typed (prefixes), newest first, at most
 * `limit` — the audit log's person filter, by the SQLite store's rule (its FTS5 `names` column: the folded names,
 * cut into words of letters and digits, no stemming). The names are readable on PostgreSQL (the list shows them),
 * so they are matched here page by page rather than through the German-stemmed search vector, which mixes the
 * names with ids, subject and Aktenzeichen and would find "Müllers" under "Müller".
 */
export async function pgDeliveriesNamed(db: Queryable, typed: string, limit = 1000): Promise<number[]> {
  const terms = searchTerms(typed);
  if (terms.length === 0) return [];
  const found: number[] = [];
  let before = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const { rows } = await db.query<{ id: number; applicants: string[] }>('SELECT id, applicants FROM deliveries WHERE id < $1 ORDER BY id DESC LIMIT 2000', [before]);
    if (rows.length === 0) return found;
    for (const row of rows) {
      const words = indexText(row.applicants.join(' '))
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w !== '');
      if (terms.every((t) => words.some((w) => w.startsWith(t)))) found.push(row.id);
      if (found.length >= limit) return found;
    }
    before = rows[rows.length - 1]?.id ?? 0;
  }
}
