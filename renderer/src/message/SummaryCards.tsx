/**
 * "Übersicht": a summary, not a field dump — one block per person (applicants, others in the household, third
 * parties) with what a caseworker reads first, every further value of the person under "Alle Angaben" (closed),
 * then case-level groups, the documents and, last and closed, the technical facts. Every value has a copy button,
 * an address a visible "Adresse kopieren"; "Block kopieren" copies what the block shows first as label-tab-value
 * lines (without empty values and technical ids; the menu beside it copies everything); the checklist records
 * which blocks were carried over into the case system, and the message becomes "übertragen" when every block is
 * ticked. An empty value reads "keine Angabe" here as everywhere.
 */
import { Button, Checkbox, Disclosure, DisclosurePanel, Heading, Menu, MenuItem, MenuTrigger, Popover } from 'react-aria-components';
import { CopyButton } from '../components/CopyButton.js';
import { isolatedText, visibleText } from '../../../core/visible-text.js';
import { IconChevronDown, IconChevronRight, IconCopy, IconWarning } from '../components/Icons.js';
import { Shown } from '../components/Shown.js';
import { writeClipboard } from '../components/CopyButton.js';
import { useLanguage } from '../i18n/i18n.js';
import { useReadingWords } from '../i18n/words-reading.js';
import { useStatus } from '../shell/status.js';
import { blockText, copyText, isEmptyValue, type Card, type Field, type Section } from './types.js';
import { useValueSource } from './value-source.js';
import { BoundedValue } from '../components/BoundedValue.js';

export function FieldRow({ field }: { field: Field }) {
  const { t, language } = useLanguage();
  const w = useReadingWords();
  const source = useValueSource();
  const label = field.label[language];
  const value = field.value;
  const empty = isEmptyValue(value);
  const whole = () => source.full(value, 'card', field.id);
  const copy = value.fullLength === undefined ? copyText(value) : async () => copyText(await whole());
  return (
    <div className="field-row" data-field={field.id}>
      <dt className="field-row__label">
        <Shown text={label} />
      </dt>
      <dd className="field-row__value">
        <span className="field-row__text">
          {empty ? (
            <span className="value value--empty">{w.noValue}</span>
          ) : (
            <BoundedValue
              className={`value value--${value.kind}`}
              text={value.display}
              fullLength={value.fullLength}
              loadFull={async () => (await whole()).display}
              label={label}
            />
          )}
          {value.flag ? (
            <span className="value__flag">
              <IconWarning /> {language === 'de' ? value.flag.de : value.flag.en}
            </span>
          ) : value.kind === 'iban' ? (
            <span className="value__ok">{t.message.card.ibanValid}</span>
          ) : null}
          {value.note ? <span className="value__note">{language === 'de' ? value.note.de : value.note.en}</span> : null}
        </span>
        {empty ? null : value.kind === 'address' ? (
          <CopyButton
            text={copy}
            label={w.copyAddressOf(visibleText(label))}
            announce={w.copiedAddress}
            className="button button--secondary button--small"
            showText
            textLabel={w.copyAddress}
          />
        ) : (
          <CopyButton text={copy} label={t.message.card.copyValue(visibleText(label))} announce={t.common.copiedValue(visibleText(label))} />
        )}
      </dd>
    </div>
  );
}

function SectionBody({ section, showTitle, titleLevel }: { section: Section; showTitle: boolean; titleLevel: 'h3' | 'h4' | 'h5' }) {
  const { language } = useLanguage();
  const S = titleLevel;
  return (
    <div className="summary-card__section" data-section={section.id}>
      {showTitle ? (
        <S className="summary-card__section-title">
          <Shown text={section.title[language]} />
        </S>
      ) : null}
      <dl className="field-list">
        {section.fields
          .filter((field) => field.inTitle !== true)
          .map((field) => (
            <FieldRow key={field.id} field={field} />
          ))}
      </dl>
    </div>
  );
}

export function SummaryCard({ card, ticked, onTick, headingLevel = 3 }: { card: Card; ticked: boolean | undefined; onTick?: (ticked: boolean) => void; headingLevel?: 2 | 3 }) {
  const { t, language } = useLanguage();
  const w = useReadingWords();
  const { announce, reportError } = useStatus();
  const source = useValueSource();
  const title = card.title[language];
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const S = headingLevel === 2 ? 'h3' : 'h4';
  const copyBlock = (all: boolean): void => {
    source
      .fullCard(card)
      .then((whole) => writeClipboard(blockText(whole, language, { all, noValue: w.noValue })))
      .then(() => announce(t.common.copiedBlock(isolatedText(title))), reportError);
  };
  const shown = card.sections.filter((s) => s.role !== 'all');
  const more = card.sections.filter((s) => s.role === 'all');
  const moreCount = more.reduce((n, s) => n + s.fields.length, 0);
  const body = (
    <>
      {shown.map((section) => (
        <SectionBody key={section.id} section={section} showTitle={(shown.length > 1 || section.title[language] !== title) && section.role !== 'summary'} titleLevel={S} />
      ))}
      {more.length > 0 ? (
        <Disclosure className="summary-card__more" data-testid="all-details">
          <Heading level={headingLevel + 1} className="summary-card__more-heading">
            <Button slot="trigger" className="tree__trigger">
              <IconChevronRight className="icon tree__chevron" />
              {w.allDetails(moreCount)}
            </Button>
          </Heading>
          <DisclosurePanel>
            {more.map((section) => (
              <SectionBody key={section.id} section={section} showTitle titleLevel={headingLevel === 2 ? 'h4' : 'h5'} />
            ))}
          </DisclosurePanel>
        </Disclosure>
      ) : null}
    </>
  );
  return (
    <div
      role="group"
      className={`summary-card${ticked ? ' summary-card--done' : ''}${card.kind ? ` summary-card--${card.kind}` : ''}`}
      aria-labelledby={`card-${card.id}`}
      data-card={card.id}
    >
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
          <span className="split-button">
            <Button
              className="button button--secondary button--small"
              onPress={() => copyBlock(false)}
              aria-label={t.message.card.copyBlockOf(visibleText(title))}
              aria-keyshortcuts="Control+Shift+C"
              data-copy-block={card.id}
            >
              <IconCopy />
              {t.message.card.copyBlock}
            </Button>
            <MenuTrigger>
              <Button className="button button--secondary button--small button--icon-only" aria-label={`${w.copyOptions}: ${visibleText(title)}`}>
                <IconChevronDown />
              </Button>
              <Popover className="popover">
                <Menu className="menu" onAction={() => copyBlock(true)}>
                  <MenuItem id="all" className="menu__item" data-copy-block-all={card.id}>
                    {w.copyBlockAll}
                  </MenuItem>
                </Menu>
              </Popover>
            </MenuTrigger>
          </span>
        </span>
      </header>
      {card.collapsed === true ? (
        <Disclosure className="summary-card__more" data-testid="collapsed-card">
          <Heading level={headingLevel + 1} className="summary-card__more-heading">
            <Button slot="trigger" className="tree__trigger">
              <IconChevronRight className="icon tree__chevron" />
              {w.technicalClosed}
            </Button>
          </Heading>
          <DisclosurePanel>{body}</DisclosurePanel>
        </Disclosure>
      ) : (
        body
      )}
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
      {cards.map((card) => (
        <SummaryCard key={card.id} card={card} ticked={checklist.includes(card.id)} onTick={(on) => tick(card.id, on)} />
      ))}
      <p className="checklist-progress" data-testid="checklist-progress">
        <strong>{t.message.checklist.heading}:</strong> {t.message.checklist.progress(done, cards.length)}
      </p>
    </div>
  );
}
