/**
 * Settings: Allgemein (language, background fetch interval), Postfach (the key's certificate and the intermediary,
 * connection test, the trusted sender CAs, how the store is opened, the Übungsmodus), Aufbewahrung (retention days; what retention would
 * delete now, said before it is deleted).
 */
import { useEffect, useState } from 'react';
import { Button, Checkbox, Input, Label, ListBox, ListBoxItem, NumberField, Popover, Select, SelectValue, Tab, TabList, TabPanel, Tabs, TextField } from 'react-aria-components';
import type { MethodOutput } from '../../../core/api/contract.js';
import { useApi } from '../api/api-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { IconChevronDown } from '../components/Icons.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { Modal } from '../components/Modal.js';
import { dateTime } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import { ConnectionTest } from '../screens/SetupScreen.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';
import { CodeListSettings } from './CodeListSettings.js';
import { MachineConfigProvider, OperationsSettings } from './OperationsSettings.js';
import { TrustedCasSettings } from './TrustedCasSettings.js';
import { useReadingWords } from '../i18n/words-reading.js';

const INTERVALS = [0, 5, 15, 30, 60, 240];

export function SettingsDialog({ isOpen, onClose, onSetUp }: { isOpen: boolean; onClose: () => void; onSetUp: () => void }) {
  const { t } = useLanguage();
  const w = useReadingWords();
  return (
    <Modal title={t.settings.title} isOpen={isOpen} onClose={onClose} testId="settings-dialog">
      <Tabs className="tabs">
        <TabList className="tabs__list" aria-label={t.settings.tabsLabel}>
          <Tab id="general" className="tabs__tab">
            {t.settings.general}
          </Tab>
          <Tab id="mailbox" className="tabs__tab">
            {t.settings.mailbox}
          </Tab>
          <Tab id="retention" className="tabs__tab">
            {t.settings.retention}
          </Tab>
          <Tab id="ops" className="tabs__tab" data-testid="settings-tab-ops">
            {t.ops.tab}
          </Tab>
          <Tab id="codelists" className="tabs__tab" data-testid="settings-tab-codelists">
            {w.codeLists.tab}
          </Tab>
        </TabList>
        <TabPanel id="general" className="tabs__panel">
          <GeneralSettings />
        </TabPanel>
        <TabPanel id="mailbox" className="tabs__panel">
          <MailboxSettings onSetUp={onSetUp} onClose={onClose} />
        </TabPanel>
        <TabPanel id="retention" className="tabs__panel">
          <RetentionSettings />
        </TabPanel>
        <TabPanel id="ops" className="tabs__panel">
          <MachineConfigProvider>
            <OperationsSettings />
          </MachineConfigProvider>
        </TabPanel>
        <TabPanel id="codelists" className="tabs__panel">
          <CodeListSettings />
        </TabPanel>
      </Tabs>
    </Modal>
  );
}

type SettingState = MethodOutput<'config.get'>['settings'][number];

/** Settings local IT fixed (group policy, the PC's configuration file): shown, not changeable, with the reason. */
function useLocks(): ReadonlyMap<string, SettingState> {
  const api = useApi();
  const [locks, setLocks] = useState<ReadonlyMap<string, SettingState>>(new Map());
  useEffect(() => {
    api.call('config.get', {}).then(
      (c) => setLocks(new Map(c.settings.filter((s) => s.locked).map((s) => [s.key, s]))),
      () => undefined,
    );
  }, [api]);
  return locks;
}

function GeneralSettings() {
  const { t, settings, updateSettings, language } = useLanguage();
  const w = useReadingWords();
  const { announce, reportError } = useStatus();
  const locks = useLocks();
  const lockNote = (key: string): string | undefined => {
    const reason = locks.get(key)?.lockReason;
    return reason === undefined ? undefined : language === 'de' ? reason.de : reason.en;
  };
  const intervals = INTERVALS.includes(settings.fetchIntervalMinutes) ? INTERVALS : [...INTERVALS, settings.fetchIntervalMinutes].sort((a, b) => a - b);
  return (
    <div className="settings-section">
      <div className="field">
        <span className="field__label">{t.language.label}</span>
        <LanguageSwitch isDisabled={locks.has('language')} />
        {lockNote('language') ? <span className="field__description">{lockNote('language')}</span> : null}
      </div>
      <Select
        className="select"
        isDisabled={locks.has('fetchIntervalMinutes')}
        selectedKey={String(settings.fetchIntervalMinutes)}
        onSelectionChange={(key) => {
          updateSettings({ fetchIntervalMinutes: Number(key) }).then(() => announce(t.settings.saved), reportError);
        }}
      >
        <Label className="field__label">{t.settings.interval}</Label>
        <Button className="select__button" data-testid="interval-select">
          <SelectValue />
          <IconChevronDown />
        </Button>
        <span className="field__description">{lockNote('fetchIntervalMinutes') ?? t.settings.intervalHint}</span>
        <Popover className="popover">
          <ListBox className="menu">
            {intervals.map((m) => (
              <ListBoxItem key={m} id={String(m)} className="menu__item">
                {t.settings.intervals[m] ?? `${m} min`}
              </ListBoxItem>
            ))}
          </ListBox>
        </Popover>
      </Select>
      <Checkbox
        className="checkbox"
        isSelected={settings.familyNameFirst}
        isDisabled={locks.has('familyNameFirst')}
        onChange={(on) => {
          updateSettings({ familyNameFirst: on }).then(() => announce(w.settings.saved), reportError);
        }}
        data-testid="family-name-first"
      >
        <span className="checkbox__box" aria-hidden="true" />
        {w.settings.familyNameFirst}
      </Checkbox>
      <span className="field__description">{lockNote('familyNameFirst') ?? w.settings.familyNameFirstHelp}</span>
    </div>
  );
}

function MailboxSettings({ onSetUp, onClose }: { onSetUp: () => void; onClose: () => void }) {
  const api = useApi();
  const { t, language } = useLanguage();
  const { identity, store, training, workspace, isDesktop, setStore, setWorkspace } = useWorkspace();
  const { announce, reportError } = useStatus();
  const [testing, setTesting] = useState(false);
  return (
    <div className="settings-section">
      {training ? (
        <div role="group" className="settings-block settings-block--training" aria-labelledby="settings-training">
          <h2 id="settings-training">{t.settings.trainingHeading}</h2>
          <p>{t.settings.trainingActive}</p>
          {workspace?.trainingIntermediaryUrl ? <p className="mono">{workspace.trainingIntermediaryUrl}</p> : null}
          <Button
            className="button button--secondary"
            onPress={() => {
              api.call('workspace.stopTraining', {}).then((stopped) => {
                onClose();
                setWorkspace(stopped.state);
                setStore(stopped.store);
                announce(t.settings.trainingStopped);
              }, reportError);
            }}
          >
            {t.settings.trainingStop}
          </Button>
        </div>
      ) : null}
      <div role="group" className="settings-block" aria-labelledby="settings-identity">
        <h2 id="settings-identity">{t.settings.identityHeading}</h2>
        {identity === null || identity === undefined ? (
          <>
            <p>{t.settings.identityMissing}</p>
            <Button
              className="button"
              onPress={() => {
                onClose();
                onSetUp();
              }}
            >
              {t.mailbox.setUpNow}
            </Button>
          </>
        ) : (
          <>
            <dl className="facts">
              <dt>{t.settings.cipherCertificate}</dt>
              <dd>
                {identity.cipherCertificate.subject}
                <br />
                {language === 'de' ? identity.expiry.text.de : identity.expiry.text.en}
              </dd>
              <dt>{t.settings.intermediary}</dt>
              <dd className="mono">{identity.intermediaryUrl}</dd>
              <dt>{t.settings.intermediaryCertificate}</dt>
              <dd>{identity.intermediaryCertificate.subject}</dd>
              <dt>{t.settings.configuredAt}</dt>
              <dd>{dateTime(identity.configuredAt, language)}</dd>
            </dl>
            {training ? null : <IntermediaryAddress current={identity.intermediaryUrl} />}
            {testing ? (
              <ConnectionTest embedded onDone={() => setTesting(false)} />
            ) : (
              <Button className="button button--secondary" onPress={() => setTesting(true)}>
                {t.settings.testConnection}
              </Button>
            )}
          </>
        )}
      </div>
      {store?.state === 'open' ? <TrustedCasSettings /> : null}
      {store === undefined ? null : (
        <div role="group" className="settings-block" aria-labelledby="settings-store">
          <h2 id="settings-store">{t.settings.storeHeading}</h2>
          <dl className="facts">
            <dt>{t.settings.storePath}</dt>
            <dd className="mono">{store.path}</dd>
            <dt>{t.settings.storeWrappers}</dt>
            <dd>{store.wrappers.map((w) => t.settings.wrapperTypes[w.type]).join(', ') || t.common.none}</dd>
          </dl>
          {isDesktop && store.protectorAvailable && !store.wrappers.some((w) => w.type === 'protector') && !training ? (
            <Button
              className="button button--secondary"
              onPress={() => {
                api.call('store.addProtector', {}).then((status) => {
                  setStore(status);
                  announce(t.unlock.protectorAdded);
                }, reportError);
              }}
            >
              {t.settings.addProtector}
            </Button>
          ) : null}
        </div>
      )}
    </div>
  );
}

/** The intermediary's address can change (a move of the intermediary) without importing the key again. */
function IntermediaryAddress({ current }: { current: string }) {
  const api = useApi();
  const { t, language } = useLanguage();
  const lock = useLocks().get('intermediaryUrl')?.lockReason;
  const { refreshIdentity } = useWorkspace();
  const { announce, reportError } = useStatus();
  const [url, setUrl] = useState(current);
  const valid = /^https?:\/\/\S+$/i.test(url.trim());
  return (
    <div className="settings-inline">
      <TextField className="field settings-inline__field" value={url} onChange={setUrl} isInvalid={!valid} type="url" isDisabled={lock !== undefined}>
        <Label className="field__label">{t.settings.intermediaryUrl}</Label>
        <Input className="input" spellCheck={false} />
        {lock ? (
          <span className="field__description" data-testid="lock-note">
            {language === 'de' ? lock.de : lock.en}
          </span>
        ) : null}
      </TextField>
      <Button
        className="button button--secondary"
        isDisabled={lock !== undefined || !valid || url.trim() === current}
        onPress={() => {
          api.call('identity.updateConnection', { intermediaryUrl: url.trim() }).then(async () => {
            await refreshIdentity();
            announce(t.settings.saved);
          }, reportError);
        }}
      >
        {t.common.save}
      </Button>
    </div>
  );
}

type Retention = MethodOutput<'retention.settings'>;
type Candidate = MethodOutput<'retention.plan'>['candidates'][number];

function RetentionSettings() {
  const api = useApi();
  const { t, language } = useLanguage();
  const locks = useLocks();
  const lockNote = (key: string): string | undefined => {
    const reason = locks.get(key)?.lockReason;
    return reason === undefined ? undefined : language === 'de' ? reason.de : reason.en;
  };
  const { announce, reportError } = useStatus();
  const [settings, setSettings] = useState<Retention | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [plan, setPlan] = useState<Candidate[] | null>(null);
  const [confirm, setConfirm] = useState(false);

  useEffect(() => {
    api.call('retention.settings', {}).then(setSettings, setError);
  }, [api]);

  const save = (patch: Partial<Retention>): void => {
    api.call('retention.updateSettings', patch).then((saved) => {
      setSettings(saved);
      setPlan(null);
      announce(t.settings.saved);
    }, reportError);
  };
  const apply = async (): Promise<void> => {
    setConfirm(false);
    if (plan === null) return;
    try {
      const { deleted } = await api.call('retention.apply', { ids: plan.map((c) => c.id) });
      announce(t.settings.retentionDone(deleted.length));
      setPlan(null);
    } catch (e) {
      reportError(e);
    }
  };

  if (error !== undefined) return <ErrorNotice error={error} headingLevel={3} />;
  if (settings === null) return <p>{t.status.loading}</p>;
  return (
    <div className="settings-section">
      <p>{t.settings.retentionIntro}</p>
      <NumberField
        className="field"
        value={settings.retentionTransferredDays}
        minValue={0}
        maxValue={36500}
        isDisabled={locks.has('retentionTransferredDays')}
        onChange={(v) => Number.isFinite(v) && save({ retentionTransferredDays: Math.round(v) })}
      >
        <Label className="field__label">{t.settings.retentionTransferred}</Label>
        <Input className="input input--narrow" />
        {lockNote('retentionTransferredDays') ? (
          <span className="field__description" data-testid="lock-note">
            {lockNote('retentionTransferredDays')}
          </span>
        ) : null}
      </NumberField>
      <NumberField
        className="field"
        value={settings.retentionTrashDays}
        minValue={0}
        maxValue={36500}
        isDisabled={locks.has('retentionTrashDays')}
        onChange={(v) => Number.isFinite(v) && save({ retentionTrashDays: Math.round(v) })}
      >
        <Label className="field__label">{t.settings.retentionTrash}</Label>
        <Input className="input input--narrow" />
        {lockNote('retentionTrashDays') ? (
          <span className="field__description" data-testid="lock-note">
            {lockNote('retentionTrashDays')}
          </span>
        ) : null}
      </NumberField>
      <Button className="button button--secondary" onPress={() => void api.call('retention.plan', {}).then((p) => setPlan(p.candidates), reportError)}>
        {t.settings.retentionPlan}
      </Button>
      {plan === null ? null : (
        <div role="status" className="retention-plan">
          {plan.length === 0 ? (
            <p>{t.settings.retentionNone}</p>
          ) : (
            <>
              <p>{t.settings.retentionCandidates(plan.length)}</p>
              <Button className="button button--danger" onPress={() => setConfirm(true)}>
                {t.settings.retentionApply(plan.length)}
              </Button>
            </>
          )}
        </div>
      )}
      <Modal title={t.settings.retentionConfirmTitle} isOpen={confirm} onClose={() => setConfirm(false)} size="narrow" role="alertdialog">
        <p>{t.settings.retentionConfirmText(plan?.length ?? 0)}</p>
        <div className="form__actions">
          <Button className="button button--danger" onPress={() => void apply()}>
            {t.settings.retentionApply(plan?.length ?? 0)}
          </Button>
          <Button className="button button--secondary" onPress={() => setConfirm(false)}>
            {t.common.cancel}
          </Button>
        </div>
      </Modal>
    </div>
  );
}
