/**
 * The shared inbox in the real UI: one `postfach serve` on loopback (HTTPS, a self-made certificate), two Chromium
 * contexts signed in as two persons of the Sachbearbeitung. Anna opens an application and takes it ("Bearbeiten");
 * Berta, who has the same application open, sees "In Bearbeitung durch anna" in her reading pane and "bei anna" in
 * her list without reloading (the service's messages.changed over SSE); she cannot take it or mark it übertragen
 * ("Als übertragen markieren" is disabled with the reason beside it) and has no "Übernehmen" (that is the Leitung's).
 * Anna hands it to Berta by the keyboard; Berta's pane and her view "Meine" show it; her own "Freigeben" takes it
 * out of "Meine" at once and "Bearbeiten" brings it back. Both see what the service fetched; the status bar names the
 * service; the session cookie is not visible to script. The audit log names both (read by the Leitung; refused to
 * the Sachbearbeitung). One service and one browser for all of it (CI time). axe-clean; screenshots in
 * test-artifacts/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServe, type DemoServe } from '../serve/serve-harness.js';
import { expectAxeClean } from './helpers/axe.js';
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
      { name: 'berta', role: 'sachbearbeitung' },
      { name: 'chef', role: 'leitung' },
    ],
    rendererDir,
  });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await team?.close();
});

const signedIn = (name: string): Promise<Page> => signedInPage(browser, team.origin, name, { viewport: { width: 1400, height: 900 } });
const claimState = (page: Page) => page.getByTestId('claim-state').textContent();
const firstRow = (page: Page) => page.getByTestId('message-list').getByRole('option').first();

describe('the shared inbox: two persons on one postfach serve, in Chromium', () => {
  it('A claims, B sees it without reloading; B cannot take or transfer it; A hands it to B', async () => {
    const anna = await signedIn('anna');
    const berta = await signedIn('berta');
    // the team's views are in the folder list
    for (const page of [anna, berta]) {
      await page.getByTestId('folders').getByRole('option', { name: 'Meine' }).waitFor();
      await page.getByTestId('folders').getByRole('option', { name: 'Nicht zugewiesen' }).waitFor();
    }
    // both see what the service fetched at its start; the status bar says where the program runs (the service, not
    // "this computer only"); the session cookie is not visible to the page's script
    for (const page of [anna, berta]) await expect.poll(() => page.getByTestId('message-list').getByRole('option').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => anna.locator('.statusbar__host').textContent()).toBe('Abrufdienst (Anmeldung über das Netz)');
    expect(await anna.evaluate(() => document.cookie)).toBe('');
    // both open the same (newest) application
    await firstRow(anna).click();
    await firstRow(berta).click();
    await expect.poll(() => claimState(anna), { timeout: 20_000 }).toBe('Nicht zugewiesen');
    await expect.poll(() => claimState(berta), { timeout: 20_000 }).toBe('Nicht zugewiesen');
    const bertaUrl = berta.url();

    const clickedAt = Date.now();
    await anna.getByTestId('claim').click();
    await expect.poll(() => claimState(anna), { timeout: 10_000, interval: 20 }).toMatch(/^In Bearbeitung durch Sie seit /);
    const ownAfter = Date.now() - clickedAt;
    // Berta: pane and row follow by themselves (SSE), no reload
    await expect.poll(() => claimState(berta), { timeout: 10_000, interval: 20 }).toMatch(/^In Bearbeitung durch anna seit /);
    const shownAfter = Date.now() - clickedAt;
    // issue 13 asks for a second; measured here, not bounded: on a machine shared by parallel test runs the click's
    // own round trip alone can take seconds (the push itself is bounded in tests/serve/shared-inbox.test.ts)
    console.log(`shared inbox: Anna's click to her own pane ${ownAfter} ms, to Berta's reading pane ${shownAfter} ms`);
    await expect.poll(() => firstRow(berta).getByTestId('row-claim').textContent(), { timeout: 10_000 }).toBe('● bei anna');
    expect(berta.url()).toBe(bertaUrl);
    // a colleague's claim is not overridden by a click: no "Bearbeiten", no "Übernehmen" for the Sachbearbeitung
    expect(await berta.getByTestId('claim').count()).toBe(0);
    expect(await berta.getByTestId('take-over').count()).toBe(0);
    expect(await berta.getByTestId('release').count()).toBe(0);
    await saveScreenshot(anna, 'serve-inbox-anna-claimed', { fullPage: false });
    await saveScreenshot(berta, 'serve-inbox-berta-sees-claim', { fullPage: false });
    await expectAxeClean(berta, 'shared inbox, claimed by a colleague');

    // Berta may not mark it übertragen while Anna holds it: the button is disabled and says why (the service would
    // refuse it: tests/serve/shared-inbox.test.ts); nothing changes
    await expect.poll(() => berta.getByTestId('toggle-transferred').isDisabled(), { timeout: 10_000 }).toBe(true);
    await expect
      .poll(() => berta.getByTestId('transfer-held').textContent(), { timeout: 10_000 })
      .toBe('anna bearbeitet diesen Antrag: nur wer ihn bearbeitet, kann ihn als übertragen markieren.');
    expect(await firstRow(berta).locator('.row__state').textContent()).not.toBe('übertragen');
    // Anna, who holds it, may
    expect(await anna.getByTestId('toggle-transferred').isDisabled()).toBe(false);
    expect(await anna.getByTestId('transfer-held').count()).toBe(0);

    // Anna hands it to Berta, by the keyboard only
    await anna.getByTestId('hand').focus();
    await anna.keyboard.press('Enter');
    const handTo = anna.getByRole('menuitem', { name: 'An berta übergeben' });
    await handTo.waitFor();
    // chef is a colleague too; the menu names each account once
    await anna.getByRole('menuitem', { name: 'An chef übergeben' }).waitFor();
    // opened by the keyboard, the menu has the first colleague focused
    await expect.poll(() => anna.evaluate(() => document.activeElement?.textContent ?? '')).toBe('An berta übergeben');
    await anna.keyboard.press('Enter');
    await expect.poll(() => claimState(anna), { timeout: 10_000 }).toMatch(/^In Bearbeitung durch berta seit /);
    await expect.poll(() => claimState(berta), { timeout: 10_000 }).toMatch(/^In Bearbeitung durch Sie seit /);
    await expect.poll(() => firstRow(berta).getByTestId('row-claim').textContent(), { timeout: 10_000 }).toBe('● bei Ihnen');
    await expectAxeClean(anna, 'shared inbox, handed to a colleague');

    // Berta's "Meine": the one she holds; Anna's "Meine" is empty, her "Nicht zugewiesen" has the other two
    await berta.getByTestId('folders').getByRole('option', { name: 'Meine' }).click();
    await expect.poll(() => berta.getByTestId('message-list').getByRole('option').count(), { timeout: 10_000 }).toBe(1);
    await anna.getByTestId('folders').getByRole('option', { name: 'Nicht zugewiesen' }).click();
    await expect.poll(() => anna.getByTestId('message-list').getByRole('option').count(), { timeout: 10_000 }).toBe(2);
    await saveScreenshot(berta, 'serve-inbox-berta-mine', { fullPage: false });

    // in her "Meine", Berta's own "Freigeben" takes the row out at once (the pane keeps the application), and
    // "Bearbeiten" brings it back, without a reload
    const bertaRows = () => berta.getByTestId('message-list').getByRole('option').count();
    await berta.getByTestId('message-list').getByRole('option').first().click();
    await expect.poll(() => claimState(berta), { timeout: 10_000 }).toMatch(/^In Bearbeitung durch Sie/);
    await berta.getByTestId('release').click();
    await expect.poll(() => claimState(berta), { timeout: 10_000 }).toBe('Nicht zugewiesen');
    await expect.poll(bertaRows, { timeout: 10_000 }).toBe(0);
    await expect.poll(() => berta.getByTestId('list-count').textContent(), { timeout: 10_000 }).toBe('0 Anträge');
    await berta.getByTestId('claim').click();
    await expect.poll(() => claimState(berta), { timeout: 10_000 }).toMatch(/^In Bearbeitung durch Sie/);
    await expect.poll(bertaRows, { timeout: 10_000 }).toBe(1);
    await saveScreenshot(berta, 'serve-inbox-berta-mine-again', { fullPage: false });

    // now hers: Berta marks it übertragen; the pane says by whom
    await berta.getByTestId('toggle-transferred').click();
    await expect.poll(() => berta.getByTestId('claim-transfer').textContent(), { timeout: 10_000 }).toMatch(/^Übertragen von berta am /);

    // the audit log (read by the Leitung) names each person: who opened it, each step
    const leitung = await team.person('chef');
    const entries = (await leitung.value<{ entries: Array<{ osUser: string; action: string }> }>('audit.list', {})).entries;
    expect(new Set(entries.filter((e) => e.action === 'opened').map((e) => e.osUser))).toEqual(new Set(['serve:anna', 'serve:berta']));
    const steps = entries.filter((e) => e.action.startsWith('claim') || e.action === 'marked-transferred').map((e) => [e.action, e.osUser]);
    expect(steps).toEqual([
      ['claimed', 'serve:anna'],
      ['claim-handed', 'serve:anna'],
      ['claim-released', 'serve:berta'],
      ['claimed', 'serve:berta'],
      ['marked-transferred', 'serve:berta'],
    ]);
    // the same call from Anna's page (Sachbearbeitung) is refused by role
    const refused = await anna.evaluate(async () => {
      const response = await fetch('/api/call/audit.list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return { status: response.status, body: (await response.json()) as { error?: { kind?: string } } };
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.kind).toBe('serve-forbidden');
  }, 240_000);
});
