/** Screenshots of every screen go to test-artifacts/screenshots/ (gitignored; CI keeps them as artifacts). */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { projectRoot } from '../../helpers/shared.js';

export const screenshotDir = path.join(projectRoot, 'test-artifacts', 'screenshots');

/** `fullPage: false` keeps what the window shows (zoomed layouts whose page scrolls as a whole). */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`screenshot name must be kebab-case: ${name}`);
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  return file;
}
