/**
 * Performance marks for the tests and the bench: `postfach:list-first-render` (mailbox shown → first rows on
 * screen) and `postfach:list-query` (a filter, search or sort changed → its rows on screen). Returns what the list
 * calls once the rows of a query are on screen.
 */
import { useCallback, useRef } from 'react';

export function useListMarks(queryKey: string): (shownKey: string) => void {
  const mountMark = useRef<string | null>(null);
  if (mountMark.current === null) {
    mountMark.current = 'postfach:mailbox-shown';
    performance.mark(mountMark.current);
  }
  const queryMark = useRef<{ key: string; mark: string } | null>(null);
  const firstRendered = useRef(false);
  const previousQueryKey = useRef(queryKey);
  if (previousQueryKey.current !== queryKey) {
    previousQueryKey.current = queryKey;
    const mark = `postfach:query-${performance.now()}`;
    performance.mark(mark);
    queryMark.current = { key: queryKey, mark };
  }
  return useCallback((key: string) => {
    if (!firstRendered.current) {
      firstRendered.current = true;
      performance.measure('postfach:list-first-render', 'postfach:mailbox-shown');
    }
    const pending = queryMark.current;
    if (pending !== null && key.startsWith(pending.key)) {
      queryMark.current = null;
      performance.measure('postfach:list-query', pending.mark);
    }
  }, []);
}
