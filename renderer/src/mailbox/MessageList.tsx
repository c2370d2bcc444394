/**
 * The message list: a listbox of up to hundreds of thousands of options, virtualised (@tanstack/react-virtual: only
 * the rows in view exist in the DOM) over the paged data of use-message-pages.ts.
 *
 * Why not React Aria's ListBox/GridList here: their collections build every item in React, also with their
 * Virtualizer (adobe/react-spectrum#8783), which does not scale to 100,000 rows. This list follows the ARIA listbox
 * pattern itself — roving tabindex on the options, aria-setsize/aria-posinset for the full count, aria-selected on
 * the opened message — and uses React Aria everywhere else.
 *
 * The parts: the virtualizer and row height (use-list-virtualizer.ts), keeping the place when rows come and go
 * (use-keep-place.ts), the keys (use-list-keys.ts: ↑/↓, Bild↑/Bild↓, Pos1/Ende, Enter, N), the rows and headers
 * (ListOption.tsx).
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import { flatLayout, type ListLayout } from './day-groups.js';
import { ListGroupHeader, ListOption } from './ListOption.js';
import { useKeepPlace } from './use-keep-place.js';
import { useListKeys } from './use-list-keys.js';
import { useListVirtualizer, useRowHeight, type Density } from './use-list-virtualizer.js';
import type { MessagePages } from './use-message-pages.js';

export interface MessageListProps {
  readonly pages: MessagePages;
  readonly label: string;
  readonly selectedId: number | null;
  /** A row was chosen: shown in the reading pane. */
  readonly onSelect: (item: MessageListItem) => void;
  /** Enter or double click: open (own window where the shell has one, else focus the reading pane). */
  readonly onActivate: (item: MessageListItem) => void;
  readonly emptyText: string;
  /** Called once the rows of a query are on screen (performance marks). */
  readonly onRowsShown?: (key: string) => void;
  /** The reading pane follows the keyboard (three panes); false in the narrow layout, where Enter opens. */
  readonly followFocus?: boolean;
  /** Group headers between the rows (day-groups.ts); default: the rows alone. */
  readonly layout?: ListLayout | undefined;
  /** Two lines per row, or one (compact, as a mail program's compact view). */
  readonly density?: Density;
}

export function MessageList({
  pages,
  label,
  selectedId,
  onSelect,
  onActivate,
  emptyText,
  onRowsShown,
  followFocus = true,
  layout: givenLayout,
  density = 'comfortable',
}: MessageListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rowHeight = useRowHeight(density);
  const [activeIndex, setActiveIndex] = useState(0);
  const focusWantedRef = useRef(false);
  const total = pages.total ?? 0;
  // one object per list shape: a new one lays the whole list out again
  const layout = useMemo(() => givenLayout ?? flatLayout(total), [givenLayout, total]);
  // activeIndex and every index below are the row's index in the list; the virtualizer counts headers too
  const activePosition = layout.positionOf(activeIndex);
  const { virtualizer, first, last } = useListVirtualizer(scrollRef, layout, rowHeight, activePosition, total);

  // load what is in view (and a little around it)
  const { ensure } = pages;
  useEffect(() => {
    if (total === 0) return;
    ensure(first, last);
    ensure(activeIndex, activeIndex);
  }, [first, last, activeIndex, total, ensure]);

  useKeepPlace({ pages, scrollRef, virtualizer, rowHeight, activeIndex, setActiveIndex, first, selectedId, focusWantedRef });

  const rowsReady = total === 0 || pages.itemAt(first) !== undefined;
  // in the commit that put the rows in the DOM, before the browser paints them (the marks wait for the paint)
  useLayoutEffect(() => {
    if (!rowsReady || pages.loading) return;
    onRowsShown?.(pages.shownKey);
  }, [rowsReady, pages.loading, pages.shownKey, onRowsShown]);

  // one set of handlers for all rows: each row passes its index and item (ListOption is memoised)
  const onFocusRow = useCallback((index: number) => setActiveIndex(index), []);
  const onClickRow = useCallback(
    (index: number, item: MessageListItem | undefined) => {
      setActiveIndex(index);
      if (item !== undefined) onSelect(item);
    },
    [onSelect],
  );
  const onDoubleClickRow = useCallback(
    (item: MessageListItem | undefined) => {
      if (item !== undefined) onActivate(item);
    },
    [onActivate],
  );

  const onKeyDown = useListKeys({ pages, layout, virtualizer, scrollRef, rowHeight, activeIndex, setActiveIndex, focusWantedRef, followFocus, onSelect, onActivate });

  if (pages.total === 0) {
    return (
      <div className="list list--empty" data-testid="message-list-empty">
        <p>{emptyText}</p>
      </div>
    );
  }

  return (
    <div
      ref={scrollRef}
      className={density === 'compact' ? 'list list--compact' : 'list'}
      role="listbox"
      aria-label={label}
      aria-busy={pages.loading || undefined}
      onKeyDown={onKeyDown}
      data-testid="message-list"
    >
      <div role="presentation" className="list__canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((position) => {
          const at = layout.itemAt(position.index);
          if ('header' in at) return <ListGroupHeader key={`h${position.index}`} group={at.header} placement={position} />;
          const index = at.row;
          const item = pages.itemAt(index);
          return (
            <ListOption
              key={item === undefined ? `row-${index}` : `id-${item.id}`}
              index={index}
              placement={position}
              item={item}
              total={total}
              selected={item !== undefined && item.id === selectedId}
              active={index === activeIndex}
              opens={layout.groupOpenedBy(index)}
              onFocusRow={onFocusRow}
              onClickRow={onClickRow}
              onDoubleClickRow={onDoubleClickRow}
            />
          );
        })}
      </div>
    </div>
  );
}
