/**
 * The listeners a front end's handle on the service keeps: per event, and for the service's end. Shared by the
 * ServiceHost (one service) and the SupervisedService (a service and its restarts), so both subscribe, unsubscribe
 * and report the same way; `bridge` is how either becomes a PostfachBridge for `createApiClient`.
 */
import type { PostfachBridge, Unsubscribe } from './api-types.js';
import type { EventName } from './contract.js';
import type { CallResult } from './wire.js';

export class ServiceListeners {
  private readonly events = new Map<EventName, Set<(payload: unknown) => void>>();
  private readonly exits = new Set<(reason: string) => void>();

  on(event: EventName, listener: (payload: unknown) => void): Unsubscribe {
    let set = this.events.get(event);
    if (set === undefined) this.events.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onExit(listener: (reason: string) => void): Unsubscribe {
    this.exits.add(listener);
    return () => this.exits.delete(listener);
  }

  /** Hands an (already checked) event payload to its listeners. */
  emit(event: EventName, payload: unknown): void {
    for (const listener of this.events.get(event) ?? []) listener(payload);
  }

  /** Tells every exit listener that the service has ended. */
  exited(reason: string): void {
    for (const listener of this.exits) listener(reason);
  }
}

/** A handle (its invoke and its listeners) as a PostfachBridge. */
export function bridgeOf(invoke: (method: string, input: unknown) => Promise<CallResult<unknown>>, listeners: ServiceListeners): PostfachBridge {
  return {
    call: (method, input) => invoke(method, input) as Promise<CallResult<never>>,
    on: (event, listener) => listeners.on(event, listener as (payload: unknown) => void),
  } satisfies PostfachBridge;
}
