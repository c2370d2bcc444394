/**
 * Which part of the mailbox the list shows: the view (folder), the quick filters, the search (asked with every letter
 * typed; use-message-pages.ts never lets reads queue up behind each other), the sort and its direction. The Wiedervorlage is read in due order, as a follow-up list is; elsewhere
 * that order means nothing, so leaving it goes back to the Eingang, newest first.
 */
import { useCallback, useState } from 'react';
import type { Filters, Folder } from './FolderPane.js';
import { SORTS, START_VIEW, type SortKey } from './list-query.js';

export interface ListViewState {
  readonly folder: Folder;
  readonly filters: Filters;
  /** What is typed in the search field. */
  readonly searchText: string;
  /** The search asked for (the typed words, asked at once). */
  readonly search: string;
  readonly sort: SortKey;
  readonly descending: boolean;
  readonly setFolder: (folder: Folder) => void;
  readonly setFilters: (filters: Filters) => void;
  readonly setSearchText: (text: string) => void;
  /** Another sort: newest first for the Eingang, A to Z for names and the rest (the toggle still turns it round). */
  readonly setSort: (key: unknown) => void;
  readonly setDescending: (descending: boolean) => void;
}

export function useListView(): ListViewState {
  // the start's view is also the one whose first page is asked as the store opens (early-page.ts)
  const [folder, setFolderState] = useState<Folder>(START_VIEW.folder);
  const [filters, setFilters] = useState<Filters>(START_VIEW.filters);
  const [searchText, setSearchText] = useState(START_VIEW.search);
  const search = searchText;
  const [sort, setSortState] = useState<SortKey>(START_VIEW.sort);
  const [descending, setDescending] = useState(START_VIEW.descending);

  const setFolder = useCallback(
    (f: Folder) => {
      if (f === 'followUp' && folder !== 'followUp') {
        setSortState('followUp');
        setDescending(false);
      } else if (f !== 'followUp' && sort === 'followUp') {
        setSortState('eingang');
        setDescending(true);
      }
      setFolderState(f);
    },
    [folder, sort],
  );

  const setSort = useCallback((key: unknown) => {
    const next = (SORTS as readonly unknown[]).includes(key) ? (key as SortKey) : 'eingang';
    setSortState(next);
    setDescending(next === 'eingang');
  }, []);

  return { folder, filters, searchText, search, sort, descending, setFolder, setFilters, setSearchText, setSort, setDescending };
}
