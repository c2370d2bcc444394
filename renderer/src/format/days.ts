/**
 * Calendar days of the office ("2026-12-10"): a Wiedervorlage day, the ends of a date range, the day groups of the
 * list. A day is no moment: it is turned into the moment it begins in the OFFICE time zone (core/time via
 * format.ts) only where the store compares it with an Eingang, and shown through the one office formatter.
 */
import type { UiLanguage } from '../../../core/api/contract.js';
import { office, officeDay, startOfOfficeDay } from './format.js';

const DAY_MS = 86_400_000;

/** Noon UTC of a day lies inside that day in every zone from UTC−11 to UTC+11: the day's start is found from it. */
function noonOf(day: string): Date {
  return new Date(`${day}T12:00:00Z`);
}

/** Whether the text is a real calendar day "YYYY-MM-DD". */
export function isDay(day: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(noonOf(day).getTime()) && noonOf(day).toISOString().slice(0, 10) === day;
}

/** The office's day today. */
export function today(now = new Date()): string {
  return officeDay(null, now);
}

/** The day n days after (before, when negative). */
export function addDays(day: string, n: number): string {
  return new Date(noonOf(day).getTime() + n * DAY_MS).toISOString().slice(0, 10);
}

/** The moment the office's day begins (00:00 there), ISO. */
export function dayStart(day: string): string {
  return startOfOfficeDay(noonOf(day)).toISOString();
}

/** Monday of the day's week (weeks begin on Monday, DIN 1355 / ISO 8601). */
export function weekStart(day: string): string {
  return addDays(day, -((noonOf(day).getUTCDay() + 6) % 7));
}

/** "10.12.2026" / "10/12/2026". */
export function dayText(day: string, language: UiLanguage): string {
  return office(language).date(noonOf(day));
}

/** [from, to) in ISO time for the days (inclusive); an empty or reversed side is left open / not applied. */
export function rangeOfDays(from: string, to: string): { from?: string; to?: string } {
  const fromOk = isDay(from);
  const toOk = isDay(to);
  if (fromOk && toOk && to < from) return {};
  return { ...(fromOk ? { from: dayStart(from) } : {}), ...(toOk ? { to: dayStart(addDays(to, 1)) } : {}) };
}
