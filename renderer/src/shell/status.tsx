/**
 * The status bar's message: what just happened, or what went wrong (the plain sentence in the UI language, and
 * "Was kann ich tun?" opening the advice and the technical detail). Screens report through `useStatus()` so no
 * failure disappears silently.
 *
 * A message belongs to what the caseworker was doing: when they move on (open another message, another folder,
 * a dialog) the transient ones go (`clearTransient`), so "Kopieren … nicht möglich" does not stand under the
 * settings. An error that still applies after that — the last fetch failed, the intermediary is down — is reported
 * as `lasting` and stays until the next message replaces it.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Button } from 'react-aria-components';
import { toPostfachError } from '../../../core/errors.js';
import { ErrorHelp } from '../components/ErrorNotice.js';
import { Modal } from '../components/Modal.js';
import { useT, useUserText } from '../i18n/i18n.js';

/** A button beside an info message ("Rückgängig"), offered for some seconds. */
export interface StatusAction {
  readonly label: string;
  readonly run: () => void;
  /** How long the action is offered (the message goes with it). */
  readonly forMs: number;
}

type StatusMessage =
  | { readonly kind: 'info'; readonly text: string; readonly seq: number; readonly lasting: false; readonly action?: StatusAction }
  | { readonly kind: 'error'; readonly error: unknown; readonly seq: number; readonly lasting: boolean };

export interface ReportOptions {
  /** The error describes a state that still applies when the caseworker moves on (a failed fetch). */
  readonly lasting?: boolean;
}

interface StatusState {
  readonly message: StatusMessage | null;
  readonly announce: (text: string, action?: StatusAction) => void;
  readonly reportError: (error: unknown, options?: ReportOptions) => void;
  readonly clear: () => void;
  /** The caseworker moved on: messages about what they did before go; lasting errors stay. */
  readonly clearTransient: () => void;
  /** An offered action waits while it has the focus or the pointer (WCAG 2.2.1: no time limit while in use). */
  readonly holdAction: (held: boolean) => void;
}

const StatusContext = createContext<StatusState>({
  message: null,
  announce: () => undefined,
  reportError: () => undefined,
  clear: () => undefined,
  clearTransient: () => undefined,
  holdAction: () => undefined,
});

let seq = 0;

export function StatusProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<StatusMessage | null>(null);
  // an offered action ("Rückgängig") goes after its time, and its message with it
  const offered = message?.kind === 'info' ? message.action : undefined;
  const offeredSeq = message?.seq;
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (offered === undefined || held) return;
    const timer = setTimeout(() => setMessage((current) => (current?.seq === offeredSeq ? null : current)), offered.forMs);
    return () => clearTimeout(timer);
  }, [offered, offeredSeq, held]);
  // the actions never change (screens keep them in effect dependencies): only the message does
  const actions = useMemo(
    () => ({
      announce: (text: string, action?: StatusAction) => setMessage({ kind: 'info', text, seq: ++seq, lasting: false, ...(action === undefined ? {} : { action }) }),
      reportError: (error: unknown, options?: ReportOptions) => setMessage({ kind: 'error', error, seq: ++seq, lasting: options?.lasting === true }),
      clear: () => setMessage(null),
      clearTransient: () => setMessage((current) => (current?.lasting === true ? current : null)),
      holdAction: setHeld,
    }),
    [],
  );
  const value = useMemo<StatusState>(() => ({ message, ...actions }), [message, actions]);
  return <StatusContext.Provider value={value}>{children}</StatusContext.Provider>;
}

export function useStatus(): StatusState {
  return useContext(StatusContext);
}

export function StatusText() {
  const { message, holdAction } = useStatus();
  const t = useT();
  const text = useUserText();
  const [helpOpen, setHelpOpen] = useState(false);
  if (message === null) return null;
  if (message.kind === 'info') {
    const action = message.action;
    if (action === undefined) return <span key={message.seq}>{message.text}</span>;
    return (
      <span key={message.seq}>
        <span>{message.text}</span>{' '}
        <Button
          className="button button--link statusbar__action"
          onPress={() => {
            holdAction(false);
            action.run();
          }}
          onFocusChange={holdAction}
          onHoverChange={holdAction}
          data-testid="status-action"
        >
          {action.label}
        </Button>
      </span>
    );
  }
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
