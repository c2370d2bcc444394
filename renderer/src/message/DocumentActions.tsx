/**
 * What the caseworker can do with one document besides reading it in the viewer (issue 17): save it by itself,
 * open it in the system's program, and — desktop app — open it in a window of its own.
 *
 * "Im Standardprogramm öffnen": the desktop app hands a private temporary copy to the operating system
 * (electron/open-external.ts); the browser mode cannot start programs, so there the button downloads the document
 * (its label says so) and the browser's downloads open it. In both, the service first checks the bytes for active
 * content (JavaScript in a PDF, macros, HTML, programs, scripts …; core/xsozial/active-content.ts) and a warning
 * dialog names what it found — opening happens only after "Trotzdem öffnen". Escape or "Nicht öffnen" cancels.
 */
import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { ActiveContentCodeDto } from '../../../core/api/contract/active-content.js';
import { ACTIVE_CONTENT_WORDS } from '../../../core/api/contract/active-content-words.js';
import type { DocumentRef } from '../../../core/api/contract/mailbox.js';
import { useApi } from '../api/api-context.js';
import { IconExport, IconNewWindow, IconOpenExternal, IconWarning } from '../components/Icons.js';
import { Modal } from '../components/Modal.js';
import { useLanguage } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';
import { useExporter } from './use-exporter.js';

type Openable = Exclude<DocumentRef, { source: 'content' }>;
type Finding = { code: ActiveContentCodeDto };

export function DocumentActions({
  id,
  document,
  ownWindow,
}: {
  id: number;
  document: DocumentRef;
  /** Offer "In eigenem Fenster öffnen" (not inside that window). */ ownWindow: boolean;
}) {
  const { t, language } = useLanguage();
  const api = useApi();
  const exportAs = useExporter();
  const { isDesktop } = useWorkspace();
  const { announce, reportError } = useStatus();
  const [warning, setWarning] = useState<readonly Finding[] | null>(null);
  if (document.source === 'content') return null;
  const ref: Openable = document;
  const save = () => exportAs(id, 'attachments', `Anlage_${id}`, ref);

  /** Desktop: the shell checks and opens; browser: the service checks, the download follows. */
  const open = async (acceptActive: boolean): Promise<void> => {
    try {
      if (isDesktop) {
        const result = await api.call('document.openExternally', { id, document: ref, acceptActive });
        if (!result.opened) setWarning(result.findings);
        else announce(t.mailbox.space.openedExternal);
        return;
      }
      if (!acceptActive) {
        const { findings } = await api.call('messages.documentActiveContent', { id, document: ref });
        if (findings.length > 0) {
          setWarning(findings);
          return;
        }
      }
      await save();
    } catch (error) {
      reportError(error);
    }
  };
  const s = t.mailbox.space;
  const openLabel = isDesktop ? s.openExternal : s.openExternalBrowser;
  return (
    <>
      <Button className="button button--icon" onPress={() => void save()} aria-label={s.saveOne} data-testid="save-document">
        <span title={s.saveOne}>
          <IconExport />
        </span>
      </Button>
      <Button className="button button--icon" onPress={() => void open(false)} aria-label={openLabel} data-testid="open-external">
        <span title={openLabel}>
          <IconOpenExternal />
        </span>
      </Button>
      {ownWindow && isDesktop ? (
        <Button
          className="button button--icon"
          onPress={() => {
            api.call('window.openDocument', { id, document: ref }).then(() => announce(s.windowOpened), reportError);
          }}
          aria-label={s.ownWindow}
          data-testid="open-window"
        >
          <span title={s.ownWindow}>
            <IconNewWindow />
          </span>
        </Button>
      ) : null}
      <Modal
        title={s.activeHeading}
        isOpen={warning !== null}
        onClose={() => {
          setWarning(null);
          announce(s.activeCancelled);
        }}
        size="narrow"
        role="alertdialog"
        testId="active-content-warning"
      >
        <p>
          <IconWarning /> {s.activeIntro}
        </p>
        <ul data-testid="active-content-findings">
          {(warning ?? []).map((f) => (
            <li key={f.code} data-code={f.code}>
              {ACTIVE_CONTENT_WORDS[f.code][language]}
            </li>
          ))}
        </ul>
        <p>{s.activeAdvice}</p>
        <div className="form__actions">
          {/* the safe choice first: Enter on the dialog's first button does not open the document */}
          <Button
            className="button"
            autoFocus
            onPress={() => {
              setWarning(null);
              announce(s.activeCancelled);
            }}
            data-testid="active-cancel"
          >
            {s.activeCancel}
          </Button>
          <Button
            className="button button--danger"
            onPress={() => {
              setWarning(null);
              void open(true);
            }}
            data-testid="active-accept"
          >
            {isDesktop ? s.activeOpen : s.activeDownload}
          </Button>
        </div>
      </Modal>
    </>
  );
}
