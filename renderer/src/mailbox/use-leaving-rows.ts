/**
 * A row the caseworker changed here: patched in place from the item the service answered, or — when it no longer
 * belongs to the view (put in the trash, marked übertragen where the view shows only the not transferred, the mark
 * taken back in the view of the transferred, restored out of the Papierkorb; live-list.ts) — taken out of the list
 * at once, with "Rückgängig" in the status bar for a while. Was it the message shown, the reading pane shows the row that took its place (use-selection.ts).
 *
 * In a team (postfach serve) a step of the shared inbox moves the row between "Meine" and "Nicht zugewiesen" at once:
 * "Bearbeiten" takes it out of "Nicht zugewiesen", "Freigeben" or a hand-over out of "Meine". The reading pane keeps
 * the application (the person has just taken it up or given it away; the opposite step is right there in the pane,
 * so no "Rückgängig"), and when that step brings it back into the view, the list is read again and shows it. The
 * folder counts follow at once.
 */
import { useCallback, useRef } from 'react';
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import { useApi } from '../api/api-context.js';
import { useT } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';
import type { Filters, Folder } from './FolderPane.js';
import { byClaim, entersView, leavesView } from './live-list.js';
import type { MessagePages } from './use-message-pages.js';
import type { Selection } from './use-selection.js';

/** How long "Rückgängig" is offered. */
const UNDO_MS = 10_000;

export interface LeavingRowsOptions {
  readonly pages: MessagePages;
  readonly folder: Folder;
  readonly filters: Filters;
  readonly selection: Selection;
  readonly markOurs: (id: number) => void;
  readonly refreshCounts: () => void;
  /** The reading pane reads its message again (after "Rückgängig": the state changed around it). */
  readonly reopen: () => void;
}

/** The row shown instead of the one at `index` that leaves: the next one, or the one before when it was the last. */
export function rowAfterLeaving(pages: Pick<MessagePages, 'itemAt'>, index: number): MessageListItem | undefined {
  return pages.itemAt(index + 1) ?? (index > 0 ? pages.itemAt(index - 1) : undefined);
}

export function useLeavingRows({ pages, folder, filters, selection, markOurs, refreshCounts, reopen }: LeavingRowsOptions): (item: MessageListItem) => void {
  const api = useApi();
  const t = useT();
  const { announce, reportError } = useStatus();
  // read when a change comes, not when the callback was made: the list and the selection move on in between
  const now = useRef({ pages, folder, filters, selection });
  now.current = { pages, folder, filters, selection };
  const { patch, remove, reload } = pages;

  return useCallback(
    (item: MessageListItem) => {
      markOurs(item.id);
      const { pages: shown, folder: inFolder, filters: withFilters, selection: selected } = now.current;
      const index = shown.indexOf(item.id);
      const before = index === undefined ? undefined : shown.itemAt(index);
      const leaving = before === undefined ? null : leavesView(before, item, inFolder, withFilters);
      if (index === undefined && entersView(item, inFolder)) {
        // a step in the reading pane brought the application (back) into this view
        reload();
        refreshCounts();
        return;
      }
      if (leaving === null || index === undefined) {
        patch(item);
        return;
      }
      if (byClaim(leaving)) {
        remove(item.id);
        refreshCounts();
        return;
      }
      const wasShown = selected.selectedId === item.id;
      const next = wasShown ? (rowAfterLeaving(shown, index)?.id ?? null) : null;
      // the row leaves the view at once; the status bar offers to take it back for a while
      remove(item.id);
      if (wasShown) selected.moveOn(next);
      const undo = (): void => {
        markOurs(item.id);
        const back =
          leaving === 'trashed'
            ? api.call('messages.setTrashed', { id: item.id, trashed: false })
            : leaving === 'transferred' || leaving === 'untransferred'
              ? api.call('messages.setTransferred', { id: item.id, transferred: leaving === 'untransferred' })
              : api.call('messages.setTrashed', { id: item.id, trashed: true });
        back.then(() => {
          if (wasShown) now.current.selection.returnTo(item.id, next);
          reopen();
          reload();
          refreshCounts();
          announce(t.mailbox.space.undone);
        }, reportError);
      };
      const text = {
        trashed: t.mailbox.space.trashedUndo,
        transferred: t.mailbox.space.transferredUndo,
        untransferred: t.message.unmarkedTransferred,
        restored: t.mailbox.space.restoredFromTrash,
      }[leaving];
      announce(text, { label: t.mailbox.space.undo, run: undo, forMs: UNDO_MS });
    },
    [patch, remove, reload, refreshCounts, reopen, markOurs, api, announce, reportError, t],
  );
}
