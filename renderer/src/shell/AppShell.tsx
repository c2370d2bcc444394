/**
 * The frame every screen sits in: a skip link, the title bar with the product name and the language switch, the
 * main region, and the status bar (a live region, so screen readers hear what just happened).
 */
import type { ReactNode } from 'react';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { useT } from '../i18n/i18n.js';
import { StatusText } from './status.js';

export function AppShell({ children, hostLabel }: { children: ReactNode; hostLabel?: string }) {
  const t = useT();
  const skip = (event: React.MouseEvent<HTMLAnchorElement>): void => {
    // focus the main region without changing the URL fragment
    event.preventDefault();
    document.getElementById('main')?.focus();
  };
  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={skip}>
        {t.app.skipToContent}
      </a>
      <header className="titlebar">
        <span className="titlebar__product">{t.app.title}</span>
        <span className="titlebar__spacer" />
        <LanguageSwitch />
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="statusbar">
        <span role="status" className="statusbar__message">
          <StatusText />
        </span>
        {hostLabel === undefined ? null : <span className="statusbar__host">{hostLabel}</span>}
      </footer>
    </div>
  );
}
