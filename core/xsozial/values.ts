/**
 * How single values are shown: dates exactly as written (never shifted through a time zone), booleans Ja/Nein and
 * amounts in German notation (the words part's formatter, core/words/format.ts), IBANs grouped in fours and checked (ISO 13616, mod 97), empty values
 * "keine Angabe". The raw value is always kept beside the display text for copying.
 */
import { amount, yesNo } from '../words/format.js';
import type { ValueType } from './labels.js';
import type { DisplayValue } from './view-schema.js';

export type { DisplayValue, ValueFlag, ValueKind } from './view-schema.js';

export const EMPTY_DISPLAY = 'keine Angabe';

const DATE = /^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;
const IBAN_SHAPE = /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/;

export function formatValue(rawText: string, hint: ValueType | undefined): DisplayValue {
  const raw = rawText.trim();
  if (raw === '') return { kind: 'empty', display: EMPTY_DISPLAY, raw };
  // labelled IBANs are always checked; elsewhere only a value with valid check digits is taken for an IBAN
  if (hint === 'iban' || (hint === undefined && ibanIsValid(raw))) {
    const iban = formatIban(raw);
    if (iban) return iban;
    // a labelled IBAN with other characters (e.g. an invisible direction override) is no IBAN: said, not just shown
    if (hint === 'iban') {
      return {
        kind: 'text',
        display: raw,
        raw,
        flag: {
          kind: 'iban-invalid',
          de: 'Keine gültige IBAN (enthält andere Zeichen als Buchstaben und Ziffern) – bitte bei der antragstellenden Person nachfragen',
          en: 'Not a valid IBAN (holds characters other than letters and digits)',
        },
      };
    }
  }
  if (raw === 'true' || raw === 'false' || (hint === 'boolean' && (raw === '1' || raw === '0'))) {
    return { kind: 'boolean', display: yesNo(raw === 'true' || raw === '1'), raw };
  }
  const date = formatDate(raw);
  if (date) return { kind: 'date', display: date, raw };
  const dateTime = formatDateTime(raw);
  if (dateTime) return { kind: 'datetime', display: dateTime, raw };
  if (hint === 'amount' && /^-?\d+(?:\.\d+)?$/.test(raw)) return { kind: 'amount', display: amount(raw), raw };
  return { kind: 'text', display: raw, raw };
}

/** "2025-11-20+01:00" → "20.11.2025" (the offset is not applied: the date is the one written). */
export function formatDate(raw: string): string | undefined {
  const m = DATE.exec(raw);
  if (!m || !validDay(m[1]!, m[2]!, m[3]!)) return undefined;
  return `${m[3]}.${m[2]}.${m[1]}`;
}

/** "2024-05-02T10:15:00.000+02:00" → "02.05.2024, 10:15:00 Uhr (UTC+02:00)", local time as written. */
export function formatDateTime(raw: string): string | undefined {
  const m = DATETIME.exec(raw);
  if (!m || !validDay(m[1]!, m[2]!, m[3]!) || Number(m[4]) > 24 || Number(m[5]) > 59) return undefined;
  const seconds = m[6] ?? '00';
  const zone = m[7] === undefined ? '' : m[7] === 'Z' ? ' (UTC)' : ` (UTC${m[7]})`;
  return `${m[3]}.${m[2]}.${m[1]}, ${m[4]}:${m[5]}:${seconds} Uhr${zone}`;
}

function validDay(y: string, mo: string, d: string): boolean {
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  return day <= days;
}

/** IBAN check digits per ISO 13616 (mod 97 = 1). */
export function ibanIsValid(iban: string): boolean {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (!IBAN_SHAPE.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const digits = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

export function groupIban(iban: string): string {
  return iban
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, '$1 ');
}

function formatIban(raw: string): DisplayValue | undefined {
  const compact = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9A-Z]+$/.test(compact)) return undefined;
  const valid = ibanIsValid(compact);
  return {
    kind: 'iban',
    display: groupIban(compact),
    raw,
    ...(valid
      ? {}
      : {
          flag: {
            kind: 'iban-invalid',
            de: 'IBAN ungültig (Prüfziffer stimmt nicht) – bitte bei der antragstellenden Person nachfragen',
            en: 'Invalid IBAN (check digits do not match)',
          },
        }),
  };
}
