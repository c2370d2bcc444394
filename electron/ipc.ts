/**
 * The IPC wiring of the one contract: a single `invoke` channel for calls, a single channel for events. Every call
 * is checked for its sender (the top frame of our app:// page) before anything else, then dispatched like the
 * loopback bridge does it (contract method, input schema, output schema). Events go only to windows showing our UI.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { ShellHandlers } from '../core/api/api-types.js';
import { contract, type EmittedPayload, type EventName, type ShellEventName } from '../core/api/contract.js';
import { dispatchCall } from '../core/api/dispatch.js';
import type { ServiceHandle } from '../core/api/supervised-service.js';
import { parseEventPayload } from '../core/api/validate.js';
import { failure } from '../core/api/wire.js';
import { PostfachError } from '../core/errors.js';
import { isAppUrl } from './app-url.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels.js';
import { isTrustedSender } from './ipc-sender.js';

export interface IpcWiring {
  /** Sends a shell event (menu and tray commands) to the UI: to one window (the focused one), or to all. */
  emitShellEvent<E extends ShellEventName>(event: E, payload: EmittedPayload<E>, only?: WebContents): void;
  dispose(): void;
}

const untrustedSender = (): PostfachError =>
  new PostfachError(
    'ipc-untrusted-sender',
    { de: 'Anfrage aus einer fremden Seite abgelehnt.', en: 'Request from a foreign page refused.' },
    'IPC sender frame is not the top frame of app://postfach',
  );

export function wireIpc(deps: { ipcMain: IpcMain; service: ServiceHandle; shell: ShellHandlers; targets: () => WebContents[] }): IpcWiring {
  const { ipcMain, service, shell, targets } = deps;

  ipcMain.handle(CALL_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame)) return failure(untrustedSender());
    return dispatchCall(method, input, service, shell);
  });

  const send = (event: EventName, payload: unknown, only?: WebContents): void => {
    for (const contents of only === undefined ? targets() : [only]) {
      if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(EVENT_CHANNEL, event, payload);
    }
  };

  const unsubscribes = (Object.keys(contract.events) as EventName[])
    .filter((event) => contract.events[event].emittedBy === 'service')
    .map((event) => service.on(event, (payload) => send(event, payload)));

  return {
    emitShellEvent(event, payload, only) {
      send(event, parseEventPayload(event, payload), only);
    },
    dispose() {
      ipcMain.removeHandler(CALL_CHANNEL);
      for (const unsubscribe of unsubscribes) unsubscribe();
    },
  };
}
