/**
 * The one office-time formatter (core/time/office-time.ts) at the moments where hand-written formatting went
 * wrong: both DST switches of 2026 in Europe/Berlin, around midnight UTC (the office is already in the next day,
 * or the next year), and the night the clocks go back, when 02:30 happens twice and only the stated zone tells the
 * two apart. Also: the machine's own zone never matters, a zone-less xs:dateTime counts as UTC, other zones work.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFICE_TIME_ZONE, isTimeZone, officeTime, toInstant } from '../../core/time/office-time.js';

const berlin = officeTime();
const berlinEn = officeTime(DEFAULT_OFFICE_TIME_ZONE, 'en');

describe('office time (Europe/Berlin by default)', () => {
  it('spring forward, 2026-03-29: 00:30Z is 01:30 MEZ, 01:30Z is already 03:30 MESZ', () => {
    expect(berlin.dateTime('2026-03-29T00:30:00Z')).toBe('29.03.2026, 01:30');
    expect(berlin.stated('2026-03-29T00:30:00Z')).toBe('29.03.2026, 01:30:00 Uhr (MEZ, UTC+01:00)');
    expect(berlin.stated('2026-03-29T01:30:00Z')).toBe('29.03.2026, 03:30:00 Uhr (MESZ, UTC+02:00)');
    expect(berlinEn.stated('2026-03-29T01:30:00Z')).toBe('29/03/2026, 03:30:00 (CEST, UTC+02:00)');
    expect(berlin.iso('2026-03-29T00:30:00Z')).toBe('2026-03-29T01:30:00+01:00');
    expect(berlin.iso('2026-03-29T01:30:00Z')).toBe('2026-03-29T03:30:00+02:00');
    expect(berlin.iso('2026-03-29T01:30:00.045Z')).toBe('2026-03-29T03:30:00.045+02:00');
  });

  it('fall back, 2026-10-25: 02:30 happens twice, the stated zone tells them apart', () => {
    const first = berlin.stated('2026-10-25T00:30:00Z');
    const second = berlin.stated('2026-10-25T01:30:00Z');
    expect(first).toBe('25.10.2026, 02:30:00 Uhr (MESZ, UTC+02:00)');
    expect(second).toBe('25.10.2026, 02:30:00 Uhr (MEZ, UTC+01:00)');
    expect(berlin.dateTime('2026-10-25T00:30:00Z')).toBe(berlin.dateTime('2026-10-25T01:30:00Z'));
    expect(berlin.iso('2026-10-25T00:30:00Z')).toBe('2026-10-25T02:30:00+02:00');
    expect(berlin.iso('2026-10-25T01:30:00Z')).toBe('2026-10-25T02:30:00+01:00');
  });

  it('around midnight UTC the office is already in the next day (and the next year)', () => {
    expect(berlin.date('2026-03-28T23:30:00Z')).toBe('29.03.2026');
    expect(berlin.day('2026-03-28T23:30:00Z')).toBe('2026-03-29');
    expect(berlin.time('2026-03-28T23:30:00Z')).toBe('00:30');
    expect(berlin.stated('2026-10-24T22:30:00Z')).toBe('25.10.2026, 00:30:00 Uhr (MESZ, UTC+02:00)');
    expect(berlin.stated('2026-12-31T23:30:00Z')).toBe('01.01.2027, 00:30:00 Uhr (MEZ, UTC+01:00)');
    expect(berlin.day('2026-12-31T22:59:59Z')).toBe('2026-12-31');
    expect(berlin.day('2026-12-31T23:00:00Z')).toBe('2027-01-01');
  });

  it('the start of the office day: 23 hours long in spring, 25 in autumn', () => {
    expect(berlin.startOfDay('2026-03-29T12:00:00Z').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(berlin.startOfDay('2026-03-30T12:00:00Z').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(berlin.startOfDay('2026-10-25T12:00:00Z').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(berlin.startOfDay('2026-10-26T00:30:00Z').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    // just after midnight in the office, still the day before in UTC
    expect(berlin.startOfDay('2026-03-28T23:30:00Z').toISOString()).toBe('2026-03-28T23:00:00.000Z');
  });

  it('a zone-less xs:dateTime is UTC, whatever zone the machine runs in; a missing value is said so', () => {
    expect(toInstant('2026-03-29T00:30:00')?.toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(toInstant('2026-03-29T00:30:00.250')?.toISOString()).toBe('2026-03-29T00:30:00.250Z');
    expect(toInstant('2026-03-29T02:30:00+02:00')?.toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(toInstant('kein Datum')).toBeUndefined();
    expect(berlin.stated(null)).toBe('keine Angabe');
    expect(berlinEn.stated(undefined)).toBe('not given');
    expect(berlin.dateTime('Unsinn')).toBe('–');
  });

  it('speaks in any zone Intl knows, with the offset where there is no abbreviation', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(() => officeTime('Mars/Olympus')).toThrow(RangeError);
    expect(officeTime('Asia/Kolkata').stated('2026-03-28T23:30:00Z')).toBe('29.03.2026, 05:00:00 Uhr (UTC+05:30)');
    expect(officeTime('America/New_York', 'en').stated('2026-03-29T00:30:00Z')).toBe('28/03/2026, 20:30:00 (UTC-04:00)');
    expect(officeTime('UTC').stated('2026-03-29T00:30:00Z')).toBe('29.03.2026, 00:30:00 Uhr (UTC+00:00)');
  });
});
