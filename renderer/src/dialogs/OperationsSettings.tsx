/**
 * Settings → Betrieb: what local IT set for this PC (locked settings with the reason, and errors in IT's settings),
 * the backup of the whole mailbox, and the certificate change wizard (each step explained, resumable).
 * Everything goes through the contract area "ops"; passwords go in only.
 */
import { createContext, Fragment, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { Button, Input, Label, TextField } from 'react-aria-components';
import type { MethodOutput } from '../../../core/api/contract.js';
import { PostfachError } from '../../../core/errors.js';
import { isErrorKind } from '../../../core/error-kinds.js';
import { useApi } from '../api/api-context.js';
import { CertificateWarnings } from '../components/CertificateWarnings.js';
import { ErrorHelp } from '../components/ErrorNotice.js';
import { FilePicker, type PickedFile } from '../components/FilePicker.js';
import { date, dateTime, officeDay } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import { useDownloader } from '../message/use-exporter.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';
import { interruptionText, ROTATION_STEP_WORDS } from '../../../core/api/contract/rotation-words.js';

type MachineConfig = MethodOutput<'config.get'>;
type RotationStatus = MethodOutput<'rotation.status'>;
type UserText = { de: string; en: string };

const MachineConfigContext = createContext<{ config: MachineConfig | null; reload: () => void }>({ config: null, reload: () => undefined });

/** Loads the machine settings once for the settings dialog. */
export function MachineConfigProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [config, setConfig] = useState<MachineConfig | null>(null);
  const reload = useCallback(() => {
    api.call('config.get', {}).then(setConfig, () => setConfig(null));
  }, [api]);
  useEffect(reload, [reload]);
  return <MachineConfigContext.Provider value={{ config, reload }}>{children}</MachineConfigContext.Provider>;
}

/** The reason a setting is locked ("von Ihrer IT festgelegt (…)"), or undefined. */
export function useLock(key: string): UserText | undefined {
  const { config } = useContext(MachineConfigContext);
  return config?.settings.find((s) => s.key === key && s.locked)?.lockReason;
}

/** Shown under a locked control: a lock sign and the reason, in words (never colour alone). */
export function LockNote({ reason, id }: { reason: UserText | undefined; id?: string }) {
  const { t, language } = useLanguage();
  if (reason === undefined) return null;
  return (
    <span className="field__description lock-note" id={id} data-testid="lock-note">
      <IconLock />
      {t.ops.lockedBy(language === 'de' ? reason.de : reason.en)}
    </span>
  );
}

/** A padlock, beside the words (never the only sign). */
function IconLock() {
  return (
    <svg className="lock-note__icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <rect x="3" y="7" width="10" height="7" rx="1.5" fill="currentColor" />
    </svg>
  );
}

export function OperationsSettings() {
  return (
    <div className="settings-section">
      <ManagedSettings />
      <BackupSection />
      <RotationSection />
    </div>
  );
}

function shown(value: MachineConfig['settings'][number]['value']): string {
  if (value === null) return '—';
  if (Array.isArray(value)) return value.join('; ');
  if (typeof value === 'boolean') return value ? '✓' : '–';
  return String(value);
}

function ManagedSettings() {
  const { t, language } = useLanguage();
  const { config } = useContext(MachineConfigContext);
  if (config === null) return null;
  const locked = config.settings.filter((s) => s.locked);
  const words = (u: UserText) => (language === 'de' ? u.de : u.en);
  return (
    <div role="group" className="settings-block" aria-labelledby="ops-managed" data-testid="managed-settings">
      <h2 id="ops-managed">{t.ops.managedHeading}</h2>
      {locked.length === 0 ? (
        <p>{t.ops.managedNone}</p>
      ) : (
        <>
          <p>{t.ops.managedIntro}</p>
          <dl className="facts">
            {locked.map((s) => (
              <Fragment key={s.key}>
                <dt>{words(s.title)}</dt>
                <dd>
                  <span className="mono">{shown(s.value)}</span>
                  <br />
                  <LockNote reason={s.lockReason} />
                </dd>
              </Fragment>
            ))}
          </dl>
        </>
      )}
      {config.problems.length > 0 ? (
        <div role="alert" className="notice notice--warn" data-testid="config-problems">
          <h3>{t.ops.problemsHeading}</h3>
          <p>{t.ops.problemsIntro}</p>
          <ul>
            {config.problems.map((p, i) => (
              <li key={i}>
                {language === 'de' ? p.message : p.messageEn}
                <br />
                <span className="mono">{p.detail}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

function BackupSection() {
  const api = useApi();
  const { t } = useLanguage();
  const { isDesktop, training } = useWorkspace();
  const { announce, reportError } = useStatus();
  const download = useDownloader();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  if (training) return null;
  const mismatch = repeat !== '' && repeat !== password;
  const ready = password.length >= 8 && password === repeat && !busy;
  const name = `OSCI-Postfach-Sicherung_${officeDay(undefined)}.pfbak`;

  const create = async (): Promise<void> => {
    setBusy(true);
    try {
      if (isDesktop) {
        const { path } = await api.call('dialog.saveFile', { kind: 'backup', suggestedName: name });
        if (path === null) return;
        // the save dialog asked before an existing file is chosen: replacing it is the user's decision
        const created = await api.call('backup.create', { target: path, password, replace: true });
        await api.call('backup.verify', { file: created.path, password });
        announce(t.ops.backupCreated(created.summary.messages, created.path));
      } else {
        const { downloadId, target } = await api.call('workspace.createDownload', { fileName: name });
        try {
          const created = await api.call('backup.create', { target, password });
          await api.call('backup.verify', { file: created.path, password });
          await download(downloadId);
          announce(t.ops.backupDownloaded(created.summary.messages));
        } catch (error) {
          await api.call('workspace.releaseDownload', { downloadId }).catch(() => undefined);
          throw error;
        }
      }
      setPassword('');
      setRepeat('');
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div role="group" className="settings-block" aria-labelledby="ops-backup" data-testid="backup-section">
      <h2 id="ops-backup">{t.ops.backupHeading}</h2>
      <p>{t.ops.backupIntro}</p>
      <TextField className="field" type="password" value={password} onChange={setPassword} autoComplete="new-password">
        <Label className="field__label">{t.ops.backupPassword}</Label>
        <Input className="input" data-testid="backup-password" />
        <span className="field__description">{t.ops.backupPasswordHint}</span>
      </TextField>
      <TextField className="field" type="password" value={repeat} onChange={setRepeat} isInvalid={mismatch} autoComplete="new-password">
        <Label className="field__label">{t.ops.backupPasswordRepeat}</Label>
        <Input className="input" data-testid="backup-password-repeat" />
        {mismatch ? <span className="field__error">{t.ops.backupMismatch}</span> : null}
      </TextField>
      <Button className="button" isDisabled={!ready} onPress={() => void create()} data-testid="backup-create">
        {t.ops.backupCreate}
      </Button>
    </div>
  );
}

function RotationSection() {
  const api = useApi();
  const { t, language } = useLanguage();
  const { training, identity, refreshIdentity } = useWorkspace();
  const { announce, reportError } = useStatus();
  const [status, setStatus] = useState<RotationStatus | null>(null);
  const [file, setFile] = useState<PickedFile | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (training || !identity) return;
    api.call('rotation.status', {}).then(setStatus, reportError);
    return api.on('rotation.changed', setStatus);
  }, [api, training, identity, reportError]);
  if (training || !identity || status === null) return null;
  const words = (u: UserText) => (language === 'de' ? u.de : u.en);
  const certificate = (c: NonNullable<RotationStatus['current']>) => `${c.subject} (${t.settings.validUntil} ${date(c.validTo, language)})`;

  const act = async (work: () => Promise<RotationStatus>, done?: (s: RotationStatus) => void): Promise<void> => {
    setBusy(true);
    try {
      const next = await work();
      setStatus(next);
      done?.(next);
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };
  const stage = () =>
    act(
      () => api.call('rotation.stage', { keyFile: (file as PickedFile).path, password }),
      () => {
        setPassword('');
        announce(t.ops.rotationStaged);
      },
    );
  const run = () =>
    act(
      async () => (await api.call('rotation.run', {})).status,
      (s) => {
        if (s.state === 'none') {
          void refreshIdentity();
          announce(t.ops.rotationDone);
        } else announce(t.ops.rotationInterrupted(s.lastError ? words(interruptionText(s.lastError)) : ''));
      },
    );
  // the interruption as the engine's kind with its words: "Was kann ich tun?" and the technical detail as elsewhere
  const interruption = status.lastError
    ? new PostfachError(
        isErrorKind(status.lastError) ? status.lastError : 'fetch-failed',
        interruptionText(status.lastError),
        `certificate change: drain of the old mailbox interrupted (${status.lastError})`,
      )
    : null;

  return (
    <div role="group" className="settings-block" aria-labelledby="ops-rotation" data-testid="rotation-section">
      <h2 id="ops-rotation">{t.ops.rotationHeading}</h2>
      <p>{t.ops.rotationIntro}</p>
      {status.state === 'none' && status.lastCompleted ? (
        <p className="notice notice--ok" data-testid="rotation-last-completed">
          {t.ops.rotationLastCompleted(dateTime(status.lastCompleted.at, language))}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t.ops.rotationCurrent}</dt>
        <dd>{status.current ? certificate(status.current) : '—'}</dd>
        {status.next ? (
          <>
            <dt>{t.ops.rotationNext}</dt>
            <dd>{certificate(status.next)}</dd>
          </>
        ) : null}
        {status.state === 'none' && status.lastCompleted ? (
          <>
            <dt>{t.ops.rotationReplaced}</dt>
            <dd>{certificate(status.lastCompleted.retired)}</dd>
          </>
        ) : null}
      </dl>
      <CertificateWarnings certificate={status.next} heading={t.ops.rotationWarningsNext} intro={t.ops.rotationWarningsNextIntro} testId="rotation-next-warnings" />
      {status.state === 'none' ? <CertificateWarnings certificate={status.current} heading={t.ops.rotationWarningsCurrent} testId="rotation-current-warnings" /> : null}
      <ol className="steps" data-testid="rotation-steps">
        {status.steps.map((step) => (
          <li key={step.id} className={step.done ? 'steps__step steps__step--done' : 'steps__step'}>
            <strong>{words(ROTATION_STEP_WORDS[step.id].title)}</strong> <span>({step.done ? t.ops.stepDone : t.ops.stepOpen})</span>
            <br />
            <span className="field__description">{words(ROTATION_STEP_WORDS[step.id].explanation)}</span>
          </li>
        ))}
      </ol>
      {status.state === 'none' ? (
        <>
          <FilePicker kind="p12" label={t.ops.rotationKeyFile} value={file} onChange={setFile} onError={reportError} testId="rotation-key-file" />
          <TextField className="field" type="password" value={password} onChange={setPassword}>
            <Label className="field__label">{t.ops.rotationPassword}</Label>
            <Input className="input" data-testid="rotation-password" />
          </TextField>
          <div className="form__actions">
            <Button className="button" isDisabled={busy || file === null || password === ''} onPress={() => void stage()} data-testid="rotation-stage">
              {t.ops.rotationStage}
            </Button>
          </div>
        </>
      ) : (
        <>
          {status.fetched > 0 ? <p>{t.ops.rotationFetched(status.fetched)}</p> : null}
          {interruption ? (
            <div className="notice notice--warn" role="status" data-testid="rotation-interrupted">
              <h3 className="notice__title">{t.ops.rotationInterruptedHeading}</h3>
              <p>{t.ops.rotationInterrupted(words(interruption.text))}</p>
              <ErrorHelp error={interruption} headingLevel={4} />
            </div>
          ) : null}
          <div className="form__actions">
            <Button className="button" isDisabled={busy} onPress={() => void run()} data-testid="rotation-run">
              {status.state === 'staged' ? t.ops.rotationRun : t.ops.rotationContinue}
            </Button>
            <Button className="button button--secondary" isDisabled={busy} onPress={() => void act(() => api.call('rotation.cancel', {}))}>
              {t.ops.rotationCancel}
            </Button>
          </div>
        </>
      )}
      {status.retired.length > 0 ? (
        <>
          <h3>{t.ops.retired}</h3>
          <ul>
            {status.retired.map((c) => (
              <li key={c.fingerprintSha256}>{certificate(c)}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
