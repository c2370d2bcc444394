/**
 * The search asks with every letter typed (no pause before it, issue 14): typed letter by letter as fast as the
 * keyboard goes, at most one first page of the list is on its way at any moment (use-message-pages.ts lets the
 * newest waiting query go next, never a queue of reads), and the list ends with exactly the rows, order and count
 * the store gives for the whole word — never the rows of a word typed halfway.
 */
import path from 'node:path';
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureStore, FIXTURE_PASSWORD, type FixtureInfo } from './helpers/fixture-store.js';
import { listedItems } from './helpers/flow.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

describe('search while typing', () => {
  let ui: UiSession;
  let fixture: FixtureInfo;

  beforeAll(async () => {
    ui = await startUiSession({
      prepare: async (dataDir) => {
        fixture = await createFixtureStore(path.join(dataDir, 'postfach.db'), 40);
      },
    });
    await ui.open();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('reads one first page at a time and ends with the rows of the whole word', async () => {
    const { page } = ui;
    await page.getByLabel('Passwort des Datenspeichers').fill(FIXTURE_PASSWORD);
    await page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
    await expect.poll(() => page.getByTestId('list-count').innerText()).toBe(`${fixture.count} Anträge`);

    // first pages of the list (offset 0) on their way, counted from the browser's side
    let onTheWay = 0;
    let most = 0;
    let asked = 0;
    const firstPage = (request: Request): boolean => request.url().endsWith('/api/call/messages.list') && (request.postDataJSON() as { offset?: number }).offset === 0;
    // only those seen starting here: the page may have the rows of one whose end is reported to this process later
    const counted = new Set<Request>();
    const ended = (request: Request): void => {
      if (counted.delete(request)) onTheWay -= 1;
    };
    page.on('request', (request) => {
      if (!firstPage(request)) return;
      counted.add(request);
      asked += 1;
      onTheWay += 1;
      most = Math.max(most, onTheWay);
    });
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);

    const word = (fixture.applicants[3] as string).split(/[ ,]/)[0] as string;
    const expected = await listedItems(ui, { search: word });
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(fixture.count);
    await page.getByTestId('search').pressSequentially(word, { delay: 0 });

    await expect.poll(() => page.getByTestId('list-count').innerText()).toBe(`${expected.length} ${expected.length === 1 ? 'Antrag' : 'Anträge'}`);
    await expect
      .poll(async () =>
        (await page.locator('[data-testid="message-list"] [role="option"][data-id]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))))).slice(0, 5),
      )
      .toEqual(expected.slice(0, 5).map((i) => i.id));
    expect(asked).toBeGreaterThan(0);
    expect(most).toBe(1);
  });
});
