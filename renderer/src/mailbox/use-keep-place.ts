/**
 * The message list keeps its place. A new query (folder, filters, search, sort) starts at the top; the same list
 * read again (a fetch, another window) keeps it: rows that arrive or leave above the focused row and the first row
 * in view move neither — the focused row stays the same message, and the list scrolls by what came in above, so
 * nothing jumps. The selected message's row becomes the active one when it is among the loaded rows.
 */
import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import type { Virtualizer } from '@tanstack/react-virtual';
import type { MessagePages } from './use-message-pages.js';

export interface KeepPlaceOptions {
  readonly pages: MessagePages;
  readonly scrollRef: RefObject<HTMLDivElement | null>;
  readonly virtualizer: Virtualizer<HTMLDivElement, Element>;
  readonly rowHeight: number;
  readonly activeIndex: number;
  readonly setActiveIndex: (index: number) => void;
  /** The first row in view. */
  readonly first: number;
  readonly selectedId: number | null;
  /** The keyboard just moved: the active row is where the keyboard put it, not where the selection is. */
  readonly focusWantedRef: RefObject<boolean>;
}

export function useKeepPlace({ pages, scrollRef, virtualizer, rowHeight, activeIndex, setActiveIndex, first, selectedId, focusWantedRef }: KeepPlaceOptions): void {
  // a new query starts at the top
  const shownQuery = pages.shownQuery;
  const previousQuery = useRef(shownQuery);
  useEffect(() => {
    if (previousQuery.current === shownQuery) return;
    previousQuery.current = shownQuery;
    setActiveIndex(0);
    // already at the top (the virtualizer's own record of the last scroll): nothing to scroll — scrollToOffset reads
    // the list's scroll height, which makes the browser lay out the whole page at once, in the middle of the new
    // rows' commit (about a third of a view switch's time in the page at 100,000 messages, bench/ui-list.ts)
    if ((virtualizer.scrollOffset ?? 0) !== 0) virtualizer.scrollToOffset(0);
  }, [shownQuery, virtualizer, setActiveIndex]);

  // the same query read again: the focused row and the first row in view stay where they are
  const activeId = useRef<number | undefined>(undefined);
  const topAnchor = useRef<{ id: number; index: number } | undefined>(undefined);
  const activeItem = pages.itemAt(activeIndex);
  const firstItem = pages.itemAt(first);
  useLayoutEffect(() => {
    if (previousQuery.current !== shownQuery) return;
    const wasActive = activeId.current;
    if (wasActive !== undefined && activeItem?.id !== wasActive) {
      const now = pages.indexOf(wasActive);
      if (now !== undefined && now !== activeIndex) setActiveIndex(now);
    }
    const anchor = topAnchor.current;
    const scroller = scrollRef.current;
    if (anchor !== undefined && scroller !== null && scroller.scrollTop > 0 && firstItem?.id !== anchor.id) {
      const now = pages.indexOf(anchor.id);
      if (now !== undefined && now !== anchor.index) scroller.scrollTop += (now - anchor.index) * rowHeight;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when new rows arrived
  }, [pages.generation]);
  useEffect(() => {
    activeId.current = activeItem?.id;
    topAnchor.current = firstItem === undefined ? undefined : { id: firstItem.id, index: first };
  });

  // the selected message's row becomes the active one when it is in the loaded rows
  useEffect(() => {
    if (selectedId === null) return;
    const index = pages.indexOf(selectedId);
    if (index !== undefined && index !== activeIndex && !focusWantedRef.current) setActiveIndex(index);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the selection or the rows change
  }, [selectedId, pages.generation]);
}
