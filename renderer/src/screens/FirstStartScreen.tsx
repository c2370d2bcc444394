/**
 * The first start: "Echtes Postfach einrichten" (key file, intermediary, connection test) or "Übungsmodus" (the
 * built-in demo mailbox with invented applications).
 */
import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useApi } from '../api/api-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useT } from '../i18n/i18n.js';
import { useWorkspace } from '../state/workspace.js';

export function FirstStartScreen({ onSetup }: { onSetup: () => void }) {
  const api = useApi();
  const t = useT();
  const { setStore, setWorkspace } = useWorkspace();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  // local IT may switch the Übungsmodus off for this PC (policy "TrainingModeOffered")
  const [trainingOffered, setTrainingOffered] = useState(true);
  useEffect(() => {
    api.call('config.get', {}).then((c) => setTrainingOffered(c.settings.find((s) => s.key === 'trainingModeOffered')?.value !== false), () => undefined);
  }, [api]);

  const startTraining = async (): Promise<void> => {
    setStarting(true);
    setError(undefined);
    try {
      const started = await api.call('workspace.startTraining', {});
      setWorkspace(started.state);
      setStore(started.store);
    } catch (e) {
      setError(e);
      setStarting(false);
    }
  };

  return (
    <div className="first-start">
      <h1 className="first-start__heading">{t.firstStart.heading}</h1>
      <p className="first-start__intro">{t.firstStart.intro}</p>
      {error === undefined ? null : <ErrorNotice error={error} onRetry={() => void startTraining()} />}
      <div className="choice-grid">
        <section className="choice" aria-labelledby="choice-real">
          <h2 id="choice-real" className="choice__title">
            {t.firstStart.realTitle}
          </h2>
          <p>{t.firstStart.realText}</p>
          <Button className="button" onPress={onSetup} isDisabled={starting}>
            {t.firstStart.realButton}
          </Button>
        </section>
        {trainingOffered ? (
          <section className="choice choice--training" aria-labelledby="choice-training" aria-busy={starting}>
            <h2 id="choice-training" className="choice__title">
              {t.firstStart.trainingTitle}
            </h2>
            <p>{t.firstStart.trainingText}</p>
            <Button className="button button--training" onPress={() => void startTraining()} isDisabled={starting}>
              {t.firstStart.trainingButton}
            </Button>
            {starting ? (
              <p role="status" className="choice__progress">
                {t.firstStart.trainingStarting}
              </p>
            ) : null}
          </section>
        ) : null}
      </div>
    </div>
  );
}
