/**
 * Performance marks for the tests and the bench: `postfach:list-first-render` (mailbox shown → first rows painted)
 * and `postfach:list-query` (the caseworker's input that changed the view, filter, search or sort → its rows
 * painted). Returns what the list calls once the rows of a query are committed to the DOM.
 *
 * Why from the input event: the time a person waits starts with the click or key press, not with React's render
 * of the new query (the search's pause after typing, the store's answer and the rendering all count). Why after
 * the paint: the rows are seen only when the frame that holds them is painted; a message posted from that frame's
 * animation callback runs once the frame is done.
 */
import { useCallback, useRef } from 'react';

/** Inputs older than this did not cause a query change (a reload, the office's midnight): measured from the render. */
const INPUT_MAX_AGE_MS = 5_000;

/** The time stamp (performance timeline) of the caseworker's last pointer press, key press or typed text. */
let lastInput = -Infinity;
if (typeof window !== 'undefined') {
  const note = (event: Event): void => {
    lastInput = event.timeStamp;
  };
  for (const type of ['pointerdown', 'keydown', 'input']) window.addEventListener(type, note, { capture: true, passive: true });
}

/** Runs `then` once the frame now being prepared has been painted. */
function afterPaint(then: () => void): void {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      then();
    };
    channel.port2.postMessage(null);
  });
}

export function useListMarks(queryKey: string): (shownKey: string) => void {
  const mountMark = useRef<string | null>(null);
  if (mountMark.current === null) {
    mountMark.current = 'postfach:mailbox-shown';
    performance.mark(mountMark.current);
  }
  const queryStart = useRef<{ key: string; start: number } | null>(null);
  const firstRendered = useRef(false);
  const previousQueryKey = useRef(queryKey);
  /** The input a query change was measured from: one input starts one measurement. */
  const usedInput = useRef(-Infinity);
  if (previousQueryKey.current !== queryKey) {
    previousQueryKey.current = queryKey;
    const now = performance.now();
    const fromInput = lastInput > usedInput.current && now - lastInput <= INPUT_MAX_AGE_MS;
    if (fromInput) usedInput.current = lastInput;
    queryStart.current = { key: queryKey, start: fromInput ? lastInput : now };
  }
  return useCallback((key: string) => {
    if (!firstRendered.current) {
      firstRendered.current = true;
      afterPaint(() => performance.measure('postfach:list-first-render', 'postfach:mailbox-shown'));
    }
    const pending = queryStart.current;
    if (pending !== null && key.startsWith(pending.key)) {
      queryStart.current = null;
      afterPaint(() => performance.measure('postfach:list-query', { start: pending.start, end: performance.now() }));
    }
  }, []);
}
