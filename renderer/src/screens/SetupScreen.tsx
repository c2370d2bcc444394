/**
 * "Echtes Postfach einrichten": the mailbox key file with its password, the intermediary's address and certificate
 * (and its signing certificate where different), optionally the senders' CA (trusted sender CAs), the protection
 * of the local store; then the recovery key (shown
 * once) and a connection test, with the notes on the mailbox certificate (short key, expiring soon, key usage).
 * The store is created in the same call that sets the identity up (`store.create` with `identity`): a key file that
 * cannot be read leaves no store behind, shows no recovery key, and the form stays as it was for another try.
 *
 * Passwords are typed into plain uncontrolled inputs and read once when the form is sent: they go in a single call
 * (`store.create`, or `identity.setup` into a store already open), the inputs are emptied right after, and no React
 * state ever holds them.
 * Nothing secret comes back, except the store's recovery key, which must be shown once.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Button, Form, Input, Label, TextField, Text, FieldError } from 'react-aria-components';
import { useApi } from '../api/api-context.js';
import { CertificateWarnings, mergedWarnings } from '../components/CertificateWarnings.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { FilePicker, type PickedFile } from '../components/FilePicker.js';
import { useT } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';
import { RecoveryKeyDialog } from './RecoveryKeyDialog.js';

type Step = { readonly kind: 'form' } | { readonly kind: 'recovery'; readonly key: string } | { readonly kind: 'test' };

interface FieldErrors {
  keyFile?: string;
  keyPassword?: string;
  url?: string;
  certificate?: string;
  storePassword?: string;
}

function PasswordInput({
  name,
  label,
  inputRef,
  error,
  description,
  autoComplete,
}: {
  name: string;
  label: string;
  inputRef: React.RefObject<HTMLInputElement | null>;
  error?: string | undefined;
  description?: string;
  autoComplete: string;
}) {
  const id = useId();
  const errorId = useId();
  const descriptionId = useId();
  const describedBy = [description ? descriptionId : undefined, error ? errorId : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <Input
        ref={inputRef}
        id={id}
        name={name}
        type="password"
        className="input"
        autoComplete={autoComplete}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        spellCheck={false}
      />
      {description ? (
        <span className="field__description" id={descriptionId}>
          {description}
        </span>
      ) : null}
      {error ? (
        <span className="field__error" id={errorId}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function SetupScreen({ onCancel, onDone }: { onCancel: () => void; onDone: () => void }) {
  const api = useApi();
  const t = useT();
  const { store, isDesktop, setStore, setWorkspace, refreshIdentity } = useWorkspace();
  const { reportError } = useStatus();
  const [step, setStep] = useState<Step>({ kind: 'form' });
  const [keyFile, setKeyFile] = useState<PickedFile | null>(null);
  const [certificate, setCertificate] = useState<PickedFile | null>(null);
  const [signer, setSigner] = useState<PickedFile | null>(null);
  const [trustedCa, setTrustedCa] = useState<PickedFile | null>(null);
  const [url, setUrl] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const keyPassword = useRef<HTMLInputElement>(null);
  const storePassword = useRef<HTMLInputElement>(null);
  const storePasswordRepeat = useRef<HTMLInputElement>(null);

  const storeOpen = store?.state === 'open';
  const useProtector = isDesktop && store?.protectorAvailable === true;

  const clearSecrets = (): void => {
    for (const input of [keyPassword.current, storePassword.current, storePasswordRepeat.current]) if (input) input.value = '';
  };

  const validate = (): FieldErrors => {
    const found: FieldErrors = {};
    if (keyFile === null) found.keyFile = t.setup.missingFile;
    if ((keyPassword.current?.value ?? '') === '') found.keyPassword = t.setup.missingPassword;
    if (!/^https?:\/\/\S+$/i.test(url.trim())) found.url = t.setup.invalidUrl;
    if (certificate === null) found.certificate = t.setup.missingFile;
    if (!storeOpen && !useProtector) {
      const first = storePassword.current?.value ?? '';
      if (first.length < 8) found.storePassword = t.setup.passwordTooShort;
      else if (first !== (storePasswordRepeat.current?.value ?? '')) found.storePassword = t.setup.passwordsDiffer;
    }
    return found;
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    setFailure(undefined);
    if (Object.keys(found).length > 0 || keyFile === null || certificate === null) return;
    setBusy(true);
    const identity = {
      keyFile: keyFile.path,
      password: keyPassword.current?.value ?? '',
      intermediaryUrl: url.trim(),
      intermediaryCertificateFile: certificate.path,
      ...(signer === null ? {} : { intermediarySignerFiles: [signer.path] }),
      ...(trustedCa === null ? {} : { trustedCaFiles: [trustedCa.path] }),
    };
    // a new store is created together with the identity or not at all: the service reads and checks the key file
    // and the certificates first, so a wrong password leaves no store, shows no recovery key, and keeps this form
    let recoveryKey: string | undefined;
    try {
      if (storeOpen) await api.call('identity.setup', identity);
      else {
        const created = await api.call('store.create', { ...(useProtector ? { protector: true } : { password: storePassword.current?.value ?? '' }), identity });
        recoveryKey = created.recoveryKey;
      }
    } catch (error) {
      clearSecrets();
      setFailure(error);
      setBusy(false);
      return;
    }
    clearSecrets();
    try {
      setWorkspace(await api.call('workspace.chooseReal', {}));
      await api.call('workspace.discardUploads', {}).catch(() => undefined);
      setStore(await api.call('store.status', {}));
      await refreshIdentity();
    } catch (error) {
      // set up already: the recovery key must still be shown; what failed afterwards is said in the status bar
      reportError(error);
    } finally {
      setBusy(false);
    }
    setStep(recoveryKey === undefined ? { kind: 'test' } : { kind: 'recovery', key: recoveryKey });
  };

  if (step.kind === 'recovery') return <RecoveryKeyDialog recoveryKey={step.key} onDone={() => setStep({ kind: 'test' })} />;
  if (step.kind === 'test') return <ConnectionTest onDone={onDone} />;

  return (
    <section className="card card--form" aria-labelledby="setup-heading">
      <h1 id="setup-heading" className="card__title">
        {t.setup.heading}
      </h1>
      <p className="card__intro">{t.setup.intro}</p>
      {failure === undefined ? null : <ErrorNotice error={failure} />}
      <Form className="form" onSubmit={(e) => void submit(e)} validationBehavior="aria" aria-busy={busy}>
        <FilePicker kind="p12" label={t.setup.keyFile} value={keyFile} onChange={setKeyFile} onError={setFailure} errorMessage={errors.keyFile} testId="pick-key" />
        <PasswordInput name="keyPassword" label={t.setup.keyPassword} inputRef={keyPassword} error={errors.keyPassword} autoComplete="off" />
        <TextField className="field" value={url} onChange={setUrl} isInvalid={errors.url !== undefined} type="url" autoComplete="off">
          <Label className="field__label">{t.setup.intermediaryUrl}</Label>
          <Input className="input" spellCheck={false} />
          <Text slot="description" className="field__description">
            {t.setup.intermediaryUrlHint}
          </Text>
          <FieldError className="field__error">{errors.url}</FieldError>
        </TextField>
        <FilePicker
          kind="certificate"
          label={t.setup.intermediaryCertificate}
          value={certificate}
          onChange={setCertificate}
          onError={setFailure}
          errorMessage={errors.certificate}
          testId="pick-certificate"
        />
        <FilePicker
          kind="certificate"
          label={t.setup.signerCertificate}
          value={signer}
          onChange={setSigner}
          onError={setFailure}
          description={t.setup.signerHint}
          testId="pick-signer"
        />
        <FilePicker
          kind="certificate"
          label={t.setup.trustedCa}
          value={trustedCa}
          onChange={setTrustedCa}
          onError={setFailure}
          description={t.setup.trustedCaHint}
          testId="pick-trusted-ca"
        />
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t.setup.storeSection}</legend>
          {storeOpen ? (
            <p>{t.setup.storeExists}</p>
          ) : useProtector ? (
            <p>{t.setup.storeProtector}</p>
          ) : (
            <>
              <PasswordInput
                name="storePassword"
                label={t.setup.storePassword}
                inputRef={storePassword}
                error={errors.storePassword}
                description={t.setup.storePasswordHint}
                autoComplete="new-password"
              />
              <PasswordInput name="storePasswordRepeat" label={t.setup.storePasswordRepeat} inputRef={storePasswordRepeat} autoComplete="new-password" />
            </>
          )}
        </fieldset>
        <div className="form__actions">
          <Button type="submit" className="button" isDisabled={busy}>
            {busy ? t.setup.submitting : t.setup.submit}
          </Button>
          <Button className="button button--secondary" onPress={onCancel} isDisabled={busy}>
            {t.setup.cancel}
          </Button>
        </div>
      </Form>
    </section>
  );
}

/** After the set-up: InitDialog and ExitDialog with the intermediary prove URL, keys and signer. */
export function ConnectionTest({ onDone, embedded = false }: { onDone: () => void; embedded?: boolean }) {
  const api = useApi();
  const t = useT();
  const { identity } = useWorkspace();
  const [state, setState] = useState<{ phase: 'running' } | { phase: 'ok'; ms: number } | { phase: 'failed'; error: unknown }>({ phase: 'running' });
  const run = (): void => {
    setState({ phase: 'running' });
    api.call('mailbox.testConnection', {}).then(
      (result) => setState({ phase: 'ok', ms: result.durationMs }),
      (error: unknown) => setState({ phase: 'failed', error }),
    );
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the step is shown
  useEffect(run, []);
  const Heading = embedded ? 'h3' : 'h1';
  return (
    <section className={embedded ? 'connection-test' : 'card'} aria-labelledby="test-heading" aria-busy={state.phase === 'running'}>
      <Heading id="test-heading" className={embedded ? undefined : 'card__title'}>
        {t.setup.testHeading}
      </Heading>
      <div role="status">
        {state.phase === 'running' ? <p>{t.setup.testRunning}</p> : null}
        {state.phase === 'ok' ? <p className="notice notice--ok">{t.setup.testOk(state.ms)}</p> : null}
      </div>
      {state.phase === 'failed' ? (
        <>
          <ErrorNotice error={state.error} onRetry={run} />
          <p>{t.setup.testFailed}</p>
        </>
      ) : null}
      {embedded ? null : (
        <CertificateWarnings
          certificate={mergedWarnings(identity?.cipherCertificate, identity?.signatureCertificate)}
          heading={t.setup.certificateWarnings}
          intro={t.setup.certificateWarningsIntro}
          headingLevel={2}
          testId="setup-certificate-warnings"
        />
      )}
      <Button className="button" onPress={onDone} isDisabled={state.phase === 'running'}>
        {embedded ? t.common.close : t.setup.toMailbox}
      </Button>
    </section>
  );
}
