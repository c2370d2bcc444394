/**
 * "Dokumente": the documents of the application (inline documents of the XML — the platform's application PDF
 * first — and OSCI attachments) and the built-in viewer for PDF and images. Every document can be saved by itself,
 * opened in the system's program (with a warning for active content) and, in the desktop app, in a window of its
 * own (DocumentActions.tsx).
 */
import { useRef, useState } from 'react';
import { ListBox, ListBoxItem, type Key } from 'react-aria-components';
import { coverageTone } from '../../../core/api/contract/coverage.js';
import { coverageSentence, wordsOf } from '../../../core/domain/words/index.js';
import { clipText } from '../../../core/text-bounds.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { visibleText } from '../../../core/visible-text.js';
import { IconWarning } from '../components/Icons.js';
import { Shown } from '../components/Shown.js';
import { bytes as formatBytes } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import { useDocumentBytes } from './document-bytes.js';
import { ImageViewer } from './ImageViewer.js';
import { PdfViewer } from './PdfViewer.js';
import { DocumentActions } from './DocumentActions.js';
import { documentKeyOf } from './DocumentWindow.js';
import type { DocumentEntry } from './types.js';

/** Characters of a document's name and file name on its tile (names come from the message, of any length). */
const NAME_CHARS = 200;

const keyOf = documentKeyOf;

function typeOf(doc: DocumentEntry): string {
  return (doc.detectedMimeType ?? doc.mimeType ?? '').toLowerCase();
}

/** What is wrong with a document: not what it claims to be (mismatch, damaged), and not of an allowed type (.bin). */
function DocumentWarnings({ doc }: { doc: DocumentEntry }) {
  const { t, language } = useLanguage();
  return (
    <>
      {doc.mimeMismatch || doc.problem ? (
        <span className="documents__problem" data-testid="document-mismatch">
          <IconWarning /> {doc.problem ? (language === 'de' ? doc.problem.de : doc.problem.en) : t.message.documents.mimeMismatch}
        </span>
      ) : null}
      {doc.exportAllowed ? null : (
        <span className="documents__problem" data-testid="document-not-allowed">
          <IconWarning /> {t.message.documents.notAllowed}
        </span>
      )}
    </>
  );
}

export function DocumentsPanel({ id, documents }: { id: number; documents: readonly DocumentEntry[] }) {
  const { t, language } = useLanguage();
  const panel = useRef<HTMLDivElement>(null);
  const sorted = [...documents].sort((a, b) => Number(b.isApplicationForm) - Number(a.isApplicationForm));
  const [selected, setSelected] = useState<string | null>(sorted[0] ? keyOf(sorted[0].ref) : null);
  const doc = sorted.find((d) => keyOf(d.ref) === selected) ?? null;
  const bytes = useDocumentBytes(id, doc?.ref ?? null);
  const type = doc === null ? '' : typeOf(doc);
  // save, open in the system's program, a window of its own (desktop)
  const save = doc === null || doc.ref.source === 'content' ? null : <DocumentActions id={id} document={doc.ref} ownWindow />;
  const rotationKey = doc === null ? undefined : `${id}:${keyOf(doc.ref)}`;

  return (
    <div className="documents" ref={panel}>
      <ListBox
        aria-label={t.message.documents.listLabel}
        className="documents__list"
        selectionMode="single"
        disallowEmptySelection
        selectedKeys={selected === null ? [] : [selected]}
        onSelectionChange={(keys) => {
          const next = [...(keys as Set<Key>)][0];
          if (typeof next === 'string') setSelected(next);
        }}
        data-testid="documents-list"
      >
        {sorted.map((d) => (
          <ListBoxItem key={keyOf(d.ref)} id={keyOf(d.ref)} className="documents__item" textValue={visibleText(clipText(d.name, NAME_CHARS))}>
            <span className="documents__name">
              <Shown text={clipText(d.name, NAME_CHARS)} />
            </span>
            <span className="documents__meta">
              {d.isApplicationForm ? `${t.message.documents.applicationForm} · ` : d.ref.source === 'attachment' ? `${t.message.documents.attachment} · ` : ''}
              {d.fileName === undefined ? null : <Shown text={clipText(d.fileName, NAME_CHARS)} />} · <span className="documents__size">{formatBytes(d.size, language)}</span>
            </span>
            <DocumentWarnings doc={d} />
            <span className="documents__export" data-testid="document-export-name">
              {t.message.documents.savedAs}: <Shown text={d.exportName} tokens className="mono" />
            </span>
            {d.coverage !== undefined ? (
              <span className={`documents__coverage documents__coverage--${coverageTone(d.coverage.status, d.coverage.role)}`} data-coverage={d.coverage.status}>
                {coverageSentence(wordsOf(language), d.coverage.status, d.coverage.role)}
              </span>
            ) : null}
          </ListBoxItem>
        ))}
      </ListBox>
      <div className="documents__viewer">
        {doc === null ? <p>{t.message.documents.choose}</p> : null}
        {doc === null ? null : (
          // a narrow pane shows the tiles in one line each: what else the selected one says, said here (CSS)
          <p className="documents__caption" data-testid="document-caption">
            {t.message.documents.savedAs}: <Shown text={doc.exportName} tokens className="mono" />
            {doc.coverage === undefined ? null : (
              <span className={`documents__coverage documents__coverage--${coverageTone(doc.coverage.status, doc.coverage.role)}`}>
                {' '}
                · {coverageSentence(wordsOf(language), doc.coverage.status, doc.coverage.role)}
              </span>
            )}
          </p>
        )}
        {doc !== null && (doc.mimeMismatch || doc.problem !== undefined || !doc.exportAllowed) ? (
          <div className="notice notice--warn documents__warning" data-testid="document-warning">
            <DocumentWarnings doc={doc} />
          </div>
        ) : null}
        {doc !== null && bytes?.phase === 'loading' ? (
          <p role="status" className="documents__loading">
            {t.message.documents.loading(bytes.percent)}
          </p>
        ) : null}
        {doc !== null && bytes?.phase === 'failed' ? <ErrorNotice error={bytes.error} headingLevel={3} /> : null}
        {doc !== null && bytes?.phase === 'ready' ? (
          type === 'application/pdf' ? (
            <PdfViewer bytes={bytes.bytes} name={visibleText(clipText(doc.name, NAME_CHARS))} actions={save} rotationKey={rotationKey} />
          ) : type === 'image/jpeg' || type === 'image/png' || type === 'image/gif' || type === 'image/webp' ? (
            <ImageViewer bytes={bytes.bytes} mimeType={type} name={visibleText(clipText(doc.name, NAME_CHARS))} actions={save} rotationKey={rotationKey} />
          ) : (
            <>
              <p className="notice">{t.message.documents.noPreview}</p>
              {save}
            </>
          )
        ) : null}
      </div>
    </div>
  );
}
