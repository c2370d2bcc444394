/**
 * "Laufzettel": the proof of receipt (Eingang = Creation at the intermediary, Forwarding, Reception), the message id,
 * sender and recipient, the content's checksum, every stored part with what the sender's signature covers of it,
 * the signature and certificate results in plain words (with "Sperrstatus nicht geprüft") and what each signature
 * covers, the intermediary's inspection report, the office's own notes (Aktenzeichen, Wiedervorlage, Notiz — as on
 * the PDF's Laufzettel), and what happened to the message here. The technical detail of
 * each signature (signer, algorithm, fingerprint, the engine's technical text) is one click away.
 */
import { Button, Disclosure, DisclosurePanel, Heading } from 'react-aria-components';
import { Shown } from '../components/Shown.js';
import { coverageTone, roleWords } from '../../../core/api/contract/coverage.js';
import { BoundedValue } from '../components/BoundedValue.js';
import { SignatureBadge } from '../components/SignatureBadge.js';
import { expiredSinceWords, JUDGED_AT_RECEIPT_WORDS } from '../../../core/api/contract/legal-time-words.js';
import { coverageSentence, inspectionSentence, signatureSentence, wordsOf } from '../../../core/domain/words/index.js';
import { dayText } from '../format/days.js';
import { bytes, date, dateTime, office } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import { DocumentFindings } from './DocumentFindings.js';
import { EingangNotice } from './eingang.js';
import type { Detail, SignatureCheck } from './types.js';

type Part = Detail['parts'][number];

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

/**
 * The signature and certificate result in words from their codes (core/domain/words); the revocation status is
 * stated once on a line of its own below, so it is left out here.
 */
function resultWords(check: SignatureCheck, language: 'de' | 'en'): string {
  return signatureSentence(wordsOf(language), check.result, check.certificate, undefined);
}

/** What a signature covers, by name ("before-coverage" rows say nothing: it was not recorded). */
function coveredNames(parts: readonly Part[], index: number, t: ReturnType<typeof useLanguage>['t']): string | undefined {
  if (parts.some((p) => p.coverage.status === 'before-coverage')) return undefined;
  const covered = parts.filter((p) => p.coverage.signatures.includes(index)).map((p) => (p.coverage.role === 'application' ? t.message.laufzettel.coversApplication : p.name));
  return covered.length === 0 ? t.message.laufzettel.coversNothing : covered.join(', ');
}

function PartsList({ parts }: { parts: readonly Part[] }) {
  const { t, language } = useLanguage();
  const text = (u: { de: string; en: string }): string => (language === 'de' ? u.de : u.en);
  return (
    <ul className="parts" data-testid="laufzettel-parts" aria-label={t.message.laufzettel.parts}>
      {parts.map((p, i) => (
        <li key={i} className={`part part--${coverageTone(p.coverage.status, p.coverage.role)}`} data-coverage={p.coverage.status} data-role={p.coverage.role ?? 'unknown'}>
          <strong>{text(roleWords(p.coverage.role))}</strong>: <Shown text={p.name} /> —{' '}
          <span className="part__status">{coverageSentence(wordsOf(language), p.coverage.status, p.coverage.role)}</span>
          <span className="part__facts">
            {' '}
            ({bytes(p.size, language)}, SHA-256 <span className="mono">{p.sha256}</span>)
          </span>
        </li>
      ))}
    </ul>
  );
}

function SignatureResult({ check, covers }: { check: SignatureCheck; covers: string | undefined }) {
  const { t, language } = useLanguage();
  // a certificate that has expired since its judging is said so, and not shown in the all-clear colour
  const tone =
    check.result === 'invalid' || check.certificate === 'invalid'
      ? 'bad'
      : check.result === 'valid' && check.certificate === 'trusted' && check.expiredSince === undefined
        ? 'ok'
        : 'warn';
  const until = check.expiredSince === undefined ? '' : dateTime(check.expiredSince, language);
  return (
    <div role="group" className={`signature signature--${tone}`} aria-label={check.role === 'author' ? t.message.laufzettel.roleAuthor : t.message.laufzettel.roleIntermediary}>
      <h4 className="signature__role">{check.role === 'author' ? t.message.laufzettel.roleAuthor : t.message.laufzettel.roleIntermediary}</h4>
      <p className="signature__words">{resultWords(check, language)}</p>
      {check.role === 'author' && covers !== undefined ? (
        <p className="signature__covers">
          {t.message.laufzettel.covers}: <Shown text={covers} />
        </p>
      ) : null}
      {check.signer ? (
        <p>
          {t.message.laufzettel.signer}: <Shown text={check.signer.subject} />
        </p>
      ) : null}
      {check.reasons.length > 0 ? (
        <ul className="signature__reasons" aria-label={t.message.laufzettel.reasons}>
          {check.reasons.map((r, i) => (
            <li key={i}>{wordsOf(language).signatureReason[r]}</li>
          ))}
        </ul>
      ) : null}
      {check.role === 'author' && check.validityBasis === 'receipt' ? <p className="signature__validity">{JUDGED_AT_RECEIPT_WORDS[language]}</p> : null}
      {check.expiredSince === undefined ? null : (
        <p className="signature__validity signature__validity--expired" data-testid="expired-since">
          ⚠ {expiredSinceWords({ de: until, en: until })[language]}
        </p>
      )}
      <p className="signature__revocation">{wordsOf(language).revocation[check.revocation]}</p>
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
                <Fact label={t.message.laufzettel.issuer}>
                  <Shown text={check.signer.issuer} />
                </Fact>
              </>
            ) : null}
          </dl>
          <p className="mono">
            <Shown text={check.technical} lineBreaks />
          </p>
        </DisclosurePanel>
      </Disclosure>
    </div>
  );
}

/**
 * The office's Aktenzeichen, Wiedervorlage and note, as the PDF's Laufzettel states them ("Vermerke des Amtes"):
 * apart from what the sender sent, and only when something is noted.
 */
function CaseWorkFacts({ caseWork }: { caseWork: Detail['caseWork'] }) {
  const { t, language } = useLanguage();
  if (caseWork.aktenzeichen === null && caseWork.note === null && caseWork.followUpOn === null) return null;
  return (
    <section className="laufzettel__case-work" aria-labelledby="laufzettel-case-work" data-testid="laufzettel-case-work">
      <h3 id="laufzettel-case-work">{t.message.laufzettel.caseWork}</h3>
      <p className="card__intro">{t.message.laufzettel.caseWorkIntro}</p>
      <dl className="facts">
        {caseWork.aktenzeichen === null ? null : (
          <Fact label={t.habits.caseWork.aktenzeichen} testId="laufzettel-aktenzeichen">
            <Shown text={caseWork.aktenzeichen} />
          </Fact>
        )}
        {caseWork.followUpOn === null ? null : (
          <Fact label={t.message.laufzettel.caseWorkFollowUp} testId="laufzettel-follow-up">
            {dayText(caseWork.followUpOn, language)}
          </Fact>
        )}
        {caseWork.note === null ? null : (
          <Fact label={t.habits.caseWork.note} testId="laufzettel-note">
            <Shown text={caseWork.note} lineBreaks />
          </Fact>
        )}
      </dl>
    </section>
  );
}

export function Laufzettel({ detail }: { detail: Detail }) {
  const { t, language } = useLanguage();
  const l = detail.laufzettel;
  // the proof of receipt states the zone, as its PDF does: on the night the clocks go back 02:30 happens twice
  const stated = (iso: string): string => office(language).stated(iso);
  return (
    <div className="laufzettel" data-testid="laufzettel">
      <p className="card__intro">{t.message.laufzettel.intro}</p>
      <dl className="facts">
        <Fact label={t.message.laufzettel.eingang} testId="laufzettel-eingang">
          {l.eingang === null ? '–' : stated(l.eingang)} <EingangNotice item={detail.item} language={language} />
        </Fact>
        <Fact label={t.message.laufzettel.forwarding}>{l.forwarding === null ? '–' : stated(l.forwarding)}</Fact>
        <Fact label={t.message.laufzettel.reception}>{l.reception === null ? '–' : stated(l.reception)}</Fact>
        <Fact label={t.message.laufzettel.fetchedAt}>{stated(l.fetchedAt)}</Fact>
        <Fact label={t.message.laufzettel.messageId}>
          <Shown text={l.messageId} className="mono" />
        </Fact>
        {l.subject === null ? null : (
          <Fact label={t.message.laufzettel.subject} testId="laufzettel-subject">
            <BoundedValue text={l.subject} label={t.message.laufzettel.subject} />
          </Fact>
        )}
        <Fact label={t.message.laufzettel.sender}>
          {l.sender ? <Shown text={l.sender.subject} /> : t.common.unknown}
          {detail.item.unreadableKind === null && detail.item.signatureStatus === 'unsigned' ? ` (${t.message.laufzettel.senderUnproven})` : ''}
        </Fact>
        <Fact label={t.message.laufzettel.recipient}>{l.recipient ? <Shown text={l.recipient.subject} /> : t.common.unknown}</Fact>
        <Fact label={t.message.laufzettel.contentSize}>{bytes(detail.content.size, language)}</Fact>
        <Fact label={t.message.laufzettel.contentSha}>
          <span className="mono">{detail.content.sha256}</span>
        </Fact>
      </dl>
      <CaseWorkFacts caseWork={detail.caseWork} />
      <DocumentFindings documents={detail.documents} />
      <h3>{t.message.laufzettel.parts}</h3>
      <p className="card__intro">{t.message.laufzettel.partsIntro}</p>
      <PartsList parts={detail.parts} />
      <h3>{t.message.laufzettel.signatures}</h3>
      <p>
        <SignatureBadge status={detail.item.signatureStatus} long />
      </p>
      {detail.signatures.length === 0 ? (
        <p>{t.message.laufzettel.noSignatures}</p>
      ) : (
        detail.signatures.map((check, i) => <SignatureResult key={i} check={check} covers={coveredNames(detail.parts, i, t)} />)
      )}
      <h3>{t.message.laufzettel.inspections}</h3>
      <p className="card__intro">{t.message.laufzettel.inspectionsIntro}</p>
      {detail.inspections.length === 0 ? (
        <p>{t.message.laufzettel.noInspections}</p>
      ) : (
        <ul className="inspections">
          {detail.inspections.map((inspection, i) => (
            <li key={i}>
              <strong>{inspection.subject === '' ? wordsOf(language).inspectionSubjectUnknown : <Shown text={inspection.subject} />}</strong>:{' '}
              {inspectionSentence(wordsOf(language), inspection.verdict, inspection.mathResult, inspection.offlineResult)}
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
