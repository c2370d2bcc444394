/**
 * The shared inbox in the reading pane (issue 13; only where `postfach serve` shares the mailbox): who works on
 * the application ("In Bearbeitung durch …" with since when, or "Nicht zugewiesen"), and the steps — "Bearbeiten",
 * "Freigeben", "Übergeben an …" (a colleague from the service's accounts) and, for the Leitung, "Übernehmen" of a
 * colleague's claim. A colleague's claim is shown, never overridden by a click: "Übernehmen" is its own button.
 *
 * Live: when someone else changes the message (the service's `messages.changed`, which reaches every signed-in
 * session by SSE), the pane reads the item again (`inbox.item`, no audit entry) and shows the claim at once.
 */
import { useCallback, useEffect } from 'react';
import { Button, Menu, MenuItem, MenuTrigger, Popover, Toolbar } from 'react-aria-components';
import { useApi } from '../api/api-context.js';
import { IconChevronDown } from '../components/Icons.js';
import { dateTime } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';
import { useInboxWords } from '../i18n/words-inbox.js';
import type { InboxPeople } from '../mailbox/use-inbox-people.js';
import { useStatus } from '../shell/status.js';
import type { Detail, ListItem } from './types.js';

export interface ClaimBarProps {
  readonly detail: Detail;
  readonly people: InboxPeople;
  /** The message changed (the service's answer): the shown detail and the list's row take it. */
  readonly changed: (item: ListItem) => void;
  readonly onBeforeChange?: ((id: number) => void) | undefined;
}

/** Reads the item again whenever another window or person changed this message. */
function useLiveItem(id: number, changed: (item: ListItem) => void): void {
  const api = useApi();
  useEffect(
    () =>
      api.on('messages.changed', (change) => {
        if (change.reason !== 'state' || change.ids?.includes(id) !== true) return;
        api.call('inbox.item', { id }).then(changed, () => undefined);
      }),
    [api, id, changed],
  );
}

export function ClaimBar({ detail, people, changed, onBeforeChange }: ClaimBarProps) {
  const api = useApi();
  const { language } = useLanguage();
  const w = useInboxWords();
  const { announce, reportError } = useStatus();
  const item = detail.item;
  const id = item.id;
  const claim = item.claim ?? null;
  useLiveItem(id, changed);

  const act = useCallback(
    async (work: () => Promise<ListItem>, done: string) => {
      onBeforeChange?.(id);
      try {
        const next = await work();
        announce(done);
        changed(next);
      } catch (e) {
        reportError(e);
        // what stood in the way (a colleague's claim) is shown at once
        api.call('inbox.item', { id }).then(changed, () => undefined);
      }
    },
    [api, id, announce, reportError, changed, onBeforeChange],
  );

  const state =
    claim === null ? (
      w.unclaimed
    ) : (
      <>
        {claim.mine ? w.claimedByMe : w.claimedBy(claim.by)} <span className="claim__since">{w.since(dateTime(claim.at, language))}</span>
      </>
    );
  const transfer = item.transfer ?? null;

  return (
    <Toolbar className="claim" aria-label={w.toolbarLabel} data-testid="claim-bar">
      <span className={`claim__state${claim === null ? '' : claim.mine ? ' claim__state--mine' : ' claim__state--other'}`} data-testid="claim-state">
        {state}
      </span>
      {transfer !== null ? (
        <span className="claim__transfer" data-testid="claim-transfer">
          {transfer.by === null ? w.transferredAt(dateTime(transfer.at, language)) : w.transferredBy(transfer.by, dateTime(transfer.at, language))}
        </span>
      ) : null}
      <span className="claim__buttons">
        {claim === null ? (
          <Button className="button button--secondary" data-testid="claim" onPress={() => void act(() => api.call('inbox.claim', { id }), w.claimed)}>
            {w.claim}
          </Button>
        ) : null}
        {claim !== null && claim.mine ? (
          <Button className="button button--secondary" data-testid="release" onPress={() => void act(() => api.call('inbox.release', { id }), w.released)}>
            {w.release}
          </Button>
        ) : null}
        {claim === null || claim.mine ? (
          <MenuTrigger>
            <Button className="button button--secondary" data-testid="hand" isDisabled={people.colleagues.length === 0}>
              {people.colleagues.length === 0 ? w.noColleagues : w.hand}
              <IconChevronDown />
            </Button>
            <Popover className="popover">
              <Menu
                className="menu"
                aria-label={w.hand}
                onAction={(key) => {
                  const to = String(key);
                  void act(() => api.call('inbox.hand', { id, to }), w.handed(to));
                }}
              >
                {people.colleagues.map((c) => (
                  <MenuItem key={c.name} id={c.name} className="menu__item" textValue={w.handTo(c.name)}>
                    {w.handTo(c.name)}
                  </MenuItem>
                ))}
              </Menu>
            </Popover>
          </MenuTrigger>
        ) : null}
        {claim !== null && !claim.mine && people.mayTakeOver ? (
          <Button className="button button--secondary" data-testid="take-over" onPress={() => void act(() => api.call('inbox.takeOver', { id }), w.takenOver(claim.by))}>
            {w.takeOver}
          </Button>
        ) : null}
      </span>
    </Toolbar>
  );
}
