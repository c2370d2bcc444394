/**
 * The frame every screen sits in: a skip link, the title bar (product, the mailbox's authority, the language
 * switch, and the screen's toolbar), the main region, and the status bar (what the screen is doing, what just
 * happened as a live region, the certificate's expiry, the last successful fetch). In the Übungsmodus the whole
 * window gets a coloured frame and the title says "Übungsmodus", so training data is never mistaken for real
 * applications.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { TrainingPreparation } from '../../../core/api/contract/workspace.js';
import { Button } from 'react-aria-components';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { Modal } from '../components/Modal.js';
import { helpFor } from '../errors/help.js';
import { dateTime, isToday, time, date } from '../format/format.js';
import { useLanguage, useT, useUserText } from '../i18n/i18n.js';
import { useWorkspace } from '../state/workspace.js';
import { StatusText, useStatus } from './status.js';
import { servedByService, signOutOfService } from '../api/connect.js';
import { useInboxWords } from '../i18n/words-inbox.js';

/** Browser mode against `postfach serve`: "Abmelden" ends the session on the service and shows the sign-in page. */
function SignOutButton() {
  const w = useInboxWords();
  return (
    <Button className="button button--secondary button--small" data-testid="sign-out" onPress={() => void signOutOfService()}>
      {w.signOut}
    </Button>
  );
}

/** "Sozialamt Musterstadt" from "CN=Sozialamt Musterstadt, O=Stadt Musterstadt, C=DE". */
export function authorityName(subject: string | undefined): string | undefined {
  if (subject === undefined) return undefined;
  const match = /(?:^|[,/]\s*)CN=([^,/]+)/.exec(subject);
  return match?.[1]?.trim() || undefined;
}

export function AppShell({
  children,
  toolbar,
  activity,
  mainLabel,
  fill = false,
}: {
  children: ReactNode;
  toolbar?: ReactNode;
  /** What the screen is doing right now (a running fetch), shown in the status bar so the toolbar never reflows. */
  activity?: ReactNode;
  mainLabel?: string;
  fill?: boolean;
}) {
  const t = useT();
  const { training, identity, info } = useWorkspace();
  const authority = authorityName(identity?.cipherCertificate.subject);
  useEffect(() => {
    document.title = [t.app.title, training ? t.app.trainingMode : undefined, authority].filter(Boolean).join(' – ');
  }, [t, training, authority]);
  const skip = (event: React.MouseEvent<HTMLAnchorElement>): void => {
    // focus the main region without changing the URL fragment
    event.preventDefault();
    document.getElementById('main')?.focus();
  };
  return (
    <div className={`app${training ? ' app--training' : ''}${fill ? ' app--fill' : ''}`}>
      <a className="skip-link" href="#main" onClick={skip}>
        {t.app.skipToContent}
      </a>
      <header className="titlebar">
        <div className="titlebar__row">
          <span className="titlebar__product">
            {t.app.title}
            {authority === undefined ? null : <span className="titlebar__authority"> – {authority}</span>}
          </span>
          {training ? (
            <span className="titlebar__training" data-testid="training-badge">
              {t.app.trainingMode}
            </span>
          ) : null}
          <span className="titlebar__spacer" />
          <LanguageSwitch />
          {info?.host === 'serve' && servedByService() ? <SignOutButton /> : null}
        </div>
        {toolbar}
        {training ? (
          <p className="training-strip">
            <span className="training-strip__frame">{t.app.trainingFrame}</span>
            <TrainingPreparationNote />
          </p>
        ) : null}
      </header>
      <main id="main" className={fill ? 'main main--fill' : 'main'} tabIndex={-1} aria-label={mainLabel}>
        {children}
      </main>
      <footer className="statusbar">
        {activity === undefined ? null : <span className="statusbar__activity">{activity}</span>}
        <span role="status" className="statusbar__message" data-testid="status-message">
          <StatusText />
        </span>
        <span className="statusbar__facts">
          <CertificateExpiry />
          {/* while the screen is busy (a fetch), its progress stands in for the last fetch: the bar keeps its height */}
          {activity === undefined ? <LastFetch /> : null}
          {info === undefined ? null : <span className="statusbar__host">{t.host[info.host]}</span>}
        </span>
      </footer>
    </div>
  );
}

/**
 * The Übungsmodus opened while the rest of its invented applications are still being made: how many are ready (one
 * line beside the frame's words, cut short rather than wrapped, so nothing below moves), then "all ready" in the
 * status bar once the last one is at the intermediary.
 */
function TrainingPreparationNote() {
  const t = useT();
  const { workspace } = useWorkspace();
  const { announce } = useStatus();
  const preparation = workspace?.trainingPreparation ?? null;
  const before = useRef<TrainingPreparation | null>(null);
  useEffect(() => {
    if (preparation === null && before.current?.step === 'applications' && !before.current.failed) announce(t.app.trainingReady(before.current.total));
    before.current = preparation;
  }, [preparation, announce, t]);
  const text =
    preparation === null
      ? ''
      : preparation.failed
        ? t.app.trainingPreparationFailed(preparation.done, preparation.total)
        : t.app.trainingPreparing(preparation.done, preparation.total);
  return (
    <span role="status" className="training-strip__preparation" data-testid="training-preparation" title={text || undefined}>
      {text}
    </span>
  );
}

function CertificateExpiry() {
  const t = useT();
  const text = useUserText();
  const { language } = useLanguage();
  const { identity } = useWorkspace();
  const [open, setOpen] = useState(false);
  if (identity === undefined || identity === null) return null;
  const { expiry } = identity;
  const words = t.status.certificate(date(expiry.validTo, language), expiry.daysLeft);
  if (expiry.status === 'ok') return <span data-testid="certificate-expiry">{words}</span>;
  const kind = expiry.status === 'expired' ? 'certificate-expired' : 'certificate-expiring';
  return (
    <span className="statusbar__warning" data-testid="certificate-expiry">
      {words}{' '}
      <Button className="button button--link statusbar__help" onPress={() => setOpen(true)}>
        {t.status.whatCanIDo}
      </Button>
      <Modal title={t.errors.helpDialogTitle} isOpen={open} onClose={() => setOpen(false)} size="narrow">
        <p>{text(expiry.text)}</p>
        <p>{text(helpFor(kind))}</p>
      </Modal>
    </span>
  );
}

function LastFetch() {
  const t = useT();
  const { language } = useLanguage();
  const { workspace, store, identity } = useWorkspace();
  // only where fetching is possible (an identity is set up): not during the set-up, not for a CLI-written store
  if (store?.state !== 'open' || workspace === undefined || identity === null || identity === undefined) return null;
  const at = workspace.lastSuccessfulFetchAt;
  if (at === null) return <span data-testid="last-fetch">{t.status.neverFetched}</span>;
  const when = isToday(at) ? t.status.today(time(at, language)) : dateTime(at, language);
  return <span data-testid="last-fetch">{t.status.lastFetch(when)}</span>;
}
