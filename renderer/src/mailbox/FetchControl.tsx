/**
 * "Abrufen" with its progress: the phase in words, deliveries done (of the total where the intermediary said),
 * bytes received, and "Abbrechen" (the fetch stops after the delivery in hand, which is stored first).
 */
import { Button, Label, ProgressBar } from 'react-aria-components';
import { IconFetch } from '../components/Icons.js';
import { bytes } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import type { Fetcher } from './use-fetch.js';

export function FetchControl({ fetcher }: { fetcher: Fetcher }) {
  const { t, language } = useLanguage();
  const { running, progress, cancelling } = fetcher;
  const words = cancelling
    ? t.mailbox.cancelling
    : progress === undefined
      ? t.fetch.phases.connecting
      : `${t.fetch.phases[progress.phase]} ${t.fetch.progress(progress.messagesDone, progress.messagesTotal, bytes(progress.bytesDone, language))}`;
  return (
    <div className="fetch">
      <Button className="button" onPress={() => fetcher.start(false)} isDisabled={running || !fetcher.possible} aria-keyshortcuts="F5 Control+R" data-testid="fetch-button">
        <IconFetch />
        {running ? t.mailbox.fetching : t.mailbox.fetch}
      </Button>
      {running ? (
        <>
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
            {/* indeterminate progress bars carry no value text for screen readers: the words are a live region */}
            <span className="fetch__text" aria-live="polite" data-testid="fetch-progress-text">
              {words}
            </span>
          </ProgressBar>
          <Button className="button button--secondary" onPress={fetcher.cancel} isDisabled={cancelling} data-testid="fetch-cancel">
            {t.mailbox.cancelFetch}
          </Button>
        </>
      ) : null}
    </div>
  );
}
