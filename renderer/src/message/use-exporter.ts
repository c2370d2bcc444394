/**
 * Export and print of a message, the same in both hosts from the caller's view:
 *  - desktop app: the native save dialog (main process) chooses the target, the service writes there;
 *  - browser mode: the service writes into a private download folder, the UI reads the file(s) back in chunks and
 *    offers each as a browser download, then the folder is deleted.
 * Every export is audited by the service as "exportiert".
 */
import { useCallback } from 'react';
import type { MethodInput } from '../../../core/api/contract.js';
import type { DocumentRef } from '../../../core/api/contract/mailbox.js';
import { useApi } from '../api/api-context.js';
import { base64ToBytes } from '../format/base64.js';
import { officeDay } from '../format/format.js';
import { useT } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';

export type ExportFormat = MethodInput<'messages.export'>['format'];

const CHUNK = 1024 * 1024;

/** Neutral file names (no personal data in names that travel): kind, Eingang date, the start of the message id. */
export function suggestedName(format: ExportFormat | 'csv', eingang: string | undefined, messageId: string | undefined): string {
  // the office's calendar day (core/time): an Eingang at 23:30 UTC is the next day in the office
  const day = officeDay(eingang);
  const id = (messageId ?? '').replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
  const stem = `${day}${id ? `_${id}` : ''}`;
  switch (format) {
    case 'pdf':
      return `Antrag_${stem}.pdf`;
    case 'xml':
      return `Antrag_${stem}_original.xml`;
    case 'receipt':
      return `Eingangsbestaetigung_${stem}.pdf`;
    case 'attachments':
      return `Anlagen_${stem}`;
    case 'csv':
      return `Protokoll_${day}.csv`;
  }
}

const mimeOf = (name: string): string =>
  name.endsWith('.pdf') ? 'application/pdf' : name.endsWith('.xml') ? 'application/xml' : name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream';

export function useDownloader() {
  const api = useApi();
  /** Reads every file of a download folder and hands each to the browser as a download. */
  return useCallback(
    async (downloadId: string): Promise<number> => {
      try {
        const { files } = await api.call('workspace.downloadFiles', { downloadId });
        for (const file of files) {
          const parts: Uint8Array<ArrayBuffer>[] = [];
          for (let offset = 0; ;) {
            const chunk = await api.call('workspace.readDownload', { downloadId, file: file.name, offset, length: CHUNK });
            const bytes = base64ToBytes(chunk.data);
            parts.push(bytes);
            offset += bytes.length;
            if (chunk.done || bytes.length === 0) break;
          }
          const name = file.name.split('/').pop() ?? file.name;
          const url = URL.createObjectURL(new Blob(parts, { type: mimeOf(name) }));
          const anchor = document.createElement('a');
          anchor.href = url;
          anchor.download = name;
          anchor.rel = 'noopener';
          document.body.append(anchor);
          anchor.click();
          anchor.remove();
          setTimeout(() => URL.revokeObjectURL(url), 10_000);
        }
        return files.length;
      } finally {
        await api.call('workspace.releaseDownload', { downloadId }).catch(() => undefined);
      }
    },
    [api],
  );
}

export function useExporter() {
  const api = useApi();
  const t = useT();
  const { isDesktop } = useWorkspace();
  const { announce, reportError } = useStatus();
  const download = useDownloader();

  return useCallback(
    async (id: number, format: ExportFormat, name: string, document?: DocumentRef): Promise<boolean> => {
      const what = t.message.exportNames[format];
      const one = document === undefined ? {} : { document };
      try {
        if (isDesktop) {
          const kind = format === 'attachments' ? 'folder' : format === 'receipt' ? 'pdf' : format;
          const { path } = await api.call('dialog.saveFile', { kind, suggestedName: name });
          if (path === null) return false;
          await api.call('messages.export', { id, format, target: path, ...one });
          announce(t.message.exportedTo(what, path));
          return true;
        }
        const { downloadId, target } = await api.call('workspace.createDownload', { fileName: name });
        try {
          await api.call('messages.export', { id, format, target, ...one });
        } catch (error) {
          await api.call('workspace.releaseDownload', { downloadId }).catch(() => undefined);
          throw error;
        }
        await download(downloadId);
        announce(t.message.downloaded(what));
        return true;
      } catch (error) {
        reportError(error);
        return false;
      }
    },
    [api, t, isDesktop, announce, reportError, download],
  );
}
