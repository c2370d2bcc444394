/**
 * The bridge's view of a service still starting (core/api/starting-service.ts, `postfach ui --browser` prints the
 * address before the service is up): calls made meanwhile are answered once it is up, events listened to meanwhile
 * arrive, a listener that left meanwhile hears nothing, and a start that fails answers the calls with its failure.
 */
import { describe, expect, it } from 'vitest';
import type { BridgeService } from '../../core/api/bridge-server.js';
import type { EventName } from '../../core/api/contract.js';
import { whenStarted } from '../../core/api/starting-service.js';
import { PostfachError } from '../../core/errors.js';

/** A service of its own: answers every call with its method name, and emits on demand. */
function fakeService(): BridgeService & { emit(event: EventName, payload: unknown): void } {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  return {
    invoke: (method) => Promise.resolve({ ok: true as const, value: `answered ${method}` }),
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
  };
}

describe('a service still starting, behind the bridge', () => {
  it('answers calls made before it was up, once it is, and passes on events', async () => {
    let up!: (s: BridgeService) => void;
    const starting = new Promise<BridgeService>((resolve) => (up = resolve));
    const late = whenStarted(starting);
    const heard: unknown[] = [];
    const left: unknown[] = [];
    late.on('store.changed', (p) => heard.push(p));
    const unsubscribe = late.on('store.changed', (p) => left.push(p));
    unsubscribe();
    let answered = false;
    const call = late.invoke('store.status', {}).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    const service = fakeService();
    up(service);
    expect(await call).toEqual({ ok: true, value: 'answered store.status' });
    await new Promise((r) => setTimeout(r, 0));
    service.emit('store.changed', { state: 'open' });
    expect(heard).toEqual([{ state: 'open' }]);
    expect(left).toEqual([]);
  });

  it('answers with the failure of a start that failed', async () => {
    const late = whenStarted(Promise.reject(new PostfachError('service-stopped', { de: 'Dienst nicht gestartet', en: 'service not started' }, 'worker exited')));
    const result = await late.invoke('store.status', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe('service-stopped');
  });
});
