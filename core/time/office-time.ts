/**
 * THE formatter for every time shown to a person: the list, the reading pane, the Laufzettel, the PDF, the
 * Eingangsbestätigung, the Abnahmeprotokoll, the audit CSV and the command line's text all say a moment through
 * this module, in the office time zone (a machine setting, `officeTimeZone`, Europe/Berlin by default) — never in
 * the zone of the machine or the browser that happens to run the code, and never by hand.
 *
 * Two forms: `dateTime` for the screen (the office reads its own time: "29.03.2026, 01:30") and `stated` for what
 * leaves the program (PDF, receipt, acceptance record, audit CSV, command-line text), which names the zone with its
 * abbreviation where Intl has one and always with the UTC offset: "29.03.2026, 01:30:00 Uhr (MEZ, UTC+01:00)". The
 * offset is what makes 02:30 on the night the clocks go back unambiguous (it happens twice). JSON keeps ISO 8601
 * with offset (`iso`), never these words.
 *
 * Runs anywhere: Intl only, no Node built-in, no package (the renderer imports it; build/architecture/layers.ts).
 * A time written without a zone (an xs:dateTime lacking Z or an offset) is taken as UTC, as the OSCI library
 * writes its stamps in UTC — the machine's own zone must never decide what such a value means.
 */

/** The office time zone when local IT sets none: German municipalities work in Europe/Berlin. */
export const DEFAULT_OFFICE_TIME_ZONE = 'Europe/Berlin';

export type OfficeLanguage = 'de' | 'en';

/** A moment: a Date, milliseconds since the epoch, or an ISO 8601 / xs:dateTime string. */
export type TimeValue = Date | number | string;

// zones Intl accepted: building a DateTimeFormat to ask costs about 0.2 ms, and every formatter asks (a fetch
// asks for each certificate date it states)
const knownZones = new Set<string>();

/** Whether Intl knows the zone (an IANA name such as Europe/Berlin, or UTC). */
export function isTimeZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  if (zone.trim() === '' || zone.length > 100) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    return false;
  }
  if (knownZones.size < 64) knownZones.add(zone);
  return true;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** The moment a value names; undefined when it names none. A zone-less date-time counts as UTC (see above). */
export function toInstant(value: TimeValue | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  let d: Date;
  if (value instanceof Date) d = value;
  else if (typeof value === 'number') d = new Date(value);
  else {
    const text = value.trim();
    const m = ISO_DATE_TIME.exec(text);
    d = new Date(m !== null && m[1] === undefined ? `${text}Z` : text);
  }
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const LOCALES: Readonly<Record<OfficeLanguage, string>> = { de: 'de-DE', en: 'en-GB' };

type Kind = 'date' | 'minutes' | 'seconds' | 'time' | 'timeSeconds' | 'short' | 'offset' | 'parts';

const OPTIONS: Readonly<Record<Kind, Intl.DateTimeFormatOptions>> = {
  date: { day: '2-digit', month: '2-digit', year: 'numeric' },
  minutes: { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  seconds: { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  timeSeconds: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
  short: { timeZoneName: 'short' },
  offset: { timeZoneName: 'longOffset' },
  // numeric parts in a fixed locale, for ISO strings, calendar days and midnights
  parts: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
};

// one Intl.DateTimeFormat per zone, language and form: building one costs far more than using it (a list of rows)
const cache = new Map<string, Intl.DateTimeFormat>();
function intl(zone: string, language: OfficeLanguage, kind: Kind): Intl.DateTimeFormat {
  const key = `${zone}|${language}|${kind}`;
  let f = cache.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(kind === 'parts' || kind === 'offset' ? 'en-US' : LOCALES[language], { ...OPTIONS[kind], timeZone: zone });
    cache.set(key, f);
  }
  return f;
}

function part(f: Intl.DateTimeFormat, d: Date, type: Intl.DateTimeFormatPartTypes): string {
  return f.formatToParts(d).find((p) => p.type === type)?.value ?? '';
}

/** "+01:00" (from Intl's "GMT+01:00"; "GMT" alone is +00:00). */
function offsetOf(zone: string, d: Date): string {
  const name = part(intl(zone, 'en', 'offset'), d, 'timeZoneName');
  const m = /^GMT([+-]\d{2}:\d{2})?$/.exec(name.replace('\u2212', '-'));
  return m?.[1] ?? '+00:00';
}

function offsetMinutes(zone: string, d: Date): number {
  const [h, m] = offsetOf(zone, d).slice(1).split(':').map(Number) as [number, number];
  return (offsetOf(zone, d).startsWith('-') ? -1 : 1) * (h * 60 + m);
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallClock(zone: string, d: Date): WallClock {
  const parts = Object.fromEntries(
    intl(zone, 'en', 'parts')
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts['year']),
    month: Number(parts['month']),
    day: Number(parts['day']),
    // some engines write midnight as 24 under h23 in older versions: 0 is meant
    hour: Number(parts['hour']) % 24,
    minute: Number(parts['minute']),
    second: Number(parts['second']),
  };
}

const two = (n: number): string => String(n).padStart(2, '0');

export interface OfficeTime {
  /** The IANA zone this formatter speaks in. */
  readonly zone: string;
  readonly language: OfficeLanguage;
  /** On screen: "29.03.2026, 01:30" (with seconds: "29.03.2026, 01:30:00"); `missing` when there is no moment. */
  dateTime(value: TimeValue | null | undefined, options?: { readonly seconds?: boolean; readonly missing?: string }): string;
  /** For what leaves the program: "29.03.2026, 01:30:00 Uhr (MEZ, UTC+01:00)"; seconds unless asked otherwise. */
  stated(value: TimeValue | null | undefined, options?: { readonly seconds?: boolean; readonly missing?: string }): string;
  /** "29.03.2026" (the office's calendar day). */
  date(value: TimeValue | null | undefined, options?: { readonly missing?: string }): string;
  /** "01:30" / "01:30:00". */
  time(value: TimeValue | null | undefined, options?: { readonly seconds?: boolean; readonly missing?: string }): string;
  /** The zone at that moment: "MEZ, UTC+01:00" (de) / "CET, UTC+01:00" (en); "UTC+05:30" where Intl has no name. */
  zoneAt(value: TimeValue): string;
  /** The office's calendar day, "2026-03-29" (file names, "today"); undefined when there is no moment. */
  day(value: TimeValue | null | undefined): string | undefined;
  /** ISO 8601 with the office offset: "2026-03-29T01:30:00+01:00", milliseconds where there are any. */
  iso(value: TimeValue | null | undefined): string | undefined;
  /** The moment the office's day of `value` began (00:00 there; a day may be 23 or 25 hours long). */
  startOfDay(value: TimeValue): Date;
}

/** The formatter for a zone (default Europe/Berlin) and a language (default German). */
export function officeTime(zone: string = DEFAULT_OFFICE_TIME_ZONE, language: OfficeLanguage = 'de'): OfficeTime {
  if (!isTimeZone(zone)) throw new RangeError(`unknown time zone: ${zone.slice(0, 100)}`);
  const zoneAt = (d: Date): string => {
    const name = part(intl(zone, language, 'short'), d, 'timeZoneName');
    const offset = `UTC${offsetOf(zone, d)}`;
    // "GMT+1" / "UTC" are no names of their own: the offset says it exactly
    return name === '' || /^(GMT|UTC)([+\-\u2212]|$)/.test(name) ? offset : `${name}, ${offset}`;
  };
  const self: OfficeTime = {
    zone,
    language,
    dateTime(value, options = {}) {
      const d = toInstant(value);
      if (d === undefined) return options.missing ?? '–';
      return intl(zone, language, options.seconds === true ? 'seconds' : 'minutes').format(d);
    },
    stated(value, options = {}) {
      const d = toInstant(value);
      if (d === undefined) return options.missing ?? (language === 'de' ? 'keine Angabe' : 'not given');
      const text = intl(zone, language, options.seconds === false ? 'minutes' : 'seconds').format(d);
      return `${text}${language === 'de' ? ' Uhr' : ''} (${zoneAt(d)})`;
    },
    date(value, options = {}) {
      const d = toInstant(value);
      return d === undefined ? (options.missing ?? '–') : intl(zone, language, 'date').format(d);
    },
    time(value, options = {}) {
      const d = toInstant(value);
      return d === undefined ? (options.missing ?? '–') : intl(zone, language, options.seconds === true ? 'timeSeconds' : 'time').format(d);
    },
    zoneAt(value) {
      const d = toInstant(value);
      return d === undefined ? '' : zoneAt(d);
    },
    day(value) {
      const d = toInstant(value);
      if (d === undefined) return undefined;
      const w = wallClock(zone, d);
      return `${String(w.year).padStart(4, '0')}-${two(w.month)}-${two(w.day)}`;
    },
    iso(value) {
      const d = toInstant(value);
      if (d === undefined) return undefined;
      const w = wallClock(zone, d);
      const ms = d.getUTCMilliseconds();
      const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`;
      return `${String(w.year).padStart(4, '0')}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}:${two(w.second)}${fraction}${offsetOf(zone, d)}`;
    },
    startOfDay(value) {
      const d = toInstant(value) ?? new Date(NaN);
      const w = wallClock(zone, d);
      const midnightUtc = Date.UTC(w.year, w.month - 1, w.day);
      // the offset at midnight may differ from the offset at `value` (a switch that day): settle it in two steps
      let guess = midnightUtc - offsetMinutes(zone, d) * 60_000;
      guess = midnightUtc - offsetMinutes(zone, new Date(guess)) * 60_000;
      return new Date(guess);
    },
  };
  return self;
}
