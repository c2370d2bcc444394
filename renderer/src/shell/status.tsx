/**
 * The status bar's message: what just happened, or what went wrong (in the UI language, with the error's kind for
 * IT). Screens report through `useStatus()` so no failure disappears silently.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { toPostfachError } from '../../../core/errors.js';
import { useLanguage } from '../i18n/i18n.js';

type StatusMessage = { readonly kind: 'info'; readonly text: string } | { readonly kind: 'error'; readonly error: unknown };

interface StatusState {
  readonly message: StatusMessage | null;
  announce(text: string): void;
  reportError(error: unknown): void;
}

const StatusContext = createContext<StatusState>({ message: null, announce: () => undefined, reportError: () => undefined });

export function StatusProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<StatusMessage | null>(null);
  const value = useMemo<StatusState>(
    () => ({
      message,
      announce: (text) => setMessage({ kind: 'info', text }),
      reportError: (error) => setMessage({ kind: 'error', error }),
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
  const { language } = useLanguage();
  if (message === null) return null;
  if (message.kind === 'info') return <span>{message.text}</span>;
  const e = toPostfachError(message.error);
  return (
    <span className="statusbar__error">
      {language === 'de' ? e.text.de : e.text.en} <span className="mono">({e.kind})</span>
    </span>
  );
}
