/**
 * The pure parts of the Outlook habits in the renderer: the day groups' starts in the office zone (a Monday, a DST
 * day), the virtual layout of rows and headers (positions both ways, ascending order, counts that do not fit), and
 * the date range from–to as [start of "von", start of the day after "bis") in the office zone.
 */
import { describe, expect, it } from 'vitest';
import { flatLayout, groupedLayout, groupStarts } from '../../renderer/src/mailbox/day-groups.js';
import { rangeOfDays, weekStart } from '../../renderer/src/format/days.js';

describe('day groups', () => {
  it('start at the office midnight of today, yesterday, Monday and the Monday before', () => {
    // Thursday 2026-12-10, Berlin is UTC+1
    expect(groupStarts('2026-12-10').map((g) => [g.key, g.from])).toEqual([
      ['today', '2026-12-09T23:00:00.000Z'],
      ['yesterday', '2026-12-08T23:00:00.000Z'],
      ['thisWeek', '2026-12-06T23:00:00.000Z'],
      ['lastWeek', '2026-11-29T23:00:00.000Z'],
    ]);
    // a Monday: yesterday lies in the week before, "Diese Woche" is empty (starts where "Gestern" does)
    const monday = groupStarts('2026-12-07');
    expect(monday[2]?.from).toBe(monday[1]?.from);
    expect(weekStart('2026-12-13')).toBe('2026-12-07');
    // the day of the switch to summer time is 23 hours long: its start is midnight CET, the next one midnight CEST
    const dst = groupStarts('2026-03-30');
    expect(dst[0]?.from).toBe('2026-03-29T22:00:00.000Z');
    expect(dst[1]?.from).toBe('2026-03-28T23:00:00.000Z');
  });

  it('lays out headers and rows with exact positions, newest first or oldest first', () => {
    // 10 rows: 2 today, 0 yesterday, 3 this week, 0 last week, 5 older
    const layout = groupedLayout(10, [2, 2, 5, 5], true);
    expect(layout.count).toBe(13);
    const items = Array.from({ length: layout.count }, (_, p) => layout.itemAt(p));
    expect(items).toEqual([
      { header: 'today' },
      { row: 0 },
      { row: 1 },
      { header: 'thisWeek' },
      { row: 2 },
      { row: 3 },
      { row: 4 },
      { header: 'older' },
      { row: 5 },
      { row: 6 },
      { row: 7 },
      { row: 8 },
      { row: 9 },
    ]);
    for (let row = 0; row < 10; row++) expect(layout.itemAt(layout.positionOf(row))).toEqual({ row });
    expect([0, 1, 2, 5].map((r) => layout.groupOpenedBy(r))).toEqual(['today', undefined, 'thisWeek', 'older']);

    const ascending = groupedLayout(10, [2, 2, 5, 5], false);
    expect(ascending.itemAt(0)).toEqual({ header: 'older' });
    expect(ascending.itemAt(6)).toEqual({ header: 'thisWeek' });
    expect(ascending.itemAt(10)).toEqual({ header: 'today' });
    expect(ascending.positionOf(9)).toBe(12);
  });

  it('falls back to the plain list when the counts do not fit the total', () => {
    expect(groupedLayout(3, [2, 5, 5, 5], true).count).toBe(3);
    expect(groupedLayout(3, [2, 1, 3, 3], true).count).toBe(3);
    expect(groupedLayout(3, undefined, true).count).toBe(flatLayout(3).count);
  });
});

describe('date range from–to', () => {
  it('covers whole office days, both inclusive; a reversed or empty side is not applied', () => {
    expect(rangeOfDays('2026-03-29', '2026-03-29')).toEqual({ from: '2026-03-28T23:00:00.000Z', to: '2026-03-29T22:00:00.000Z' });
    expect(rangeOfDays('2026-12-01', '')).toEqual({ from: '2026-11-30T23:00:00.000Z' });
    expect(rangeOfDays('', '2026-12-01')).toEqual({ to: '2026-12-01T23:00:00.000Z' });
    expect(rangeOfDays('2026-12-05', '2026-12-01')).toEqual({});
    expect(rangeOfDays('2026-02-30', '')).toEqual({});
  });
});
