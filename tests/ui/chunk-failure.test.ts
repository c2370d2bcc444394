/**
 * A screen whose code cannot be loaded (the program was updated or stopped under an open page): the window says so
 * where the screen would have been and offers to try again — it is not left blank. The first-start screen is a
 * lazy chunk; the test makes the browser get a 404 for it, then lets it through and retries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

describe('a screen whose code cannot be loaded', () => {
  let ui: UiSession;
  beforeAll(async () => {
    ui = await startUiSession();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('shows the failure with "Erneut versuchen" instead of a blank window, and the screen after the retry', async () => {
    const { page } = ui;
    const chunk = '**/assets/FirstStartScreen-*.js';
    let refused = 0;
    await page.route(chunk, (route) => {
      refused++;
      return route.fulfill({ status: 404, body: 'not found' });
    });
    await ui.open();
    const alert = page.getByRole('alert');
    await alert.getByText('Dieser Teil des Programms konnte nicht geladen werden.', { exact: false }).waitFor();
    expect(refused).toBeGreaterThan(0);
    // the window around it is still there (not an unmounted, blank tree)
    expect(await page.locator('body').innerText()).toContain('OSCI-Postfach');
    await page.unroute(chunk);
    await alert.getByRole('button', { name: 'Erneut versuchen' }).click();
    await page.getByRole('button', { name: 'Übungsmodus starten' }).waitFor();
  });
});
