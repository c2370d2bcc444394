/**
 * A narrow window (under 56rem: a small window, or zoom 200 %): the mailbox shows one pane at a time — the list,
 * or the application with "Zurück".
 */
import { useEffect, useState } from 'react';

const NARROW = '(max-width: 56rem)';

export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const list = window.matchMedia(NARROW);
    const update = (): void => setNarrow(list.matches);
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, []);
  return narrow;
}
