/**
 * One document in a window of its own (desktop app: `#message=<id>&document=<key>`, opened by "In eigenem Fenster
 * öffnen"; electron/app-url.ts). The same viewer as the reading pane, filling the window, with its own turns, zoom
 * and the document's actions (save, open in the system's program). The window has the main window's frame (title,
 * Übungsmodus colour, status bar), so a training document is never mistaken for a real one. Loading the message's
 * detail is audited as "geöffnet", as any other look at the message.
 */
import { useEffect, useState } from 'react';
import { clipText } from '../../../core/text-bounds.js';
import { visibleText } from '../../../core/visible-text.js';
import { useApi } from '../api/api-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Shown } from '../components/Shown.js';
import { useT } from '../i18n/i18n.js';
import { DocumentActions } from './DocumentActions.js';
import { useDocumentBytes } from './document-bytes.js';
import { ImageViewer } from './ImageViewer.js';
import { PdfViewer } from './PdfViewer.js';
import type { DocumentEntry } from './types.js';

const NAME_CHARS = 200;

export const documentKeyOf = (ref: DocumentEntry['ref']): string =>
  ref.source === 'inline' ? `i${ref.ordinal}` : ref.source === 'attachment' ? `a${ref.attachmentId}` : 'content';

export function DocumentWindow({ id, documentKey }: { id: number; documentKey: string }) {
  const t = useT();
  const api = useApi();
  const [doc, setDoc] = useState<DocumentEntry | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let cancelled = false;
    api.call('messages.detail', { ref: { id } }).then(
      (detail) => {
        if (cancelled) return;
        const found = detail.documents.find((d) => documentKeyOf(d.ref) === documentKey);
        if (found === undefined) setError(new Error(`no document ${documentKey} in message ${id}`));
        else setDoc(found);
      },
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [api, id, documentKey]);
  const bytes = useDocumentBytes(id, doc?.ref ?? null);
  const name = doc === null ? '' : visibleText(clipText(doc.name, NAME_CHARS));
  useEffect(() => {
    if (name !== '') document.title = `${name} – ${t.app.title}`;
  }, [name, t]);

  if (error !== null) return <ErrorNotice error={error} />;
  if (doc === null || bytes === null || bytes.phase === 'loading')
    return (
      <p role="status" className="documents__loading">
        {t.message.documents.loading(bytes?.phase === 'loading' ? bytes.percent : 0)}
      </p>
    );
  if (bytes.phase === 'failed') return <ErrorNotice error={bytes.error} />;
  const type = (doc.detectedMimeType ?? doc.mimeType ?? '').toLowerCase();
  const actions = <DocumentActions id={id} document={doc.ref} ownWindow={false} />;
  const rotationKey = `${id}:${documentKey}`;
  return (
    <>
      <h1 className="document-window__caption card__title" data-testid="document-window-title">
        <Shown text={clipText(doc.name, NAME_CHARS)} />
      </h1>
      {type === 'application/pdf' ? (
        <PdfViewer bytes={bytes.bytes} name={name} actions={actions} rotationKey={rotationKey} fullWindow />
      ) : type === 'image/jpeg' || type === 'image/png' || type === 'image/gif' || type === 'image/webp' ? (
        <ImageViewer bytes={bytes.bytes} mimeType={type} name={name} actions={actions} rotationKey={rotationKey} fullWindow />
      ) : (
        <div className="viewer viewer--window">
          <p className="notice">{t.message.documents.noPreview}</p>
          <div className="viewer__toolbar">{actions}</div>
        </div>
      )}
    </>
  );
}
