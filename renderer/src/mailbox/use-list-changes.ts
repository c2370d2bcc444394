/**
 * Changes of messages from outside the list: a fetch, another window, retention. The service says each in
 * `messages.changed`; the list is read again, the counts a moment later (several changes, one count). A change the
 * caseworker made here (its row is patched from the service's answer already) is known as ours for a few seconds —
 * its event may even arrive before the action's answer — and does not read the list again.
 */
import { useCallback, useEffect, useRef } from 'react';
import { useApi } from '../api/api-context.js';

/** How long a change made here counts as ours. */
const OURS_MS = 3000;

export interface OwnChanges {
  /** The caseworker changes this message here: its change event is ours. */
  readonly markOurs: (id: number) => void;
}

export interface ListChangesOptions {
  readonly reload: () => void;
  readonly refreshCounts: () => void;
  /** Messages that are gone (deleted for ever, or by retention). */
  readonly onGone: (ids: readonly number[]) => void;
}

export function useListChanges({ reload, refreshCounts, onGone }: ListChangesOptions): OwnChanges {
  const api = useApi();
  const patched = useRef(new Map<number, number>());
  const gone = useRef(onGone);
  gone.current = onGone;

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = api.on('messages.changed', (change) => {
      clearTimeout(timer);
      timer = setTimeout(refreshCounts, 200);
      const now = Date.now();
      const ours = change.reason === 'state' && change.ids !== undefined && change.ids.every((id) => now - (patched.current.get(id) ?? 0) < OURS_MS);
      if (!ours) reload();
      if ((change.reason === 'deleted' || change.reason === 'retention') && change.ids !== undefined) gone.current(change.ids);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [api, refreshCounts, reload]);

  const markOurs = useCallback((id: number) => {
    patched.current.set(id, Date.now());
  }, []);
  return { markOurs };
}
