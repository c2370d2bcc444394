import { describe, expect, expectTypeOf, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PostfachError } from '../../core/errors.js';
import type { PostfachBridge, ServiceHandlers, ShellHandlers } from '../../core/api/api-types.js';
import { createApiClient } from '../../core/api/client.js';
import { contract, type AppInfo, type MethodInput, type MethodOutput, type Settings } from '../../core/api/contract.js';
import { createServiceHandlers } from '../../core/api/service.js';
import { isMethodName, isServiceMethod, isShellMethod, parseEventPayload, parseMethodInput, parseMethodOutput } from '../../core/api/validate.js';
import { callResultSchema, errorFromJson, failure } from '../../core/api/wire.js';

const caught = (fn: () => unknown): PostfachError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof PostfachError) return error;
    throw error;
  }
  throw new Error('expected a PostfachError');
};

describe('contract declaration', () => {
  it('lists each method once with its answerer', () => {
    for (const [name, spec] of Object.entries(contract.methods)) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(['service', 'shell']).toContain(spec.answeredBy);
    }
    expect(isServiceMethod('app.info')).toBe(true);
    expect(isShellMethod('dialog.saveFile')).toBe(true);
    expect(isMethodName('constructor')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
    expect(isMethodName('app.info')).toBe(true);
  });

  it('derives caller and handler types from the schemas', () => {
    expectTypeOf<MethodOutput<'app.info'>>().toEqualTypeOf<AppInfo>();
    expectTypeOf<MethodInput<'settings.set'>>().toEqualTypeOf<{
      language?: 'de' | 'en' | undefined;
      fetchIntervalMinutes?: number | undefined;
      familyNameFirst?: boolean | undefined;
    }>();
    // the compiler demands a handler for every service method and every shell method
    // @ts-expect-error settings.get and settings.set are missing
    const incomplete: ServiceHandlers = { 'app.info': () => ({}) as AppInfo };
    // @ts-expect-error dialog.saveFile is missing
    const incompleteShell: ShellHandlers = { 'dialog.openFile': async () => ({ path: null }) };
    expect([incomplete, incompleteShell]).toHaveLength(2);
  });
});

describe('run-time validation', () => {
  it('refuses input that does not fit, naming the field but not its value', () => {
    const error = caught(() => parseMethodInput('settings.set', { language: 'Erika Musterfrau' }));
    expect(error.kind).toBe('api-invalid-input');
    expect(error.detail).toContain('settings.set');
    expect(error.detail).toContain('language');
    expect(error.detail).not.toContain('Musterfrau');
    expect(error.text.de).not.toContain('Musterfrau');
  });

  it('refuses unknown keys (strict schemas) and non-objects', () => {
    expect(caught(() => parseMethodInput('app.info', { extra: 1 })).kind).toBe('api-invalid-input');
    expect(caught(() => parseMethodInput('app.info', null)).kind).toBe('api-invalid-input');
    expect(caught(() => parseMethodInput('dialog.saveFile', { kind: 'pdf', suggestedName: 'x'.repeat(300) })).kind).toBe('api-invalid-input');
    expect(parseMethodInput('settings.set', {})).toEqual({});
  });

  it('checks outputs and event payloads', () => {
    expect(caught(() => parseMethodOutput('settings.get', { language: 'fr' })).kind).toBe('api-invalid-output');
    expect(caught(() => parseEventPayload('mailbox.newApplications', { count: 0 })).kind).toBe('api-invalid-event');
    expect(parseEventPayload('mailbox.newApplications', { count: 3 })).toEqual({ count: 3 });
  });
});

describe('errors on the wire', () => {
  it('round-trips a PostfachError through its JSON form', () => {
    const original = new PostfachError('store-wrong-password', { de: 'Falsches Passwort.', en: 'Wrong password.' }, 'scrypt key check failed', {
      osciCode: '9801',
    });
    const wire = JSON.parse(JSON.stringify(failure(original))) as unknown;
    const parsed = callResultSchema.parse(wire);
    if (parsed.ok) throw new Error('expected a failure');
    const back = errorFromJson(parsed.error);
    expect(back).toBeInstanceOf(PostfachError);
    expect([back.kind, back.text.de, back.text.en, back.detail, back.osciCode]).toEqual([
      'store-wrong-password',
      'Falsches Passwort.',
      'Wrong password.',
      'scrypt key check failed',
      '9801',
    ]);
  });

  it('turns anything else thrown into kind internal', () => {
    const envelope = failure(new RangeError('boom'));
    expect(envelope.error.kind).toBe('internal');
    expect(envelope.error.detail).toBe('RangeError: boom');
  });
});

describe('API client over a bridge', () => {
  // A bridge that runs the real service handlers in-process, as the preload would reach them over IPC.
  const inProcessBridge = (): PostfachBridge & { events: Array<[string, unknown]> } => {
    const handlers = createServiceHandlers({ dataDir: mkdtempSync(path.join(tmpdir(), 'postfach-contract-')), appVersion: '9.9.9', host: 'browser' });
    const listeners = new Map<string, Set<(payload: never) => void>>();
    const events: Array<[string, unknown]> = [];
    const bridge = {
      events,
      async call(method: string, input: unknown) {
        try {
          if (method === 'settings.set') {
            const value = await handlers['settings.set'](parseMethodInput('settings.set', input), {
              emit: (event, payload) => {
                events.push([event, payload]);
                for (const l of listeners.get(event) ?? []) l(payload as never);
              },
            });
            return { ok: true as const, value: value as never };
          }
          if (method === 'settings.get') return { ok: true as const, value: { language: 'xx' } as never };
          throw new PostfachError('api-unknown-method', { de: 'Nicht hier.', en: 'Not here.' }, `no ${method}`);
        } catch (error) {
          return failure(error);
        }
      },
      on(event: string, listener: (payload: never) => void) {
        let set = listeners.get(event);
        if (set === undefined) listeners.set(event, (set = new Set()));
        set.add(listener);
        return () => set.delete(listener);
      },
    };
    return bridge as PostfachBridge & { events: Array<[string, unknown]> };
  };

  it('resolves with validated output and delivers events', async () => {
    const bridge = inProcessBridge();
    const api = createApiClient(bridge);
    const seen: Settings[] = [];
    const off = api.on('settings.changed', (s) => seen.push(s));
    await expect(api.call('settings.set', { language: 'en' })).resolves.toEqual({ language: 'en', fetchIntervalMinutes: 15, familyNameFirst: true });
    off();
    await api.call('settings.set', { language: 'de' });
    expect(seen).toEqual([{ language: 'en', fetchIntervalMinutes: 15, familyNameFirst: true }]);
    expect(bridge.events).toHaveLength(2);
  });

  it('rejects with the PostfachError the other side sent, and refuses invalid answers', async () => {
    const api = createApiClient(inProcessBridge());
    await expect(api.call('app.info', {})).rejects.toMatchObject({ kind: 'api-unknown-method', detail: 'no app.info' });
    await expect(api.call('settings.get', {})).rejects.toMatchObject({ kind: 'api-invalid-output' });
    // invalid input never leaves the client
    await expect(api.call('settings.set', { language: 'fr' } as never)).rejects.toMatchObject({ kind: 'api-invalid-input' });
    await expect(api.call('nope' as never, {} as never)).rejects.toMatchObject({ kind: 'api-unknown-method' });
  });
});
