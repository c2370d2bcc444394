/**
 * "Laufzettel": the proof of receipt (Eingang = Creation at the intermediary, Forwarding, Reception), the message id,
 * sender and recipient, the content's checksum, the signature and certificate results in plain words (with
 * "Sperrstatus nicht geprüft"), the intermediary's inspection report, and what happened to the message here. The
 * technical detail of each signature (signer, algorithm, fingerprint, the engine's technical text) is one click away.
 */
import { Button, Disclosure, DisclosurePanel, Heading } from 'react-aria-components';
import { BoundedValue } from '../components/BoundedValue.js';
import { SignatureBadge } from '../components/SignatureBadge.js';
import { bytes, date, dateTime } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import type { Detail, SignatureCheck } from './types.js';

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

/**
 * The engine's words end in the revocation clause ("…; Sperrstatus nicht geprüft"), which the card states once on a
 * line of its own (from `revocation`): taken off the words here, for messages stored before as well.
 */
export function wordsWithoutRevocation(words: string): string {
  return words.replace(/;\s*(?:Sperrstatus nicht geprüft|revocation(?: status)? not checked)\s*$/i, '');
}

function SignatureResult({ check }: { check: SignatureCheck }) {
  const { t, language } = useLanguage();
  const text = (u: { de: string; en: string }): string => (language === 'de' ? u.de : u.en);
  const tone = check.result === 'invalid' || check.certificate === 'invalid' ? 'bad' : check.result === 'valid' && check.certificate === 'trusted' ? 'ok' : 'warn';
  return (
    <div role="group" className={`signature signature--${tone}`} aria-label={check.role === 'author' ? t.message.laufzettel.roleAuthor : t.message.laufzettel.roleIntermediary}>
      <h4 className="signature__role">{check.role === 'author' ? t.message.laufzettel.roleAuthor : t.message.laufzettel.roleIntermediary}</h4>
      <p className="signature__words">{wordsWithoutRevocation(text(check.words))}</p>
      {check.signer ? (
        <p>
          {t.message.laufzettel.signer}: {check.signer.subject}
        </p>
      ) : null}
      {check.reasons.length > 0 ? (
        <ul className="signature__reasons" aria-label={t.message.laufzettel.reasons}>
          {check.reasons.map((r, i) => (
            <li key={i}>{text(r)}</li>
          ))}
        </ul>
      ) : null}
      <p className="signature__revocation">{t.signature.revocation}</p>
      <Disclosure className="signature__detail">
        <Heading level={5} className="notice__detail-heading">
          <Button slot="trigger" className="button button--link">
            {t.message.laufzettel.technical}
          </Button>
        </Heading>
        <DisclosurePanel>
          <dl className="facts facts--compact">
            {check.algorithm ? <Fact label={t.message.laufzettel.algorithm}>{check.algorithm}</Fact> : null}
            {check.checkedAt ? <Fact label={t.message.laufzettel.checkedAt}>{dateTime(check.checkedAt, language, true)}</Fact> : null}
            {check.signer ? (
              <>
                <Fact label={t.message.laufzettel.validity}>
                  {date(check.signer.validFrom, language)} – {date(check.signer.validTo, language)}
                </Fact>
                <Fact label={t.message.laufzettel.fingerprint}>
                  <span className="mono">{check.signer.fingerprintSha256}</span>
                </Fact>
                <Fact label={t.message.laufzettel.issuer}>{check.signer.issuer}</Fact>
              </>
            ) : null}
          </dl>
          <p className="mono">{check.technical}</p>
        </DisclosurePanel>
      </Disclosure>
    </div>
  );
}

export function Laufzettel({ detail }: { detail: Detail }) {
  const { t, language } = useLanguage();
  const l = detail.laufzettel;
  return (
    <div className="laufzettel" data-testid="laufzettel">
      <p className="card__intro">{t.message.laufzettel.intro}</p>
      <dl className="facts">
        <Fact label={t.message.laufzettel.eingang} testId="laufzettel-eingang">
          {l.eingang === null ? '–' : dateTime(l.eingang, language, true)}
        </Fact>
        <Fact label={t.message.laufzettel.forwarding}>{l.forwarding === null ? '–' : dateTime(l.forwarding, language, true)}</Fact>
        <Fact label={t.message.laufzettel.reception}>{l.reception === null ? '–' : dateTime(l.reception, language, true)}</Fact>
        <Fact label={t.message.laufzettel.fetchedAt}>{dateTime(l.fetchedAt, language, true)}</Fact>
        <Fact label={t.message.laufzettel.messageId}>
          <span className="mono">{l.messageId}</span>
        </Fact>
        {l.subject === null ? null : (
          <Fact label={t.message.laufzettel.subject}>
            <BoundedValue text={l.subject} label={t.message.laufzettel.subject} />
          </Fact>
        )}
        <Fact label={t.message.laufzettel.sender}>{l.sender?.subject ?? t.common.unknown}</Fact>
        <Fact label={t.message.laufzettel.recipient}>{l.recipient?.subject ?? t.common.unknown}</Fact>
        <Fact label={t.message.laufzettel.contentSize}>{bytes(detail.content.size, language)}</Fact>
        <Fact label={t.message.laufzettel.contentSha}>
          <span className="mono">{detail.content.sha256}</span>
        </Fact>
      </dl>
      <h3>{t.message.laufzettel.signatures}</h3>
      <p>
        <SignatureBadge status={detail.item.signatureStatus} long />
      </p>
      {detail.signatures.length === 0 ? <p>{t.message.laufzettel.noSignatures}</p> : detail.signatures.map((check, i) => <SignatureResult key={i} check={check} />)}
      <h3>{t.message.laufzettel.inspections}</h3>
      <p className="card__intro">{t.message.laufzettel.inspectionsIntro}</p>
      {detail.inspections.length === 0 ? (
        <p>{t.message.laufzettel.noInspections}</p>
      ) : (
        <ul className="inspections">
          {detail.inspections.map((inspection, i) => (
            <li key={i}>
              <strong>{inspection.subject}</strong>: {language === 'de' ? inspection.words.de : inspection.words.en}
              {inspection.time ? ` (${dateTime(inspection.time, language)})` : ''}
            </li>
          ))}
        </ul>
      )}
      <h3>{t.message.laufzettel.times}</h3>
      <dl className="facts">
        <Fact label={t.message.laufzettel.readAt}>{detail.times.readAt === null ? '–' : dateTime(detail.times.readAt, language)}</Fact>
        <Fact label={t.message.laufzettel.exportedAt}>{detail.times.exportedAt === null ? '–' : dateTime(detail.times.exportedAt, language)}</Fact>
        <Fact label={t.message.laufzettel.transferredAt}>{detail.times.transferredAt === null ? '–' : dateTime(detail.times.transferredAt, language)}</Fact>
        {detail.times.trashedAt === null ? null : <Fact label={t.message.laufzettel.trashedAt}>{dateTime(detail.times.trashedAt, language)}</Fact>}
      </dl>
    </div>
  );
}
