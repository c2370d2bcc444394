/**
 * End-to-end test of the skeleton screen in Debian's Chromium against the loopback bridge: it loads under the
 * strict CSP, shows what `app.info` answers (served by the worker thread), starts in German, switches to English
 * (kept by the service across a reload), the keyboard focus is visible, and axe-core finds no violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAxeClean } from './helpers/axe.js';
import { focusInfo, tabTo } from './helpers/keyboard.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

describe('skeleton screen (browser mode)', () => {
  let ui: UiSession;
  beforeAll(async () => {
    ui = await startUiSession();
    await ui.open();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('loads, shows app.info from the service, in German by default', async () => {
    const { page } = ui;
    await page.getByRole('heading', { level: 1, name: 'Programminformationen' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    expect(await page.title()).toBe('OSCI-Postfach');
    await expect.poll(() => page.getByTestId('app-version').textContent()).toBe('0.1.0-test');
    const info = await page.getByTestId('app-info').innerText();
    expect(info).toContain('Browser-Modus');
    expect(info).toContain(process.versions.node);
    expect(info).toContain('nicht vorhanden'); // no Electron here
    // the token left the address bar
    expect(page.url()).toBe(`${ui.bridge.origin}/`);
    await saveScreenshot(page, 'skeleton-de');
    await expectAxeClean(page, 'Programminformationen (de)');
    ui.assertClean();
  });

  it('shows visible keyboard focus, starting with the skip link', async () => {
    const { page } = ui;
    await page.keyboard.press('Tab');
    const skip = await focusInfo(page);
    expect(skip?.text).toBe('Zum Inhalt springen');
    expect(skip?.outlineVisible).toBe(true);
    expect(skip?.outlineWidth).toBeGreaterThanOrEqual(2);
    expect(await page.getByText('Zum Inhalt springen').isVisible()).toBe(true);
    const german = await tabTo(page, (f) => f.text === 'Deutsch');
    expect(german.role).toBe('radio');
    expect(german.outlineVisible).toBe(true);
    expect(german.outlineWidth).toBeGreaterThanOrEqual(2);
    await saveScreenshot(page, 'skeleton-focus-visible');
  });

  it('switches to English with the keyboard, and the service keeps the choice across a reload', async () => {
    const { page } = ui;
    // focus is on "Deutsch" (previous test); arrow keys move within the radio group, Space/Enter selects
    await page.keyboard.press('ArrowRight');
    const english = await focusInfo(page);
    expect(english?.text).toBe('English');
    await page.keyboard.press('Space');
    await page.getByRole('heading', { level: 1, name: 'Program information' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('radio', { name: 'English' }).isChecked()).toBe(true);
    expect(await page.getByTestId('app-info').innerText()).toContain('Browser mode');
    await saveScreenshot(page, 'skeleton-en');
    await expectAxeClean(page, 'Program information (en)');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Program information' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('radio', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { level: 1, name: 'Programminformationen' }).waitFor();
    ui.assertClean();
  });

  it('stays usable at 200 % zoom (no horizontal scrolling, content reflows)', async () => {
    const { page } = ui;
    // 200 % zoom of a 1280 px wide window = a 640 px wide CSS viewport at twice the device pixels
    await page.setViewportSize({ width: 640, height: 400 });
    await page.getByRole('heading', { level: 1, name: 'Programminformationen' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await page.getByRole('radio', { name: 'English' }).isVisible()).toBe(true);
    await saveScreenshot(page, 'skeleton-zoom-200');
    await expectAxeClean(page, 'Programminformationen (200 %)');
    await page.setViewportSize({ width: 1280, height: 800 });
    ui.assertClean();
  });
});

describe('without access token', () => {
  it('explains in German and English how to open the UI, and the API refuses the page', async () => {
    const ui = await startUiSession();
    try {
      await ui.page.goto(`${ui.bridge.origin}/`);
      await ui.page.getByRole('heading', { name: 'Keine Verbindung zum Programm' }).waitFor();
      expect(await ui.page.getByText('No connection to the program').isVisible()).toBe(true);
      await saveScreenshot(ui.page, 'no-token');
      await expectAxeClean(ui.page, 'Keine Verbindung');
      const status = await ui.page.evaluate(async () => (await fetch('/api/call/app.info', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status);
      expect(status).toBe(401);
      ui.problems.splice(0); // the refused fetch logs a console error by design
    } finally {
      await ui.close();
    }
  });
});

describe('when the service has stopped', () => {
  it('shows a plain German error with the technical detail one click away', async () => {
    const ui = await startUiSession();
    try {
      await ui.open();
      await ui.page.getByTestId('app-info').waitFor();
      await ui.service.close();
      await ui.page.getByRole('button', { name: 'Angaben neu laden' }).click();
      const alert = ui.page.getByRole('alert');
      await alert.getByText('Das hat nicht geklappt').waitFor();
      expect(await alert.innerText()).toContain('Der Hintergrunddienst des Programms wurde beendet.');
      const detail = alert.getByRole('button', { name: 'Technische Angabe für die IT' });
      expect(await detail.getAttribute('aria-expanded')).toBe('false');
      await detail.focus();
      await ui.page.keyboard.press('Enter');
      expect(await detail.getAttribute('aria-expanded')).toBe('true');
      expect(await alert.innerText()).toContain('service-stopped');
      await saveScreenshot(ui.page, 'error-service-stopped');
      await expectAxeClean(ui.page, 'Fehler: Dienst beendet');
      ui.assertClean();
    } finally {
      await ui.close();
    }
  });
});
