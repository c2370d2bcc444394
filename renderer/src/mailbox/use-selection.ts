/**
 * The message shown in the reading pane, and where the focus goes with it.
 *
 * - A row chosen (click, keys) is shown; moving on to another message clears the status bar's transient messages.
 * - Enter or a double click opens it: a window of its own in the desktop app's three panes, else the reading pane
 *   with the focus on the message's heading (in the narrow layout the pane replaces the list).
 * - The selected row left the view by the caseworker's action (trash, übertragen where the view filters it): the
 *   row that took its place is shown — the one before when it was the last, none when the view is empty — as a mail
 *   program does. What the status bar says stays (it offers "Rückgängig"); a focus that was in the reading pane (now
 *   showing another message) goes to the new row in the list, without scrolling it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import { useApi } from '../api/api-context.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';

/** How long a focus request waits for its element to be drawn. */
const FOCUS_WAIT_MS = 3000;

type FocusRequest = { readonly target: 'heading' | 'row'; readonly id: number; readonly seq: number };

export interface Selection {
  readonly selectedId: number | null;
  /** The narrow layout shows the reading pane instead of the list. */
  readonly showMessage: boolean;
  readonly select: (item: MessageListItem) => void;
  readonly activate: (item: MessageListItem) => void;
  /** The selected row left the view: show `next` (null: none) instead. */
  readonly moveOn: (next: number | null) => void;
  /** "Rückgängig" brought `id` back: it is shown again if the caseworker still looks at `movedTo`. */
  readonly returnTo: (id: number, movedTo: number | null) => void;
  /** These messages are gone (deleted for ever, retention): none is shown if the selected one is among them. */
  readonly forget: (ids: readonly number[]) => void;
  /** The narrow layout: back to the list (also when the view changes). */
  readonly showList: () => void;
}

export function useSelection(narrow: boolean): Selection {
  const api = useApi();
  const { isDesktop } = useWorkspace();
  const { reportError, clearTransient } = useStatus();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [showMessage, setShowMessage] = useState(false);
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);
  const selected = useRef(selectedId);
  selected.current = selectedId;

  // moving on to another message: what the status bar said about the one before goes
  const choose = useCallback(
    (id: number) => {
      if (id !== selected.current) clearTransient();
      selected.current = id;
      setSelectedId(id);
    },
    [clearTransient],
  );

  const select = useCallback(
    (item: MessageListItem) => {
      choose(item.id);
      setShowMessage(true);
    },
    [choose],
  );

  const activate = useCallback(
    (item: MessageListItem) => {
      choose(item.id);
      if (isDesktop && !narrow) {
        api.call('window.openMessage', { id: item.id }).catch(reportError);
        return;
      }
      setShowMessage(true);
      setFocusRequest((r) => ({ target: 'heading', id: item.id, seq: (r?.seq ?? 0) + 1 }));
    },
    [isDesktop, narrow, api, reportError, choose],
  );

  const moveOn = useCallback(
    (next: number | null) => {
      selected.current = next;
      setSelectedId(next);
      if (next === null) {
        setShowMessage(false);
        return;
      }
      setFocusRequest((r) => ({ target: narrow ? 'heading' : 'row', id: next, seq: (r?.seq ?? 0) + 1 }));
    },
    [narrow],
  );

  const returnTo = useCallback(
    (id: number, movedTo: number | null) => {
      if (selected.current !== movedTo) return;
      selected.current = id;
      setSelectedId(id);
      if (narrow) setShowMessage(true);
    },
    [narrow],
  );

  const forget = useCallback((ids: readonly number[]) => setSelectedId((current) => (current !== null && ids.includes(current) ? null : current)), []);
  const showList = useCallback(() => setShowMessage(false), []);

  useEffect(() => {
    if (focusRequest === null) return;
    const { target, id } = focusRequest;
    // the heading of the message just opened (not the one still shown while it loads); the row of the message shown
    // instead of one that left the view, when the focus was in the reading pane (or lost with it)
    const timer = setInterval(() => {
      const element =
        target === 'heading'
          ? document.querySelector<HTMLElement>(`[data-message-id="${id}"] #message-heading`)
          : document.querySelector<HTMLElement>(`[data-testid="message-list"] [data-id="${id}"]`);
      if (element === null) return;
      clearInterval(timer);
      if (target === 'row') {
        const focused = document.activeElement;
        // the reading pane, or the menu that did it (its trigger is gone with the message)
        const inPane = focused === null || focused === document.body || focused.closest('.pane--message, .popover') !== null;
        if (!inPane) return;
      }
      element.focus({ preventScroll: target === 'row' });
    }, 50);
    const stop = setTimeout(() => clearInterval(timer), FOCUS_WAIT_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(stop);
    };
  }, [focusRequest]);

  return { selectedId, showMessage, select, activate, moveOn, returnTo, forget, showList };
}
