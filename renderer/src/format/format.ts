/**
 * Dates, times and sizes as the caseworker reads them. Times arrive as ISO 8601 (UTC) and are shown in the
 * workstation's time zone; German by default ("28.11.2026, 16:02"), English on request.
 */
import type { UiLanguage } from '../../../core/api/contract.js';

const locales: Readonly<Record<UiLanguage, string>> = { de: 'de-DE', en: 'en-GB' };

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(language: UiLanguage, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (f === undefined) cache.set(key, (f = new Intl.DateTimeFormat(locales[language], options)));
  return f;
}

const DATE: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const SECONDS: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit' };

function parse(iso: string | null | undefined): Date | undefined {
  if (iso === null || iso === undefined) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** 28.11.2026, 16:02 */
export function dateTime(iso: string | null | undefined, language: UiLanguage, withSeconds = false): string {
  const d = parse(iso);
  if (d === undefined) return '–';
  return formatter(language, { ...DATE, ...(withSeconds ? SECONDS : TIME) }).format(d);
}

/** 28.11.2026 */
export function date(iso: string | null | undefined, language: UiLanguage): string {
  const d = parse(iso);
  return d === undefined ? '–' : formatter(language, DATE).format(d);
}

/** 16:02 */
export function time(iso: string | null | undefined, language: UiLanguage): string {
  const d = parse(iso);
  return d === undefined ? '–' : formatter(language, TIME).format(d);
}

export function isToday(iso: string, now = new Date()): boolean {
  const d = parse(iso);
  return d !== undefined && d.toDateString() === now.toDateString();
}

/** 1,5 MB / 1.5 MB */
export function bytes(n: number, language: UiLanguage): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(locales[language], { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${units[unit]}`;
}
