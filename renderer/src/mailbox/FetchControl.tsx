/**
 * "Abrufen" with its progress: the phase in words, deliveries done (of the total where the intermediary said),
 * bytes received, and "Abbrechen" (the fetch stops after the delivery in hand, which is stored first).
 *
 * The toolbar never reflows for a fetch: the button keeps one width for both of its labels, the progress bar lies
 * along its lower edge (no space of its own), and the words with "Abruf abbrechen" stand in the status bar
 * (`FetchProgressText`, where the shell puts a screen's activity).
 */
import { Button, Label, ProgressBar } from 'react-aria-components';
import { IconFetch } from '../components/Icons.js';
import { bytes } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import type { Fetcher } from './use-fetch.js';

function useProgressWords(fetcher: Fetcher): string {
  const { t, language } = useLanguage();
  const { progress, cancelling } = fetcher;
  return cancelling
    ? t.mailbox.cancelling
    : progress === undefined
      ? t.fetch.phases.connecting
      : `${t.fetch.phases[progress.phase]} ${t.fetch.progress(progress.messagesDone, progress.messagesTotal, bytes(progress.bytesDone, language))}`;
}

export function FetchControl({ fetcher }: { fetcher: Fetcher }) {
  const { t } = useLanguage();
  const { running, progress } = fetcher;
  const words = useProgressWords(fetcher);
  return (
    <div className="fetch">
      <Button
        className="button fetch__button"
        onPress={() => fetcher.start(false)}
        isDisabled={running || !fetcher.possible}
        aria-keyshortcuts="F5 Control+R"
        data-testid="fetch-button"
      >
        <IconFetch />
        {/* both labels take their place, the one not shown hidden: the button keeps its width */}
        <span className="fetch__labels">
          <span className={running ? 'fetch__label fetch__label--hidden' : 'fetch__label'}>{t.mailbox.fetch}</span>
          <span className={running ? 'fetch__label' : 'fetch__label fetch__label--hidden'}>{t.mailbox.fetching}</span>
        </span>
      </Button>
      {running ? (
        <ProgressBar
          className="fetch__progress"
          isIndeterminate={progress?.messagesTotal === undefined || progress.messagesTotal === 0}
          value={progress?.messagesDone ?? 0}
          maxValue={Math.max(1, progress?.messagesTotal ?? 1)}
          valueLabel={words}
          data-testid="fetch-progress"
        >
          <Label className="visually-hidden">{t.fetch.progressLabel}</Label>
          <span className="fetch__bar" aria-hidden="true">
            <span className="fetch__fill" style={{ width: progress?.messagesTotal ? `${Math.min(100, (100 * progress.messagesDone) / progress.messagesTotal)}%` : undefined }} />
          </span>
        </ProgressBar>
      ) : null}
    </div>
  );
}

/** The running fetch in words, and "Abruf abbrechen": in the status bar. */
export function FetchProgressText({ fetcher }: { fetcher: Fetcher }) {
  const { t } = useLanguage();
  const words = useProgressWords(fetcher);
  if (!fetcher.running) return null;
  return (
    <span className="fetch__status">
      {/* indeterminate progress bars carry no value text for screen readers: the words are a live region */}
      <span className="fetch__text" aria-live="polite" data-testid="fetch-progress-text">
        {words}
      </span>
      <Button className="button button--link fetch__cancel" onPress={fetcher.cancel} isDisabled={fetcher.cancelling} data-testid="fetch-cancel">
        {t.mailbox.cancelFetch}
      </Button>
    </span>
  );
}
