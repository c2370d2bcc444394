/**
 * Reading deliveries from PostgreSQL for the list, the folder pane and the detail view — the same answers as
 * core/store/delivery-queries.ts gives from SQLite: the same filters, sort keys with the same tie-breaks (NULLs
 * ordered as SQLite orders them: first when ascending), the same paging and day counts. The statement is assembled
 * from fixed fragments; every value is a bound parameter. Search: the full-text vector with German stemming
 * (`to_tsvector('german', …)` over the folded names, ids, subject and Aktenzeichen), every word a prefix. Unlike
 * SQLite's index, it holds no words of the application's text or the note: their index would stand readable in the
 * database (docs/datenschutz.md), so a search for a word only the content has finds fewer rows here by design.
 */
import type pg from 'pg';
import { decodeNames } from '../store/applicant-names.js';
import { storeError } from '../store/errors.js';
import {
  DELIVERY_STATES,
  type DeliveryCounts,
  type DeliveryListItem,
  type DeliveryPage,
  type DeliveryRef,
  type DeliveryState,
  type ListQuery,
  type SortKey,
} from '../store/records.js';
import { indexText } from '../store/search-text.js';
import { toMillis } from '../store/time.js';
import { searchTerms } from '../search-fold.js';
import type { Who } from '../store/delivery-queries.js';

export type Queryable = Pick<pg.ClientBase, 'query'>;

export interface PgListRow {
  id: number;
  message_id: string;
  subject: string | null;
  creation_at: number | null;
  eingang: number;
  applicants: string[];
  applicant_parts: unknown;
  benefit_code: string | null;
  benefit_text: string | null;
  application_date: string | null;
  is_test: boolean;
  attachment_count: number;
  signature_status: string | null;
  state_rank: number;
  read_at: number | null;
  unreadable_reason: string | null;
  unreadable_kind: string | null;
  legal_hold: boolean;
  creation_check_code: string | null;
  fetched_at: number;
  aktenzeichen: string | null;
  follow_up_on: string | null;
  claimed_by: string | null;
  claimed_at: number | null;
  transfer_at: number | null;
  transferred_by: string | null;
}

export const PG_LIST_COLUMNS = `d.id, d.message_id, d.subject, d.creation_at, d.eingang, d.applicants, d.applicant_parts, d.benefit_code, d.benefit_text,
  d.application_date, d.is_test, d.attachment_count, d.signature_status, d.state_rank, d.read_at, d.unreadable_reason, d.unreadable_kind, d.legal_hold,
  d.creation_check #>> '{check,code}' AS creation_check_code, d.fetched_at, d.aktenzeichen, d.follow_up_on,
  d.claimed_by, d.claimed_at, d.transferred_at AS transfer_at, d.transferred_by`;

export function pgListItem(row: PgListRow, who?: Who): DeliveryListItem {
  return {
    id: row.id,
    messageId: row.message_id,
    subject: row.subject,
    eingang: new Date(row.eingang).toISOString(),
    eingangKnown: row.creation_at !== null,
    creationCheck: typeof row.creation_check_code === 'string' ? row.creation_check_code : null,
    fetchedAt: new Date(row.fetched_at).toISOString(),
    applicants: row.applicants,
    applicantNames: decodeNames(row.applicant_parts === null ? null : JSON.stringify(row.applicant_parts))?.names ?? null,
    benefitCode: row.benefit_code,
    benefitText: row.benefit_text,
    applicationDate: row.application_date,
    isTest: row.is_test,
    attachmentCount: row.attachment_count,
    signatureStatus: row.signature_status,
    state: DELIVERY_STATES[row.state_rank] as DeliveryState,
    unread: row.read_at === null,
    unreadableReason: row.unreadable_reason,
    unreadableKind: row.unreadable_reason === null ? null : row.unreadable_kind,
    legalHold: row.legal_hold,
    aktenzeichen: row.aktenzeichen,
    followUpOn: row.follow_up_on,
    claim: row.claimed_by === null ? null : { by: row.claimed_by, at: new Date(row.claimed_at ?? 0).toISOString(), mine: who !== undefined && row.claimed_by === who.person },
    transfer: row.transfer_at === null ? null : { by: row.transferred_by, at: new Date(row.transfer_at).toISOString() },
  };
}

/** Per person (the service): `unread` of each item is whether this person has read it (delivery_reads). */
export async function pgWithPersonalReads(db: Queryable, items: DeliveryListItem[], who: Who | undefined): Promise<DeliveryListItem[]> {
  if (who === undefined || !who.perPerson || items.length === 0) return items;
  const { rows } = await db.query<{ delivery_id: number }>('SELECT delivery_id FROM delivery_reads WHERE person = $1 AND delivery_id = ANY($2::bigint[])', [
    who.person,
    items.map((i) => i.id),
  ]);
  const read = new Set(rows.map((r) => Number(r.delivery_id)));
  return items.map((i) => ({ ...i, unread: !read.has(i.id) }));
}

/**
 * The search vector's parts (names, ids, subject, Aktenzeichen), folded as the SQLite index folds them
 * (search-text.ts) and cut into words of letters and digits — as the query is (searchTerms): PostgreSQL's parser
 * would otherwise keep "-2026" or "/4711" as tokens of their own that no typed word matches.
 */
export function searchParts(f: { applicants: readonly string[]; messageId: string; id: number; subject: string | null; aktenzeichen: string | null }): string[] {
  const words = (text: string) =>
    indexText(text)
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w !== '')
      .join(' ');
  return [words(f.applicants.join(' ')), words(`${f.messageId} ${f.id}`), words(f.subject ?? ''), words(f.aktenzeichen ?? '')];
}

/** SQL for the vector from the four parts of searchParts, bound from $n on. */
export function searchVector(n: number): string {
  return [0, 1, 2, 3].map((i) => `to_tsvector('german', $${n + i})`).join(' || ');
}

/**
 * A tsquery from what was typed: every word (folded; letters and digits only, so no query syntax gets through) a
 * prefix match. undefined when nothing searchable was typed.
 */
export function tsQuery(typed: string): string | undefined {
  const terms = searchTerms(typed);
  return terms.length === 0 ? undefined : terms.map((t) => `'${t}':*`).join(' & ');
}

const ORDER: Record<SortKey, string> = {
  eingang: 'd.eingang',
  applicant: 'd.applicant_sort',
  benefit: 'd.benefit_code',
  state: 'd.state_rank',
  followUp: 'd.follow_up_on',
};

const MAX_PAGE = 1000;

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

function where(query: ListQuery, p: Params, ts: string | undefined, who: Who | undefined): string {
  const conditions: string[] = [query.trash === true ? 'd.trashed_at IS NOT NULL' : 'd.trashed_at IS NULL'];
  const flag = (value: boolean | undefined, yes: string, no: string): void => {
    if (value !== undefined) conditions.push(value ? yes : no);
  };
  if (query.unread !== undefined && who?.perPerson === true) {
    conditions.push(`${query.unread ? 'NOT ' : ''}EXISTS (SELECT 1 FROM delivery_reads r WHERE r.delivery_id = d.id AND r.person = ${p.add(who.person)})`);
  } else flag(query.unread, 'd.read_at IS NULL', 'd.read_at IS NOT NULL');
  if (query.view === 'mine') conditions.push(`d.claimed_by = ${p.add(who?.person ?? '')}`);
  else if (query.view === 'unassigned') conditions.push('d.claimed_by IS NULL');
  else if (query.view !== undefined) throw storeError('store-invalid-input', 'list: unknown view');
  flag(query.withAttachments, 'd.attachment_count > 0', 'd.attachment_count = 0');
  flag(query.notTransferred, 'd.transferred_at IS NULL', 'd.transferred_at IS NOT NULL');
  flag(query.transferred, 'd.transferred_at IS NOT NULL', 'd.transferred_at IS NULL');
  flag(query.test, 'd.is_test', 'NOT d.is_test');
  flag(query.unreadable, 'd.unreadable_reason IS NOT NULL', 'd.unreadable_reason IS NULL');
  flag(query.legalHold, 'd.legal_hold', 'NOT d.legal_hold');
  flag(query.followUp, 'd.follow_up_on IS NOT NULL', 'd.follow_up_on IS NULL');
  if (query.from !== undefined) conditions.push(`d.eingang >= ${p.add(toMillis(query.from, 'from'))}`);
  if (query.to !== undefined) conditions.push(`d.eingang < ${p.add(toMillis(query.to, 'to'))}`);
  if (ts !== undefined) conditions.push(`d.search @@ to_tsquery('german', ${p.add(ts)})`);
  return conditions.join(' AND ');
}

export async function pgListDeliveries(db: Queryable, query: ListQuery = {}, who?: Who): Promise<DeliveryPage> {
  const sort = query.sort ?? 'eingang';
  if (!(sort in ORDER)) throw storeError('store-invalid-input', 'list: unknown sort key');
  const descending = query.descending ?? sort === 'eingang';
  // SQLite puts NULLs first when ascending and last when descending; PostgreSQL the other way round unless told —
  // said only for the keys that can be NULL, so the indexes (declared in that order) serve the never-NULL ones as is
  const dir = descending ? 'DESC' : 'ASC';
  const nullableDir = descending ? 'DESC NULLS LAST' : 'ASC NULLS FIRST';
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), MAX_PAGE);
  const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
  const countFrom = (query.countFrom ?? []).map((moment, i) => toMillis(moment, `countFrom[${i}]`));
  if (countFrom.length > 12) throw storeError('store-invalid-input', 'list: at most 12 moments to count from');
  const keyDir = sort === 'state' ? dir : nullableDir;
  const orderBy = sort === 'eingang' ? `d.eingang ${dir}, d.id ${dir}` : `${ORDER[sort]} ${keyDir}, d.eingang ${dir}, d.id ${dir}`;

  // German stop words ("der", "und") leave no lexeme; a search of nothing else is no filter, as an empty search box
  // (PostgreSQL would match nothing), and a stop word beside other words is dropped by to_tsquery itself
  let ts = query.search === undefined ? undefined : tsQuery(query.search);
  if (ts !== undefined) {
    const { rows } = await db.query<{ n: number }>("SELECT numnode(to_tsquery('german', $1)) AS n", [ts]);
    if (Number(rows[0]?.n ?? 0) === 0) ts = undefined;
  }
  // One statement, one round trip and one snapshot (total and page agree even while others write): the total and
  // the day counts in one pass over the matching rows (off a partial index, without reading rows, where one fits —
  // migration 6), beside the page — whose ids are first counted off in that index (the "deferred join": a page at
  // offset 50,000 skips 50,000 index entries, not 50,000 rows) and only then are its 50 rows read. The rows come
  // back in the list's order; when the page is past the end, one row carries the totals alone.
  const p = new Params();
  const matching = where(query, p, ts, who);
  const sums = countFrom.map((moment, i) => `, count(*) FILTER (WHERE d.eingang >= ${p.add(moment)}) AS page_c${i}`).join('');
  const personal = who?.perPerson === true ? `, EXISTS (SELECT 1 FROM delivery_reads r WHERE r.delivery_id = d.id AND r.person = ${p.add(who.person)}) AS person_read` : '';
  const { rows } = await db.query<PgListRow & { page_total: number; person_read?: boolean } & Record<string, unknown>>(
    `WITH totals AS MATERIALIZED (SELECT count(*) AS page_total${sums} FROM deliveries d WHERE ${matching}),
       page AS MATERIALIZED (SELECT d.id FROM deliveries d WHERE ${matching} ORDER BY ${orderBy} LIMIT ${p.add(limit)} OFFSET ${p.add(offset)})
     SELECT totals.*, ${PG_LIST_COLUMNS}${personal}
     FROM totals LEFT JOIN (page JOIN deliveries d ON d.id = page.id) ON true
     ORDER BY ${orderBy}`,
    p.values,
  );
  const t = rows[0];
  const items = rows
    .filter((r) => r.id !== null)
    .map((r) => {
      const item = pgListItem(r, who);
      return r.person_read === undefined ? item : { ...item, unread: !r.person_read };
    });
  return {
    items,
    total: Number(t?.page_total ?? 0),
    offset,
    ...(countFrom.length > 0 ? { atOrAfter: countFrom.map((_, i) => Number(t?.[`page_c${i}`] ?? 0)) } : {}),
  };
}

/**
 * The folder pane's counts in one statement (one snapshot), each read off the partial index of exactly its rows
 * (migration 6; index-only, no table rows): the inbox is counted once, and what has an index of the complement is
 * the inbox less that ("übertragen" = inbox − "nicht übertragen", "nicht zugewiesen" = inbox − claimed), so the
 * large counts do not each walk the inbox again. A person's unread (the service) is the inbox less what this
 * person has read of it — one join of their read marks (one mark per person and message: the primary key).
 */
export async function pgCountDeliveries(db: Queryable, who?: Who): Promise<DeliveryCounts> {
  const perPerson = who?.perPerson === true;
  const count = (condition: string) => `(SELECT count(*) FROM deliveries d WHERE d.trashed_at IS NULL AND ${condition})`;
  const unread = perPerson
    ? 'i.n - (SELECT count(*) FROM delivery_reads r JOIN deliveries d ON d.id = r.delivery_id WHERE r.person = $1 AND d.trashed_at IS NULL)'
    : count('d.read_at IS NULL');
  const { rows } = await db.query<Record<keyof DeliveryCounts, number>>(
    `WITH i AS MATERIALIZED (SELECT count(*) AS n FROM deliveries d WHERE d.trashed_at IS NULL),
          o AS MATERIALIZED (SELECT ${count('d.transferred_at IS NULL')} AS n)
    SELECT
      i.n AS inbox,
      ${unread} AS unread,
      ${count('d.claimed_by = $1')} AS mine,
      i.n - ${count('d.claimed_by IS NOT NULL')} AS unassigned,
      o.n AS "notTransferred",
      i.n - o.n AS transferred,
      ${count('d.unreadable_reason IS NOT NULL')} AS unreadable,
      ${count('d.is_test')} AS test,
      (SELECT count(*) FROM deliveries d WHERE d.trashed_at IS NOT NULL) AS trash,
      ${count('d.follow_up_on IS NOT NULL')} AS "followUp"
    FROM i, o`,
    [who?.person ?? ''],
  );
  const r = rows[0];
  if (r === undefined) throw storeError('store-corrupt', 'counts: no row');
  return {
    inbox: Number(r.inbox),
    unread: Number(r.unread),
    notTransferred: Number(r.notTransferred),
    transferred: Number(r.transferred),
    unreadable: Number(r.unreadable),
    test: Number(r.test),
    trash: Number(r.trash),
    followUp: Number(r.followUp),
    mine: Number(r.mine),
    unassigned: Number(r.unassigned),
  };
}

export async function pgResolveRef(db: Queryable, ref: DeliveryRef, lock = false): Promise<{ id: number; messageId: string }> {
  const forUpdate = lock ? ' FOR UPDATE' : '';
  if (typeof ref === 'number' && !Number.isSafeInteger(ref)) throw storeError('store-unknown-message', 'store id is not a whole number');
  const { rows } =
    typeof ref === 'number'
      ? await db.query<{ id: number; message_id: string }>(`SELECT id, message_id FROM deliveries WHERE id = $1${forUpdate}`, [ref])
      : await db.query<{ id: number; message_id: string }>(`SELECT id, message_id FROM deliveries WHERE message_id = $1${forUpdate}`, [ref.messageId]);
  const row = rows[0];
  if (row === undefined) throw storeError('store-unknown-message', typeof ref === 'number' ? `no message with store id ${ref}` : 'no message with that OSCI message id');
  return { id: row.id, messageId: row.message_id };
}
