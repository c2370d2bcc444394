/**
 * What the preload exposes as `window.postfach` (a PostfachBridge), built over an `ipcRenderer`-like object so it is
 * unit-tested in Node: method names and inputs are checked before they go to the main process (which checks again),
 * event names and payloads when they arrive; nothing but `call` and `on`, one invoke channel and one event channel.
 */
import type { PostfachBridge, Unsubscribe } from '../core/api/api-types.js';
import type { EventName } from '../core/api/contract.js';
import { isEventName, isMethodName, parseEventPayload, parseMethodInput, unknownMethodError } from '../core/api/validate.js';
import { failure, type CallResult } from '../core/api/wire.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels.js';

/** The parts of Electron's ipcRenderer the bridge uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createPreloadBridge(ipc: RendererIpc): PostfachBridge {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  ipc.on(EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
    if (!isEventName(name)) return;
    let checked: unknown;
    try {
      checked = parseEventPayload(name, payload);
    } catch {
      return;
    }
    for (const listener of listeners.get(name) ?? []) listener(checked);
  });

  return {
    async call(method, input) {
      try {
        if (!isMethodName(method)) throw unknownMethodError(method);
        parseMethodInput(method, input);
      } catch (error) {
        return failure(error);
      }
      return (await ipc.invoke(CALL_CHANNEL, method, input)) as CallResult<never>;
    },
    on(event, listener): Unsubscribe {
      if (!isEventName(event)) return () => undefined;
      let set = listeners.get(event);
      if (set === undefined) listeners.set(event, (set = new Set()));
      const untyped = listener as (payload: unknown) => void;
      set.add(untyped);
      return () => {
        set.delete(untyped);
      };
    },
  } satisfies PostfachBridge;
}
