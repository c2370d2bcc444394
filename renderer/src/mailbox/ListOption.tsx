/**
 * The pieces the virtual message list draws at their positions: a day group's header (seen, not read out: the
 * group's first row says its group in its accessible name) and an option — one message's row, or a placeholder
 * while its page loads — after the ARIA listbox pattern (roving tabindex, aria-setsize/aria-posinset for the full
 * count, aria-selected on the message shown).
 */
import { memo } from 'react';
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import { useLanguage } from '../i18n/i18n.js';
import { groupName, type GroupKey } from './day-groups.js';
import { MessageRowContent, rowName } from './MessageRow.js';

/** Where the virtualizer put a piece: its height and its top in the list's canvas. */
export interface Placement {
  readonly size: number;
  readonly start: number;
}

export function ListGroupHeader({ group, placement }: { group: GroupKey; placement: Placement }) {
  const { t } = useLanguage();
  return (
    <div className="list__group" aria-hidden="true" style={{ height: placement.size, transform: `translateY(${placement.start}px)` }} data-testid="list-group">
      {groupName(group, t)}
    </div>
  );
}

export interface ListOptionProps {
  /** The row's index in the list. */
  readonly index: number;
  readonly placement: Placement;
  /** undefined while its page loads. */
  readonly item: MessageListItem | undefined;
  readonly total: number;
  readonly selected: boolean;
  /** The row the list's Tab stop is on. */
  readonly active: boolean;
  /** The group this row opens, said first in its name. */
  readonly opens: GroupKey | undefined;
  /** The list's handlers, the same for every row (so a row that did not change is not rendered again). */
  readonly onFocusRow: (index: number) => void;
  readonly onClickRow: (index: number, item: MessageListItem | undefined) => void;
  readonly onDoubleClickRow: (item: MessageListItem | undefined) => void;
}

/**
 * Memoised: the list renders again at every scroll step and with every page that arrives; the rows already on
 * screen keep their props (the virtualizer keeps its placement objects while the layout stands) and are skipped.
 */
export const ListOption = memo(function ListOption({ index, placement, item, total, selected, active, opens, onFocusRow, onClickRow, onDoubleClickRow }: ListOptionProps) {
  const { t, language, settings } = useLanguage();
  const classes = ['row', item?.unread ? 'row--unread' : '', selected ? 'row--selected' : '', item?.isTest ? 'row--test' : '', item?.unreadableKind ? 'row--unreadable' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div
      role="option"
      data-index={index}
      data-id={item?.id}
      aria-selected={selected}
      aria-setsize={total}
      aria-posinset={index + 1}
      aria-label={
        item === undefined ? t.mailbox.list.loadingRow : `${opens === undefined ? '' : `${groupName(opens, t)}: `}${rowName(item, t, language, settings.familyNameFirst)}`
      }
      tabIndex={active ? 0 : -1}
      className={classes}
      style={{ height: placement.size, transform: `translateY(${placement.start}px)` }}
      onFocus={() => onFocusRow(index)}
      onClick={() => onClickRow(index, item)}
      onDoubleClick={() => onDoubleClickRow(item)}
    >
      {item === undefined ? (
        <span className="row__placeholder">{t.mailbox.list.loadingRow}</span>
      ) : (
        <MessageRowContent item={item} t={t} language={language} familyFirst={settings.familyNameFirst} />
      )}
    </div>
  );
});
