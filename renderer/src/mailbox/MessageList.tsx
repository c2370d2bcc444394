/**
 * The message list: a listbox of up to hundreds of thousands of options, virtualised (@tanstack/react-virtual: only
 * the rows in view exist in the DOM) over the paged data of use-message-pages.ts.
 *
 * Why not React Aria's ListBox/GridList here: their collections build every item in React, also with their
 * Virtualizer (adobe/react-spectrum#8783), which does not scale to 100,000 rows. This list follows the ARIA listbox
 * pattern itself — roving tabindex on the options, aria-setsize/aria-posinset for the full count, aria-selected on
 * the opened message — and uses React Aria everywhere else.
 *
 * Keys (while the list has focus): ↑/↓, Bild↑/Bild↓, Pos1/Ende move and show the message in the reading pane; Enter
 * (and a double click) opens it (a window of its own in the desktop app); N jumps to the next unread message —
 * only here, so a single-letter shortcut never fires while typing elsewhere (WCAG 2.1.4).
 */
import { useVirtualizer, defaultRangeExtractor, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import { useLanguage } from '../i18n/i18n.js';
import { MessageRowContent, rowName } from './MessageRow.js';
import type { MessagePages } from './use-message-pages.js';
import { flatLayout, groupName, type ListLayout } from './day-groups.js';

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
  readonly layout?: ListLayout;
  /** Two lines per row, or one (compact, as a mail program's compact view). */
  readonly density?: 'comfortable' | 'compact';
}

/**
 * Row height in rem (two lines and padding; one line of 0.875rem text when compact); the pixel size follows the
 * user's font size. Compact: 18 rows stay in view at 1280×800 with a day-group header above them.
 */
const ROW_REM = { comfortable: 4.25, compact: 1.75 } as const;
/** A group header's height in rem (one line). */
const HEADER_REM = 1.75;
/** Selection follows the keyboard after this pause, so holding ↓ does not open every message on the way. */
const FOLLOW_DELAY_MS = 180;

function remPx(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

export function MessageList({ pages, label, selectedId, onSelect, onActivate, emptyText, onRowsShown, followFocus = true, layout: givenLayout, density = 'comfortable' }: MessageListProps) {
  const { t, language, settings } = useLanguage();
  const scrollRef = useRef<HTMLDivElement>(null);
  const rowRem = ROW_REM[density];
  const [rowHeight, setRowHeight] = useState(() => Math.round(rowRem * remPx()));
  const [activeIndex, setActiveIndex] = useState(0);
  const focusWanted = useRef(false);
  const follow = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const total = pages.total ?? 0;
  // one object per list shape: a new one lays the whole list out again (measure below)
  const layout = useMemo(() => givenLayout ?? flatLayout(total), [givenLayout, total]);
  // activeIndex and every index below are the row's index in the list; the virtualizer counts headers too
  const activePosition = layout.positionOf(activeIndex);

  useEffect(() => {
    const update = (): void => setRowHeight(Math.round(rowRem * remPx()));
    update();
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, [rowRem]);

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
  const virtualizer = useVirtualizer({
    count: layout.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: (position) => ('header' in layout.itemAt(position) ? Math.round(HEADER_REM * remPx()) : rowHeight),
    // a new layout is a new key function: the positions are computed again in the same render, so a header is
    // never drawn for one frame where a row still stands (the effect's measure() below would come a frame late)
    getItemKey,
    overscan: 8,
    rangeExtractor,
  });
  const items = virtualizer.getVirtualItems();
  // the rows in view (with overscan), without the focused row the range extractor keeps mounted far away
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

  // a new layout (other groups, other sizes) is laid out again; rows keep their positions within it
  useEffect(() => {
    virtualizer.measure();
  }, [rowHeight, virtualizer, layout]);

  // load what is in view (and a little around it)
  const { ensure } = pages;
  useEffect(() => {
    if (total === 0) return;
    ensure(first, last);
    ensure(activeIndex, activeIndex);
  }, [first, last, activeIndex, total, ensure]);

  // a new query starts at the top; the same list read again (a fetch, another window) keeps its place
  const shownQuery = pages.shownQuery;
  const previousQuery = useRef(shownQuery);
  useEffect(() => {
    if (previousQuery.current === shownQuery) return;
    previousQuery.current = shownQuery;
    setActiveIndex(0);
    virtualizer.scrollToOffset(0);
  }, [shownQuery, virtualizer]);

  // rows that arrive (a fetch) or leave (trash) above the focused row and the first row in view move neither: the
  // focused row stays the same message, and the list scrolls by what came in above, so nothing jumps
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
    if (index !== undefined && index !== activeIndex && !focusWanted.current) setActiveIndex(index);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the selection or the rows change
  }, [selectedId, pages.generation]);

  useLayoutEffect(() => {
    if (!focusWanted.current) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${activeIndex}"]`);
    if (row) {
      focusWanted.current = false;
      row.focus({ preventScroll: true });
    }
  });

  const rowsReady = total === 0 || pages.itemAt(first) !== undefined;
  useEffect(() => {
    if (!rowsReady || pages.loading) return;
    const key = pages.shownKey;
    const frame = requestAnimationFrame(() => onRowsShown?.(key));
    return () => cancelAnimationFrame(frame);
  }, [rowsReady, pages.loading, pages.shownKey, onRowsShown]);

  const moveTo = (index: number, select: boolean): void => {
    if (total === 0) return;
    const target = Math.max(0, Math.min(total - 1, index));
    focusWanted.current = true;
    setActiveIndex(target);
    virtualizer.scrollToIndex(layout.positionOf(target), { align: 'auto' });
    if (!select || !followFocus) return;
    clearTimeout(follow.current);
    follow.current = setTimeout(() => {
      const item = pages.itemAt(target);
      if (item !== undefined) onSelect(item);
    }, FOLLOW_DELAY_MS);
  };
  useEffect(() => () => clearTimeout(follow.current), []);

  const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(activeIndex + 1, true);
        break;
      case 'ArrowUp':
        moveTo(activeIndex - 1, true);
        break;
      case 'PageDown':
        moveTo(activeIndex + pageRows, true);
        break;
      case 'PageUp':
        moveTo(activeIndex - pageRows, true);
        break;
      case 'Home':
        moveTo(0, true);
        break;
      case 'End':
        moveTo(total - 1, true);
        break;
      case 'Enter': {
        const item = pages.itemAt(activeIndex);
        if (item !== undefined) onActivate(item);
        break;
      }
      case ' ': {
        const item = pages.itemAt(activeIndex);
        if (item !== undefined) onSelect(item);
        break;
      }
      case 'n':
      case 'N':
        void pages.findNext(activeIndex, (item) => item.unread).then((index) => {
          if (index !== undefined) moveTo(index, true);
        });
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  if (pages.total === 0) {
    return (
      <div className="list list--empty" data-testid="message-list-empty">
        <p>{emptyText}</p>
      </div>
    );
  }

  return (
    <div ref={scrollRef} className={density === 'compact' ? 'list list--compact' : 'list'} role="listbox" aria-label={label} aria-busy={pages.loading || undefined} onKeyDown={onKeyDown} data-testid="message-list">
      <div role="presentation" className="list__canvas" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((position) => {
          const at = layout.itemAt(position.index);
          if ('header' in at) {
            // seen, not read out as an option: the first row of the group says its group in its name
            return (
              <div key={`h${position.index}`} className="list__group" aria-hidden="true" style={{ height: position.size, transform: `translateY(${position.start}px)` }} data-testid="list-group">
                {groupName(at.header, t)}
              </div>
            );
          }
          const row = { index: at.row, size: position.size, start: position.start };
          const item = pages.itemAt(row.index);
          const opens = layout.groupOpenedBy(row.index);
          const selected = item !== undefined && item.id === selectedId;
          const classes = ['row', item?.unread ? 'row--unread' : '', selected ? 'row--selected' : '', item?.isTest ? 'row--test' : '', item?.unreadableReason ? 'row--unreadable' : ''].filter(Boolean).join(' ');
          return (
            <div
              key={item === undefined ? `row-${row.index}` : `id-${item.id}`}
              role="option"
              data-index={row.index}
              data-id={item?.id}
              aria-selected={selected}
              aria-setsize={total}
              aria-posinset={row.index + 1}
              aria-label={item === undefined ? t.mailbox.list.loadingRow : `${opens === undefined ? '' : `${groupName(opens, t)}: `}${rowName(item, t, language, settings.familyNameFirst)}`}
              tabIndex={row.index === activeIndex ? 0 : -1}
              className={classes}
              style={{ height: row.size, transform: `translateY(${row.start}px)` }}
              onFocus={() => setActiveIndex(row.index)}
              onClick={() => {
                setActiveIndex(row.index);
                if (item !== undefined) onSelect(item);
              }}
              onDoubleClick={() => {
                if (item !== undefined) onActivate(item);
              }}
            >
              {item === undefined ? <span className="row__placeholder">{t.mailbox.list.loadingRow}</span> : <MessageRowContent item={item} t={t} language={language} familyFirst={settings.familyNameFirst} />}
            </div>
          );
        })}
      </div>
    </div>
  );
}
