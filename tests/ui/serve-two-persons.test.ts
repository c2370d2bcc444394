/**
 * Two persons, one `postfach serve`, the real UI in a real browser: each of two Chromium profiles signs in on the
 * service's form over HTTPS (127.0.0.1, a self-made certificate), gets the unchanged renderer on the cookie session,
 * sees the deliveries the service fetched at its start; what Anna opens is in the audit log under her name, which
 * Bernd (Leitung) reads and Anna (Sachbearbeitung) may not. Screenshots in test-artifacts/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoMailbox, type DemoMailbox } from '../../app/demo-mailbox.js';
import { AccountStore } from '../../core/serve/accounts.js';
import { runServe, type RunningServe } from '../../core/serve/run.js';
import { resolveServeConfig } from '../../core/serve/serve-config.js';
import { projectRoot } from '../helpers/shared.js';
import { makeCertificate, Person, tempDir, type TestCertificate } from '../serve/helpers.js';
import { launchChromium } from './helpers/chromium.js';

const shots = path.join(projectRoot, 'test-artifacts', 'screenshots');
let demo: DemoMailbox;
let serve: RunningServe;
let cert: TestCertificate;
let browser: Browser;

beforeAll(async () => {
  const dir = tempDir();
  cert = makeCertificate(dir);
  demo = await startDemoMailbox(path.join(dir, 'mailbox'), { firstBatch: 3 });
  const accounts = new AccountStore(`${demo.storePath}.accounts.json`);
  await accounts.add('anna', 'sachbearbeitung', 'Anna-Passwort-2026');
  await accounts.add('bernd', 'leitung', 'Bernd-Passwort-2026');
  const config = resolveServeConfig(undefined, {
    store: demo.storePath,
    listen: '127.0.0.1:0',
    tlsCert: cert.certFile,
    tlsKey: cert.keyFile,
    fetchIntervalMinutes: 60,
    storePasswordEnv: 'UI_SERVE_PASSWORD',
  });
  serve = await runServe(config, { rendererDir: path.join(projectRoot, 'dist', 'renderer'), report: () => undefined, env: { UI_SERVE_PASSWORD: demo.unlock.password } });
  browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await serve?.close();
  await demo?.close();
});

async function signedIn(name: string, password: string): Promise<Page> {
  // the self-made certificate is not in Chromium's store; TLS itself is real
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'de-DE' });
  const page = await context.newPage();
  await page.goto(serve.origin);
  await expect.poll(() => new URL(page.url()).pathname).toBe('/anmelden');
  await page.getByLabel('Benutzername').fill(name);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: /Anmelden/ }).click();
  try {
    await page.getByTestId('message-list').getByRole('option').first().waitFor({ timeout: 60_000 });
  } catch (error) {
    await page.screenshot({ path: path.join(shots, `serve-${name}-failed.png`) });
    throw error;
  }
  return page;
}

describe('two persons on one postfach serve, in Chromium', () => {
  it('both see what the service fetched; Anna’s opening is in the audit log under her name', async () => {
    const anna = await signedIn('anna', 'Anna-Passwort-2026');
    const bernd = await signedIn('bernd', 'Bernd-Passwort-2026');
    await expect.poll(() => anna.getByTestId('message-list').getByRole('option').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => bernd.getByTestId('message-list').getByRole('option').count(), { timeout: 30_000 }).toBe(3);
    // the status bar says where the program runs: the service, not "this computer only"
    await expect.poll(() => anna.locator('.statusbar__host').textContent()).toBe('Abrufdienst (Anmeldung über das Netz)');
    // the session cookie is not visible to the page's script
    expect(await anna.evaluate(() => document.cookie)).toBe('');
    await anna.getByTestId('message-list').getByRole('option').first().click();
    await anna.screenshot({ path: path.join(shots, 'serve-anna.png') });
    await bernd.screenshot({ path: path.join(shots, 'serve-bernd.png') });

    const leitung = new Person(serve.origin, cert.cert);
    await leitung.signIn('bernd', 'Bernd-Passwort-2026');
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
