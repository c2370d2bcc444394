/**
 * The screens and dialogs that the way to the mailbox does not need, each in a bundle chunk of its own that loads
 * when it is first shown (issue 14, app start: the browser parses and runs only the mailbox's code before the first
 * list). Same names and props as the components they stand for. Once the mailbox's list is painted, the chunks are
 * fetched while the window is idle ({@link preloadLaterScreens}), so that opening a message or a dialog then waits
 * for nothing.
 */
import { Component, lazy, Suspense, useState, type ComponentType, type JSX, type ReactNode } from 'react';
import { PostfachError } from '../../../core/errors.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useT } from '../i18n/i18n.js';

const loadMessageView = () => import('../message/MessageView.js');
const loadDocumentWindow = () => import('../message/DocumentWindow.js');
const loadSetupScreen = () => import('../screens/SetupScreen.js');
const loadFirstStartScreen = () => import('../screens/FirstStartScreen.js');
const loadAboutDialog = () => import('../dialogs/AboutDialog.js');
const loadAuditDialog = () => import('../dialogs/AuditDialog.js');
const loadSettingsDialog = () => import('../dialogs/SettingsDialog.js');

/** The calm line a screen shows while its code loads (a few milliseconds, longer on a busy machine). */
function Loading() {
  const t = useT();
  return (
    <p className="loading" role="status">
      {t.app.loading}
    </p>
  );
}

/**
 * A chunk that cannot be loaded (the bridge or the app's protocol gone, the program updated under an open page)
 * rejects its lazy component; without a boundary React would unmount the whole window and leave it blank. The
 * boundary shows the failure as every other error, where the screen would have been; "Erneut versuchen" reloads
 * the page (React keeps a failed lazy load as failed, so only a reload fetches the chunk again).
 */
class ChunkBoundary extends Component<{ readonly children: ReactNode }, { readonly failure: PostfachError | null }> {
  override state: { readonly failure: PostfachError | null } = { failure: null };

  static getDerivedStateFromError(error: unknown): { failure: PostfachError } {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      failure: new PostfachError(
        'bridge-unreachable',
        {
          de: 'Dieser Teil des Programms konnte nicht geladen werden. Bitte laden Sie die Seite neu oder starten Sie das Programm neu.',
          en: 'This part of the program could not be loaded. Please reload the page or restart the program.',
        },
        `screen code not loaded: ${detail}`,
      ),
    };
  }

  override render(): ReactNode {
    const { failure } = this.state;
    return failure === null ? this.props.children : <ErrorNotice error={failure} onRetry={() => window.location.reload()} />;
  }
}

/** A component of a lazily loaded module, shown with the loading line until its code is there. */
function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): (props: P) => JSX.Element {
  const Lazy = lazy(async () => ({ default: await load() }));
  return function LazyScreen(props: P) {
    return (
      <ChunkBoundary>
        <Suspense fallback={<Loading />}>
          <Lazy {...(props as JSX.IntrinsicAttributes & P)} />
        </Suspense>
      </ChunkBoundary>
    );
  };
}

/** A dialog of a lazily loaded module: nothing until it is first opened, then its code loads and it stays mounted. */
function lazyDialog<P extends { readonly isOpen: boolean }>(load: () => Promise<ComponentType<P>>): (props: P) => JSX.Element | null {
  const Lazy = lazy(async () => ({ default: await load() }));
  return function LazyDialog(props: P) {
    const [wanted, setWanted] = useState(props.isOpen);
    // opened for the first time: from now on mounted, so that closing animates and state is kept as before
    if (props.isOpen && !wanted) setWanted(true);
    if (!wanted && !props.isOpen) return null;
    return (
      <ChunkBoundary>
        <Suspense fallback={null}>
          <Lazy {...(props as JSX.IntrinsicAttributes & P)} />
        </Suspense>
      </ChunkBoundary>
    );
  };
}

export const MessageView = lazyScreen(async () => (await loadMessageView()).MessageView);
export const DocumentWindow = lazyScreen(async () => (await loadDocumentWindow()).DocumentWindow);
export const SetupScreen = lazyScreen(async () => (await loadSetupScreen()).SetupScreen);
export const FirstStartScreen = lazyScreen(async () => (await loadFirstStartScreen()).FirstStartScreen);
export const AboutDialog = lazyDialog(async () => (await loadAboutDialog()).AboutDialog);
export const AuditDialog = lazyDialog(async () => (await loadAuditDialog()).AuditDialog);
export const SettingsDialog = lazyDialog(async () => (await loadSettingsDialog()).SettingsDialog);

let preloaded = false;

/** The mark the list sets once its first rows are painted (mailbox/use-list-marks.ts). */
const LIST_PAINTED = 'postfach:list-first-render';

/**
 * Fetches the later screens' chunks once the list's first rows are painted and the window is idle (not before: on
 * a busy machine their loading would compete with the first list), the message view first, which the caseworker
 * opens most. A failure here is not reported (the screen's own load reports it, through its ChunkBoundary).
 */
export function preloadLaterScreens(): void {
  if (preloaded) return;
  preloaded = true;
  const loads = [loadMessageView, loadAuditDialog, loadSettingsDialog, loadAboutDialog];
  const next = (): void => {
    const load = loads.shift();
    if (load === undefined) return;
    load().then(
      () => whenIdle(next),
      () => whenIdle(next),
    );
  };
  afterListPainted(() => whenIdle(next));
}

function afterListPainted(run: () => void): void {
  if (performance.getEntriesByName(LIST_PAINTED).length > 0) {
    run();
    return;
  }
  const observer = new PerformanceObserver((list) => {
    if (list.getEntriesByName(LIST_PAINTED).length > 0) once();
  });
  // a mailbox without a list to paint (an error, another view) still gets its chunks, a little later
  const fallback = window.setTimeout(() => once(), 10_000);
  let done = false;
  function once(): void {
    if (done) return;
    done = true;
    observer.disconnect();
    window.clearTimeout(fallback);
    run();
  }
  observer.observe({ type: 'measure' });
}

function whenIdle(run: () => void): void {
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(run, { timeout: 5_000 });
  else window.setTimeout(run, 200);
}
