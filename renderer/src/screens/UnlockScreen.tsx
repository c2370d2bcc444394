/**
 * Opening a locked store: in the desktop app first with the OS key store (tried once automatically), otherwise
 * with the store password or the recovery key. After opening with the recovery key in the desktop app, the
 * caseworker may let the OS key store open it again from now on (a new Windows profile).
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Button, Form, Input, Radio, RadioGroup, Label } from 'react-aria-components';
import { useApi } from '../api/api-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Modal } from '../components/Modal.js';
import { useT } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';

export function UnlockScreen({ onOtherMailbox }: { onOtherMailbox: () => void }) {
  const api = useApi();
  const t = useT();
  const { store, isDesktop, setStore } = useWorkspace();
  const { announce } = useStatus();
  const [method, setMethod] = useState<'password' | 'recovery'>('password');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [offerProtector, setOfferProtector] = useState(false);
  const secret = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const triedProtector = useRef(false);

  const hasProtectorWrapper = store?.wrappers.some((w) => w.type === 'protector') === true;
  const canUseProtector = isDesktop && store?.protectorAvailable === true;

  const openWith = async (unlock: { password: string } | { recoveryKey: string } | { protector: true }): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const status = await api.call('store.open', { unlock });
      if ('recoveryKey' in unlock && canUseProtector) {
        setOfferProtector(true);
        // the mailbox opens once the question is answered
        return;
      }
      setStore(status);
    } catch (e) {
      setError(e);
    } finally {
      if (secret.current) secret.current.value = '';
      setBusy(false);
    }
  };

  useEffect(() => {
    if (canUseProtector && hasProtectorWrapper && !triedProtector.current) {
      triedProtector.current = true;
      void openWith({ protector: true });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- tried once per screen
  }, [canUseProtector, hasProtectorWrapper]);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const value = secret.current?.value ?? '';
    if (value === '') return;
    void openWith(method === 'password' ? { password: value } : { recoveryKey: value });
  };

  const finish = async (addProtector: boolean): Promise<void> => {
    try {
      if (addProtector) {
        await api.call('store.addProtector', {});
        announce(t.unlock.protectorAdded);
      }
    } catch (e) {
      setError(e);
    }
    setOfferProtector(false);
    setStore(await api.call('store.status', {}));
  };

  return (
    <section className="card card--form" aria-labelledby="unlock-heading" aria-busy={busy}>
      <h1 id="unlock-heading" className="card__title">
        {t.unlock.heading}
      </h1>
      <p className="card__intro">{t.unlock.intro}</p>
      {error === undefined ? null : <ErrorNotice error={error} />}
      {canUseProtector && hasProtectorWrapper ? (
        <p>
          <Button className="button" onPress={() => void openWith({ protector: true })} isDisabled={busy}>
            {busy ? t.unlock.trying : t.unlock.protector}
          </Button>
        </p>
      ) : null}
      <Form className="form" onSubmit={submit}>
        <RadioGroup className="radio-group" value={method} onChange={(v) => setMethod(v === 'recovery' ? 'recovery' : 'password')} orientation="horizontal">
          <Label className="field__label">{t.unlock.method}</Label>
          <div className="radio-group__items">
            <Radio value="password" className="radio">
              {t.unlock.usePassword}
            </Radio>
            <Radio value="recovery" className="radio">
              {t.unlock.useRecovery}
            </Radio>
          </div>
        </RadioGroup>
        <div className="field">
          <label className="field__label" htmlFor={inputId}>
            {method === 'password' ? t.unlock.password : t.unlock.recoveryKey}
          </label>
          <Input ref={secret} id={inputId} className="input" type={method === 'password' ? 'password' : 'text'} autoComplete="off" spellCheck={false} />
        </div>
        <div className="form__actions">
          <Button type="submit" className="button" isDisabled={busy}>
            {method === 'password' ? t.unlock.openPassword : t.unlock.openRecovery}
          </Button>
          <Button className="button button--secondary" onPress={onOtherMailbox} isDisabled={busy}>
            {t.unlock.switchToFirstStart}
          </Button>
        </div>
      </Form>
      <Modal title={t.unlock.addProtectorQuestion} isOpen={offerProtector} onClose={() => void finish(false)} size="narrow">
        <p>{t.unlock.addProtectorText}</p>
        <div className="form__actions">
          <Button className="button" onPress={() => void finish(true)}>
            {t.unlock.addProtector}
          </Button>
          <Button className="button button--secondary" onPress={() => void finish(false)}>
            {t.unlock.notNow}
          </Button>
        </div>
      </Modal>
    </section>
  );
}
