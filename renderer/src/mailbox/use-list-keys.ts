/**
 * The message list's keys (while it has focus): ↑/↓, Bild↑/Bild↓, Pos1/Ende move the focus and, after a short
 * pause, show the message in the reading pane (holding ↓ does not open every message on the way); Enter opens it;
 * the space bar shows it; N jumps to the next unread message — only here, so a single-letter shortcut never fires
 * while typing elsewhere (WCAG 2.1.4). The focus follows the active row once it is drawn.
 */
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from 'react';
import type { Virtualizer } from '@tanstack/react-virtual';
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import type { ListLayout } from './day-groups.js';
import type { MessagePages } from './use-message-pages.js';

/** Selection follows the keyboard after this pause, so holding ↓ does not open every message on the way. */
const FOLLOW_DELAY_MS = 180;

export interface ListKeysOptions {
  readonly pages: MessagePages;
  readonly layout: ListLayout;
  readonly virtualizer: Virtualizer<HTMLDivElement, Element>;
  readonly scrollRef: RefObject<HTMLDivElement | null>;
  readonly rowHeight: number;
  readonly activeIndex: number;
  readonly setActiveIndex: (index: number) => void;
  readonly focusWantedRef: RefObject<boolean>;
  /** The reading pane follows the keyboard (three panes); false in the narrow layout, where Enter opens. */
  readonly followFocus: boolean;
  readonly onSelect: (item: MessageListItem) => void;
  readonly onActivate: (item: MessageListItem) => void;
}

export function useListKeys({
  pages,
  layout,
  virtualizer,
  scrollRef,
  rowHeight,
  activeIndex,
  setActiveIndex,
  focusWantedRef,
  followFocus,
  onSelect,
  onActivate,
}: ListKeysOptions): (event: KeyboardEvent<HTMLDivElement>) => void {
  const follow = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const total = pages.total ?? 0;

  useLayoutEffect(() => {
    if (!focusWantedRef.current) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${activeIndex}"]`);
    if (row) {
      focusWantedRef.current = false;
      row.focus({ preventScroll: true });
    }
  });
  useEffect(() => () => clearTimeout(follow.current), []);

  const moveTo = (index: number, select: boolean): void => {
    if (total === 0) return;
    const target = Math.max(0, Math.min(total - 1, index));
    focusWantedRef.current = true;
    setActiveIndex(target);
    virtualizer.scrollToIndex(layout.positionOf(target), { align: 'auto' });
    if (!select || !followFocus) return;
    clearTimeout(follow.current);
    follow.current = setTimeout(() => {
      const item = pages.itemAt(target);
      if (item !== undefined) onSelect(item);
    }, FOLLOW_DELAY_MS);
  };

  // read at the key press, not in every render: the list's height read during a render forces a layout of the
  // whole page in the middle of React's work (a new query's rows rendered one each time)
  const pageRows = (): number => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);

  return (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(activeIndex + 1, true);
        break;
      case 'ArrowUp':
        moveTo(activeIndex - 1, true);
        break;
      case 'PageDown':
        moveTo(activeIndex + pageRows(), true);
        break;
      case 'PageUp':
        moveTo(activeIndex - pageRows(), true);
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
        void pages
          .findNext(activeIndex, (item) => item.unread)
          .then((index) => {
            if (index !== undefined) moveTo(index, true);
          });
        break;
      default:
        return;
    }
    event.preventDefault();
  };
}
