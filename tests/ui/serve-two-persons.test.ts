/**
 * Two persons, one `postfach serve`, the real UI in a real browser: each of two Chromium profiles signs in on the
 * service's form over HTTPS (127.0.0.1, a self-made certificate), gets the unchanged renderer on the cookie session,
 * sees the deliveries the service fetched at its start; what Anna opens is in the audit log under her name, which
 * Bernd (Leitung) reads and Anna (Sachbearbeitung) may not. Screenshots in test-artifacts/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServe, type DemoServe } from '../serve/serve-harness.js';
import { launchChromium } from './helpers/chromium.js';
import { ensureRendererBuilt } from './helpers/renderer-build.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { signedInPage } from './helpers/serve-sign-in.js';

let team: DemoServe;
let browser: Browser;

beforeAll(async () => {
  const rendererDir = await ensureRendererBuilt();
  team = await startDemoServe(3, {
    accounts: [
      { name: 'anna', role: 'sachbearbeitung' },
      { name: 'bernd', role: 'leitung' },
    ],
    rendererDir,
  });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await team?.close();
});

describe('two persons on one postfach serve, in Chromium', () => {
  it('both see what the service fetched; Anna’s opening is in the audit log under her name', async () => {
    const anna = await signedInPage(browser, team.origin, 'anna');
    const bernd = await signedInPage(browser, team.origin, 'bernd');
    await expect.poll(() => anna.getByTestId('message-list').getByRole('option').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => bernd.getByTestId('message-list').getByRole('option').count(), { timeout: 30_000 }).toBe(3);
    // the status bar says where the program runs: the service, not "this computer only"
    await expect.poll(() => anna.locator('.statusbar__host').textContent()).toBe('Abrufdienst (Anmeldung über das Netz)');
    // the session cookie is not visible to the page's script
    expect(await anna.evaluate(() => document.cookie)).toBe('');
    await anna.getByTestId('message-list').getByRole('option').first().click();
    await saveScreenshot(anna, 'serve-anna');
    await saveScreenshot(bernd, 'serve-bernd');

    const leitung = await team.person('bernd');
    await expect
      .poll(
        async () =>
          (await leitung.value<{ entries: Array<{ osUser: string; action: string }> }>('audit.list', {})).entries.filter((e) => e.action === 'opened').map((e) => e.osUser),
        { timeout: 15_000 },
      )
      .toContain('serve:anna');
    // the same call from Anna's page is refused by role
    const refused = await anna.evaluate(async () => {
      const response = await fetch('/api/call/audit.list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return { status: response.status, body: (await response.json()) as { error?: { kind?: string } } };
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.kind).toBe('serve-forbidden');
  }, 180_000);
});
