/**
 * The list's first page asked the moment the window learns the store is open, before the mailbox screen is drawn
 * (issue 14, app start). Before, the screen's first render (50–90 ms of the page's main thread) came first and the
 * query after it, one after the other; now the service reads the rows while the page builds the screen, on the
 * other core.
 *
 * The screen takes the answer only for exactly the input it asks first (the start's view, the default layout, the
 * same office day), once, soon after it was asked, and only when no change to the list was announced in between
 * (a stored delivery, a state changed elsewhere: the screen, not yet listening, would have missed it); otherwise it
 * asks as before and the early answer is dropped. A failure is the screen's to show, as its own query's would be.
 */
import type { PostfachApi } from '../../../core/api/api-types.js';
import type { MethodInput, MethodOutput } from '../../../core/api/contract.js';

/** Taken later than this (the screen did not come), the early rows are too old to show. */
const FRESH_MS = 5_000;

type ListInput = MethodInput<'messages.list'>;
type ListAnswer = MethodOutput<'messages.list'>;

interface Early {
  readonly input: string;
  readonly answer: Promise<ListAnswer>;
  readonly at: number;
  /** A change to the list was announced after the ask. */
  changed: boolean;
  readonly stopListening: () => void;
}

let early: Early | undefined;

/** The mailbox screen's first input (list-query.ts names it when the mailbox's code loads). */
let startInput: (() => ListInput) | undefined;

/**
 * Named by the module that knows the start's view (list-query.ts), so that the window's state (state/workspace.tsx,
 * part of every screen's chunk) needs none of the list's modules: they would come into the first page's scripts.
 */
export function setStartPage(input: () => ListInput): void {
  startInput = input;
}

/** The store was found open: the start's first page asked now (where the mailbox's code named it). */
export function askStartPage(api: PostfachApi, storePath: string): void {
  if (startInput !== undefined) askEarlyPage(api, startInput(), storePath);
}

function drop(): Early | undefined {
  const asked = early;
  early = undefined;
  asked?.stopListening();
  return asked;
}

/**
 * Asks `input` now of the store open at `storePath`; the mailbox screen takes the answer for its first query when that
 * is `input` and the same store is still open (the Übungsmodus switches stores open → open, with no closed state).
 */
export function askEarlyPage(api: PostfachApi, input: ListInput, storePath: string): void {
  drop();
  // listening before asking: a change announced while the answer is on its way counts too
  const offs = [
    api.on('messages.changed', () => void (asked.changed = true)),
    api.on('fetch.progress', () => void (asked.changed = true)),
    api.on('store.changed', (status) => {
      if (status.state !== 'open' || status.path !== storePath) asked.changed = true;
    }),
  ];
  const answer = api.call('messages.list', input);
  // not unhandled while nobody took it; whoever takes it sees the failure
  answer.catch(() => undefined);
  const asked: Early = { input: JSON.stringify(input), answer, at: performance.now(), changed: false, stopListening: () => offs.forEach((off) => off()) };
  early = asked;
  // never taken (the mailbox screen did not come): its listeners and rows go when they could no longer be taken
  setTimeout(() => {
    if (early === asked) drop();
  }, FRESH_MS);
}

/** The early answer for `input`, once; undefined (and the early answer dropped) for any other input, when stale or changed. */
export function takeEarlyPage(input: ListInput): Promise<ListAnswer> | undefined {
  const asked = drop();
  if (asked === undefined || asked.changed || asked.input !== JSON.stringify(input) || performance.now() - asked.at > FRESH_MS) return undefined;
  return asked.answer;
}
