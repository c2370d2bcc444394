/**
 * A document viewer that uses the whole reading pane: the frame is made as tall as the pane allows below the
 * message's tabs (the header scrolls away under the pinned summary), and follows the window and the splitter as
 * they change. In the full-window view it fills the window below the viewer's own toolbar. Where the viewer is not
 * in a reading pane (a window of its own), the frame keeps the height its style gives it.
 *
 * `size` changes whenever the frame's box does, so a "fit" zoom can be computed again.
 */
import { useEffect, useState, type RefObject } from 'react';

/** The least height of the frame (a pane on a tiny screen still shows a useful piece of the page). */
const MIN_REM = 14;

export function useFillPane(frame: RefObject<HTMLElement | null>, full: boolean): { readonly width: number; readonly height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const element = frame.current;
    if (element === null) return;
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const pane = element.closest<HTMLElement>('.pane--message');
    const fit = (): void => {
      if (full) {
        const toolbar = element.parentElement?.querySelector<HTMLElement>('.viewer__toolbar');
        element.style.height = `${Math.max(MIN_REM * rem, window.innerHeight - (toolbar?.offsetHeight ?? 0) - 2 * rem)}px`;
      } else if (pane !== null) {
        const tabs = pane.querySelector<HTMLElement>('[role="tablist"]');
        const style = getComputedStyle(pane);
        const pinned = parseFloat(style.scrollPaddingTop) || 0;
        const above = tabs === null ? 0 : element.getBoundingClientRect().top - tabs.getBoundingClientRect().top;
        const room = pane.clientHeight - (parseFloat(style.paddingTop) || 0) - (parseFloat(style.paddingBottom) || 0) - pinned - above;
        element.style.height = `${Math.max(MIN_REM * rem, Math.floor(room))}px`;
      }
      setSize((previous) => (previous.width === element.clientWidth && previous.height === element.clientHeight ? previous : { width: element.clientWidth, height: element.clientHeight }));
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(element);
    if (pane !== null) observer.observe(pane);
    window.addEventListener('resize', fit);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', fit);
      element.style.height = '';
    };
  }, [frame, full]);
  return size;
}

/** Brings the tabs of the message to the top of the reading pane, so the document below them has the pane's height. */
export function scrollTabsToTop(from: HTMLElement | null): void {
  const pane = from?.closest<HTMLElement>('.pane--message');
  const tabs = pane?.querySelector<HTMLElement>('[role="tablist"]');
  if (pane === null || pane === undefined || tabs === null || tabs === undefined) return;
  const pinned = parseFloat(getComputedStyle(pane).scrollPaddingTop) || 0;
  pane.scrollTop += tabs.getBoundingClientRect().top - pane.getBoundingClientRect().top - (parseFloat(getComputedStyle(pane).paddingTop) || 0) - pinned;
}
