/**
 * Settings → Postfach → "Vertrauenswürdige Absender-CAs": the CAs whose certificates make a sender's signature
 * "vertrauenswürdig" — each with subject, SHA-256 fingerprint, validity and where it came from; the office's can be
 * removed, IT's are shown locked with the reason. A CA file (.cer/.crt/.pem/.p7b) is shown first (fingerprint to
 * compare) and trusted only on confirmation. Every change judges the stored applications again (the service does
 * it; the message list reloads on `messages.changed`) and is in the audit log. Contract area "trust".
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Button } from 'react-aria-components';
import type { MethodOutput } from '../../../core/api/contract.js';
import type { TrustedCaDto } from '../../../core/api/contract/trust.js';
import { useApi } from '../api/api-context.js';
import { certificateWarningText } from '../components/CertificateWarnings.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { FilePicker, type PickedFile } from '../components/FilePicker.js';
import { Modal } from '../components/Modal.js';
import { date, dateTime } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';
import { useWorkspace } from '../state/workspace.js';
import { LockNote } from './OperationsSettings.js';

type TrustList = MethodOutput<'trust.list'>;
type Inspected = MethodOutput<'trust.inspectFile'>;

export function TrustedCasSettings() {
  const api = useApi();
  const { t, language } = useLanguage();
  const { refreshIdentity, isDesktop } = useWorkspace();
  const { announce, reportError } = useStatus();
  const [list, setList] = useState<TrustList | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [picked, setPicked] = useState<{ file: PickedFile; seen: Inspected } | null>(null);
  const [removing, setRemoving] = useState<TrustedCaDto | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  /** After a removal the button that opened the question is gone with its CA: focus goes to the section instead. */
  const refocus = useRef(false);
  useEffect(() => {
    if (!refocus.current || removing !== null) return;
    refocus.current = false;
    // after React Aria's own focus restore (one frame), which finds its trigger gone
    requestAnimationFrame(() => requestAnimationFrame(() => heading.current?.focus()));
  }, [removing]);

  const load = useCallback(() => {
    api.call('trust.list', {}).then((l) => {
      setList(l);
      setError(undefined);
    }, setError);
  }, [api]);
  useEffect(load, [load]);

  const discardUpload = (): void => {
    if (!isDesktop) void api.call('workspace.discardUploads', {}).catch(() => undefined);
  };

  const choose = (file: PickedFile | null): void => {
    if (file === null) return;
    api.call('trust.inspectFile', { file: file.path }).then(
      (seen) => setPicked({ file, seen }),
      (e: unknown) => {
        discardUpload();
        reportError(e);
      },
    );
  };

  const trust = async (): Promise<void> => {
    if (picked === null) return;
    const fresh = picked.seen.cas.filter((c) => !c.alreadyTrusted).map((c) => c.certificate.fingerprintSha256);
    setBusy(true);
    try {
      const result = await api.call('trust.add', { file: picked.file.path, fingerprints: fresh });
      setList(result.list);
      announce(t.settings.trustAdded(result.reevaluated.changed));
      await refreshIdentity();
    } catch (e) {
      reportError(e);
    } finally {
      discardUpload();
      setPicked(null);
      setBusy(false);
    }
  };

  const remove = async (): Promise<void> => {
    if (removing === null) return;
    setBusy(true);
    try {
      const result = await api.call('trust.remove', { fingerprint: removing.certificate.fingerprintSha256 });
      setList(result.list);
      announce(t.settings.trustRemoved(result.reevaluated.changed));
      refocus.current = true;
      await refreshIdentity();
    } catch (e) {
      reportError(e);
    } finally {
      setRemoving(null);
      setBusy(false);
    }
  };

  const newOnes = picked?.seen.cas.filter((c) => !c.alreadyTrusted) ?? [];

  return (
    <div role="group" className="settings-block" aria-labelledby={headingId} data-testid="trusted-cas">
      <h2 id={headingId} ref={heading} tabIndex={-1}>
        {t.settings.trustHeading}
      </h2>
      <p>{t.settings.trustIntro}</p>
      {error !== undefined ? <ErrorNotice error={error} headingLevel={3} /> : null}
      {list === null ? null : list.cas.length === 0 ? (
        <p>{t.settings.trustNone}</p>
      ) : (
        <ul className="trust-list" aria-label={t.settings.trustListLabel}>
          {list.cas.map((ca) => (
            <li key={ca.certificate.fingerprintSha256} className="trust-list__item">
              <h3 className="trust-list__subject">{ca.certificate.subject}</h3>
              <dl className="facts facts--compact">
                <dt>{t.settings.trustFingerprint}</dt>
                <dd className="mono trust-list__fingerprint">{ca.certificate.fingerprintSha256}</dd>
                <dt>{t.settings.trustValidity}</dt>
                <dd>{t.settings.trustValidityRange(date(ca.certificate.validFrom, language), date(ca.certificate.validTo, language))}</dd>
                <dt>{t.settings.trustSource}</dt>
                <dd>
                  {t.settings.trustSources[ca.source] ?? ca.source}
                  {ca.addedAt ? t.settings.trustAddedAt(dateTime(ca.addedAt, language)) : ''}
                </dd>
              </dl>
              {ca.certificate.warnings.map((w) => (
                <p key={w.code} className="field__description">
                  {certificateWarningText(w, language)}
                </p>
              ))}
              {ca.inForce ? null : <p className="field__description">{t.settings.trustNotInForce}</p>}
              {ca.owner === 'office' && !list.locked ? (
                <Button className="button button--secondary" aria-label={t.settings.trustRemoveLabel(ca.certificate.subject)} onPress={() => setRemoving(ca)} isDisabled={busy}>
                  {t.settings.trustRemove}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {list?.locked ? (
        <LockNote reason={list.lockReason ?? { de: 'von Ihrer IT festgelegt', en: 'set by your IT' }} />
      ) : (
        <FilePicker kind="certificate" label={t.settings.trustFile} value={null} onChange={choose} onError={reportError} testId="pick-trusted-ca" />
      )}

      <Modal title={t.settings.trustConfirmTitle} isOpen={picked !== null} onClose={() => (discardUpload(), setPicked(null))} size="narrow" testId="trust-confirm">
        <p>{t.settings.trustConfirmText}</p>
        <ul className="trust-list">
          {picked?.seen.cas.map((c) => (
            <li key={c.certificate.fingerprintSha256} className="trust-list__item">
              <h2 className="trust-list__subject">{c.certificate.subject}</h2>
              <dl className="facts facts--compact">
                <dt>{t.settings.trustFingerprint}</dt>
                <dd className="mono trust-list__fingerprint">{c.certificate.fingerprintSha256}</dd>
                <dt>{t.settings.trustValidity}</dt>
                <dd>{t.settings.trustValidityRange(date(c.certificate.validFrom, language), date(c.certificate.validTo, language))}</dd>
              </dl>
              {c.alreadyTrusted ? <p className="field__description">{t.settings.trustAlready}</p> : null}
            </li>
          ))}
        </ul>
        {picked && picked.seen.skipped > 0 ? <p>{t.settings.trustSkipped(picked.seen.skipped)}</p> : null}
        <div className="form__actions">
          <Button className="button" onPress={() => void trust()} isDisabled={busy || newOnes.length === 0}>
            {t.settings.trustConfirm}
          </Button>
          <Button className="button button--secondary" onPress={() => (discardUpload(), setPicked(null))}>
            {t.common.cancel}
          </Button>
        </div>
      </Modal>

      <Modal title={t.settings.trustRemoveTitle} isOpen={removing !== null} onClose={() => setRemoving(null)} size="narrow" role="alertdialog" testId="trust-remove">
        <p>{removing?.certificate.subject}</p>
        <p className="mono trust-list__fingerprint">{removing?.certificate.fingerprintSha256}</p>
        <p>{t.settings.trustRemoveText}</p>
        <div className="form__actions">
          <Button className="button button--danger" onPress={() => void remove()} isDisabled={busy}>
            {t.settings.trustRemove}
          </Button>
          <Button className="button button--secondary" onPress={() => setRemoving(null)}>
            {t.common.cancel}
          </Button>
        </div>
      </Modal>
    </div>
  );
}
