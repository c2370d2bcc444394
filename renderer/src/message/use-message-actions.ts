/**
 * What the caseworker does with a message, as functions for the toolbar, the menus and the checklist: mark
 * übertragen / ungelesen, trash and restore, legal hold, export, the acceptance record of a Testantrag, the
 * checklist (its last block marks the message übertragen), delete forever. Each tells the list before (the change
 * event that follows is ours) and patches the shown message and its row from the item the service answered; the
 * status bar says what happened or what went wrong.
 */
import { useCallback } from 'react';
import { useApi } from '../api/api-context.js';
import { officeDay } from '../format/format.js';
import { useT } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';
import type { Detail, ListItem } from './types.js';
import { suggestedName, useDownloader, useExporter, type ExportFormat } from './use-exporter.js';

export interface MessageActionsOptions {
  readonly onItemChanged?: ((item: ListItem) => void) | undefined;
  readonly onBeforeChange?: ((id: number) => void) | undefined;
}

export interface MessageActions {
  /** The message changed (the service's answer): the shown detail and the list's row take it. */
  readonly changed: (item: ListItem) => void;
  readonly setTransferred: (transferred: boolean) => void;
  readonly markUnread: () => void;
  readonly setTrashed: (trashed: boolean) => void;
  readonly setLegalHold: (hold: boolean) => void;
  readonly exportAs: (format: ExportFormat) => void;
  readonly acceptanceRecord: () => Promise<void>;
  readonly setChecklist: (ticked: string[]) => Promise<void>;
  readonly deleteForever: () => Promise<void>;
}

export function useMessageActions(
  id: number,
  detail: Detail | null,
  update: (change: (d: Detail) => Detail) => void,
  { onItemChanged, onBeforeChange }: MessageActionsOptions,
): MessageActions {
  const api = useApi();
  const t = useT();
  const { announce, reportError } = useStatus();
  const { isDesktop } = useWorkspace();
  const exporter = useExporter();
  const download = useDownloader();

  const changed = useCallback(
    (item: ListItem) => {
      update((d) => (d.item.id !== item.id ? d : { ...d, item }));
      onItemChanged?.(item);
    },
    [update, onItemChanged],
  );

  const act = useCallback(
    async (work: () => Promise<ListItem>, done: string) => {
      onBeforeChange?.(id);
      try {
        const item = await work();
        // said first, so that the list may say more (a row that leaves the view offers "Rückgängig")
        announce(done);
        changed(item);
      } catch (e) {
        reportError(e);
      }
    },
    [changed, announce, reportError, onBeforeChange, id],
  );

  const setTransferred = useCallback(
    (transferred: boolean) => void act(() => api.call('messages.setTransferred', { id, transferred }), transferred ? t.message.markedTransferred : t.message.unmarkedTransferred),
    [act, api, id, t],
  );
  const markUnread = useCallback(() => void act(() => api.call('messages.setRead', { id, read: false }), t.message.markedUnread), [act, api, id, t]);
  const setTrashed = useCallback(
    (trashed: boolean) => void act(() => api.call('messages.setTrashed', { id, trashed }), trashed ? t.message.trashed : t.message.restored),
    [act, api, id, t],
  );
  const setLegalHold = useCallback(
    (hold: boolean) => void act(() => api.call('messages.setLegalHold', { id, hold }), hold ? t.message.actions.legalHoldOn : t.message.actions.legalHoldOff),
    [act, api, id, t],
  );

  const exportAs = useCallback(
    (format: ExportFormat) => {
      if (detail === null) return;
      onBeforeChange?.(detail.item.id);
      void exporter(detail.item.id, format, suggestedName(format, detail.laufzettel.eingang ?? detail.item.eingang, detail.item.messageId)).then((ok) => {
        if (ok && format !== 'receipt') {
          // the state may have become "exportiert"
          api.call('messages.list', { search: detail.item.messageId, limit: 1 }).then(
            (page) => {
              const item = page.items.find((i) => i.id === detail.item.id);
              if (item) changed(item);
            },
            () => undefined,
          );
        }
      });
    },
    [detail, exporter, api, changed, onBeforeChange],
  );

  /**
   * The acceptance record of a Testantrag: in the desktop app with a screenshot of this window (the rendered
   * application), saved where the caseworker chooses; in browser mode without one, as a download.
   */
  const acceptanceRecord = useCallback(async () => {
    if (detail === null) return;
    const name = `Abnahmeprotokoll_${officeDay(detail.laufzettel.eingang ?? detail.item.eingang)}_${detail.item.messageId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}.pdf`;
    try {
      if (isDesktop) {
        const { png } = await api.call('window.capture', {});
        const { path } = await api.call('dialog.saveFile', { kind: 'pdf', suggestedName: name });
        if (path === null) return;
        await api.call('abnahme.create', { id: detail.item.id, target: path, ...(png ? { screenshot: png, screenshotSource: 'Desktop-Programm' } : {}) });
        announce(t.ops.abnahmeDone(path));
        return;
      }
      const { downloadId, target } = await api.call('workspace.createDownload', { fileName: name });
      try {
        await api.call('abnahme.create', { id: detail.item.id, target });
      } catch (error) {
        await api.call('workspace.releaseDownload', { downloadId }).catch(() => undefined);
        throw error;
      }
      await download(downloadId);
      announce(t.ops.abnahmeDownloaded);
    } catch (error) {
      reportError(error);
    }
  }, [api, detail, isDesktop, download, announce, reportError, t]);

  const setChecklist = useCallback(
    async (ticked: string[]): Promise<void> => {
      if (detail === null) return;
      onBeforeChange?.(detail.item.id);
      try {
        const { checklist } = await api.call('messages.setChecklist', { id: detail.item.id, ticked });
        update((d) => ({ ...d, checklist }));
        const cards = detail.view?.cards ?? [];
        const complete = cards.length > 0 && cards.every((c) => checklist.includes(c.id));
        if (complete && detail.item.state !== 'transferred') {
          changed(await api.call('messages.setTransferred', { id: detail.item.id, transferred: true }));
          announce(t.message.checklist.complete);
        }
      } catch (e) {
        reportError(e);
      }
    },
    [api, detail, update, changed, announce, reportError, onBeforeChange, t],
  );

  const deleteForever = useCallback(async (): Promise<void> => {
    try {
      await api.call('messages.deletePermanently', { id });
      announce(t.message.deleted);
    } catch (e) {
      reportError(e);
    }
  }, [api, id, announce, reportError, t]);

  return { changed, setTransferred, markUnread, setTrashed, setLegalHold, exportAs, acceptanceRecord, setChecklist, deleteForever };
}
