/**
 * The office's own notes on a delivery (migration 14): Aktenzeichen, note and Wiedervorlage day. Each change is
 * written in the caller's transaction together with its search entry and one audit entry per field changed — the
 * audit detail names what changed and its size or day, never the text (a note may name persons).
 */
import { stmt } from './statements.js';
import type { Db } from './database.js';
import { storeError } from './errors.js';
import { indexText } from './search-text.js';
import type { NewAuditEntry } from './audit-log.js';
import { auditDetail } from './audit-words.js';

export const MAX_AKTENZEICHEN = 100;
export const MAX_NOTE = 4000;

/** What to change; a field left out stays as it is, null (or only blanks) removes it. */
export interface CaseWorkPatch {
  readonly aktenzeichen?: string | null;
  readonly note?: string | null;
  /** The office's day, "2026-12-10". */
  readonly followUpOn?: string | null;
}

export interface CaseWork {
  readonly aktenzeichen: string | null;
  readonly note: string | null;
  readonly followUpOn: string | null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day "YYYY-MM-DD" (not 2026-02-30). */
export function isCalendarDay(day: string): boolean {
  const m = DAY.exec(day);
  if (m === null) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === day;
}

/** Blanks around are dropped, line ends made LF; empty is "none". The note keeps its lines, the Aktenzeichen is one line. */
function cleanText(value: string | null, max: number, field: string, multiLine: boolean): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw storeError('store-invalid-input', `${field}: text expected`);
  const text = value.replace(/\r\n?/g, '\n').trim();
  if (text === '') return null;
  if (!multiLine && /\n/.test(text)) throw storeError('store-invalid-input', `${field}: one line expected`);
  if (text.length > max) throw storeError('store-invalid-input', `${field}: at most ${max} characters`);
  return text;
}

export function readCaseWork(db: Db, id: number): CaseWork {
  const row = stmt(db, 'SELECT aktenzeichen, note, follow_up_on FROM deliveries WHERE id = ?').get(id) as
    { aktenzeichen: string | null; note: string | null; follow_up_on: string | null } | undefined;
  if (row === undefined) throw storeError('store-unknown-message', `no message with store id ${id}`);
  return { aktenzeichen: row.aktenzeichen, note: row.note, followUpOn: row.follow_up_on };
}

/**
 * The values after `patch` and the audit entries for what really changed, without touching a database: both store
 * backends (SQLite here, PostgreSQL in core/store-pg) apply a patch by this one rule.
 */
export function applyCaseWorkPatch(
  before: CaseWork,
  patch: CaseWorkPatch,
  ref: { readonly deliveryId: number; readonly messageId: string },
): { next: CaseWork; entries: NewAuditEntry[] } {
  const next: CaseWork = {
    aktenzeichen: patch.aktenzeichen === undefined ? before.aktenzeichen : cleanText(patch.aktenzeichen, MAX_AKTENZEICHEN, 'aktenzeichen', false),
    note: patch.note === undefined ? before.note : cleanText(patch.note, MAX_NOTE, 'note', true),
    followUpOn: patch.followUpOn === undefined ? before.followUpOn : patch.followUpOn,
  };
  if (next.followUpOn !== null && (typeof next.followUpOn !== 'string' || !isCalendarDay(next.followUpOn))) {
    throw storeError('store-invalid-input', 'followUpOn: a calendar day YYYY-MM-DD expected');
  }
  const entries: NewAuditEntry[] = [];
  // parameters only (audit-words.ts makes the sentence): a length or a day, never the text
  const size = (value: string | null) => auditDetail(value === null ? { removed: true } : { length: value.length });
  if (next.aktenzeichen !== before.aktenzeichen) entries.push({ action: 'aktenzeichen-changed', ...ref, detail: size(next.aktenzeichen) });
  if (next.note !== before.note) entries.push({ action: 'note-changed', ...ref, detail: size(next.note) });
  if (next.followUpOn !== before.followUpOn) {
    entries.push(next.followUpOn === null ? { action: 'follow-up-cleared', ...ref } : { action: 'follow-up-set', ...ref, detail: auditDetail({ due: next.followUpOn }) });
  }
  return { next, entries };
}

/** Applies the patch; returns the audit entries for what really changed (the caller appends them). */
export function writeCaseWork(db: Db, id: number, messageId: string, patch: CaseWorkPatch): NewAuditEntry[] {
  const before = readCaseWork(db, id);
  const { next, entries } = applyCaseWorkPatch(before, patch, { deliveryId: id, messageId });
  if (entries.length === 0) return entries;
  stmt(db, 'UPDATE deliveries SET aktenzeichen = ?, note = ?, follow_up_on = ? WHERE id = ?').run(next.aktenzeichen, next.note, next.followUpOn, id);
  if (next.aktenzeichen !== before.aktenzeichen || next.note !== before.note) {
    stmt(db, 'DELETE FROM case_work_search WHERE rowid = ?').run(id);
    if (next.aktenzeichen !== null || next.note !== null) {
      stmt(db, 'INSERT INTO case_work_search(rowid, aktenzeichen, note) VALUES (?, ?, ?)').run(id, indexText(next.aktenzeichen ?? ''), indexText(next.note ?? ''));
    }
  }
  return entries;
}
