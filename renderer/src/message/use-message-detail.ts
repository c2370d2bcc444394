/**
 * The message a reading pane (or a window of its own) shows: read from the service (`messages.detail`), and read
 * again when asked ("Erneut versuchen"), when the name order changes or IT imported code lists (both change how the
 * service writes the view). Opening a message marks it read: the list is told before (the change event that follows
 * is ours) and after (its row is patched from the item the service answered).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { Detail, ListItem } from './types.js';

export interface MessageDetailOptions {
  /** The name order: the service writes names in it, so a change reads the message again. */
  readonly familyFirst: boolean;
  /** A message was read (the first time or again). */
  readonly onLoaded?: (detail: Detail) => void;
  readonly onItemChanged?: ((item: ListItem) => void) | undefined;
  readonly onBeforeChange?: ((id: number) => void) | undefined;
}

export interface MessageDetail {
  /** null while the message is read (the one shown before stays while it is read again). */
  readonly detail: Detail | null;
  readonly error: unknown;
  readonly retry: () => void;
  /** Changes the detail shown (after an action the service answered); nothing while none is shown. */
  readonly update: (change: (detail: Detail) => Detail) => void;
}

export function useMessageDetail(id: number, { familyFirst, onLoaded, onItemChanged, onBeforeChange }: MessageDetailOptions): MessageDetail {
  const api = useApi();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [attempt, setAttempt] = useState(0);
  // notifications, not reasons to read the message again: the latest functions are called
  const notify = useRef({ onLoaded, onItemChanged, onBeforeChange });
  notify.current = { onLoaded, onItemChanged, onBeforeChange };

  useEffect(() => {
    let cancelled = false;
    setError(undefined);
    setDetail((d) => (d?.item.id === id ? d : null));
    notify.current.onBeforeChange?.(id);
    api.call('messages.detail', { ref: { id } }).then(
      (loaded) => {
        if (cancelled) return;
        setDetail(loaded);
        notify.current.onLoaded?.(loaded);
        notify.current.onItemChanged?.(loaded.item);
      },
      (e: unknown) => {
        if (!cancelled) setError(e);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, id, attempt, familyFirst]);

  useEffect(() => api.on('codelists.changed', () => setAttempt((n) => n + 1)), [api]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const update = useCallback((change: (d: Detail) => Detail) => setDetail((d) => (d === null ? d : change(d))), []);
  return { detail, error, retry, update };
}
