/**
 * The message shown in the reading pane, and where the focus goes with it.
 *
 * - A row chosen (click, keys) is shown; moving on to another message clears the status bar's transient messages.
 * - Enter or a double click opens it: a window of its own in the desktop app's three panes, else the reading pane
 *   with the focus on the message's heading (in the narrow layout the pane replaces the list).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import { useApi } from '../api/api-context.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';

/** How long a focus request waits for its element to be drawn. */
const FOCUS_WAIT_MS = 3000;

type FocusRequest = { readonly target: 'heading'; readonly id: number; readonly seq: number };

export interface Selection {
  readonly selectedId: number | null;
  /** The narrow layout shows the reading pane instead of the list. */
  readonly showMessage: boolean;
  readonly select: (item: MessageListItem) => void;
  readonly activate: (item: MessageListItem) => void;
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

  const forget = useCallback((ids: readonly number[]) => setSelectedId((current) => (current !== null && ids.includes(current) ? null : current)), []);
  const showList = useCallback(() => setShowMessage(false), []);

  useEffect(() => {
    if (focusRequest === null) return;
    const { id } = focusRequest;
    // the heading of the message just opened (not the one still shown while it loads)
    const timer = setInterval(() => {
      const heading = document.querySelector<HTMLElement>(`[data-message-id="${id}"] #message-heading`);
      if (heading === null) return;
      clearInterval(timer);
      heading.focus();
    }, 50);
    const stop = setTimeout(() => clearInterval(timer), FOCUS_WAIT_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(stop);
    };
  }, [focusRequest]);

  return { selectedId, showMessage, select, activate, forget, showList };
}
