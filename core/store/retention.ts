/**
 * Retention (DESIGN.md "transit store"): a message marked "übertragen" is deleted a configured number of days after
 * the transfer (default 30), a message in the Papierkorb after the trash period; never while on legal hold.
 * planRetention() is the dry run the UI announces; applyRetention() deletes exactly what the plan lists (or the
 * subset the caller confirmed), audited per message.
 */
import { stmt } from './statements.js';
import type { Db } from './database.js';
import { storeError } from './errors.js';
import type { RetentionCandidate, StoreSettings } from './records.js';
import { DAY_MS } from './time.js';

export const DEFAULT_SETTINGS: StoreSettings = { retentionTransferredDays: 30, retentionTrashDays: 30 };

export const SETTING_KEYS: Record<keyof StoreSettings, string> = {
  retentionTransferredDays: 'retention.transferredDays',
  retentionTrashDays: 'retention.trashDays',
};

/** The settings from their stored rows (key, JSON value); a missing or unusable value is the default. */
export function settingsFromRows(rows: ReadonlyArray<{ key: string; value: string }>): StoreSettings {
  const byKey = new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  const days = (name: keyof StoreSettings): number => {
    const v = byKey.get(SETTING_KEYS[name]);
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : DEFAULT_SETTINGS[name];
  };
  return { retentionTransferredDays: days('retentionTransferredDays'), retentionTrashDays: days('retentionTrashDays') };
}

export function readSettings(db: Db): StoreSettings {
  return settingsFromRows(stmt(db, 'SELECT key, value FROM settings').all() as Array<{ key: string; value: string }>);
}

/**
 * What a patch changes (both store backends use this rule): the settings to write, and "key=old→new" lines for
 * the audit log. Refuses unknown settings and days outside 0..36500.
 */
export function settingChanges(before: StoreSettings, patch: Partial<StoreSettings>): { writes: Array<{ key: string; value: string }>; changes: string[] } {
  const writes: Array<{ key: string; value: string }> = [];
  const changes: string[] = [];
  for (const name of Object.keys(patch) as Array<keyof StoreSettings>) {
    if (!(name in SETTING_KEYS)) throw storeError('store-invalid-input', 'settings: unknown setting');
    const value = patch[name];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0 || value > 36_500) throw storeError('store-invalid-input', `settings.${name}: whole number of days 0..36500 expected`);
    if (value === before[name]) continue;
    writes.push({ key: SETTING_KEYS[name], value: JSON.stringify(value) });
    changes.push(`${SETTING_KEYS[name]}=${before[name]}→${value}`);
  }
  return { writes, changes };
}

/** Writes the changed settings; returns "key=old→new" lines for the audit log. */
export function writeSettings(db: Db, patch: Partial<StoreSettings>): string[] {
  const { writes, changes } = settingChanges(readSettings(db), patch);
  for (const w of writes) stmt(db, 'INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(w.key, w.value);
  return changes;
}

/** The cut-off moments of the retention periods at `now`: rows stamped at or before them are due. */
export function retentionCuts(s: StoreSettings, now: number): { transferredCut: number; trashCut: number } {
  return { transferredCut: now - s.retentionTransferredDays * DAY_MS, trashCut: now - s.retentionTrashDays * DAY_MS };
}

/** One due row as a candidate: the reason is the period that ended first. */
export function retentionCandidate(s: StoreSettings, r: { id: number; message_id: string; transferred_at: number | null; trashed_at: number | null }): RetentionCandidate {
  const byTransfer = r.transferred_at === null ? Infinity : r.transferred_at + s.retentionTransferredDays * DAY_MS;
  const byTrash = r.trashed_at === null ? Infinity : r.trashed_at + s.retentionTrashDays * DAY_MS;
  const reason = byTrash <= byTransfer ? 'trash' : 'transferred';
  return { id: r.id, messageId: r.message_id, reason, dueAt: new Date(Math.min(byTransfer, byTrash)).toISOString() };
}

export function planRetention(db: Db, now: number): RetentionCandidate[] {
  const s = readSettings(db);
  const { transferredCut, trashCut } = retentionCuts(s, now);
  const rows = stmt(
    db,
    `SELECT id, message_id, transferred_at, trashed_at FROM deliveries
       WHERE legal_hold = 0 AND ((transferred_at IS NOT NULL AND transferred_at <= ?) OR (trashed_at IS NOT NULL AND trashed_at <= ?))
       ORDER BY id`,
  ).all(transferredCut, trashCut) as Array<{ id: number; message_id: string; transferred_at: number | null; trashed_at: number | null }>;
  return rows.map((r) => retentionCandidate(s, r));
}
