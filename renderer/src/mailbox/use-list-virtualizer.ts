/**
 * The message list's virtualizer (@tanstack/react-virtual) over its layout of rows and day-group headers: rows of
 * the density's height in rem (the pixel size follows the user's font size and is measured again on resize), the
 * focused row always kept in the DOM (focus is never lost to virtualisation), and the first and last row in view —
 * what the list loads.
 */
import { defaultRangeExtractor, useVirtualizer, type Range, type Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { ListLayout } from './day-groups.js';

export type Density = 'comfortable' | 'compact';

/**
 * Row height in rem (two lines and padding; one line of 0.875rem text when compact). Compact: 18 rows stay in view
 * at 1280×800 with a day-group header above them.
 */
const ROW_REM = { comfortable: 4.25, compact: 1.75 } as const;
/** A group header's height in rem (one line). */
const HEADER_REM = 1.75;

function remPx(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/** A row's height in pixels for the density, measured again when the window (and maybe the font size) changes. */
export function useRowHeight(density: Density): number {
  const rowRem = ROW_REM[density];
  const [rowHeight, setRowHeight] = useState(() => Math.round(rowRem * remPx()));
  useEffect(() => {
    const update = (): void => setRowHeight(Math.round(rowRem * remPx()));
    update();
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, [rowRem]);
  return rowHeight;
}

export interface ListVirtualizer {
  readonly virtualizer: Virtualizer<HTMLDivElement, Element>;
  /** The first and last row (list index) in view, with overscan, without the focused row kept far away. */
  readonly first: number;
  readonly last: number;
}

export function useListVirtualizer(scrollRef: RefObject<HTMLDivElement | null>, layout: ListLayout, rowHeight: number, activePosition: number, total: number): ListVirtualizer {
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      // the focused row stays in the DOM, so focus is never lost to virtualisation
      if (activePosition < range.count && !indexes.includes(activePosition)) return [...indexes, activePosition].sort((a, b) => a - b);
      return indexes;
    },
    [activePosition],
  );
  const getItemKey = useCallback(
    (position: number) => {
      const at = layout.itemAt(position);
      return 'header' in at ? `h:${at.header}` : at.row;
    },
    [layout],
  );
  // the font size read once per row height (which follows it), not per header in the middle of a render, where
  // reading a computed style forces the page's style to be worked out again
  // eslint-disable-next-line react-hooks/exhaustive-deps -- rowHeight is measured from the same font size
  const headerHeight = useMemo(() => Math.round(HEADER_REM * remPx()), [rowHeight]);
  const virtualizer = useVirtualizer({
    count: layout.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: (position) => ('header' in layout.itemAt(position) ? headerHeight : rowHeight),
    // a new layout is a new key function: the positions are computed again in the same render, so a header is
    // never drawn for one frame where a row still stands (the effect's measure() below would come a frame late)
    getItemKey,
    overscan: 8,
    rangeExtractor,
  });

  // another row height lays the list out again. A new layout needs no call here: its key function is new, which
  // makes the virtualizer compute every position in that same render; measure() would do it over again (100,000
  // positions) and render the list once more. Not at the first render either: the positions were just computed with
  // these sizes
  const measuredWith = useRef(`${rowHeight}/${headerHeight}`);
  useEffect(() => {
    const sizes = `${rowHeight}/${headerHeight}`;
    if (measuredWith.current === sizes) return;
    measuredWith.current = sizes;
    virtualizer.measure();
  }, [rowHeight, headerHeight, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const inView = items.filter((row) => row.index !== activePosition || items.length === 1);
  // a header stands for the group's first row, which follows it (groups are never empty)
  const rowOf = (position: number): number => {
    const at = layout.itemAt(position);
    if ('row' in at) return at.row;
    const next = layout.itemAt(position + 1);
    return 'row' in next ? Math.min(next.row, Math.max(total - 1, 0)) : 0;
  };
  const first = rowOf(inView[0]?.index ?? items[0]?.index ?? 0);
  const last = Math.max(first, rowOf(inView[inView.length - 1]?.index ?? 0));
  return { virtualizer, first, last };
}
