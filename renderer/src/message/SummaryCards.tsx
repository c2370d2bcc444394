/**
 * "Übersicht": the summary cards of the application (Antrag, each applicant, household, requested benefits, further
 * details, third parties, documents). Every value has a copy button; "Block kopieren" copies a card as
 * label-tab-value lines; the checklist records which blocks were carried over into the case system, and the
 * message becomes "übertragen" when every block is ticked.
 */
import { Button, Checkbox } from 'react-aria-components';
import { CopyButton } from '../components/CopyButton.js';
import { isolatedText, visibleText } from '../../../core/visible-text.js';
import { IconCopy, IconWarning } from '../components/Icons.js';
import { Shown } from '../components/Shown.js';
import { writeClipboard } from '../components/CopyButton.js';
import { useLanguage } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';
import { blockText, copyText, type Card, type Field } from './types.js';
import { useValueSource } from './value-source.js';
import { BoundedValue } from '../components/BoundedValue.js';

export function FieldRow({ field }: { field: Field }) {
  const { t, language } = useLanguage();
  const source = useValueSource();
  const label = field.label[language];
  const value = field.value;
  const empty = value.kind === 'empty' || value.display === '';
  const whole = () => source.full(value, 'card', field.id);
  return (
    <div className="field-row" data-field={field.id}>
      <dt className="field-row__label">
        <Shown text={label} />
      </dt>
      <dd className="field-row__value">
        <span className="field-row__text">
          {empty ? (
            <span className="value value--empty">–</span>
          ) : (
            <BoundedValue className={`value value--${value.kind}`} text={value.display} fullLength={value.fullLength} loadFull={async () => (await whole()).display} label={label} />
          )}
          {value.flag ? (
            <span className="value__flag">
              <IconWarning /> {language === 'de' ? value.flag.de : value.flag.en}
            </span>
          ) : value.kind === 'iban' ? (
            <span className="value__ok">{t.message.card.ibanValid}</span>
          ) : null}
        </span>
        {empty ? null : <CopyButton text={value.fullLength === undefined ? copyText(value) : async () => copyText(await whole())} label={t.message.card.copyValue(visibleText(label))} announce={t.common.copiedValue(visibleText(label))} />}
      </dd>
    </div>
  );
}

/**
 * The technical identifiers of a message (Vorgangs-ID, Nachrichten-ID, Erstellungszeitpunkt): kept in their card
 * (and in "Block kopieren"), but folded away under "Technische Angaben", so the first card opens with what the
 * caseworker works with (benefit, date of application, sender).
 */
const TECHNICAL = /\/(vorgangsID|nachrichtenUUID|erstellungszeitpunkt)(\[\d+\])?$/;
function isTechnical(field: Field): boolean {
  return TECHNICAL.test(field.id);
}

function TechnicalFields({ fields }: { fields: readonly Field[] }) {
  const { t } = useLanguage();
  if (fields.length === 0) return null;
  return (
    <details className="technical-fields" data-testid="technical-fields">
      <summary>{t.mailbox.space.technical}</summary>
      <dl className="field-list">
        {fields.map((field) => (
          <FieldRow key={field.id} field={field} />
        ))}
      </dl>
    </details>
  );
}

export function SummaryCard({ card, ticked, onTick, headingLevel = 3 }: { card: Card; ticked: boolean | undefined; onTick?: (ticked: boolean) => void; headingLevel?: 2 | 3 }) {
  const { t, language } = useLanguage();
  const { announce, reportError } = useStatus();
  const source = useValueSource();
  const title = card.title[language];
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const S = headingLevel === 2 ? 'h3' : 'h4';
  const copyBlock = (): void => {
    source
      .fullCard(card)
      .then((whole) => writeClipboard(blockText(whole, language)))
      .then(() => announce(t.common.copiedBlock(isolatedText(title))), reportError);
  };
  return (
    <div role="group" className={ticked ? 'summary-card summary-card--done' : 'summary-card'} aria-labelledby={`card-${card.id}`} data-card={card.id}>
      <header className="summary-card__header">
        <H id={`card-${card.id}`} className="summary-card__title">
          <Shown text={title} />
        </H>
        <span className="summary-card__tools">
          {onTick === undefined ? null : (
            <Checkbox className="checkbox checkbox--compact" isSelected={ticked === true} onChange={onTick} aria-label={t.message.checklist.item(visibleText(title))}>
              <span className="checkbox__box" aria-hidden="true" />
              {t.message.card.transferred}
            </Checkbox>
          )}
          <Button className="button button--secondary button--small" onPress={copyBlock} aria-label={t.message.card.copyBlockOf(visibleText(title))} aria-keyshortcuts="Control+Shift+C" data-copy-block={card.id}>
            <IconCopy />
            {t.message.card.copyBlock}
          </Button>
        </span>
      </header>
      {card.sections.map((section) => (
        <div key={section.id} className="summary-card__section">
          {card.sections.length > 1 || section.title[language] !== title ? (
            <S className="summary-card__section-title">
              <Shown text={section.title[language]} />
            </S>
          ) : null}
          <dl className="field-list">
            {section.fields
              .filter((field) => !isTechnical(field))
              .map((field) => (
                <FieldRow key={field.id} field={field} />
              ))}
          </dl>
          <TechnicalFields fields={section.fields.filter(isTechnical)} />
        </div>
      ))}
    </div>
  );
}

export function SummaryCards({ cards, checklist, onChecklist }: { cards: readonly Card[]; checklist: readonly string[]; onChecklist: (ticked: string[]) => void }) {
  const { t } = useLanguage();
  const done = cards.filter((c) => checklist.includes(c.id)).length;
  const tick = (id: string, on: boolean): void => {
    const next = on ? [...new Set([...checklist, id])] : checklist.filter((c) => c !== id);
    onChecklist(next);
  };
  return (
    <div className="summary">
      <p className="checklist-progress" data-testid="checklist-progress">
        <strong>{t.message.checklist.heading}:</strong> {t.message.checklist.progress(done, cards.length)}
      </p>
      {cards.map((card) => (
        <SummaryCard key={card.id} card={card} ticked={checklist.includes(card.id)} onTick={(on) => tick(card.id, on)} />
      ))}
    </div>
  );
}
