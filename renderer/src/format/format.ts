/**
 * Dates, times and sizes as the caseworker reads them. Times arrive as ISO 8601 and are shown through the one
 * office-time formatter (core/time/office-time.ts) in the OFFICE time zone — the machine setting the service
 * reports in `app.info` (`officeTimeZone`), never the zone of the browser or the workstation. German by default
 * ("28.11.2026, 16:02"), English on request.
 *
 * The zone is set once, from `app.info`, before the first screen with times is shown (state/workspace.tsx): it is
 * a machine setting that does not change while the program runs. Until then the default (Europe/Berlin) applies.
 */
import type { UiLanguage } from '../../../core/api/contract.js';
import { DEFAULT_OFFICE_TIME_ZONE, isTimeZone, officeTime, type OfficeTime } from '../../../core/time/office-time.js';

let zone = DEFAULT_OFFICE_TIME_ZONE;
const formatters = new Map<UiLanguage, OfficeTime>();

/** Sets the office time zone from the service (`app.info`); an unknown zone keeps the default. */
export function setOfficeTimeZone(next: string): void {
  if (next === zone || !isTimeZone(next)) return;
  zone = next;
  formatters.clear();
}

/** The office time zone times are shown in. */
export function officeTimeZone(): string {
  return zone;
}

/** The formatter for the office zone and a language. */
export function office(language: UiLanguage): OfficeTime {
  let f = formatters.get(language);
  if (f === undefined) formatters.set(language, (f = officeTime(zone, language)));
  return f;
}

/** 28.11.2026, 16:02 */
export function dateTime(iso: string | null | undefined, language: UiLanguage, withSeconds = false): string {
  return office(language).dateTime(iso, { seconds: withSeconds });
}

/** 28.11.2026 */
export function date(iso: string | null | undefined, language: UiLanguage): string {
  return office(language).date(iso);
}

/** 16:02 */
export function time(iso: string | null | undefined, language: UiLanguage): string {
  return office(language).time(iso);
}

/** Whether the moment falls on the office's today. */
export function isToday(iso: string, now = new Date()): boolean {
  const f = office('de');
  const day = f.day(iso);
  return day !== undefined && day === f.day(now);
}

/** The office's calendar day "2026-03-29" (file names); today's when there is no moment. */
export function officeDay(iso: string | null | undefined, now = new Date()): string {
  const f = office('de');
  return f.day(iso) ?? f.day(now) ?? now.toISOString().slice(0, 10);
}

/** The moment the office's day of `at` began (filters "today", "last 7 days"). */
export function startOfOfficeDay(at: Date): Date {
  return office('de').startOfDay(at);
}

/** Sizes: the one formatter every part shares (core/words/format.ts), "1,5 MB" / "1.5 MB", "512 Byte" / "512 bytes". */
export { bytes } from '../../../core/words/format.js';
