/**
 * What the window shows: while loading a calm message; on the first start the choice (real mailbox or
 * Übungsmodus) and the set-up; a locked store asks for the way in; then the mailbox. A window opened for one
 * message (`#message=<id>`, desktop app) shows only that message; one opened for a document of it
 * (`#message=<id>&document=<key>`) only that document in its viewer (message/DocumentWindow.tsx).
 */
import { useEffect, useState } from 'react';
import { CommandsProvider, useCommands } from './keyboard/commands.js';
import { ErrorNotice } from './components/ErrorNotice.js';
import { useT } from './i18n/i18n.js';
// the way to the mailbox (unlock, mailbox) is in the first chunk; everything else loads when shown (lazy/screens.tsx)
import { AboutDialog, DocumentWindow, FirstStartScreen, MessageView, preloadLaterScreens, SetupScreen } from './lazy/screens.js';
import { MailboxScreen } from './screens/MailboxScreen.js';
import { UnlockScreen } from './screens/UnlockScreen.js';
import { AppShell } from './shell/AppShell.js';
import { ServiceIncidentNotice } from './shell/ServiceIncidentNotice.js';
import { useWorkspace, WorkspaceProvider } from './state/workspace.js';

export function App({ messageId, documentKey }: { messageId?: number | undefined; documentKey?: string | undefined }) {
  return (
    <WorkspaceProvider>
      <CommandsProvider>
        {messageId === undefined ? (
          <MainWindow />
        ) : documentKey === undefined ? (
          <MessageWindow id={messageId} />
        ) : (
          <DocumentWindowScreen id={messageId} documentKey={documentKey} />
        )}
      </CommandsProvider>
    </WorkspaceProvider>
  );
}

function MainWindow() {
  const [aboutOpen, setAboutOpen] = useState(false);
  // the menu's "Über OSCI-Postfach" works on every screen (the mailbox registers its own, which wins there)
  useCommands({ about: () => setAboutOpen(true) });
  return (
    <>
      <MainScreens />
      <AboutDialog isOpen={aboutOpen} onClose={() => setAboutOpen(false)} />
      <ServiceIncidentNotice />
    </>
  );
}

function MainScreens() {
  const t = useT();
  const { phase, bootError, reload } = useWorkspace();
  // set-up runs across store changes (the store is created first), so it is a view of its own
  const [view, setView] = useState<'auto' | 'setup' | 'first-start'>('auto');
  // the mailbox is there: the message view's and the dialogs' code is fetched while the window is idle
  useEffect(() => {
    if (phase === 'mailbox') preloadLaterScreens();
  }, [phase]);

  if (view === 'setup') {
    return (
      <AppShell mainLabel={t.setup.heading}>
        <SetupScreen onCancel={() => setView('auto')} onDone={() => setView('auto')} />
      </AppShell>
    );
  }
  switch (phase === 'unlock' && view === 'first-start' ? 'first-start' : phase) {
    case 'loading':
      return (
        <AppShell>
          <p className="loading" role="status">
            {t.app.loading}
          </p>
        </AppShell>
      );
    case 'failed':
      return (
        <AppShell>
          <ErrorNotice error={bootError} onRetry={reload} />
        </AppShell>
      );
    case 'first-start':
      return (
        <AppShell mainLabel={t.firstStart.heading}>
          <FirstStartScreen onSetup={() => setView('setup')} />
        </AppShell>
      );
    case 'unlock':
      return (
        <AppShell mainLabel={t.unlock.heading}>
          <UnlockScreen onOtherMailbox={() => setView('first-start')} />
        </AppShell>
      );
    case 'mailbox':
      return <MailboxScreen onSetUp={() => setView('setup')} />;
  }
}

function DocumentWindowScreen({ id, documentKey }: { id: number; documentKey: string }) {
  const t = useT();
  const { phase, bootError, reload } = useWorkspace();
  return (
    <AppShell fill>
      {phase === 'failed' ? <ErrorNotice error={bootError} onRetry={reload} /> : null}
      {phase === 'loading' ? <p role="status">{t.app.loading}</p> : null}
      {phase === 'mailbox' ? <DocumentWindow id={id} documentKey={documentKey} /> : null}
      {phase === 'unlock' || phase === 'first-start' ? <p>{t.message.none}</p> : null}
      <ServiceIncidentNotice />
    </AppShell>
  );
}

function MessageWindow({ id }: { id: number }) {
  const t = useT();
  const { phase, bootError, reload } = useWorkspace();
  return (
    <AppShell>
      {phase === 'failed' ? <ErrorNotice error={bootError} onRetry={reload} /> : null}
      {phase === 'loading' ? <p role="status">{t.app.loading}</p> : null}
      {phase === 'mailbox' ? <MessageView id={id} standalone /> : null}
      {phase === 'unlock' || phase === 'first-start' ? <p>{t.message.none}</p> : null}
      <ServiceIncidentNotice />
    </AppShell>
  );
}
