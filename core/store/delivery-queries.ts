/**
 * Reading deliveries for the list, the folder pane and the detail view. The list query is assembled from fixed
 * SQL fragments; values (times, the FTS5 query built by ftsQuery) are always bound parameters.
 */
import { stmt } from './statements.js';
import { coveredFrom, searchCovered } from './search-cover.js';
import type { Db } from './database.js';
import { storeError } from './errors.js';
import type { AttachmentInfo, DeliveryCounts, DeliveryListItem, DeliveryPage, DeliveryRecord, DeliveryRef, DeliveryState, JsonValue, ListQuery, SortKey } from './records.js';
import { DELIVERY_STATES } from './records.js';
import { decodeNames } from './applicant-names.js';
import { ftsQuery, ftsTerms } from './search-text.js';
import { isoOrNull, toMillis } from './time.js';

/** The person a read answers for (shared-inbox.ts): whose claim is "mine", and whether read marks are per person. */
export interface Who {
  readonly person: string;
  readonly perPerson: boolean;
}

interface ListRow {
  id: number;
  message_id: string;
  subject: string | null;
  creation_at: number | null;
  eingang: number;
  applicants: string;
  applicant_parts: string | null;
  benefit_code: string | null;
  benefit_text: string | null;
  application_date: string | null;
  is_test: number;
  attachment_count: number;
  signature_status: string | null;
  state_rank: number;
  read_at: number | null;
  unreadable_reason: string | null;
  unreadable_kind: string | null;
  legal_hold: number;
  creation_check_code: string | null;
  fetched_at: number;
  aktenzeichen: string | null;
  follow_up_on: string | null;
  claimed_by: string | null;
  claimed_at: number | null;
  transfer_at: number | null;
  transferred_by: string | null;
}

const LIST_COLUMNS = `d.id, d.message_id, d.subject, d.creation_at, d.eingang, d.applicants, d.applicant_parts, d.benefit_code, d.benefit_text,
  d.application_date, d.is_test, d.attachment_count, d.signature_status, d.state_rank, d.read_at, d.unreadable_reason, d.unreadable_kind, d.legal_hold,
  CASE WHEN json_valid(d.creation_check) THEN json_extract(d.creation_check, '$.check.code') END AS creation_check_code, d.fetched_at,
  d.aktenzeichen, d.follow_up_on, d.claimed_by, d.claimed_at, d.transferred_at AS transfer_at, d.transferred_by`;

function listItem(row: ListRow, who: Who | undefined): DeliveryListItem {
  return {
    id: row.id,
    messageId: row.message_id,
    subject: row.subject,
    eingang: new Date(row.eingang).toISOString(),
    eingangKnown: row.creation_at !== null,
    creationCheck: typeof row.creation_check_code === 'string' ? row.creation_check_code : null,
    fetchedAt: new Date(row.fetched_at).toISOString(),
    applicants: JSON.parse(row.applicants) as string[],
    applicantNames: decodeNames(row.applicant_parts)?.names ?? null,
    benefitCode: row.benefit_code,
    benefitText: row.benefit_text,
    applicationDate: row.application_date,
    isTest: row.is_test === 1,
    attachmentCount: row.attachment_count,
    signatureStatus: row.signature_status,
    state: DELIVERY_STATES[row.state_rank] as DeliveryState,
    unread: row.read_at === null,
    unreadableReason: row.unreadable_reason,
    unreadableKind: row.unreadable_reason === null ? null : row.unreadable_kind,
    legalHold: row.legal_hold === 1,
    aktenzeichen: row.aktenzeichen,
    followUpOn: row.follow_up_on,
    claim: row.claimed_by === null ? null : { by: row.claimed_by, at: new Date(row.claimed_at ?? 0).toISOString(), mine: who !== undefined && row.claimed_by === who.person },
    transfer: row.transfer_at === null ? null : { by: row.transferred_by, at: new Date(row.transfer_at).toISOString() },
  };
}

/** Per person (the service): `unread` of each item is whether this person has read it (delivery_reads). */
function withPersonalReads(db: Db, items: DeliveryListItem[], who: Who | undefined): DeliveryListItem[] {
  if (who === undefined || !who.perPerson || items.length === 0) return items;
  const read = new Set(
    (
      stmt(db, `SELECT delivery_id FROM delivery_reads WHERE person = ? AND delivery_id IN (SELECT value FROM json_each(?))`).all(
        who.person,
        JSON.stringify(items.map((i) => i.id)),
      ) as Array<{
        delivery_id: number;
      }>
    ).map((r) => r.delivery_id),
  );
  return items.map((i) => ({ ...i, unread: !read.has(i.id) }));
}

const ORDER: Record<SortKey, string> = {
  eingang: 'd.eingang',
  applicant: 'd.applicant_sort',
  benefit: 'd.benefit_code',
  state: 'd.state_rank',
  followUp: 'd.follow_up_on',
};

export const MAX_PAGE = 1000;

interface Where {
  /** A WITH clause in front of the statement (the matches of a search that found notes), and its parameters. */
  readonly with: string;
  readonly withParams: unknown[];
  /** FROM clause: the deliveries alone, or driven by the full-text index when searching. */
  readonly from: string;
  readonly sql: string;
  readonly params: unknown[];
  /** Driven by the full-text indexes: counts are best made in one pass over the matches. */
  readonly searching: boolean;
}

function where(db: Db, query: ListQuery, who: Who | undefined): Where {
  const conditions: string[] = [query.trash === true ? 'd.trashed_at IS NOT NULL' : 'd.trashed_at IS NULL'];
  const params: unknown[] = [];
  const flag = (value: boolean | undefined, yes: string, no: string): void => {
    if (value !== undefined) conditions.push(value ? yes : no);
  };
  if (query.unread !== undefined && who?.perPerson === true) {
    conditions.push(`${query.unread ? 'NOT ' : ''}EXISTS (SELECT 1 FROM delivery_reads r WHERE r.delivery_id = d.id AND r.person = ?)`);
    params.push(who.person);
  } else flag(query.unread, 'd.read_at IS NULL', 'd.read_at IS NOT NULL');
  if (query.view === 'mine') {
    conditions.push('d.claimed_by = ?');
    params.push(who?.person ?? '');
  } else if (query.view === 'unassigned') conditions.push('d.claimed_by IS NULL');
  else if (query.view !== undefined) throw storeError('store-invalid-input', 'list: unknown view');
  flag(query.withAttachments, 'd.attachment_count > 0', 'd.attachment_count = 0');
  flag(query.notTransferred, 'd.transferred_at IS NULL', 'd.transferred_at IS NOT NULL');
  flag(query.transferred, 'd.transferred_at IS NOT NULL', 'd.transferred_at IS NULL');
  flag(query.test, 'd.is_test = 1', 'd.is_test = 0');
  flag(query.unreadable, 'd.unreadable_reason IS NOT NULL', 'd.unreadable_reason IS NULL');
  flag(query.legalHold, 'd.legal_hold = 1', 'd.legal_hold = 0');
  flag(query.followUp, 'd.follow_up_on IS NOT NULL', 'd.follow_up_on IS NULL');
  if (query.from !== undefined) {
    conditions.push('d.eingang >= ?');
    params.push(toMillis(query.from, 'from'));
  }
  if (query.to !== undefined) {
    conditions.push('d.eingang < ?');
    params.push(toMillis(query.to, 'to'));
  }
  const terms = query.search === undefined ? [] : ftsTerms(query.search);
  // nothing searchable typed (only punctuation): no filter, as an empty search box
  if (terms.length === 0) return { with: '', withParams: [], from: 'deliveries d', sql: conditions.join(' AND '), params, searching: false };
  const all = terms.join(' ');
  const any = terms.join(' OR ');
  // Every word must occur in the message's index or in the office's notes (migration 14). Where no note matches any
  // word (most searches), the message's index answers alone, exactly as before: the matches drive, each looked up
  // by id — never a scan of the whole list (CROSS JOIN fixes the order).
  if (stmt(db, 'SELECT 1 FROM case_work_search WHERE case_work_search MATCH ? LIMIT 1').get(any) === undefined) {
    return {
      with: '',
      withParams: [],
      from: 'delivery_search s CROSS JOIN deliveries d ON d.id = s.rowid',
      sql: ['s.delivery_search MATCH ?', ...conditions].join(' AND '),
      params: [all, ...params],
      searching: true,
    };
  }
  // Else the rows with notes are added where each word is in one of the two indexes and the message's index alone
  // did not find them (no row twice, nothing made distinct). The IN lists are not correlated: each is read once (a
  // MATCH per row would read a common word's whole list once per row: 0.7 s for 300 notes). MATERIALIZED: the
  // matches are found first, on their own — SQLite 3.53 refused the MATCH of this compound as a subquery in FROM
  // once the outer query sorted by the Eingang ("unable to use function MATCH in the requested context").
  const inEither = terms
    .map(() => '(c.rowid IN (SELECT rowid FROM case_work_search WHERE case_work_search MATCH ?) OR c.rowid IN (SELECT rowid FROM delivery_search WHERE delivery_search MATCH ?))')
    .join(' AND ');
  const matches =
    'SELECT rowid FROM delivery_search WHERE delivery_search MATCH ? UNION ALL ' +
    `SELECT c.rowid FROM case_work_search c WHERE case_work_search MATCH ? AND ${inEither} ` +
    'AND c.rowid NOT IN (SELECT rowid FROM delivery_search WHERE delivery_search MATCH ?)';
  return {
    with: `WITH s(id) AS MATERIALIZED (${matches}) `,
    withParams: [all, any, ...terms.flatMap((t) => [t, t]), all],
    from: 's CROSS JOIN deliveries d ON d.id = s.id',
    sql: conditions.join(' AND '),
    params,
    searching: true,
  };
}

export function listDeliveries(db: Db, query: ListQuery = {}, who?: Who): DeliveryPage {
  const sort = query.sort ?? 'eingang';
  if (!(sort in ORDER)) throw storeError('store-invalid-input', 'list: unknown sort key');
  const descending = query.descending ?? sort === 'eingang';
  const dir = descending ? 'DESC' : 'ASC';
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), MAX_PAGE);
  const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
  const found = where(db, query, who);
  const orderBy = sort === 'eingang' ? `d.eingang ${dir}, d.id ${dir}` : `${ORDER[sort]} ${dir}, d.eingang ${dir}, d.id ${dir}`;
  // a search sorts and counts its matches from the narrow index where it can (search-cover.ts, migration 19); the
  // page's rows alone are then read from the table
  const covered = found.searching && searchCovered(query);
  const w = covered ? { ...found, from: coveredFrom(found.from) } : found;
  const rows = (
    covered
      ? stmt(
          db,
          `${w.with}SELECT ${LIST_COLUMNS} FROM deliveries d WHERE d.id IN (SELECT d.id FROM ${w.from} WHERE ${w.sql} ORDER BY ${orderBy} LIMIT ? OFFSET ?) ORDER BY ${orderBy}`,
        )
      : stmt(db, `${w.with}SELECT ${LIST_COLUMNS} FROM ${w.from} WHERE ${w.sql} ORDER BY ${orderBy} LIMIT ? OFFSET ?`)
  ).all(...w.withParams, ...w.params, limit, offset) as ListRow[];
  const countFrom = (query.countFrom ?? []).map((moment, i) => toMillis(moment, `countFrom[${i}]`));
  if (countFrom.length > 12) throw storeError('store-invalid-input', 'list: at most 12 moments to count from');
  let total: number;
  let atOrAfter: number[];
  if (w.searching) {
    // the matches are read once: the total and the day counts in one pass
    const sums = countFrom.map((_, i) => `, sum(d.eingang >= ?) AS c${i}`).join('');
    const row = stmt(db, `${w.with}SELECT count(*) AS n${sums} FROM ${w.from} WHERE ${w.sql}`).get(...w.withParams, ...countFrom, ...w.params) as Record<string, number | null>;
    total = row['n'] ?? 0;
    atOrAfter = countFrom.map((_, i) => row[`c${i}`] ?? 0);
  } else {
    total = (stmt(db, `${w.with}SELECT count(*) AS n FROM ${w.from} WHERE ${w.sql}`).get(...w.withParams, ...w.params) as { n: number }).n;
    // range counts on the Eingang: each reads only its part of the view's index (migration 5)
    atOrAfter = countFrom.map(
      (moment) => (stmt(db, `${w.with}SELECT count(*) AS n FROM ${w.from} WHERE ${w.sql} AND d.eingang >= ?`).get(...w.withParams, ...w.params, moment) as { n: number }).n,
    );
  }
  return {
    items: withPersonalReads(
      db,
      rows.map((r) => listItem(r, who)),
      who,
    ),
    total,
    offset,
    ...(countFrom.length > 0 ? { atOrAfter } : {}),
  };
}

export function countDeliveries(db: Db, who?: Who): DeliveryCounts {
  // one count per folder, each answered from its partial index (migration 5) instead of one scan of the table
  const count = (where: string): number => (stmt(db, `SELECT count(*) AS n FROM deliveries WHERE ${where}`).get() as { n: number }).n;
  const inbox = count('trashed_at IS NULL');
  const notTransferred = count('trashed_at IS NULL AND transferred_at IS NULL');
  return {
    inbox,
    unread:
      who?.perPerson === true
        ? (
            stmt(
              db,
              'SELECT count(*) AS n FROM deliveries d WHERE d.trashed_at IS NULL AND NOT EXISTS (SELECT 1 FROM delivery_reads r WHERE r.delivery_id = d.id AND r.person = ?)',
            ).get(who.person) as { n: number }
          ).n
        : count('trashed_at IS NULL AND read_at IS NULL'),
    notTransferred,
    transferred: inbox - notTransferred,
    unreadable: count('trashed_at IS NULL AND unreadable_reason IS NOT NULL'),
    test: count('trashed_at IS NULL AND is_test = 1'),
    trash: count('trashed_at IS NOT NULL'),
    followUp: count('trashed_at IS NULL AND follow_up_on IS NOT NULL'),
    mine: (stmt(db, 'SELECT count(*) AS n FROM deliveries WHERE trashed_at IS NULL AND claimed_by = ?').get(who?.person ?? '') as { n: number }).n,
    unassigned: count('trashed_at IS NULL AND claimed_by IS NULL'),
  };
}

export function resolveRef(db: Db, ref: DeliveryRef): { id: number; messageId: string } {
  const row =
    typeof ref === 'number'
      ? (stmt(db, 'SELECT id, message_id FROM deliveries WHERE id = ?').get(ref) as { id: number; message_id: string } | undefined)
      : (stmt(db, 'SELECT id, message_id FROM deliveries WHERE message_id = ?').get(ref.messageId) as { id: number; message_id: string } | undefined);
  if (row === undefined) {
    throw storeError('store-unknown-message', typeof ref === 'number' ? `no message with store id ${ref}` : 'no message with that OSCI message id');
  }
  return { id: row.id, messageId: row.message_id };
}

interface DetailRow extends ListRow {
  forwarding_at: number | null;
  reception_at: number | null;
  creation_check: string | null;
  exported_at: number | null;
  transferred_at: number | null;
  trashed_at: number | null;
  checklist: string;
  note: string | null;
  sender_cert: Buffer | null;
  addressee_cert: Buffer | null;
  inspection_report: string | null;
  signature_result: string | null;
  certificate_result: string | null;
  content_size: number;
  content_sha256: Buffer;
  content_type: string | null;
  content_coverage: string | null;
}

const parseJson = (text: string | null): JsonValue | null => (text === null ? null : (JSON.parse(text) as JsonValue));

/** A JSON column whose damage must not break the record (the Creation check): damaged reads as absent. */
function parseJsonOrNull(text: string | null): JsonValue | null {
  try {
    return parseJson(text);
  } catch {
    return null;
  }
}

export function attachmentsOf(db: Db, deliveryId: number): AttachmentInfo[] {
  return (
    stmt(db, 'SELECT id, position, name, mime_type, size, sha256, coverage FROM attachments WHERE delivery_id = ? ORDER BY position').all(deliveryId) as Array<{
      id: number;
      position: number;
      name: string;
      mime_type: string;
      size: number;
      sha256: Buffer;
      coverage: string | null;
    }>
  ).map((a) => ({ id: a.id, position: a.position, name: a.name, mimeType: a.mime_type, size: a.size, sha256: a.sha256.toString('hex'), coverage: parseJson(a.coverage) }));
}

export function getDeliveryRecord(db: Db, id: number, who?: Who): DeliveryRecord {
  const row = stmt(
    db,
    `SELECT ${LIST_COLUMNS}, d.forwarding_at, d.reception_at, d.creation_check, d.exported_at, d.transferred_at, d.trashed_at, d.checklist, d.note,
         x.sender_cert, x.addressee_cert, x.inspection_report, coalesce(t.signature_result, x.signature_result) AS signature_result, x.certificate_result,
         x.content_size, x.content_sha256, x.content_type, x.content_coverage
       FROM deliveries d JOIN delivery_details x ON x.delivery_id = d.id LEFT JOIN delivery_trust t ON t.delivery_id = d.id WHERE d.id = ?`,
  ).get(id) as DetailRow | undefined;
  if (row === undefined) throw storeError('store-unknown-message', `no message with store id ${id}`);
  return {
    ...(withPersonalReads(db, [listItem(row, who)], who)[0] as DeliveryListItem),
    senderCertificate: row.sender_cert,
    addresseeCertificate: row.addressee_cert,
    processCard: {
      creation: isoOrNull(row.creation_at),
      forwarding: isoOrNull(row.forwarding_at),
      reception: isoOrNull(row.reception_at),
      inspectionReport: parseJson(row.inspection_report),
      creationCheck: parseJsonOrNull(row.creation_check),
    },
    signatureResult: parseJson(row.signature_result),
    certificateResult: parseJson(row.certificate_result),
    content: { size: row.content_size, sha256: row.content_sha256.toString('hex'), contentType: row.content_type, coverage: parseJson(row.content_coverage) },
    attachments: attachmentsOf(db, id),
    times: {
      fetchedAt: new Date(row.fetched_at).toISOString(),
      readAt: isoOrNull(row.read_at),
      exportedAt: isoOrNull(row.exported_at),
      transferredAt: isoOrNull(row.transferred_at),
      trashedAt: isoOrNull(row.trashed_at),
    },
    checklist: JSON.parse(row.checklist) as string[],
    note: row.note,
  };
}

/** Store ids of the messages whose applicants' names contain every word typed (prefixes), at most `limit`. */
export function deliveriesNamed(db: Db, typed: string, limit = 1000): number[] {
  const match = ftsQuery(typed, 'names');
  if (match === undefined) return [];
  return (stmt(db, 'SELECT rowid AS id FROM delivery_search WHERE delivery_search MATCH ? ORDER BY rowid DESC LIMIT ?').all(match, limit) as Array<{ id: number }>).map(
    (r) => r.id,
  );
}
