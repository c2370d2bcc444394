/**
 * Appending to, verifying and exporting the audit log (schema: migrations/002-audit-log.ts).
 *
 * hash(n) = SHA-256(hash(n-1) ‖ JSON [seq, at, user, action, deliveryId, messageId, detail]), hash(0) = 32 zero
 * bytes. verifyAuditChain() recomputes the chain: a changed field, a removed or inserted entry, or reordered
 * entries are found and the first bad sequence number reported. Limits, stated plainly: whoever holds the data
 * key can drop the triggers and rewrite the whole chain, and can cut entries off the end; the CSV export carries
 * each entry's hash, so an exported or printed copy anchors the chain up to that point.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_OFFICE_TIME_ZONE, officeTime } from '../time/office-time.js';
import { stmt } from './statements.js';
import { currentAuditActor } from './audit-actor.js';
import { actionWords, auditWords } from './audit-words.js';
import type { Db } from './database.js';
import { isAuditAction, type AuditAction } from './audit-actions.js';

export { AUDIT_ACTIONS, isAuditAction, type AuditAction } from './audit-actions.js';

export interface AuditEntry {
  readonly seq: number;
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly osUser: string;
  readonly action: AuditAction;
  readonly deliveryId: number | null;
  readonly messageId: string | null;
  /** Technical detail (format, setting, wrapper id); never personal data. */
  readonly detail: string | null;
  /** Hex SHA-256 of this entry (chain head when it is the last). */
  readonly hash: string;
}

export interface NewAuditEntry {
  readonly action: AuditAction;
  readonly deliveryId?: number | null;
  readonly messageId?: string | null;
  readonly detail?: string | null;
}

/** hash(0): the predecessor of the first entry. */
export const GENESIS = Buffer.alloc(32);

/** The chain rule, shared with the PostgreSQL store (core/store-pg): one entry's hash from its predecessor's. */
export function entryHash(prev: Buffer, seq: number, at: number, user: string, action: string, deliveryId: number | null, messageId: string | null, detail: string | null): Buffer {
  return createHash('sha256')
    .update(prev)
    .update(JSON.stringify([seq, at, user, action, deliveryId, messageId, detail]))
    .digest();
}

/** The columns of an audit entry's INSERT, in the order of `chainedAuditValues`. */
export const AUDIT_INSERT_COLUMNS = 'seq, at, os_user, action, delivery_id, message_id, detail, prev_hash, hash';

/**
 * The next entry's values in the order of AUDIT_INSERT_COLUMNS, chained onto the last entry (the genesis for the
 * first) — one rule for both stores. The person is the one a front end named for this call (postfach serve: the
 * signed-in person), else the store's OS user.
 */
export function chainedAuditValues(
  last: { readonly seq: number; readonly hash: Buffer } | undefined,
  storeUser: string,
  entry: NewAuditEntry,
  at: number,
): { readonly seq: number; readonly values: readonly [number, number, string, string, number | null, string | null, string | null, Buffer, Buffer] } {
  const osUser = currentAuditActor() ?? storeUser;
  const seq = (last?.seq ?? 0) + 1;
  const prev = last?.hash ?? GENESIS;
  const deliveryId = entry.deliveryId ?? null;
  const messageId = entry.messageId ?? null;
  const detail = entry.detail ?? null;
  const hash = entryHash(prev, seq, at, osUser, entry.action, deliveryId, messageId, detail);
  return { seq, values: [seq, at, osUser, entry.action, deliveryId, messageId, detail, prev, hash] };
}

/** Appends one entry. Call inside the write transaction of the change it records, so both commit or neither. */
export function appendAudit(db: Db, storeUser: string, entry: NewAuditEntry, at: number = Date.now()): number {
  const last = stmt(db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: Buffer } | undefined;
  const { seq, values } = chainedAuditValues(last, storeUser, entry, at);
  stmt(db, `INSERT INTO audit_log(${AUDIT_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...values);
  return seq;
}

/** A row of the audit_log table, the same in both store backends. */
export interface AuditRow {
  seq: number;
  at: number;
  os_user: string;
  action: string;
  delivery_id: number | null;
  message_id: string | null;
  detail: string | null;
  prev_hash: Buffer;
  hash: Buffer;
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    osUser: row.os_user,
    action: row.action as AuditAction,
    deliveryId: row.delivery_id,
    messageId: row.message_id,
    detail: row.detail,
    hash: row.hash.toString('hex'),
  };
}

export interface AuditQuery {
  readonly afterSeq?: number;
  readonly limit?: number;
  /** One application: by store id or OSCI message id (entries outlive the message; the ids stay). */
  readonly deliveryId?: number;
  readonly messageId?: string;
  /** Entries about any of these messages (the person filter: messages whose applicants match). */
  readonly deliveryIds?: readonly number[];
  /** From (inclusive) / to (exclusive), epoch milliseconds. */
  readonly from?: number;
  readonly to?: number;
}

export function readAudit(db: Db, query: AuditQuery = {}): AuditEntry[] {
  const limit = Math.min(Math.max(query.limit ?? 1000, 1), 100_000);
  const conditions = ['seq > ?'];
  const params: unknown[] = [query.afterSeq ?? 0];
  if (query.deliveryId !== undefined) {
    conditions.push('delivery_id = ?');
    params.push(query.deliveryId);
  }
  if (query.messageId !== undefined) {
    conditions.push('message_id = ?');
    params.push(query.messageId);
  }
  if (query.deliveryIds !== undefined) {
    // bound values, at most 1000 of them (the caller caps the person search)
    const ids = query.deliveryIds.slice(0, 1000);
    conditions.push(ids.length === 0 ? '0' : `delivery_id IN (${ids.map(() => '?').join(', ')})`);
    params.push(...ids);
  }
  if (query.from !== undefined) {
    conditions.push('at >= ?');
    params.push(query.from);
  }
  if (query.to !== undefined) {
    conditions.push('at < ?');
    params.push(query.to);
  }
  const rows = stmt(db, `SELECT * FROM audit_log WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT ?`).all(...params, limit);
  return (rows as AuditRow[]).map(toAuditEntry);
}

export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly head: string | null }
  | { readonly ok: false; readonly entries: number; readonly firstBadSeq: number; readonly problem: 'gap' | 'link' | 'hash' | 'unknown-action' };

export function verifyAuditChain(db: Db): AuditVerification {
  let prev: Buffer = GENESIS;
  let expectedSeq = 1;
  let entries = 0;
  for (const row of stmt(db, 'SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    entries++;
    const bad = (problem: 'gap' | 'link' | 'hash' | 'unknown-action'): AuditVerification => ({ ok: false, entries, firstBadSeq: row.seq, problem });
    if (row.seq !== expectedSeq) return bad('gap');
    if (!Buffer.from(row.prev_hash).equals(prev)) return bad('link');
    const recomputed = entryHash(prev, row.seq, row.at, row.os_user, row.action, row.delivery_id, row.message_id, row.detail);
    if (!recomputed.equals(Buffer.from(row.hash))) return bad('hash');
    if (!isAuditAction(row.action)) return bad('unknown-action');
    prev = recomputed;
    expectedSeq++;
  }
  return { ok: true, entries, head: entries === 0 ? null : prev.toString('hex') };
}

/**
 * "Zeitpunkt" is the office time with its zone stated (core/time: "29.03.2026, 01:30:00 Uhr (MEZ, UTC+01:00)"), as
 * on every document that leaves the program; the last column gives the same moment as ISO 8601 with the office's
 * offset, for sorting and for programs. "Angabe" is the entry in words; "Angabe (Code)" its parameters as stored
 * (JSON, or the free text of before schema 12).
 */
export const AUDIT_CSV_HEADER = [
  'Lfd. Nr.',
  'Zeitpunkt',
  'Benutzer',
  'Aktion',
  'Aktion (Code)',
  'Nachricht (Nr.)',
  'OSCI-Nachrichten-ID',
  'Angabe',
  'Angabe (Code)',
  'Prüfsumme (SHA-256)',
  'Zeitpunkt (ISO 8601)',
];

/** One CSV field per RFC 4180: quoted when it holds the delimiter, a quote, CR or LF; quotes doubled. */
export function csvField(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The audit log as CSV (RFC 4180: CRLF line ends, header row), starting with a UTF-8 byte order mark so Excel
 * reads the umlauts; every field in Unicode NFC (a name decomposed in a message stays one character per letter). Yields text pieces, a few hundred entries at a time, for any log size. A field that starts
 * with = + - @ is prefixed with an apostrophe, so a spreadsheet never runs it as a formula.
 */
export function* auditCsv(db: Db, delimiter: ',' | ';' = ',', timeZone: string = DEFAULT_OFFICE_TIME_ZONE): Generator<string> {
  const csv = auditCsvFormat(delimiter, timeZone);
  yield csv.header;
  // paged by seq, so the caller may use the database between pieces (an open iterator would block it)
  let after = 0;
  for (;;) {
    const entries = readAudit(db, { afterSeq: after, limit: AUDIT_CSV_PAGE });
    if (entries.length === 0) return;
    yield csv.rows(entries);
    after = entries[entries.length - 1]?.seq ?? after;
  }
}

/** Entries per piece of the CSV. */
export const AUDIT_CSV_PAGE = 500;

/**
 * The same CSV from any store (both backends, through the asynchronous MailboxStore): `read` gives the entries after
 * a sequence number, a page at a time.
 */
export async function* auditCsvOf(
  read: (afterSeq: number, limit: number) => Promise<readonly AuditEntry[]>,
  delimiter: ',' | ';' = ',',
  timeZone: string = DEFAULT_OFFICE_TIME_ZONE,
): AsyncGenerator<string> {
  const csv = auditCsvFormat(delimiter, timeZone);
  yield csv.header;
  let after = 0;
  for (;;) {
    const entries = await read(after, AUDIT_CSV_PAGE);
    if (entries.length === 0) return;
    yield csv.rows(entries);
    after = entries[entries.length - 1]?.seq ?? after;
  }
}

/** The header piece (with the byte order mark) and the lines of a page of entries. */
function auditCsvFormat(delimiter: ',' | ';', timeZone: string): { readonly header: string; rows(entries: readonly AuditEntry[]): string } {
  const office = officeTime(timeZone);
  const line = (fields: readonly string[]): string => `${fields.map((f) => csvField(/^[=+\-@\t\r]/.test(f) ? `'${f}` : f, delimiter).normalize('NFC')).join(delimiter)}\r\n`;
  return {
    header: `\uFEFF${line(AUDIT_CSV_HEADER)}`,
    rows: (entries) =>
      entries
        .map((e) =>
          line([
            String(e.seq),
            office.stated(e.at),
            e.osUser,
            actionWords(e.action).de,
            e.action,
            e.deliveryId === null ? '' : String(e.deliveryId),
            e.messageId ?? '',
            auditWords(e.action, e.detail).de,
            e.detail ?? '',
            e.hash,
            office.iso(e.at) ?? e.at,
          ]),
        )
        .join(''),
  };
}
