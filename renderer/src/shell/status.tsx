/**
 * The status bar's message: what just happened, or what went wrong (the plain sentence in the UI language, and
 * "Was kann ich tun?" opening the advice and the technical detail). Screens report through `useStatus()` so no
 * failure disappears silently.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { Button } from 'react-aria-components';
import { toPostfachError } from '../../../core/errors.js';
import { ErrorHelp } from '../components/ErrorNotice.js';
import { Modal } from '../components/Modal.js';
import { useT, useUserText } from '../i18n/i18n.js';

type StatusMessage = { readonly kind: 'info'; readonly text: string; readonly seq: number } | { readonly kind: 'error'; readonly error: unknown; readonly seq: number };

interface StatusState {
  readonly message: StatusMessage | null;
  announce(text: string): void;
  reportError(error: unknown): void;
  clear(): void;
}

const StatusContext = createContext<StatusState>({ message: null, announce: () => undefined, reportError: () => undefined, clear: () => undefined });

let seq = 0;

export function StatusProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<StatusMessage | null>(null);
  const value = useMemo<StatusState>(
    () => ({
      message,
      announce: (text) => setMessage({ kind: 'info', text, seq: ++seq }),
      reportError: (error) => setMessage({ kind: 'error', error, seq: ++seq }),
      clear: () => setMessage(null),
    }),
    [message],
  );
  return <StatusContext.Provider value={value}>{children}</StatusContext.Provider>;
}

export function useStatus(): StatusState {
  return useContext(StatusContext);
}

export function StatusText() {
  const { message } = useStatus();
  const t = useT();
  const text = useUserText();
  const [helpOpen, setHelpOpen] = useState(false);
  if (message === null) return null;
  if (message.kind === 'info') return <span key={message.seq}>{message.text}</span>;
  const e = toPostfachError(message.error);
  return (
    <span className="statusbar__error" key={message.seq}>
      <span>{text(e.text)}</span>{' '}
      <Button className="button button--link statusbar__help" onPress={() => setHelpOpen(true)}>
        {t.status.whatCanIDo}
      </Button>
      <Modal title={t.errors.helpDialogTitle} isOpen={helpOpen} onClose={() => setHelpOpen(false)} size="narrow" testId="help-dialog">
        <p>{text(e.text)}</p>
        <ErrorHelp error={e} headingLevel={2} />
      </Modal>
    </span>
  );
}
