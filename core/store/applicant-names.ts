/**
 * The applicants' names in their parts, as the store keeps them (`deliveries.applicant_parts`, versioned JSON
 * `{"v":1,"names":[{"family","given","title"?}]}`), and the list's sort key made from the first one (sort-key.ts).
 * Rows stored before the parts were kept (schema 9) get parts guessed from their display name by the migration —
 * "Familienname, Vorname" is split at the comma, "Vorname Nachname" takes its last word as family name — and
 * are then read again from their content by the mailbox (core/mailbox/name-backfill.ts), which knows the parts.
 */
import { nameSortKey } from './sort-key.js';

export interface StoredPersonName {
  readonly family: string;
  readonly given: string;
  readonly title?: string;
}

const MAX_PART = 1000;

export function encodeNames(names: readonly StoredPersonName[]): string {
  return JSON.stringify({ v: 1, names: names.map((n) => ({ family: n.family, given: n.given, ...(n.title ? { title: n.title } : {}) })) });
}

/** The parts as stored (`guessed`: from the display name, not yet read from the content); null without parts. */
export function decodeNames(json: string | null): { names: StoredPersonName[]; guessed: boolean } | null {
  if (json === null) return null;
  try {
    const parsed = JSON.parse(json) as { v?: unknown; names?: unknown; guessed?: unknown };
    if (parsed.v !== 1 || !Array.isArray(parsed.names)) return null;
    const names = parsed.names.flatMap((n: unknown) => {
      const x = n as Record<string, unknown>;
      if (typeof x.family !== 'string' || typeof x.given !== 'string') return [];
      return [{ family: x.family, given: x.given, ...(typeof x.title === 'string' && x.title !== '' ? { title: x.title } : {}) }];
    });
    return { names, guessed: parsed.guessed === true };
  } catch {
    return null;
  }
}

export function checkNames(names: readonly StoredPersonName[]): boolean {
  return names.every(
    (n) =>
      typeof n.family === 'string' &&
      typeof n.given === 'string' &&
      n.family.length <= MAX_PART &&
      n.given.length <= MAX_PART &&
      (n.title === undefined || (typeof n.title === 'string' && n.title.length <= MAX_PART)),
  );
}

const TITLE = /^(?:Dr|Prof|Dipl|Mag|PD)\b[.\w-]*\.?$/i;

/** Parts guessed from a display name ("Musterfrau, Erika" or "Dr. Erika Musterfrau"). */
export function guessNameParts(display: string): StoredPersonName {
  const text = display.trim().replace(/\s+/g, ' ');
  const comma = text.indexOf(', ');
  if (comma > 0) return { family: text.slice(0, comma), given: text.slice(comma + 2) };
  const words = text.split(' ').filter((w) => w !== '');
  const titles: string[] = [];
  while (words.length > 1 && TITLE.test(words[0]!)) titles.push(words.shift()!);
  const family = words.pop() ?? '';
  return { family, given: words.join(' '), ...(titles.length > 0 ? { title: titles.join(' ') } : {}) };
}

/** The list's sort key: the first applicant's family, then given name. */
export function applicantSortKey(names: readonly StoredPersonName[]): string | null {
  const first = names[0];
  return first === undefined ? null : nameSortKey(first.family, first.given);
}

/**
 * The rows whose parts are guessed (readable ones only), as SQL over `deliveries`: word for word the condition of
 * migration 18's partial index, so the search for them at every store open reads that (mostly empty) index instead
 * of every row's JSON (360 ms at 100,000 messages, the first list waiting behind it). Damaged JSON counts as no parts.
 */
export const GUESSED_NAMES = `unreadable_reason IS NULL AND json_extract(CASE WHEN json_valid(applicant_parts) THEN applicant_parts END, '$.guessed') = 1`;
