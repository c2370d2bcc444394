/**
 * A message's header: the title (the short benefit name; the product's full name one click away), the applicants,
 * and the facts — Eingang (the process card's Creation), the signature in words with its signer, the state, the
 * application date. Title and applicants come from the message: bounded here, whole in the cards.
 */
import type { Ref } from 'react';
import { Button } from 'react-aria-components';
import { clipText } from '../../../core/text-bounds.js';
import { Shown } from '../components/Shown.js';
import { SignatureBadge } from '../components/SignatureBadge.js';
import { dateTime } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import { useReadingWords } from '../i18n/words-reading.js';
import { applicationSigner } from './application-signer.js';
import { BenefitFullName } from './BenefitFullName.js';
import { EingangNotice } from './eingang.js';
import type { Detail } from './types.js';

/** Characters of the title and the applicants in the header (whole in the cards). */
export const TITLE_CHARS = 160;

export interface MessageHeaderProps {
  readonly detail: Detail;
  readonly title: string;
  readonly fullName: string | undefined;
  readonly who: string;
  /** The page's main heading (a window of its own), else a heading of the reading pane. */
  readonly standalone: boolean;
  /** "Details anzeigen": the Laufzettel. */
  readonly onShowDetails: () => void;
  readonly headerRef: Ref<HTMLElement>;
}

export function MessageHeader({ detail, title, fullName, who, standalone, onShowDetails, headerRef }: MessageHeaderProps) {
  const { t, language } = useLanguage();
  const w = useReadingWords();
  const item = detail.item;
  const view = detail.view;
  const signer = applicationSigner(detail);
  const Title = standalone ? 'h1' : 'h2';
  return (
    <header className="message__header" ref={headerRef}>
      <Title id="message-heading" className="message__title" tabIndex={-1}>
        <Shown text={title} />
      </Title>
      {fullName === undefined ? null : <BenefitFullName key={item.id} name={clipText(fullName, TITLE_CHARS * 4)} />}
      <p className="message__who">
        <Shown text={who} />
      </p>
      <dl className="message__facts">
        <div>
          <dt>{t.message.eingang}</dt>
          <dd data-testid="message-eingang">
            {item.eingangKnown ? dateTime(detail.laufzettel.eingang ?? item.eingang, language, true) : `${t.message.eingangMissing} ${dateTime(item.eingang, language)}`}
            <EingangNotice item={item} language={language} />
          </dd>
        </div>
        <div>
          <dt>{t.message.signatureLine}</dt>
          <dd>
            <SignatureBadge status={item.signatureStatus} long />{' '}
            {signer !== undefined ? (
              <>
                <span className="message__signer" data-testid="signature-signer">
                  {t.message.signedBy(signer)}
                </span>{' '}
              </>
            ) : null}
            <Button className="button button--link" onPress={onShowDetails}>
              {t.message.showDetails}
            </Button>
          </dd>
        </div>
        <div>
          <dt>{t.message.state}</dt>
          <dd data-testid="message-state">{t.states[item.state]}</dd>
        </div>
        {view?.applicationDate ? (
          <div>
            <dt>{w.applicationDate}</dt>
            {/* an xs:date as written in the application (no time zone applies) */}
            <dd data-testid="message-application-date">
              <Shown text={clipText(view.applicationDate.display, TITLE_CHARS)} />
            </dd>
          </div>
        ) : null}
      </dl>
    </header>
  );
}
