/**
 * The preload: exposes exactly the typed contract as `window.postfach` (a PostfachBridge) through contextBridge —
 * no ipcRenderer, no generic send/invoke. Method names and inputs are checked here before they go to the main
 * process (which checks again), event names and payloads when they arrive. Bundled to CommonJS by esbuild
 * (build/build-electron.mjs) because sandboxed preloads cannot be ES modules.
 */
import './preload-setup.js';
import { contextBridge, ipcRenderer } from 'electron';
import type { PostfachBridge, Unsubscribe } from '../core/api/api-types.js';
import type { EventName } from '../core/api/contract.js';
import { isEventName, isMethodName, parseEventPayload, parseMethodInput, unknownMethodError } from '../core/api/validate.js';
import { failure, type CallResult } from '../core/api/wire.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels.js';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

ipcRenderer.on(EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (!isEventName(name)) return;
  let checked: unknown;
  try {
    checked = parseEventPayload(name, payload);
  } catch {
    return;
  }
  for (const listener of listeners.get(name) ?? []) listener(checked);
});

const postfach = {
  async call(method, input) {
    try {
      if (!isMethodName(method)) throw unknownMethodError(method);
      parseMethodInput(method, input);
    } catch (error) {
      return failure(error) as CallResult<never>;
    }
    return (await ipcRenderer.invoke(CALL_CHANNEL, method, input)) as CallResult<never>;
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

contextBridge.exposeInMainWorld('postfach', postfach);
