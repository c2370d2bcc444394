/**
 * The window's first calls go out before React runs (renderer/src/start.ts, state/early-start.ts; issue 14, app
 * start). What the service says meanwhile must not be lost: the events of the Übungsmodus's start, which
 * `workspace.resume` begins (its steps, the training store opened), arrive before the window's state has mounted and
 * are applied in the order they came, between the answers; `workspace.resume` goes out only once the event stream
 * is connected. In Debian's Chromium against the loopback bridge and the real service, and the module itself over a
 * real HTTP bridge client in Node (where the test decides when the window's state "mounts").
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpBridge } from '../../core/api/bridge-client.js';
import { createRendererApiClient } from '../../core/api/renderer-client.js';
import { startEarly, takeEarlySettings, takeEarlyWorkspace, type WorkspaceArrival } from '../../renderer/src/state/early-start.js';
import { trainingPrepared } from './helpers/flow.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

/** A data folder whose caseworker left the program in the Übungsmodus: the next start begins it again. */
async function inTraining(): Promise<UiSession> {
  return startUiSession({
    prepare: async (dataDir) => {
      const settings = { language: 'de', fetchIntervalMinutes: 15, familyNameFirst: true };
      writeFileSync(path.join(dataDir, 'workspace.json'), JSON.stringify({ version: 1, settings, mode: 'training', lastFetch: null, lastSuccessfulFetchAt: null }), {
        mode: 0o600,
      });
    },
  });
}

describe('the first calls before React runs', () => {
  let ui: UiSession | undefined;
  afterEach(async () => {
    await ui?.close();
    ui = undefined;
  });

  it('a stream that never connects does not hold workspace.resume for ever: the window still starts', async () => {
    ui = await startUiSession({});
    const { bridge } = ui;
    // a proxy that keeps the event stream's headers: the stream's request never answers
    const stuckStream: typeof fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.endsWith('/api/events')) return new Promise<Response>(() => undefined);
      return fetch(input, init);
    };
    const http = createHttpBridge({ origin: bridge.origin, token: bridge.token, extraHeaders: { Origin: bridge.origin }, fetch: stuckStream });
    const api = createRendererApiClient(http);
    startEarly(api, http.listening, 500);
    const feed = takeEarlyWorkspace();
    takeEarlySettings()?.attach(() => undefined)();
    const arrivals: WorkspaceArrival[] = [];
    const close = feed?.attach((arrival) => arrivals.push(arrival));
    await expect.poll(() => arrivals.map((a) => a.kind), { timeout: 10_000 }).toContain('started');
    close?.();
  });

  it('held until the window’s state mounts: the Übungsmodus’s start, in the order it came, then live', async () => {
    ui = await inTraining();
    const { bridge } = ui;
    // the event stream connects late (a busy bridge): the Übungsmodus's first steps would be emitted before it, were
    // workspace.resume not sent after it
    const slowStream: typeof fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.endsWith('/api/events')) await new Promise((resolve) => setTimeout(resolve, 3_000));
      return fetch(input, init);
    };
    const http = createHttpBridge({ origin: bridge.origin, token: bridge.token, extraHeaders: { Origin: bridge.origin }, fetch: slowStream });
    try {
      const api = createRendererApiClient(http);
      startEarly(api, http.listening);
      const feed = takeEarlyWorkspace();
      const settingsFeed = takeEarlySettings();
      expect(feed).toBeDefined();
      expect(settingsFeed).toBeDefined();
      // taken once: a later mount asks afresh
      expect(takeEarlyWorkspace()).toBeUndefined();

      // the window's state "mounts" only after the Übungsmodus has opened its store (a second listener, registered
      // after the early one, hears the same stream) and the answer has had time to come
      const opened = new Promise<void>((resolve) => {
        const off = api.on('store.changed', (status) => {
          if (status.state === 'open') {
            off();
            resolve();
          }
        });
      });
      await opened;
      await expect.poll(async () => (await api.call('workspace.state', {})).trainingRunning, { timeout: 60_000 }).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1_000));

      const arrivals: WorkspaceArrival[] = [];
      const close = feed?.attach((arrival) => arrivals.push(arrival));
      const held = arrivals.length;
      const kinds = arrivals.map((a) => a.kind);
      expect(kinds, JSON.stringify(kinds)).toContain('started');
      const started = arrivals.find((a) => a.kind === 'started');
      expect(started?.kind === 'started' && started.resumed.state.mode).toBe('training');
      expect(started?.kind === 'started' && started.resumed.store.state).toBe('open');
      expect(started?.kind === 'started' && started.info.officeTimeZone).toBeTruthy();
      // the steps from the first on (none lost before the stream was connected), each count rising by one
      const steps = arrivals.flatMap((a) => (a.kind === 'workspace.trainingProgress' ? [a.payload] : []));
      expect(steps[0]).toMatchObject({ done: 0, failed: false });
      for (const step of ['keys', 'store'] as const) {
        const counts = steps.filter((s) => s.step === step).map((s) => s.done);
        if (counts.length > 0) expect(counts, step).toEqual([...counts.keys()]);
      }
      expect(steps.filter((s) => s.step === 'store').map((s) => s.done)).toEqual([0, 1]);
      // the training store's opening was heard, before its step's end was followed by the applications
      const openedAt = arrivals.findIndex((a) => a.kind === 'store.changed' && a.payload.state === 'open');
      expect(openedAt, JSON.stringify(kinds)).toBeGreaterThanOrEqual(0);

      // from now on live: the background's remaining applications and its end reach the consumer as they come — on a
      // loaded machine (CI's parallel lanes) the preparation may already have ended before the state mounted, and
      // then its end is among the held arrivals; either way it arrives once, after the steps
      const ended = (a: WorkspaceArrival): boolean => a.kind === 'workspace.changed' && a.payload.trainingPreparation === null;
      await expect.poll(() => arrivals.some(ended), { timeout: 120_000, message: `held ${held}, then: ${JSON.stringify(arrivals.slice(held).map((a) => a.kind))}` }).toBe(true);
      expect(arrivals.findIndex(ended)).toBeGreaterThan(openedAt);
      const applications = arrivals.flatMap((a) => (a.kind === 'workspace.trainingProgress' && a.payload.step === 'applications' ? [a.payload.done] : []));
      expect(applications).toEqual([0, 1, 2, 3, 4, 5]);

      // closed (the window's state went away): its listeners end, nothing more is handed over
      close?.();
      const count = arrivals.length;
      await api.call('settings.set', { fetchIntervalMinutes: 30 });
      await api.call('workspace.recordFetch', { outcome: 'complete', newMessages: 0 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(arrivals).toHaveLength(count);

      // the settings feed: its answer and the change heard since, in order
      const settings: number[] = [];
      settingsFeed?.attach((s) => settings.push(s.fetchIntervalMinutes));
      expect(settings).toEqual([15, 30]);
      settingsFeed?.close();
    } finally {
      http.close();
    }
  }, 180_000);

  it('a window opened on a folder left in the Übungsmodus shows its mailbox and follows its preparation', async () => {
    ui = await inTraining();
    const calls: string[] = [];
    ui.page.on('request', (request) => {
      const m = /\/api\/call\/([\w.]+)$/.exec(new URL(request.url()).pathname);
      if (m?.[1] !== undefined) calls.push(m[1]);
    });
    await ui.open();
    const { page } = ui;
    await page.getByTestId('training-badge').waitFor({ timeout: 120_000 });
    await page.getByTestId('fetch-button').waitFor({ timeout: 120_000 });
    // the strip follows the background's progress events to the end, then the status bar says all are there
    await trainingPrepared(page);
    await expect.poll(() => page.getByTestId('status-message').innerText()).toBe('Alle 5 Übungsanträge liegen bereit – „Abrufen“ holt sie.');
    await page.getByTestId('fetch-button').click();
    await expect.poll(() => page.locator('[data-testid="message-list"] [data-id]').count(), { timeout: 60_000 }).toBe(5);
    // each first call asked once
    for (const method of ['app.info', 'workspace.resume', 'settings.get'])
      expect(
        calls.filter((c) => c === method),
        method,
      ).toHaveLength(1);
    ui.assertClean();
  }, 240_000);
});
