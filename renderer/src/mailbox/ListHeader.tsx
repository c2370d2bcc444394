/**
 * The line above the message list: how many applications the view holds, the sort ("Sortieren nach") and its
 * direction, the list's density (two lines per row, or one) and its day groups ("Heute", "Gestern", …: only the
 * Eingang sort is grouped, so the switch is unavailable under another sort).
 */
import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue, ToggleButton } from 'react-aria-components';
import { IconCalendar } from '../components/Icons.js';
import { useT } from '../i18n/i18n.js';
import { SORTS, type SortKey } from './list-query.js';
import type { Density } from './use-list-virtualizer.js';

export interface ListHeaderProps {
  /** undefined until the first page answered. */
  readonly total: number | undefined;
  readonly sort: SortKey;
  readonly onSort: (key: unknown) => void;
  readonly descending: boolean;
  readonly onDescending: (descending: boolean) => void;
  readonly density: Density;
  readonly onDensity: (density: Density) => void;
  /** The caseworker wants day groups (shown while sorted by Eingang). */
  readonly groupByDay: boolean;
  readonly onGroupByDay: (groupByDay: boolean) => void;
}

export function ListHeader({ total, sort, onSort, descending, onDescending, density, onDensity, groupByDay, onGroupByDay }: ListHeaderProps) {
  const t = useT();
  return (
    <div className="list-header">
      <span className="list-header__count" data-testid="list-count">
        {total === undefined ? t.status.loading : t.mailbox.listCount(total)}
      </span>
      <Select className="select select--inline" selectedKey={sort} onSelectionChange={onSort}>
        <Label className="select__label">{t.mailbox.sort.label}</Label>
        <Button className="select__button select__button--small" data-testid="sort-select">
          <SelectValue />
        </Button>
        <Popover className="popover">
          <ListBox className="menu">
            {SORTS.map((s) => (
              <ListBoxItem key={s} id={s} className="menu__item">
                {t.mailbox.sort[s]}
              </ListBoxItem>
            ))}
          </ListBox>
        </Popover>
      </Select>
      <ToggleButton
        className="button button--secondary button--small"
        isSelected={density === 'compact'}
        onChange={(compact) => onDensity(compact ? 'compact' : 'comfortable')}
        aria-label={t.mailbox.space.density}
        data-testid="density-toggle"
      >
        <span aria-hidden="true" title={t.mailbox.space.densityHint}>
          ☰
        </span>
      </ToggleButton>
      <ToggleButton
        className="button button--secondary button--small"
        isSelected={groupByDay}
        isDisabled={sort !== 'eingang'}
        onChange={onGroupByDay}
        aria-label={t.mailbox.space.groupByDay}
        data-testid="group-toggle"
      >
        <span aria-hidden="true" title={t.mailbox.space.groupByDayHint}>
          <IconCalendar />
        </span>
      </ToggleButton>
      <ToggleButton
        className="button button--secondary button--small"
        isSelected={descending}
        onChange={onDescending}
        aria-label={`${t.mailbox.sort.direction}: ${descending ? t.mailbox.sort.descending : t.mailbox.sort.ascending}`}
      >
        {descending ? '↓' : '↑'}
      </ToggleButton>
    </div>
  );
}
