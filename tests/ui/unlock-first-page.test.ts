/**
 * The list's first page is asked the moment the store opens, before the mailbox screen is drawn (issue 14, app
 * start; renderer/src/mailbox/early-page.ts), in Debian's Chromium against the loopback bridge and the real service
 * on a real encrypted store. A wrong password asks for no rows and says in German what to do; the right one shows
 * exactly the rows, order and count the store's list query gives, read once (the early answer taken by the screen,
 * not asked again), and asked before the screen's own first calls. A stored layout without day groups still ends
 * with the store's rows, ungrouped.
 */
import path from 'node:path';
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureStore, FIXTURE_PASSWORD, type FixtureInfo } from './helpers/fixture-store.js';
import { askEarlyPage, takeEarlyPage } from '../../renderer/src/mailbox/early-page.js';
import { listedItems, serviceApi } from './helpers/flow.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 20_000 });
}

describe('the first page as the store opens', () => {
  let ui: UiSession;
  let fixture: FixtureInfo;
  /** Every call the page sent, in the order sent: method and input. */
  let calls: Array<{ method: string; input: Record<string, unknown> }> = [];
  const record = (request: Request): void => {
    const m = /\/api\/call\/([\w.]+)$/.exec(new URL(request.url()).pathname);
    if (m?.[1] !== undefined) calls.push({ method: m[1], input: (request.postDataJSON() ?? {}) as Record<string, unknown> });
  };
  const listCalls = () => calls.filter((c) => c.method === 'messages.list');
  /** The ids of the rows shown, in the list's order. */
  const shownIds = () =>
    ui.page.locator('[data-testid="message-list"] [data-id][data-index]').evaluateAll((rows) =>
      rows
        .map((r) => ({ index: Number(r.getAttribute('data-index')), id: Number(r.getAttribute('data-id')) }))
        .sort((a, b) => a.index - b.index)
        .map((r) => r.id),
    );
  const listCount = async (): Promise<number> => Number((await ui.page.getByTestId('list-count').innerText()).replace(/\D/g, '') || '0');
  const unlock = async (password: string): Promise<void> => {
    await ui.page.getByLabel('Passwort des Datenspeichers').fill(password);
    await ui.page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
  };

  beforeAll(async () => {
    ui = await startUiSession({
      prepare: async (dataDir) => {
        fixture = await createFixtureStore(path.join(dataDir, 'postfach.db'), 40);
      },
    });
    ui.page.on('request', record);
    await ui.open();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('a wrong password asks for no rows; the right one shows the store’s first page, asked once, before the screen', async () => {
    const { page } = ui;
    await page.getByRole('heading', { level: 1, name: 'Postfach öffnen' }).waitFor();
    calls = [];
    await unlock('falsches-Passwort');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await poll(() => alert.innerText()).toContain('Feststelltaste');
    expect(await page.getByTestId('message-list').count()).toBe(0);
    expect(listCalls()).toEqual([]);

    await unlock(FIXTURE_PASSWORD);
    await page.getByTestId('message-list').waitFor();
    await poll(listCount).toBe(fixture.count);
    // what the store's list query gives for the start's view (Eingang, newest first)
    const expected = (await listedItems(ui, { sort: 'eingang', descending: true, limit: 100 })).map((item) => item.id);
    expect(expected).toHaveLength(fixture.count);
    await poll(async () => (await shownIds()).length).toBeGreaterThan(5);
    const shown = await shownIds();
    expect(shown).toEqual(expected.slice(0, shown.length));
    // asked as the store opened: before the screen's first calls, and not asked again by the screen
    const methods = calls.map((c) => c.method);
    const sent = JSON.stringify(calls);
    expect(methods.indexOf('messages.list'), sent).toBeGreaterThan(methods.indexOf('store.open'));
    expect(methods.indexOf('messages.list'), sent).toBeLessThan(methods.indexOf('workspace.layout'));
    // the mailbox screen mounted once: its first calls asked once each. It was mounted twice (layout, counts and the
    // first page asked again) when the UI tests had built the renderer themselves: vitest's NODE_ENV=test gave React's
    // development build, whose StrictMode mounts every screen twice (build/incremental/steps.ts; bundle.test.ts)
    await poll(() => calls.filter((c) => c.method === 'messages.counts').length).toBeGreaterThan(0);
    await page.waitForTimeout(1_500);
    const after = (method: string) => calls.filter((c) => c.method === method).length;
    expect(after('workspace.layout'), sent).toBe(1);
    expect(after('messages.counts'), JSON.stringify(calls)).toBe(1);
    expect(after('inbox.people'), JSON.stringify(calls)).toBe(1);
    const firstPages = calls.filter((c) => c.method === 'messages.list' && c.input.offset === 0);
    expect(firstPages, JSON.stringify(calls)).toHaveLength(1);
    expect(firstPages[0]?.input).toMatchObject({ sort: 'eingang', descending: true, offset: 0, limit: 100 });
    expect(firstPages[0]?.input.countFrom).toBeInstanceOf(Array);
    ui.assertClean();
  });

  it('a stored layout without day groups ends with the store’s rows, ungrouped', async () => {
    const { page } = ui;
    await serviceApi(ui).call('workspace.setLayout', { groupByDay: false });
    await serviceApi(ui).call('store.close', {});
    calls = [];
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Postfach öffnen' }).waitFor();
    await unlock(FIXTURE_PASSWORD);
    await page.getByTestId('message-list').waitFor();
    await poll(() => page.getByTestId('group-toggle').getAttribute('aria-pressed')).toBe('false');
    await poll(listCount).toBe(fixture.count);
    expect(await page.getByTestId('list-group').count()).toBe(0);
    const expected = (await listedItems(ui, { sort: 'eingang', descending: true, limit: 100 })).map((item) => item.id);
    await poll(async () => {
      const shown = await shownIds();
      return shown.length > 5 && shown.every((id, i) => id === expected[i]);
    }).toBe(true);
    // the screen's own query without day counts was asked once the layout was read
    expect(listCalls().some((c) => c.input.offset === 0 && c.input.countFrom === undefined)).toBe(true);
    ui.assertClean();
  });

  it('the early answer is taken once, for its own input only, and not after a change was announced', async () => {
    // the module the window uses, over a client of the real service (the page's bridge is HTTP; this one is the same contract)
    const api = serviceApi(ui);
    const input = { sort: 'eingang' as const, descending: true, offset: 0, limit: 100 };
    const storePath = (await api.call('store.status', {})).path;
    askEarlyPage(api, input, storePath);
    const taken = takeEarlyPage(input);
    expect(taken).toBeDefined();
    expect((await taken)?.items.map((item) => item.id)).toEqual((await api.call('messages.list', input)).items.map((item) => item.id));
    expect(takeEarlyPage(input)).toBeUndefined();

    askEarlyPage(api, input, storePath);
    expect(takeEarlyPage({ ...input, descending: false })).toBeUndefined();
    // dropped by the other input: not there for its own either
    expect(takeEarlyPage(input)).toBeUndefined();

    askEarlyPage(api, input, storePath);
    const first = (await api.call('messages.list', input)).items[0];
    expect(first).toBeDefined();
    const announced = new Promise<void>((resolve) => {
      const off = api.on('messages.changed', () => {
        off();
        resolve();
      });
    });
    await api.call('messages.setRead', { id: first?.id ?? 0, read: first?.unread === true });
    await announced;
    expect(takeEarlyPage(input)).toBeUndefined();
  });

  it('the early answer is not taken once its store was closed or another store opened', async () => {
    const api = serviceApi(ui);
    const input = { sort: 'eingang' as const, descending: true, offset: 0, limit: 100 };
    const storePath = (await api.call('store.status', {})).path;
    const nextStoreChange = (): Promise<void> =>
      new Promise<void>((resolve) => {
        const off = api.on('store.changed', () => {
          off();
          resolve();
        });
      });
    askEarlyPage(api, input, storePath);
    const closed = nextStoreChange();
    await api.call('store.close', {});
    await closed;
    expect(takeEarlyPage(input)).toBeUndefined();
    // asked of one store, then another is open (the Übungsmodus switches open → open with no closed state between)
    askEarlyPage(api, input, `${storePath}.other`);
    const opened = nextStoreChange();
    await api.call('store.open', { unlock: { password: FIXTURE_PASSWORD } });
    await opened;
    expect(takeEarlyPage(input)).toBeUndefined();
  });
});
