/**
 * A document viewer that uses the whole reading pane: the frame is made as tall as the pane allows below the
 * message's tabs (the header scrolls away under the pinned summary), and follows the window and the splitter as
 * they change. In the full-window view it fills the window below the viewer's own toolbar. Where the viewer is not
 * in a reading pane (a window of its own), the frame keeps the height its style gives it.
 *
 * `size` changes whenever the frame's box does, so a "fit" zoom can be computed again.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';

/** The least height of the frame (a pane on a tiny screen still shows a useful piece of the page). */
const MIN_REM = 14;

export interface FillPane {
  /** The frame's size as laid out (for a fit zoom). */
  readonly width: number;
  readonly height: number;
  /** The height the frame is to have (its style), undefined where it keeps its own. */
  readonly fill: number | undefined;
}

export function useFillPane(frame: RefObject<HTMLElement | null>, full: boolean): FillPane {
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [fill, setFill] = useState<number | undefined>(undefined);
  const scrolled = useRef(false);
  useEffect(() => {
    const element = frame.current;
    if (element === null) return;
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const pane = element.closest<HTMLElement>('.pane--message');
    const fit = (): void => {
      if (full) {
        const toolbar = element.parentElement?.querySelector<HTMLElement>('.viewer__toolbar');
        setFill(Math.max(MIN_REM * rem, window.innerHeight - (toolbar?.offsetHeight ?? 0) - 2 * rem));
      } else if (pane !== null) {
        const tabs = pane.querySelector<HTMLElement>('[role="tablist"]');
        const style = getComputedStyle(pane);
        const pinned = parseFloat(style.scrollPaddingTop) || 0;
        const above = tabs === null ? 0 : element.getBoundingClientRect().top - tabs.getBoundingClientRect().top;
        // down to the pane's lower edge (its bottom padding is room for the page, not a margin it needs)
        const room = pane.clientHeight - (parseFloat(style.paddingTop) || 0) - pinned - above;
        setFill(Math.max(MIN_REM * rem, Math.floor(room)));
      }
      setSize((previous) =>
        previous.width === element.clientWidth && previous.height === element.clientHeight ? previous : { width: element.clientWidth, height: element.clientHeight },
      );
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(element);
    if (pane !== null) observer.observe(pane);
    window.addEventListener('resize', fit);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', fit);
    };
  }, [frame, full]);

  // once, when the frame has its height: the tabs go to the top of the pane (the header under the pinned summary)
  useEffect(() => {
    if (fill === undefined || full || scrolled.current) return;
    scrolled.current = true;
    scrollTabsToTop(frame.current);
  }, [fill, full, frame]);

  return { ...size, fill };
}

/** Brings the tabs of the message to the top of the reading pane, so the document below them has the pane's height. */
export function scrollTabsToTop(from: HTMLElement | null): void {
  const pane = from?.closest<HTMLElement>('.pane--message');
  const tabs = pane?.querySelector<HTMLElement>('[role="tablist"]');
  if (pane === null || pane === undefined || tabs === null || tabs === undefined) return;
  const pinned = parseFloat(getComputedStyle(pane).scrollPaddingTop) || 0;
  pane.scrollTop += tabs.getBoundingClientRect().top - pane.getBoundingClientRect().top - (parseFloat(getComputedStyle(pane).paddingTop) || 0) - pinned;
}
