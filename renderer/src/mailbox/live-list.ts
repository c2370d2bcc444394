/**
 * A list that lives: during a fetch each delivery comes into the list as soon as it is stored, and a row that no
 * longer belongs to the view after the caseworker's action (put in the trash, marked transferred where the view
 * shows only the not transferred, the mark taken back in the view of the transferred, restored out of the
 * Papierkorb; in a team: taken out of "Nicht zugewiesen" by "Bearbeiten", out of "Meine" by "Freigeben" or a
 * hand-over) leaves it at once, and one that comes to belong to "Meine" or "Nicht zugewiesen" comes in.
 *
 * The fetch says how far it is through `fetch.progress` (newMessages after each stored delivery); the list is read
 * again then — at most every READ_EVERY_MS, and once more at the end — and a polite live region says how many
 * arrived (at most every SAY_EVERY_MS, so a screen reader is not flooded).
 */
import { useEffect, useRef, useState } from 'react';
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import { useApi } from '../api/api-context.js';
import { useT } from '../i18n/i18n.js';
import type { Filters, Folder } from './FolderPane.js';

const READ_EVERY_MS = 300;
const SAY_EVERY_MS = 2000;

/** Why a changed row leaves the view it is in; null: it stays. */
export type Leaving = 'trashed' | 'transferred' | 'untransferred' | 'restored' | 'claimed' | 'notMine';

/** Leaving by a step of the shared inbox: who works on it changed, the application is not done with. */
export const byClaim = (leaving: Leaving): leaving is 'claimed' | 'notMine' => leaving === 'claimed' || leaving === 'notMine';

export function leavesView(before: MessageListItem, after: MessageListItem, folder: Folder, filters: Filters): Leaving | null {
  if (folder === 'trash') return before.state === 'trashed' && after.state !== 'trashed' ? 'restored' : null;
  if (before.state !== 'trashed' && after.state === 'trashed') return 'trashed';
  const onlyNotTransferred = folder === 'notTransferred' || filters.notTransferred;
  if (onlyNotTransferred && before.state !== 'transferred' && after.state === 'transferred') return 'transferred';
  if (folder === 'transferred' && before.state === 'transferred' && after.state !== 'transferred') return 'untransferred';
  if (folder === 'unassigned' && (before.claim ?? null) === null && (after.claim ?? null) !== null) return 'claimed';
  if (folder === 'mine' && before.claim?.mine === true && after.claim?.mine !== true) return 'notMine';
  return null;
}

/** Whether a changed message the list does not show now belongs to the team view it is in ("Meine", "Nicht zugewiesen"). */
export function entersView(after: MessageListItem, folder: Folder): boolean {
  if (after.state === 'trashed') return false;
  if (folder === 'mine') return after.claim?.mine === true;
  if (folder === 'unassigned') return (after.claim ?? null) === null;
  return false;
}

export interface Arrivals {
  /** The sentence for the polite live region ('' when there is nothing to say). */
  readonly said: string;
}

export function useArrivals(onArrived: () => void): Arrivals {
  const api = useApi();
  const t = useT();
  const [said, setSaid] = useState('');
  const arrived = useRef(onArrived);
  arrived.current = onArrived;
  const words = useRef(t);
  words.current = t;

  useEffect(() => {
    let seen = 0;
    let lastRead = 0;
    let lastSaid = 0;
    let readTimer: ReturnType<typeof setTimeout> | undefined;
    let sayTimer: ReturnType<typeof setTimeout> | undefined;
    const read = (): void => {
      lastRead = Date.now();
      readTimer = undefined;
      arrived.current();
    };
    const say = (): void => {
      lastSaid = Date.now();
      sayTimer = undefined;
      setSaid(seen > 0 ? words.current.mailbox.space.arrived(seen) : '');
    };
    const off = api.on('fetch.progress', (progress) => {
      if (progress.phase === 'connecting') {
        seen = 0;
        setSaid('');
        return;
      }
      const fresh = progress.newMessages ?? 0;
      if (fresh <= seen) return;
      seen = fresh;
      if (readTimer === undefined) readTimer = setTimeout(read, Math.max(0, READ_EVERY_MS - (Date.now() - lastRead)));
      if (sayTimer === undefined) sayTimer = setTimeout(say, Math.max(0, SAY_EVERY_MS - (Date.now() - lastSaid)));
    });
    return () => {
      off();
      clearTimeout(readTimer);
      clearTimeout(sayTimer);
    };
  }, [api]);

  return { said };
}
