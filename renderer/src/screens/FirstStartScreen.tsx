/**
 * The first start: "Echtes Postfach einrichten" (key file, intermediary, connection test) or "Übungsmodus" (the
 * built-in demo mailbox with invented applications).
 */
import { useEffect, useState } from 'react';
import { Button, Input, Label, TextField } from 'react-aria-components';
import { useApi } from '../api/api-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useT } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';

export function FirstStartScreen({ onSetup }: { onSetup: () => void }) {
  const api = useApi();
  const t = useT();
  const { setStore, setWorkspace, isDesktop, workspace } = useWorkspace();
  const preparation = workspace?.trainingPreparation ?? null;
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  // local IT may switch the Übungsmodus off for this PC (policy "TrainingModeOffered")
  const [trainingOffered, setTrainingOffered] = useState(true);
  useEffect(() => {
    api.call('config.get', {}).then(
      (c) => setTrainingOffered(c.settings.find((s) => s.key === 'trainingModeOffered')?.value !== false),
      () => undefined,
    );
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
              <div role="status" className="choice__progress" data-testid="training-progress">
                <p>{t.firstStart.trainingStarting}</p>
                {preparation === null ? null : (
                  <>
                    <p data-testid="training-step">{t.firstStart.trainingStep[preparation.step](preparation.done, preparation.total)}</p>
                    <progress className="choice__meter" max={preparation.total} value={preparation.done} aria-label={t.firstStart.trainingProgressLabel} />
                  </>
                )}
              </div>
            ) : null}
          </section>
        ) : null}
        {isDesktop ? <RestoreChoice /> : null}
      </div>
    </div>
  );
}

/**
 * Moving a mailbox to this PC (desktop app): the backup file is chosen in the native dialog — a backup is too large
 * for the browser mode's upload — and restored into the default place; the store then opens with its password or
 * recovery key (the Windows key store of the old PC cannot open it).
 */
function RestoreChoice() {
  const api = useApi();
  const t = useT();
  const { setStore, setWorkspace } = useWorkspace();
  const { announce } = useStatus();
  const [file, setFile] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const choose = async (): Promise<void> => {
    try {
      const { path } = await api.call('dialog.openFile', { kind: 'backup' });
      if (path !== null) setFile(path);
    } catch (e) {
      setError(e);
    }
  };
  const restore = async (): Promise<void> => {
    if (file === null) return;
    setBusy(true);
    setError(undefined);
    try {
      const restored = await api.call('backup.restore', { file, password });
      setPassword('');
      setWorkspace(await api.call('workspace.chooseReal', {}));
      setStore(await api.call('store.status', {}));
      announce(t.ops.restored(restored.summary.messages));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="choice" aria-labelledby="choice-restore" aria-busy={busy} data-testid="choice-restore">
      <h2 id="choice-restore" className="choice__title">
        {t.ops.restoreTitle}
      </h2>
      <p>{t.ops.restoreText}</p>
      {error === undefined ? null : <ErrorNotice error={error} headingLevel={3} />}
      <div className="file-picker">
        <Button className="button button--secondary" onPress={() => void choose()} isDisabled={busy}>
          {t.ops.restoreChoose}
        </Button>
        <span className={file ? 'file-picker__name' : 'file-picker__name file-picker__name--empty'}>{file?.split(/[\\/]/).pop() ?? t.ops.restoreNone}</span>
      </div>
      <TextField className="field" type="password" value={password} onChange={setPassword}>
        <Label className="field__label">{t.ops.restorePassword}</Label>
        <Input className="input" />
      </TextField>
      <Button className="button" onPress={() => void restore()} isDisabled={busy || file === null || password === ''}>
        {t.ops.restoreButton}
      </Button>
    </section>
  );
}
