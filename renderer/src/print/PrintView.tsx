/**
 * What Strg+P prints: the application on paper (title, Testantrag, Eingang, signature in words, every card), in a
 * print-only layer outside the window's layout, through the system print dialog (window.print). The print is
 * recorded in the audit log. The PDF export is the better copy for the e-file; this is the quick paper copy.
 */
import { createPortal } from 'react-dom';
import { Shown } from '../components/Shown.js';
import { office } from '../format/format.js';
import { EingangNotice } from '../message/eingang.js';
import { clipText } from '../../../core/text-bounds.js';
import { useLanguage, useWords } from '../i18n/i18n.js';
import { useReadingWords } from '../i18n/words-reading.js';
import { isEmptyValue, paperSections, type Detail } from '../message/types.js';
import { applicantOf, unreadableReasonOf } from '../mailbox/MessageRow.js';

/** Characters printed of one value: a hostile value must not become hundreds of pages on the office printer. */
const PRINTED_CHARS = 2000;

function printed(text: string, fullLength: number | undefined, notice: string): string {
  return text.length > PRINTED_CHARS || fullLength !== undefined ? `${clipText(text, PRINTED_CHARS)} ${notice}` : text;
}

export function PrintView({ detail }: { detail: Detail }) {
  const { t, language, settings } = useLanguage();
  const w = useReadingWords();
  const words = useWords();
  const item = detail.item;
  return createPortal(
    <div className="print-root" data-testid="print-view">
      {item.isTest ? <p className="print__test">{t.message.testBanner}</p> : null}
      {item.unreadableKind === null && item.signatureStatus === 'unsigned' ? <p className="print__test">{words.unsignedBanner}</p> : null}
      <h1>{(item.benefit.text ?? item.benefit.code) ? <Shown text={clipText(item.benefit.text ?? item.benefit.code ?? '', PRINTED_CHARS)} /> : t.message.untitled}</h1>
      <p>
        <Shown text={clipText(applicantOf(item, t, settings.familyNameFirst), PRINTED_CHARS)} />
      </p>
      <dl className="print__facts">
        <dt>{t.message.eingang}</dt>
        {/* paper leaves the program: the zone is stated (core/time) */}
        <dd>
          {office(language).stated(detail.laufzettel.eingang ?? item.eingang)} <EingangNotice item={item} language={language} />
        </dd>
        <dt>{t.message.signatureLine}</dt>
        <dd>{item.signatureStatus === null ? words.signatureStatusNone : words.signatureStatus[item.signatureStatus]}</dd>
        <dt>{t.message.laufzettel.messageId}</dt>
        <dd>
          <Shown text={detail.laufzettel.messageId} />
        </dd>
      </dl>
      {item.unreadableKind !== null ? <p>{unreadableReasonOf(item, language)}</p> : null}
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
                    <dd>{isEmptyValue(field.value) ? w.noValue : <Shown text={printed(field.value.display, field.value.fullLength, t.values.printShortened)} lineBreaks />}</dd>
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
