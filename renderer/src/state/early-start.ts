/**
 * The window's first calls, asked before React and the screens' code run (issue 14, app start): main.tsx imports
 * this module second, so its calls go out while the rest of the first page's scripts are evaluated and the first
 * screen is rendered. Before, they went out from the providers' effects, after all of that (≈ 170 ms idle).
 *
 * What the first screen waits for: `app.info` and `workspace.resume` (state/workspace.tsx) and `settings.get`
 * (i18n/i18n.tsx). The events those providers follow are listened to from here on too, and every answer and event
 * is kept in the order it arrived until its provider takes it over ({@link takeEarlyWorkspace}, {@link takeEarlySettings}): an event that arrives
 * before React has mounted (the Übungsmodus's steps and its store opening, started by `workspace.resume`; a
 * setting changed in another window) is applied as it would have been, in its place between the answers.
 * `workspace.resume` is sent once the event stream is connected, so that none of the events its work emits is sent
 * before the window listens.
 *
 * Nothing here may import React or a screen: it would be evaluated before the calls go out.
 */
import type { PostfachApi, Unsubscribe } from '../../../core/api/api-types.js';
import type { AppInfo, EventPayload, MethodOutput } from '../../../core/api/contract.js';

/** What the window's state hears before and after it mounts, in the order it arrived. */
export type WorkspaceArrival =
  | { readonly kind: 'started'; readonly info: AppInfo; readonly resumed: MethodOutput<'workspace.resume'> }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'store.changed'; readonly payload: EventPayload<'store.changed'> }
  | { readonly kind: 'workspace.changed'; readonly payload: EventPayload<'workspace.changed'> }
  | { readonly kind: 'workspace.trainingProgress'; readonly payload: EventPayload<'workspace.trainingProgress'> };

/** What the settings provider hears: the answer of `settings.get` and every `settings.changed`. */
export type SettingsArrival = MethodOutput<'settings.get'>;

/**
 * Arrivals kept in order until one consumer attaches; from then on handed to it as they come. Closing it (the
 * consumer went away) ends its listeners: a consumer that comes again asks afresh.
 */
export class ArrivalFeed<T> {
  private readonly kept: T[] = [];
  private sink: ((item: T) => void) | undefined;
  private closed = false;
  private readonly offs: Unsubscribe[] = [];

  push(item: T): void {
    if (this.closed) return;
    if (this.sink === undefined) this.kept.push(item);
    else this.sink(item);
  }

  listen(off: Unsubscribe): void {
    if (this.closed) off();
    else this.offs.push(off);
  }

  /** Hands over what arrived so far, in order, then each arrival as it comes; returns the close. */
  attach(sink: (item: T) => void): () => void {
    this.sink = sink;
    for (const item of this.kept.splice(0)) {
      if (this.closed) break;
      sink(item);
    }
    return () => this.close();
  }

  close(): void {
    this.closed = true;
    this.sink = undefined;
    this.kept.length = 0;
    for (const off of this.offs.splice(0)) off();
  }
}

let earlyWorkspace: ArrivalFeed<WorkspaceArrival> | undefined;
let earlySettings: ArrivalFeed<SettingsArrival> | undefined;

/**
 * Starts listening and asks the first calls now. `listening` settles once the event stream is connected (the
 * loopback bridge; in the desktop app the preload listens at once).
 */
/** How long `workspace.resume` waits for the event stream at most (it connects in ≈ 30 ms on loopback). */
const LISTENING_WAIT_MS = 10_000;

export function startEarly(api: PostfachApi, listening: Promise<void>, listeningWaitMs = LISTENING_WAIT_MS): void {
  const workspace = new ArrivalFeed<WorkspaceArrival>();
  const settings = new ArrivalFeed<SettingsArrival>();
  // listening first: the stream is opened by the first subscription
  workspace.listen(api.on('store.changed', (payload) => workspace.push({ kind: 'store.changed', payload })));
  workspace.listen(api.on('workspace.changed', (payload) => workspace.push({ kind: 'workspace.changed', payload })));
  workspace.listen(api.on('workspace.trainingProgress', (payload) => workspace.push({ kind: 'workspace.trainingProgress', payload })));
  settings.listen(api.on('settings.changed', (payload) => settings.push(payload)));

  const info = api.call('app.info', {});
  // its work may emit events (the Übungsmodus started again): sent once they reach the window
  // — but not held for ever by a stream that never answers (a proxy that keeps its headers): then sent anyway
  const resumed = Promise.race([listening, new Promise<void>((resolve) => setTimeout(resolve, listeningWaitMs))]).then(() => api.call('workspace.resume', {}));
  Promise.all([info, resumed]).then(
    ([appInfo, resume]) => workspace.push({ kind: 'started', info: appInfo, resumed: resume }),
    (error: unknown) => workspace.push({ kind: 'failed', error }),
  );
  // stays German when it fails; the screens report connection problems
  api.call('settings.get', {}).then(
    (answer) => settings.push(answer),
    () => undefined,
  );
  earlyWorkspace = workspace;
  earlySettings = settings;
}

/** The window state's feed, for its first mount; undefined once taken or without an early start (it asks itself). */
export function takeEarlyWorkspace(): ArrivalFeed<WorkspaceArrival> | undefined {
  const feed = earlyWorkspace;
  earlyWorkspace = undefined;
  return feed;
}

/** The settings provider's feed, for its first mount; undefined once taken or without an early start. */
export function takeEarlySettings(): ArrivalFeed<SettingsArrival> | undefined {
  const feed = earlySettings;
  earlySettings = undefined;
  return feed;
}
