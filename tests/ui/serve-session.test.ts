/**
 * Signing in and out of `postfach serve` in the real UI: "Abmelden" in the title bar ends the session at the service
 * and shows the sign-in form ("Sie sind abgemeldet."); a session that has ended (here: its maximum lifetime of a few
 * seconds) brings the person back to the sign-in form with "Ihre Sitzung ist abgelaufen" at the next step — not an
 * error in the program. Real HTTPS on loopback, a real Chromium.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServe, type DemoServe } from '../serve/serve-harness.js';
import { expectAxeClean } from './helpers/axe.js';
import { launchChromium } from './helpers/chromium.js';
import { ensureRendererBuilt } from './helpers/renderer-build.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { signInOn } from './helpers/serve-sign-in.js';

/** Long enough to sign in and see the list on a busy machine, short enough to wait for. */
const SESSION_MAX_MS = 20_000;

let team: DemoServe;
let browser: Browser;

beforeAll(async () => {
  const rendererDir = await ensureRendererBuilt();
  team = await startDemoServe(2, { accounts: [{ name: 'anna', role: 'sachbearbeitung' }], rendererDir, sessions: { idleMs: 60 * 60_000, maxMs: SESSION_MAX_MS } });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await team?.close();
});

/** Signs Anna in; returns a time at or before the sign-in (the session's lifetime counts from later). */
async function signIn(page: Page): Promise<number> {
  const at = Date.now();
  await signInOn(page, team.origin, 'anna');
  return at;
}

/** The session's state at the service, asked with the page's cookies (the sign-in form's own policy allows no fetch). */
const sessionStatus = async (page: Page): Promise<number> => (await page.context().request.get(`${team.origin}/api/session`)).status();

describe('signing out of postfach serve and an ended session, in Chromium', () => {
  it('"Abmelden" ends the session and shows the sign-in form', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'de-DE' });
    const page = await context.newPage();
    await signIn(page);
    const signOut = page.getByTestId('sign-out');
    await signOut.waitFor();
    expect(await signOut.textContent()).toBe('Abmelden');
    // keyboard operable: focus and Enter
    await signOut.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url(), { timeout: 15_000 }).toBe(`${team.origin}/anmelden?hinweis=abgemeldet`);
    await page.getByText('Sie sind abgemeldet.').waitFor();
    // the session is gone at the service too: the program's page sends back to the form
    expect(await sessionStatus(page)).toBe(401);
    await page.goto(team.origin);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/anmelden');
    await context.close();
  }, 120_000);

  it('an ended session leads back to the sign-in form with "abgelaufen", not to an error', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'de-DE' });
    const page = await context.newPage();
    const signedInAt = await signIn(page);
    expect(new URL(page.url()).pathname).toBe('/');
    // wait until the service has ended the session (its maximum lifetime)
    await new Promise((r) => setTimeout(r, Math.max(0, signedInAt + SESSION_MAX_MS - Date.now())));
    await expect.poll(() => sessionStatus(page), { timeout: 30_000 }).toBe(401);
    // the next step in the program: opening an application
    await page.getByTestId('message-list').getByRole('option').last().click();
    await expect.poll(() => page.url(), { timeout: 30_000 }).toBe(`${team.origin}/anmelden?hinweis=abgelaufen`);
    await page.getByText('Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.').waitFor();
    await saveScreenshot(page, 'serve-session-expired');
    await expectAxeClean(page, 'sign-in form after an ended session');
    // and signing in again works
    await signIn(page);
    await context.close();
  }, 180_000);
});
