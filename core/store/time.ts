import { storeError } from './errors.js';
import type { TimeInput } from './records.js';

/** Date or ISO string → milliseconds since the epoch; an unreadable time is a caller bug (`store-invalid-input`). */
export function toMillis(value: TimeInput, field: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) throw storeError('store-invalid-input', `${field}: not a valid time`);
  return ms;
}

export function toMillisOrNull(value: TimeInput | null | undefined, field: string): number | null {
  return value === null || value === undefined ? null : toMillis(value, field);
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export const DAY_MS = 24 * 60 * 60 * 1000;
