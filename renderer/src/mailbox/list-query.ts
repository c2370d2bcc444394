/**
 * What the list asks the store for: the view (folder), the quick filters, the search words, the sort and its
 * direction — and, where the list is grouped by Eingang day, the first moment of each group, so that the store
 * counts the rows of each group with the first page (day-groups.ts).
 */
import { DEFAULT_UI_LAYOUT } from '../../../core/api/contract/ui-layout-default.js';
import { today } from '../format/days.js';
import { officeTimeZone } from '../format/format.js';
import { groupStarts } from './day-groups.js';
import { setStartPage } from './early-page.js';
import { filterRange, NO_FILTERS, type Filters, type Folder } from './FolderPane.js';
import type { MethodInput } from '../../../core/api/contract.js';
import { pageInput, type ListQuery } from './use-message-pages.js';

export type SortKey = NonNullable<ListQuery['sort']>;
export const SORTS: readonly SortKey[] = ['eingang', 'applicant', 'benefit', 'state', 'followUp'];

export interface ListView {
  readonly folder: Folder;
  readonly filters: Filters;
  readonly search: string;
  readonly sort: SortKey;
  readonly descending: boolean;
  /** Headers by Eingang day when sorted by Eingang (the caseworker may switch them off). */
  readonly groupByDay: boolean;
}

/** The view the mailbox opens with: the inbox, no filters, no search, newest Eingang first. */
export const START_VIEW: Omit<ListView, 'groupByDay'> = { folder: 'inbox', filters: NO_FILTERS, search: '', sort: 'eingang', descending: true };

/** Only the Eingang sort is grouped, and only when the caseworker wants groups. */
export function isGrouped(view: Pick<ListView, 'sort' | 'groupByDay'>): boolean {
  return view.groupByDay && view.sort === 'eingang';
}

/** The query of a view on the office's day `day` (the groups' starts move on at midnight). */
export function queryOf(view: ListView, day: string): ListQuery {
  const { folder, filters, sort, descending } = view;
  const words = view.search.trim();
  return {
    ...(folder === 'trash' ? { folder: 'trash' as const } : {}),
    ...(folder === 'unread' || filters.unread ? { unread: true } : {}),
    ...(folder === 'notTransferred' || filters.notTransferred ? { notTransferred: true } : {}),
    ...(folder === 'transferred' ? { transferred: true } : {}),
    ...(folder === 'test' ? { test: true } : {}),
    ...(folder === 'unreadable' ? { unreadable: true } : {}),
    ...(folder === 'followUp' ? { followUp: true } : {}),
    ...(folder === 'mine' || folder === 'unassigned' ? { view: folder } : {}),
    ...(filters.withAttachments ? { withAttachments: true } : {}),
    ...filterRange(filters),
    ...(words === '' ? {} : { search: words }),
    sort,
    descending,
    ...(isGrouped(view) ? { countFrom: groupFroms(day) } : {}),
  };
}

/**
 * The first page the mailbox asks when it opens: the start's view with the default layout on the office's day
 * today (the screen's first render uses the default layout until the stored one is read).
 */
export function startPageInput(day = today()): MethodInput<'messages.list'> {
  return pageInput(queryOf({ ...START_VIEW, groupByDay: DEFAULT_UI_LAYOUT.groupByDay }, day), 0);
}

// the window asks it as soon as the store is open (early-page.ts)
setStartPage(startPageInput);

let froms: { readonly day: string; readonly zone: string; readonly from: string[] } | undefined;

/**
 * The groups' first moments for a day, worked out once per day: each is found through Intl's time zone parts, which
 * cost about 10 ms of the page's main thread per query at every filter or search change.
 */
function groupFroms(day: string): string[] {
  const zone = officeTimeZone();
  if (froms?.day !== day || froms.zone !== zone) froms = { day, zone, from: groupStarts(day).map((g) => g.from) };
  return [...froms.from];
}
