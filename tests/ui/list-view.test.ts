/**
 * The list as a mail program keeps it (issue 17), in Debian's Chromium at 1280×800 on a store of 40 applications
 * over twelve days: the grouping by Eingang day can be switched off and on, and the choice is remembered after a
 * reload (workspace.json); a row that leaves the view by the caseworker's action ("In den Papierkorb", "übertragen"
 * in "Nicht übertragen", the mark taken back in "Übertragen", "Wiederherstellen" in the Papierkorb) no longer stands in the reading pane — the row that
 * took its place is shown (the one before when it was the last, an empty pane when the view is empty), the list
 * does not scroll, the focus goes to the new row, and "Rückgängig" brings the row back into the pane. axe-core on
 * each new state; screenshots to test-artifacts/screenshots/.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAxeClean } from './helpers/axe.js';
import { serviceApi } from './helpers/flow.js';
import { createFixtureStore, FIXTURE_PASSWORD, type FixtureInfo } from './helpers/fixture-store.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 20_000 });
}

describe('the list as a mail program keeps it: day groups switchable, the reading pane follows a row that leaves', () => {
  let ui: UiSession;
  let fixture: FixtureInfo;
  const list = () => ui.page.getByTestId('message-list');
  const row = (id: string | number) => ui.page.locator(`[data-testid="message-list"] [data-id="${id}"]`);
  const rowAt = (index: number) => ui.page.locator(`[data-testid="message-list"] [data-index="${index}"]`);
  const shownId = () => ui.page.getByTestId('message-view').getAttribute('data-message-id');
  const scrollTop = () => list().evaluate((e) => e.scrollTop);
  const focusedId = () => ui.page.evaluate(() => document.activeElement?.getAttribute('data-id') ?? null);
  const listCount = async (): Promise<number> => Number((await ui.page.getByTestId('list-count').innerText()).replace(/\D/g, '') || '0');

  beforeAll(async () => {
    ui = await startUiSession({
      prepare: async (dataDir) => {
        fixture = await createFixtureStore(path.join(dataDir, 'postfach.db'), 40);
      },
    });
    await ui.open();
    await ui.page.getByLabel('Passwort des Datenspeichers').fill(FIXTURE_PASSWORD);
    await ui.page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
    await list().waitFor();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('switches the day groups off and on; the choice survives a reload', async () => {
    const { page } = ui;
    const toggle = page.getByTestId('group-toggle');
    await poll(listCount).toBe(fixture.count);
    await poll(() => page.getByTestId('list-group').count()).toBeGreaterThanOrEqual(2);
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await toggle.getAttribute('aria-label')).toBe('Nach Eingangstag gruppieren');
    expect(await rowAt(0).getAttribute('aria-label')).toMatch(/^Heute: /);

    // off, with the keyboard: the headers go, the first row no longer names a group, the rows keep their order
    const order = await page.locator('[data-testid="message-list"] [data-id]').evaluateAll((rows) => rows.slice(0, 6).map((r) => r.getAttribute('data-id')));
    await toggle.focus();
    await page.keyboard.press('Space');
    await poll(() => page.getByTestId('list-group').count()).toBe(0);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await rowAt(0).getAttribute('aria-label')).not.toMatch(/^Heute: /);
    expect(await page.locator('[data-testid="message-list"] [data-id]').evaluateAll((rows) => rows.slice(0, 6).map((r) => r.getAttribute('data-id')))).toEqual(order);
    // the first row sits at the top of the list (no header above it)
    await poll(() => rowAt(0).evaluate((r) => (r as HTMLElement).style.transform)).toBe('translateY(0px)');
    await poll(async () => (await serviceApi(ui).call('workspace.layout', {})).groupByDay).toBe(false);
    await saveScreenshot(page, 'ui-list-ungrouped');
    await expectAxeClean(page, 'Liste ohne Tagesgruppen');

    // remembered: after a reload the list comes without groups
    await page.reload();
    await list().waitFor();
    await poll(listCount).toBe(fixture.count);
    await poll(() => page.getByTestId('group-toggle').getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByTestId('list-group').count()).toBe(0);

    // sorted by another key the list is never grouped: the switch says so by being unavailable
    await page.getByTestId('sort-select').click();
    await page.getByRole('option', { name: 'Antragsteller/in', exact: true }).click();
    await poll(() => page.getByTestId('group-toggle').isDisabled()).toBe(true);
    await page.getByTestId('sort-select').click();
    await page.getByRole('option', { name: 'Eingang', exact: true }).click();
    await poll(() => page.getByTestId('group-toggle').isDisabled()).toBe(false);

    // on again
    await page.getByTestId('group-toggle').click();
    await poll(() => page.getByTestId('list-group').first().innerText()).toBe('Heute');
    await poll(async () => (await serviceApi(ui).call('workspace.layout', {})).groupByDay).toBe(true);
    ui.assertClean();
  }, 180_000);

  it('"In den Papierkorb": the next row is shown, the list does not scroll, "Rückgängig" shows the row again', async () => {
    const { page } = ui;
    // scrolled into the list, so that a jump would show
    await list().evaluate((e) => {
      e.scrollTop = 6 * 68;
    });
    await poll(scrollTop).toBeGreaterThan(300);
    const candidates = await page.locator('[data-testid="message-list"] [data-id]').evaluateAll((rows) => {
      const box = document.querySelector('[data-testid="message-list"]')!.getBoundingClientRect();
      return rows
        .filter((r) => {
          const b = r.getBoundingClientRect();
          return b.top >= box.top && b.bottom <= box.bottom;
        })
        .map((r) => Number(r.getAttribute('data-index')))
        .sort((a, b) => a - b);
    });
    const index = candidates[2] as number;
    const chosen = (await rowAt(index).getAttribute('data-id')) as string;
    const next = (await rowAt(index + 1).getAttribute('data-id')) as string;
    await rowAt(index).click();
    await poll(shownId).toBe(chosen);
    const top = await scrollTop();
    const place = (await row(chosen).boundingBox())?.y;
    const before = await listCount();

    await page.getByTestId('more-menu').click();
    await page.getByRole('menuitem', { name: 'In den Papierkorb' }).click();
    await expect.poll(() => row(chosen).count(), { timeout: 2000 }).toBe(0);
    // the reading pane shows the row that took its place, selected, where the trashed one stood
    await poll(shownId).toBe(next);
    await poll(() => row(next).getAttribute('aria-selected')).toBe('true');
    expect(await scrollTop()).toBe(top);
    expect((await row(next).boundingBox())?.y).toBe(place);
    await poll(listCount).toBe(before - 1);
    // the focus was in the reading pane (the menu): it is on the new row in the list, not lost
    await poll(focusedId).toBe(next);
    // the status bar still offers to take it back
    await poll(() => page.getByTestId('status-message').innerText()).toContain('In den Papierkorb verschoben.');
    await saveScreenshot(page, 'ui-trash-next-row');
    // "Rückgängig" waits while it has the focus (the axe scan takes longer than the offer's 10 seconds)
    await page.getByTestId('status-action').focus();
    await expectAxeClean(page, 'Papierkorb: nächster Antrag');
    await page.keyboard.press('Enter');
    await poll(() => row(chosen).count()).toBe(1);
    await poll(shownId).toBe(chosen);
    await poll(() => row(chosen).getAttribute('aria-selected')).toBe('true');
    expect(await scrollTop()).toBe(top);
    expect((await serviceApi(ui).call('messages.detail', { ref: { id: Number(chosen) } })).item.state).not.toBe('trashed');
    ui.assertClean();
  }, 180_000);

  it('"übertragen" on the last row of "Nicht übertragen" shows the row before; the Papierkorb emptied shows none', async () => {
    const { page } = ui;
    await page.getByRole('option', { name: /^Nicht übertragen/ }).click();
    await poll(() => list().evaluate((e) => e.scrollTop)).toBe(0);
    await rowAt(0).click();
    await page.keyboard.press('End');
    const total = await listCount();
    await poll(shownId).toBe(await rowAt(total - 1).getAttribute('data-id'));
    const last = (await rowAt(total - 1).getAttribute('data-id')) as string;
    const previous = (await rowAt(total - 2).getAttribute('data-id')) as string;
    await page.getByTestId('toggle-transferred').click();
    await poll(() => row(last).count()).toBe(0);
    await poll(shownId).toBe(previous);
    await poll(() => row(previous).getAttribute('aria-selected')).toBe('true');
    await poll(listCount).toBe(total - 1);
    await page.getByTestId('status-action').click();
    await poll(() => row(last).count()).toBe(1);
    await poll(shownId).toBe(last);

    // a Papierkorb with one application: restored from there, the view is empty and so is the reading pane
    await page.getByRole('option', { name: /^Posteingang/ }).click();
    // the view's rows are read after the switch (a row not yet read has no id): wait for the newest one
    const trashed = String((await serviceApi(ui).call('messages.list', { limit: 1 })).items[0]!.id);
    await poll(() => rowAt(0).getAttribute('data-id')).toBe(trashed);
    await rowAt(0).click();
    await poll(shownId).toBe(trashed);
    await page.getByTestId('more-menu').click();
    await page.getByRole('menuitem', { name: 'In den Papierkorb' }).click();
    await poll(() => row(trashed).count()).toBe(0);
    await page.getByRole('option', { name: /^Papierkorb/ }).click();
    await poll(listCount).toBe(1);
    await row(trashed).click();
    await poll(shownId).toBe(trashed);
    await page.getByTestId('restore-selected').click();
    await poll(() => page.getByTestId('message-list-empty').count()).toBe(1);
    await poll(() => page.getByTestId('message-view').count()).toBe(0);
    expect(await page.getByTestId('reading-pane-empty').innerText()).toBe('Bitte wählen Sie links einen Antrag aus.');
    await poll(() => page.getByTestId('status-message').innerText()).toContain('Wiederhergestellt');
    await poll(() => page.getByRole('option', { name: /^Papierkorb/ }).innerText()).toBe('Papierkorb');
    await saveScreenshot(page, 'ui-trash-emptied');
    await expectAxeClean(page, 'Papierkorb geleert: leere Antragsansicht');

    // the view of the transferred: taking the mark back takes the row out too, and shows the next one
    const items = (await serviceApi(ui).call('messages.list', { limit: 3 })).items.filter((i) => i.unreadableKind === null);
    for (const i of items) await serviceApi(ui).call('messages.setTransferred', { id: i.id, transferred: true });
    await page.getByRole('option', { name: /^Übertragen/ }).click();
    await poll(listCount).toBe(items.length);
    // the count comes before the rows are read: wait until the first two have their ids
    await poll(async () => (await rowAt(0).getAttribute('data-id')) !== null && (await rowAt(1).getAttribute('data-id')) !== null).toBe(true);
    const first = (await rowAt(0).getAttribute('data-id')) as string;
    const second = (await rowAt(1).getAttribute('data-id')) as string;
    await rowAt(0).click();
    await poll(shownId).toBe(first);
    await page.getByTestId('toggle-transferred').click();
    await poll(() => row(first).count()).toBe(0);
    await poll(shownId).toBe(second);
    await poll(() => page.getByTestId('status-message').innerText()).toContain('Markierung „übertragen“ entfernt.');
    await page.getByTestId('status-action').click();
    await poll(() => row(first).count()).toBe(1);
    await poll(shownId).toBe(first);
    expect((await serviceApi(ui).call('messages.detail', { ref: { id: Number(first) } })).item.state).toBe('transferred');
    await page.getByRole('option', { name: /^Posteingang/ }).click();
    ui.assertClean();
  }, 180_000);
});
