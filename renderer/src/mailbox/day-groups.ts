/**
 * Grouping the list by Eingang day as mail programs do: "Heute", "Gestern", "Diese Woche", "Letzte Woche", "Älter"
 * — days and weeks of the OFFICE time zone (format/days.ts; weeks begin on Monday).
 *
 * The list is virtualised over 100,000 rows of which only the pages in view are loaded, so the groups cannot be
 * found by looking at rows. The store counts instead, with the first page, how many rows of the query lie at or
 * after each group's first moment (`countFrom` → `atOrAfter`: range counts on the Eingang index). From those counts
 * every group's size is known before any row is: the headers are items of the virtualizer like the rows, with exact
 * positions, and a row's position never moves when its page arrives. Only the Eingang sort is grouped.
 */
import type { Messages } from '../i18n/messages.de.js';
import { addDays, dayStart, weekStart } from '../format/days.js';

export type GroupKey = 'today' | 'yesterday' | 'thisWeek' | 'lastWeek' | 'older';

/** The first moment of each group but "older", newest first, for the office's day `day`. */
export function groupStarts(day: string): Array<{ key: Exclude<GroupKey, 'older'>; from: string }> {
  const yesterday = addDays(day, -1);
  const monday = weekStart(day);
  // on a Monday "Gestern" lies in the week before: "Diese Woche" is then empty, never overlapping
  const thisWeek = monday < yesterday ? monday : yesterday;
  const lastWeek = addDays(monday, -7) < thisWeek ? addDays(monday, -7) : thisWeek;
  return [
    { key: 'today', from: dayStart(day) },
    { key: 'yesterday', from: dayStart(yesterday) },
    { key: 'thisWeek', from: dayStart(thisWeek) },
    { key: 'lastWeek', from: dayStart(lastWeek) },
  ];
}

interface Group {
  readonly key: GroupKey;
  /** The first row (list index) of the group. */
  readonly start: number;
  readonly size: number;
  /** Its header's position among the virtual items. */
  readonly at: number;
}

/** The list as the virtualizer sees it: rows, and with grouping a header before each non-empty group. */
export interface ListLayout {
  readonly count: number;
  /** What is at a virtual position: a group header or a row (its index in the list). */
  itemAt(position: number): { readonly header: GroupKey } | { readonly row: number };
  /** The virtual position of a row. */
  positionOf(row: number): number;
  /** The group a row opens, when it is the first of one (its accessible name says the group). */
  groupOpenedBy(row: number): GroupKey | undefined;
}

export function flatLayout(total: number): ListLayout {
  return { count: total, itemAt: (position) => ({ row: position }), positionOf: (row) => row, groupOpenedBy: () => undefined };
}

/**
 * The layout for `total` rows from the counts at or after each group start (newest first); `descending` as the
 * list is sorted. Counts that do not fit the total (the list changed between the two answers) give no grouping.
 */
export function groupedLayout(total: number, atOrAfter: readonly number[] | undefined, descending: boolean): ListLayout {
  if (atOrAfter === undefined || atOrAfter.length !== 4 || atOrAfter.some((n, i) => n > total || (i > 0 && n < (atOrAfter[i - 1] ?? 0)))) return flatLayout(total);
  const keys: GroupKey[] = ['today', 'yesterday', 'thisWeek', 'lastWeek', 'older'];
  const bounds = [0, ...atOrAfter, total];
  let sizes = keys.map((key, i) => ({ key, size: (bounds[i + 1] ?? 0) - (bounds[i] ?? 0) }));
  if (!descending) sizes = sizes.reverse();
  const groups: Group[] = [];
  let start = 0;
  for (const { key, size } of sizes) {
    if (size <= 0) continue;
    groups.push({ key, start, size, at: start + groups.length });
    start += size;
  }
  const groupOfRow = (row: number): Group | undefined => {
    for (let g = groups.length - 1; g >= 0; g--) if ((groups[g]?.start ?? 0) <= row) return groups[g];
    return groups[0];
  };
  return {
    count: total + groups.length,
    itemAt(position) {
      for (let g = groups.length - 1; g >= 0; g--) {
        const group = groups[g] as Group;
        if (position === group.at) return { header: group.key };
        if (position > group.at) return { row: group.start + (position - group.at - 1) };
      }
      return { row: position };
    },
    positionOf(row) {
      const group = groupOfRow(row);
      return group === undefined ? row : group.at + 1 + (row - group.start);
    },
    groupOpenedBy(row) {
      const group = groupOfRow(row);
      return group !== undefined && group.start === row ? group.key : undefined;
    },
  };
}

export function groupName(key: GroupKey, t: Messages): string {
  return t.habits.groups[key];
}
