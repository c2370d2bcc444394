/**
 * A person signed in to `postfach serve` in Chromium: a browser context of their own (the session cookie is theirs),
 * the service's sign-in form filled in and sent, and the program shown with its list. The test certificate is not in
 * Chromium's store (TLS itself is real), so the context ignores that certificate error.
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { passwordOf } from '../../serve/serve-harness.js';
import { saveScreenshot } from './screenshots.js';

export interface SignInOptions {
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Default: the account's test password (serve-harness `passwordOf`). */
  readonly password?: string;
}

/** Fills in and sends the sign-in form on `page` and waits until the list shows a row. */
export async function signInOn(page: Page, origin: string, name: string, password = passwordOf(name)): Promise<void> {
  await page.goto(origin);
  await expect.poll(() => new URL(page.url()).pathname).toBe('/anmelden');
  await page.getByLabel('Benutzername').fill(name);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: /Anmelden/ }).click();
  try {
    await page.getByTestId('message-list').getByRole('option').first().waitFor({ timeout: 60_000 });
  } catch (error) {
    await saveScreenshot(page, `serve-${name}-sign-in-failed`).catch(() => undefined);
    throw error;
  }
}

/** A new browser context signed in as `name`: its page, showing the list. */
export async function signedInPage(browser: Browser, origin: string, name: string, options: SignInOptions = {}): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'de-DE', ...(options.viewport === undefined ? {} : { viewport: options.viewport }) });
  const page = await context.newPage();
  await signInOn(page, origin, name, options.password);
  return page;
}
