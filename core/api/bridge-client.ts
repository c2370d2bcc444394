/**
 * The loopback bridge's client: a PostfachBridge over fetch, used by the renderer in browser mode and by Node tests.
 * No Node and no DOM beyond `fetch`, `TextDecoder` and `AbortController`, which both worlds have.
 *
 * Events arrive as Server-Sent Events read through fetch (not EventSource, which cannot send the token header);
 * one stream is opened on the first subscription and re-opened after a pause if it drops.
 */
import { PostfachError } from '../errors.js';
import type { PostfachBridge, Unsubscribe } from './api-types.js';
import type { EventName } from './contract.js';
import { failure, type CallResult } from './call-result.js';

export interface HttpBridgeOptions {
  /** The bridge's origin, e.g. `http://127.0.0.1:41234`; '' in the browser (same origin). */
  readonly origin: string;
  /** The loopback bridge's per-run token; absent for `postfach serve`, where the session cookie goes along. */
  readonly token?: string;
  readonly fetch?: typeof fetch;
  /** Headers a browser adds by itself but Node's fetch does not (Origin), for tests. */
  readonly extraHeaders?: Readonly<Record<string, string>>;
  readonly reconnectDelayMs?: number;
  /**
   * `postfach serve`: the session ended (HTTP 401 on a call or on the event stream: expired, signed out elsewhere,
   * account disabled). The browser then shows the sign-in page again instead of an error.
   */
  readonly onSignedOut?: () => void;
}

export interface HttpBridge extends PostfachBridge {
  /**
   * Settles once the event stream is connected (the bridge sends every event from then on) or could not be opened
   * (then the calls go ahead as before; the stream is tried again). A call whose work emits events (the
   * Übungsmodus's start in `workspace.resume`) waits for it, so that none of them is sent before the page listens.
   */
  readonly listening: Promise<void>;
  /** Ends the event stream. */
  close(): void;
}

const unreachable = (detail: string): PostfachError =>
  new PostfachError(
    'bridge-unreachable',
    {
      de: 'Die Verbindung zum Programm ist unterbrochen. Bitte laden Sie die Seite neu oder starten Sie das Programm neu.',
      en: 'The connection to the program was lost. Please reload the page or restart the program.',
    },
    detail,
  );

export function createHttpBridge(options: HttpBridgeOptions): HttpBridge {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers = { ...(options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` }), ...options.extraHeaders };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let stream: AbortController | undefined;
  let closed = false;
  let listened: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (listened = resolve));

  const dispatch = (block: string): void => {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data.join('\n'));
    } catch {
      return;
    }
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };

  const openStream = (): void => {
    if (closed || stream !== undefined) return;
    const controller = new AbortController();
    stream = controller;
    const run = async (): Promise<void> => {
      const response = await doFetch(`${options.origin}/api/events`, { headers, signal: controller.signal, cache: 'no-store' });
      if (response.status === 401) {
        options.onSignedOut?.();
        throw new Error('events: signed out');
      }
      if (!response.ok || response.body === null) throw new Error(`events: HTTP ${response.status}`);
      // the bridge subscribes the stream before it answers with its headers
      listened();
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    };
    run()
      .catch(() => undefined)
      .finally(() => {
        listened();
        if (stream === controller) stream = undefined;
        if (!closed && listeners.size > 0) setTimeout(openStream, options.reconnectDelayMs ?? 2_000);
      });
  };

  return {
    listening,
    async call(method, input) {
      let response: Response;
      try {
        response = await doFetch(`${options.origin}/api/call/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify(input),
          cache: 'no-store',
        });
      } catch (error) {
        return failure(unreachable(`fetch failed: ${error instanceof Error ? error.name : 'unknown'}`));
      }
      if (response.status === 401) options.onSignedOut?.();
      try {
        // the envelope is checked by the API client (core/api/client.ts)
        return (await response.json()) as CallResult<never>;
      } catch {
        return failure(unreachable(`HTTP ${response.status} without a JSON body`));
      }
    },
    on(event: EventName, listener: (payload: never) => void): Unsubscribe {
      let set = listeners.get(event);
      if (set === undefined) listeners.set(event, (set = new Set()));
      const untyped = listener as (payload: unknown) => void;
      set.add(untyped);
      openStream();
      return () => {
        set.delete(untyped);
        if (set.size === 0) listeners.delete(event);
      };
    },
    close() {
      closed = true;
      stream?.abort();
    },
  } satisfies HttpBridge;
}
