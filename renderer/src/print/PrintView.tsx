/**
 * What Strg+P prints: the application on paper (title, Testantrag, Eingang, signature in words, every card), in a
 * print-only layer outside the window's layout, through the system print dialog (window.print). The print is
 * recorded in the audit log. The PDF export is the better copy for the e-file; this is the quick paper copy.
 */
import { createPortal } from 'react-dom';
import { Shown } from '../components/Shown.js';
import { dateTime } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import { useReadingWords } from '../i18n/words-reading.js';
import { isEmptyValue, paperSections, type Detail } from '../message/types.js';
import { applicantOf, unreadableReasonOf } from '../mailbox/MessageRow.js';

export function PrintView({ detail }: { detail: Detail }) {
  const { t, language, settings } = useLanguage();
  const w = useReadingWords();
  const item = detail.item;
  return createPortal(
    <div className="print-root" data-testid="print-view">
      {item.isTest ? <p className="print__test">{t.message.testBanner}</p> : null}
      <h1>{item.benefit.text ?? item.benefit.code ? <Shown text={item.benefit.text ?? item.benefit.code ?? ''} /> : t.message.untitled}</h1>
      <p>
        <Shown text={applicantOf(item, t, settings.familyNameFirst)} />
      </p>
      <dl className="print__facts">
        <dt>{t.message.eingang}</dt>
        <dd>{dateTime(detail.laufzettel.eingang ?? item.eingang, language, true)}</dd>
        <dt>{t.message.signatureLine}</dt>
        <dd>{item.signatureStatus === null ? t.signature.none : t.signature[item.signatureStatus]}</dd>
        <dt>{t.message.laufzettel.messageId}</dt>
        <dd>
          <Shown text={detail.laufzettel.messageId} />
        </dd>
      </dl>
      {item.unreadableReason !== null ? <p>{unreadableReasonOf(item, language)}</p> : null}
      {(detail.view?.cards ?? []).map((card) => (
        <section key={card.id} className="print__card">
          <h2>
            <Shown text={card.title[language]} />
          </h2>
          {paperSections(card).map((section, _i, sections) => (
            <div key={section.id}>
              {sections.length > 1 ? (
                <h3>
                  <Shown text={section.title[language]} />
                </h3>
              ) : null}
              <dl className="print__fields">
                {section.fields.map((field) => (
                  <div key={field.id} className="print__field">
                    <dt>
                      <Shown text={field.label[language]} />
                    </dt>
                    <dd>{isEmptyValue(field.value) ? w.noValue : <Shown text={field.value.display} lineBreaks />}</dd>
                  </div>
                ))}
              </dl>
            </div>
          ))}
        </section>
      ))}
    </div>,
    document.body,
  );
}
