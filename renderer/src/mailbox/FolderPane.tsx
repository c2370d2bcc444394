/**
 * The left pane: the views (Posteingang, Ungelesen, Nicht übertragen, Übertragen, Testanträge, Nicht lesbar,
 * Wiedervorlage, Papierkorb) with their counts, and the quick filters (ungelesen, mit Anhängen, nicht übertragen,
 * Zeitraum — also a range of the office's days from–to, DateRangeFields.tsx).
 */
import { Button, Checkbox, Label, ListBox, ListBoxItem, Popover, Select, SelectValue, type Key } from 'react-aria-components';
import type { MethodOutput } from '../../../core/api/contract.js';
import { IconChevronDown } from '../components/Icons.js';
import { formatCount } from '../format/count.js';
import { officeDay, startOfOfficeDay } from '../format/format.js';
import { useLanguage, useT } from '../i18n/i18n.js';
import { DateRangeFields } from './DateRangeFields.js';
import { rangeOfDays } from '../format/days.js';

export type Folder = 'inbox' | 'mine' | 'unassigned' | 'unread' | 'notTransferred' | 'transferred' | 'followUp' | 'test' | 'unreadable' | 'trash';
export const FOLDERS: readonly Folder[] = ['inbox', 'unread', 'notTransferred', 'transferred', 'followUp', 'test', 'unreadable', 'trash'];
/** With a team (postfach serve): the shared inbox's views "Meine" and "Nicht zugewiesen" after the Posteingang. */
export const TEAM_FOLDERS: readonly Folder[] = ['inbox', 'mine', 'unassigned', 'unread', 'notTransferred', 'transferred', 'followUp', 'test', 'unreadable', 'trash'];
export type Period = 'all' | 'today' | 'week' | 'month' | 'year' | 'range';
const PERIODS: readonly Period[] = ['all', 'today', 'week', 'month', 'year', 'range'];

export interface Filters {
  readonly unread: boolean;
  readonly withAttachments: boolean;
  readonly notTransferred: boolean;
  readonly period: Period;
  /** The office's days of the period "range" ("2026-12-01", inclusive; empty: open). */
  readonly rangeFrom: string;
  readonly rangeTo: string;
}

export const NO_FILTERS: Filters = { unread: false, withAttachments: false, notTransferred: false, period: 'all', rangeFrom: '', rangeTo: '' };

type Counts = MethodOutput<'messages.counts'>;

export function FolderPane(props: {
  folder: Folder;
  onFolder: (f: Folder) => void;
  counts: Counts | undefined;
  filters: Filters;
  onFilters: (f: Filters) => void;
  /** The mailbox is shared by a team: the views "Meine" and "Nicht zugewiesen" too. */
  team?: boolean;
}) {
  const t = useT();
  const { language } = useLanguage();
  const { folder, onFolder, counts, filters, onFilters } = props;
  const folders = props.team === true ? TEAM_FOLDERS : FOLDERS;
  const active = filters.unread || filters.withAttachments || filters.notTransferred || filters.period !== 'all';
  return (
    <nav className="folders" aria-label={t.mailbox.regionFolders}>
      <ListBox
        aria-label={t.mailbox.folders.heading}
        className="folders__list"
        selectionMode="single"
        disallowEmptySelection
        selectedKeys={[folder]}
        onSelectionChange={(keys) => {
          const next = [...(keys as Set<Key>)][0];
          if (typeof next === 'string' && (folders as readonly string[]).includes(next)) onFolder(next as Folder);
        }}
        data-testid="folders"
      >
        {folders.map((f) => {
          const count = counts?.[f];
          return (
            <ListBoxItem key={f} id={f} className="folders__item" textValue={t.mailbox.folders[f]}>
              <span className="folders__name">{t.mailbox.folders[f]}</span>
              {count === undefined || (count === 0 && f !== 'inbox') ? null : <span className="folders__count">{formatCount(count, language === 'de' ? 'de-DE' : 'en-GB')}</span>}
            </ListBoxItem>
          );
        })}
      </ListBox>
      <fieldset className="filters">
        <legend className="filters__heading">{t.mailbox.filters.heading}</legend>
        <Checkbox className="checkbox" isSelected={filters.unread} onChange={(v) => onFilters({ ...filters, unread: v })}>
          <span className="checkbox__box" aria-hidden="true" />
          {t.mailbox.filters.unread}
        </Checkbox>
        <Checkbox className="checkbox" isSelected={filters.withAttachments} onChange={(v) => onFilters({ ...filters, withAttachments: v })}>
          <span className="checkbox__box" aria-hidden="true" />
          {t.mailbox.filters.withAttachments}
        </Checkbox>
        <Checkbox className="checkbox" isSelected={filters.notTransferred} onChange={(v) => onFilters({ ...filters, notTransferred: v })}>
          <span className="checkbox__box" aria-hidden="true" />
          {t.mailbox.filters.notTransferred}
        </Checkbox>
        <Select
          className="select"
          selectedKey={filters.period}
          onSelectionChange={(k) => onFilters({ ...filters, period: (PERIODS as readonly Key[]).includes(k as Key) ? (k as Period) : 'all' })}
        >
          <Label className="field__label">{t.mailbox.filters.period}</Label>
          <Button className="select__button">
            <SelectValue />
            <IconChevronDown />
          </Button>
          <Popover className="popover">
            <ListBox className="menu">
              {PERIODS.map((p) => (
                <ListBoxItem key={p} id={p} className="menu__item">
                  {t.mailbox.filters.periods[p]}
                </ListBoxItem>
              ))}
            </ListBox>
          </Popover>
        </Select>
        {filters.period === 'range' ? (
          <DateRangeFields from={filters.rangeFrom} to={filters.rangeTo} onChange={(rangeFrom, rangeTo) => onFilters({ ...filters, rangeFrom, rangeTo })} />
        ) : null}
        {active ? (
          <Button className="button button--link" onPress={() => onFilters(NO_FILTERS)}>
            {t.mailbox.filters.reset}
          </Button>
        ) : null}
      </fieldset>
    </nav>
  );
}

/** The filters' period as [from, to) in ISO time: a quick period, or the range of days from–to. */
export function filterRange(filters: Filters, now = new Date()): { from?: string; to?: string } {
  return filters.period === 'range' ? rangeOfDays(filters.rangeFrom, filters.rangeTo) : periodRange(filters.period, now);
}

/** The period as [from, to) in ISO time; days are the office's (core/time), a DST day 23 or 25 hours long. */
export function periodRange(period: Period, now = new Date()): { from?: string } {
  const daysBack = (n: number): string => startOfOfficeDay(new Date(now.getTime() - n * 86_400_000)).toISOString();
  switch (period) {
    case 'all':
    case 'range':
      return {};
    case 'today':
      return { from: daysBack(0) };
    case 'week':
      return { from: daysBack(6) };
    case 'month':
      return { from: daysBack(29) };
    case 'year':
      // noon of the office's 1 January lies in that day whatever the offset: its start is the year's
      return { from: startOfOfficeDay(new Date(`${officeDay(now.toISOString()).slice(0, 4)}-01-01T12:00:00Z`)).toISOString() };
  }
}
