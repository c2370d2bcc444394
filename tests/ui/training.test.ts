/**
 * Starting the Übungsmodus as a caseworker sees it: the first-start screen shows each step of the preparation with
 * its count (keys, store, applications) instead of a still "wird vorbereitet …"; the mailbox opens after the first
 * applications, a line in the training strip says how many are ready while the rest are still made, "Abrufen"
 * brings the first rows in before the preparation has ended, and the status bar says when all are there.
 *
 * The background sending is slowed down here (POSTFACH_TEST_DEMO_PAUSE_MS, read by the service in its worker), so the
 * state "rows in the list, more applications still coming" lasts long enough to be looked at on any machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAxeClean } from './helpers/axe.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

describe('the Übungsmodus while it is prepared', () => {
  let ui: UiSession;
  const rows = () => ui.page.locator('[data-testid="message-list"] [data-id]');

  beforeAll(async () => {
    process.env.POSTFACH_TEST_DEMO_PAUSE_MS = '8000';
    ui = await startUiSession();
    await ui.open();
  });
  afterAll(async () => {
    delete process.env.POSTFACH_TEST_DEMO_PAUSE_MS;
    await ui?.close();
  });

  it('shows each step with its count, then the mailbox while applications are still coming', async () => {
    const { page } = ui;
    // every text the step line shows, recorded in the page as it changes
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __steps: string[] }).__steps = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="training-step"]')?.textContent;
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole('button', { name: 'Übungsmodus starten' }).click();
    await page.getByTestId('training-step').waitFor();
    await saveScreenshot(page, 'ui-training-preparing');
    await expectAxeClean(page, 'Übungsmodus wird vorbereitet');
    await page.getByTestId('fetch-button').waitFor({ timeout: 120_000 });
    const steps = await page.evaluate(() => (window as unknown as { __steps: string[] }).__steps);
    // the keys were being made since the first-start screen appeared: shown from where they were, up to 4 of 4
    const keys = steps.filter((s) => s.startsWith('Schlüssel'));
    if (keys.length > 0) expect(keys[keys.length - 1]).toBe('Schlüssel der Übungsumgebung werden erzeugt (4 von 4)');
    const rest = steps.filter((s) => !s.startsWith('Schlüssel'));
    expect(rest.slice(0, 3)).toEqual([
      'Der Datenspeicher des Übungspostfachs wird angelegt',
      'Erfundene Anträge werden erzeugt (0 von 5)',
      'Erfundene Anträge werden erzeugt (1 von 5)',
    ]);

    const note = page.getByTestId('training-preparation');
    // the strip follows the service's progress events: wait for its words rather than read the first paint
    await expect.poll(() => note.innerText()).toMatch(/^Weitere Übungsanträge werden erzeugt: [234] von 5 bereit – „Abrufen“ holt die fertigen\.$/);
    await saveScreenshot(page, 'ui-training-background');
    await expectAxeClean(page, 'Übungsmodus, Anträge werden noch erzeugt');
    ui.assertClean();
  });

  it('"Abrufen" brings the first rows in before the preparation ends; the rest after it', async () => {
    const { page } = ui;
    await page.getByTestId('fetch-button').click();
    await expect.poll(() => rows().count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    const first = await rows().count();
    expect(first).toBeLessThan(5);
    // the rows are there while the strip still says applications are being made
    // (once the preparation has ended the strip is empty for good: polling cannot hide a late end)
    await expect.poll(() => page.getByTestId('training-preparation').innerText()).toMatch(/^Weitere Übungsanträge werden erzeugt: \d von 5 bereit/);
    await saveScreenshot(page, 'ui-training-first-rows');

    await expect.poll(() => page.getByTestId('training-preparation').innerText(), { timeout: 120_000 }).toBe('');
    await expect.poll(() => page.getByTestId('status-message').innerText()).toBe('Alle 5 Übungsanträge liegen bereit – „Abrufen“ holt sie.');
    await expect.poll(() => page.getByTestId('fetch-button').isEnabled()).toBe(true);
    await page.getByTestId('fetch-button').click();
    await expect.poll(() => rows().count(), { timeout: 60_000 }).toBe(5);
    await page.getByText(`Abruf beendet: ${5 - first} ${5 - first === 1 ? 'neuer Antrag' : 'neue Anträge'}.`, { exact: true }).waitFor();
    ui.assertClean();
  });
});
