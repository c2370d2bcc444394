/**
 * The message list's data: pages of 100 rows read from the store on demand (`messages.list` with offset/limit), so
 * 100,000 messages cost the same as 100 — only the rows near the viewport are ever loaded.
 *
 * A new query (folder, filters, search, sort) reads the first page and keeps showing the old rows until it arrives
 * (no flicker). Rows the caseworker changed here (opened, marked) are patched in place from the item the service
 * answered, so a message read in the "Ungelesen" view stays there until the view changes; changes made elsewhere
 * (a fetch, another window, retention) read the list again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import type { MethodInput } from '../../../core/api/contract.js';
import { useApi } from '../api/api-context.js';
import { takeEarlyPage } from './early-page.js';

export const PAGE_SIZE = 100;

export type ListQuery = Omit<MethodInput<'messages.list'>, 'offset' | 'limit'>;

/** What one page of a query asks the service: the day counts (`countFrom`) once per query, with its first page. */
export function pageInput(query: ListQuery, page: number): MethodInput<'messages.list'> {
  const { countFrom, ...rest } = query;
  return { ...(page === 0 && countFrom !== undefined ? { ...rest, countFrom } : rest), offset: page * PAGE_SIZE, limit: PAGE_SIZE };
}

interface PagesState {
  readonly key: string;
  readonly total: number | undefined;
  readonly pages: ReadonlyMap<number, readonly MessageListItem[]>;
  /** The day counts of the first page (`countFrom`), for grouping by Eingang day. */
  readonly atOrAfter?: readonly number[] | undefined;
}

export interface MessagePages {
  /** Total rows of the current query (undefined until the first page arrived). */
  readonly total: number | undefined;
  /** The query the shown rows belong to is still loading (a new search, a new filter). */
  readonly loading: boolean;
  readonly error: unknown;
  readonly itemAt: (index: number) => MessageListItem | undefined;
  readonly indexOf: (id: number) => number | undefined;
  /** Loads the pages covering rows [start, end]. */
  readonly ensure: (start: number, end: number) => void;
  /** Puts an item the service answered (after a state change) in place of its row. */
  readonly patch: (item: MessageListItem) => void;
  /**
   * Takes a row out of the view at once (it no longer belongs there: put in the trash, marked transferred in a view
   * without those); the rows after it move up, the pages after its page are read again.
   */
  readonly remove: (id: number) => void;
  /** Reads the list again (same query), keeping the rows shown until the new ones arrive. */
  readonly reload: () => void;
  /** Per moment of the query's `countFrom`: the rows with Eingang at or after it (asked with the first page only). */
  readonly atOrAfter: readonly number[] | undefined;
  /** Counts up whenever new rows arrived (for performance marks and effects). */
  readonly generation: number;
  /** The key of the rows shown (query and reload count). */
  readonly shownKey: string;
  /** The query of the rows shown, without the reload count: changes only when folder, filters, search or sort do. */
  readonly shownQuery: string;
  /** The first row after `from` that matches, loading pages ahead as needed (at most `maxPages`). */
  findNext(from: number, match: (item: MessageListItem) => boolean, maxPages?: number): Promise<number | undefined>;
}

/** The query part of a key (without the reload count). */
const queryOf = (key: string): string => key.replace(/#\d+$/, '');

export function useMessagePages(query: ListQuery, onFirstPage?: (key: string, total: number) => void): MessagePages {
  const api = useApi();
  const [version, setVersion] = useState(0);
  const key = `${JSON.stringify(query)}#${version}`;
  const [state, setState] = useState<PagesState>({ key: '', total: undefined, pages: new Map() });
  const [error, setError] = useState<unknown>(undefined);
  const [generation, setGeneration] = useState(0);
  const inflight = useRef(new Set<string>());
  // answers are numbered: of the same query, a newer answer may replace the rows, an older one never does
  const asked = useRef(0);
  const shownAnswer = useRef(0);
  const current = useRef({ key, query });
  current.current = { key, query };
  const firstPage = useRef(onFirstPage);
  firstPage.current = onFirstPage;

  const loadPage = useCallback(
    (forKey: string, forQuery: ListQuery, page: number, done?: () => void): boolean => {
      const tag = `${forKey}|${page}`;
      if (inflight.current.has(tag)) return false;
      inflight.current.add(tag);
      const input = pageInput(forQuery, page);
      const answer = ++asked.current;
      // the first page may have been asked already, as the store opened (early-page.ts)
      ((page === 0 ? takeEarlyPage(input) : undefined) ?? api.call('messages.list', input))
        .then(
          (result) => {
            // the same list read again while this answer was on its way (a fetch stores one delivery after the
            // other): the newest answer so far is shown at once, rather than waiting for the reading to rest
            const sameQuery = queryOf(current.current.key) === queryOf(forKey);
            if (current.current.key !== forKey && !(sameQuery && page === 0 && answer > shownAnswer.current)) return;
            if (page === 0) shownAnswer.current = Math.max(shownAnswer.current, answer);
            setError(undefined);
            setState((previous) => {
              const fresh = previous.key !== forKey;
              const pages = new Map(fresh ? [] : previous.pages);
              pages.set(page, result.items);
              return { key: forKey, total: result.total, pages, atOrAfter: page === 0 ? result.atOrAfter : fresh ? undefined : previous.atOrAfter };
            });
            setGeneration((g) => g + 1);
            if (page === 0) firstPage.current?.(forKey, result.total);
          },
          (e: unknown) => {
            if (current.current.key === forKey) setError(e);
          },
        )
        .finally(() => {
          inflight.current.delete(tag);
          done?.();
        });
      return true;
    },
    [api],
  );

  // One first page on its way at a time. A query asked meanwhile waits, and only the newest waiting one is asked
  // when the answer is in: the search asks with every letter typed (no pause before it), yet a fast typist never
  // queues one store read per letter behind the other; the rows of the last letter come right after the read
  // that was on its way.
  const firstBusy = useRef(false);
  const waiting = useRef<{ key: string; query: ListQuery } | null>(null);
  const loadFirst = useCallback(
    (forKey: string, forQuery: ListQuery): void => {
      function ask(k: string, q: ListQuery): void {
        firstBusy.current = loadPage(k, q, 0, () => {
          firstBusy.current = false;
          const w = waiting.current;
          waiting.current = null;
          if (w !== null && w.key === current.current.key) ask(w.key, w.query);
        });
      }
      ask(forKey, forQuery);
    },
    [loadPage],
  );
  useEffect(() => {
    if (firstBusy.current) waiting.current = { key, query };
    else loadFirst(key, query);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the query object is described completely by the key
  }, [key, loadFirst]);

  // while a new query loads, the previous rows stay visible
  const showing = state;
  const ensure = useCallback(
    (start: number, end: number) => {
      const { key: k, query: q } = current.current;
      if (state.key !== k) return; // the first page of the new query decides the total first
      const last = state.total === undefined ? 0 : Math.max(0, state.total - 1);
      for (let page = Math.floor(Math.max(0, start) / PAGE_SIZE); page <= Math.floor(Math.min(end, last) / PAGE_SIZE); page++) {
        if (!state.pages.has(page)) loadPage(k, q, page);
      }
    },
    [state, loadPage],
  );

  const itemAt = useCallback((index: number) => showing.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], [showing]);
  const indexOf = useCallback(
    (id: number) => {
      for (const [page, items] of showing.pages) {
        const at = items.findIndex((item) => item.id === id);
        if (at >= 0) return page * PAGE_SIZE + at;
      }
      return undefined;
    },
    [showing],
  );
  const patch = useCallback((item: MessageListItem) => {
    setState((previous) => {
      let changed = false;
      const pages = new Map(previous.pages);
      for (const [page, items] of previous.pages) {
        const at = items.findIndex((i) => i.id === item.id);
        if (at >= 0) {
          const copy = [...items];
          copy[at] = item;
          pages.set(page, copy);
          changed = true;
        }
      }
      return changed ? { ...previous, pages } : previous;
    });
  }, []);
  const remove = useCallback((id: number) => {
    setState((previous) => {
      let removedFrom: number | undefined;
      let removedAt = -1;
      for (const [page, items] of previous.pages) {
        const at = items.findIndex((i) => i.id === id);
        if (at >= 0) {
          removedFrom = page;
          removedAt = page * PAGE_SIZE + at;
        }
      }
      if (removedFrom === undefined) return previous;
      // the day groups' counts (rows at or after each group's first moment) lose the row where it counted, so every
      // header below it moves up with the rows (day-groups.ts)
      const total = previous.total ?? 0;
      const descending = current.current.query.descending !== false;
      const atOrAfter = previous.atOrAfter?.map((n) => ((descending ? removedAt < n : removedAt >= total - n) ? n - 1 : n));
      const pages = new Map<number, readonly MessageListItem[]>();
      for (const [page, items] of previous.pages) {
        if (page < removedFrom) pages.set(page, items);
        else if (page === removedFrom) {
          // the first row of the next page moves up into this one, when it is known
          const next = previous.pages.get(page + 1)?.[0];
          pages.set(page, [...items.filter((i) => i.id !== id), ...(next === undefined ? [] : [next])]);
        }
      }
      return { ...previous, total: previous.total === undefined ? undefined : Math.max(0, previous.total - 1), pages, atOrAfter };
    });
    setGeneration((g) => g + 1);
  }, []);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  const findNext = useCallback(
    async (from: number, match: (item: MessageListItem) => boolean, maxPages = 50): Promise<number | undefined> => {
      const { key: k, query: q } = current.current;
      if (state.key !== k || state.total === undefined) return undefined;
      const total = state.total;
      const known = new Map(state.pages);
      for (let page = Math.floor((from + 1) / PAGE_SIZE), read = 0; page * PAGE_SIZE < total && read <= maxPages; page++) {
        let items = known.get(page);
        if (items === undefined) {
          read++;
          const { countFrom: _counted, ...rest } = q;
          const result = await api.call('messages.list', { ...rest, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
          if (current.current.key !== k) return undefined;
          items = result.items;
          const loaded = items;
          setState((previous) => (previous.key === k ? { ...previous, pages: new Map(previous.pages).set(page, loaded) } : previous));
        }
        for (let i = 0; i < items.length; i++) {
          const index = page * PAGE_SIZE + i;
          const item = items[i];
          if (index > from && item !== undefined && match(item)) return index;
        }
      }
      return undefined;
    },
    [api, state],
  );

  return {
    total: showing.total,
    atOrAfter: showing.atOrAfter,
    loading: state.key !== key,
    error,
    itemAt,
    indexOf,
    ensure,
    patch,
    remove,
    reload,
    generation,
    shownKey: state.key,
    shownQuery: state.key.replace(/#\d+$/, ''),
    findNext,
  };
}
