/**
 * The same caseworker flow with the keyboard only (no mouse event at all): Tab and Enter to the Übungsmodus, F5 to
 * fetch, Strg+F to search, arrows in the list (the reading pane follows), N for the next unread message, Enter to
 * open, Tab to a value's copy button, Strg+Umschalt+C for a block, arrows in the tabs, Bild↓ in the PDF viewer,
 * Strg+E to export the PDF, Space on "Als übertragen markieren". After every step the focused element shows a
 * visible focus ring.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAxeClean } from './helpers/axe.js';
import { auditActions, clipboardText, downloaded, listedItems, pdfText, serviceApi, trainingPrepared, UNREAD_NAME } from './helpers/flow.js';
import { focusInfo } from './helpers/keyboard.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

interface Focused {
  readonly role: string | null;
  readonly name: string;
  readonly testId: string | null;
  /** A row of the message list. */
  readonly inList: boolean;
  readonly visible: boolean;
}

/**
 * The focused element: role, accessible-ish name (aria-label or text), and whether a focus ring shows — on the
 * element itself, or on the field around it where the design draws the ring there (the search field).
 */
async function focused(page: Page): Promise<Focused> {
  const info = await focusInfo(page);
  const extra = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const ring = el?.closest<HTMLElement>('[data-focus-within]');
    const style = ring ? getComputedStyle(ring) : undefined;
    return {
      label: el?.getAttribute('aria-label') ?? null,
      testId: el?.getAttribute('data-testid') ?? null,
      inList: el?.closest('[data-testid="message-list"]') !== null && el?.getAttribute('role') === 'option',
      ringAround: style !== undefined && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
  });
  const own = (info?.outlineVisible ?? false) && (info?.outlineWidth ?? 0) >= 2;
  return { role: info?.role ?? info?.tag ?? null, name: extra.label ?? info?.text ?? '', testId: extra.testId, inList: extra.inList, visible: own || extra.ringAround };
}

/** Presses Tab (or Shift+Tab) until the focused element matches; every stop on the way must show its focus. */
async function tabUntil(page: Page, match: (f: Focused) => boolean, options: { back?: boolean; limit?: number } = {}): Promise<Focused> {
  for (let i = 0; i < (options.limit ?? 40); i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (f.role !== null) expect(f.visible, `focus ring on ${f.role} "${f.name}"`).toBe(true);
    if (match(f)) return f;
  }
  throw new Error('no focusable element matched');
}

// every step waits for what it looks at; under CI load (two cores, other tests beside) the flow's steps take longer
// than the default minute, as in the other long UI runs (space.test.ts)
describe('the caseworker flow with the keyboard only', () => {
  let ui: UiSession;
  let downloads: string;

  beforeAll(async () => {
    downloads = mkdtempSync(path.join(tmpdir(), 'postfach-ui-keys-'));
    ui = await startUiSession({ clipboard: true });
    await ui.open();
    await ui.page.getByRole('heading', { level: 1, name: 'Willkommen im OSCI-Postfach' }).waitFor();
  });
  afterAll(async () => {
    await ui?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('Tab and Enter start the Übungsmodus; F5 fetches', async () => {
    const { page } = ui;
    const skip = await tabUntil(page, () => true);
    expect(skip.name).toBe('Zum Inhalt springen');
    await tabUntil(page, (f) => f.name === 'Übungsmodus starten');
    await page.keyboard.press('Enter');
    await page.getByTestId('fetch-button').waitFor({ timeout: 120_000 });
    await trainingPrepared(page);
    await expect.poll(() => page.getByTestId('fetch-button').isEnabled()).toBe(true);
    await page.keyboard.press('F5');
    await page.getByTestId('message-list').waitFor({ timeout: 120_000 });
    await page.getByText(/^Abruf beendet: 5 neue Anträge\.$/).waitFor();
    ui.assertClean();
  }, 180_000);

  it('Strg+F searches; Tab reaches the list; arrows move and the reading pane follows; N jumps to the next unread', async () => {
    const { page } = ui;
    const items = await listedItems(ui);
    const target = items.find((i) => !i.isTest && i.attachmentCount === 0) ?? items[0];
    const family = (target?.applicants[0] ?? '').split(' ').pop() as string;
    await page.keyboard.press('Control+f');
    await expect.poll(async () => (await focused(page)).testId).toBe('search');
    await page.keyboard.type(family);
    const expected = (await listedItems(ui, { search: family })).length;
    await expect.poll(() => page.getByTestId('search-results').innerText()).toBe(`${expected} Treffer`);
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.getByTestId('message-list').getByRole('option').count()).toBe(5);

    const first = await tabUntil(page, (f) => f.inList);
    expect(first.name).toMatch(UNREAD_NAME);
    const activeId = async () => Number(await page.evaluate(() => document.activeElement?.getAttribute('data-id')));
    const firstId = await activeId();
    await page.keyboard.press('ArrowDown');
    // the focus moves with the list's own handling: wait until it has left the first row before looking at it
    await expect.poll(activeId).not.toBe(firstId);
    const second = await focused(page);
    expect(second.role).toBe('option');
    expect(second.visible).toBe(true);
    const secondId = Number(await page.evaluate(() => document.activeElement?.getAttribute('data-id')));
    await page.locator(`[data-testid="message-view"][data-message-id="${secondId}"]`).waitFor();
    // the message just shown is read now; N goes to the next unread one below
    await page.keyboard.press('ArrowUp');
    await expect.poll(activeId).toBe(firstId);
    await page.keyboard.press('n');
    await expect.poll(async () => Number(await page.evaluate(() => document.activeElement?.getAttribute('data-id')))).not.toBe(firstId);
    const nextId = Number(await page.evaluate(() => document.activeElement?.getAttribute('data-id')));
    expect(nextId).not.toBe(secondId);
    expect((await focused(page)).name).toMatch(UNREAD_NAME);
    // the reading pane follows the keyboard
    await page.locator(`[data-testid="message-view"][data-message-id="${nextId}"]`).waitFor();
    await saveScreenshot(page, 'ui-keyboard-list');
  }, 180_000);

  it('Enter opens the application; Tab reaches a copy button; Strg+Umschalt+C copies the block', async () => {
    const { page } = ui;
    const id = Number(await page.evaluate(() => document.activeElement?.getAttribute('data-id')));
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('[data-message-id]')?.getAttribute('data-message-id') ?? document.activeElement?.id))
      .toBe(String(id));
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('message-heading');
    await page.locator(`[data-testid="message-view"][data-message-id="${id}"]`).waitFor();
    const copy = await tabUntil(page, (f) => f.name.endsWith(' kopieren') && !f.name.startsWith('Block'), { limit: 60 });
    await page.keyboard.press('Enter');
    const label = copy.name.replace(/ kopieren$/, '');
    await page.getByTestId('status-message').getByText(`„${label}“ kopiert`).waitFor();
    await expect.poll(async () => (await clipboardText(page)).length).toBeGreaterThan(0);
    await page.keyboard.press('Control+Shift+C');
    await page
      .getByTestId('status-message')
      .getByText(/^Block „.+“ kopiert/)
      .waitFor();
    await expect.poll(async () => (await clipboardText(page)).split('\n').every((line) => line.includes('\t'))).toBe(true);
    await saveScreenshot(page, 'ui-keyboard-copy');
  }, 180_000);

  it('arrows switch the tabs; the PDF viewer pages with Bild↓; Strg+E exports the PDF', async () => {
    const { page } = ui;
    const tab = await tabUntil(page, (f) => f.role === 'tab' && f.name === 'Übersicht', { back: true, limit: 80 });
    expect(tab.visible).toBe(true);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await focused(page)).name).toMatch(/^Dokumente/);
    const viewer = page.getByTestId('pdf-viewer');
    await expect.poll(() => viewer.getAttribute('data-rendered'), { timeout: 30_000 }).not.toBe('0');
    const frame = await tabUntil(page, (f) => f.name.startsWith('Vorschau:') && f.role === 'group', { limit: 30 });
    expect(frame.visible).toBe(true);
    if (Number(await viewer.getAttribute('data-pages')) > 1) {
      await page.keyboard.press('PageDown');
      await expect.poll(() => viewer.getAttribute('data-page')).toBe('2');
    }
    await saveScreenshot(page, 'ui-keyboard-document');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Control+e')]);
    const file = path.join(downloads, download.suggestedFilename());
    await downloaded(download, file);
    const id = Number(await page.getByTestId('message-view').getAttribute('data-message-id'));
    const item = (await listedItems(ui)).find((i) => i.id === id);
    expect(pdfText(file)).toContain((item?.applicants[0] ?? '').split(' ').pop());
  }, 180_000);

  it('Space on "Als übertragen markieren" marks the application transferred', async () => {
    const { page } = ui;
    const id = Number(await page.getByTestId('message-view').getAttribute('data-message-id'));
    const button = await tabUntil(page, (f) => f.name === 'Als übertragen markieren', { back: true, limit: 80 });
    expect(button.visible).toBe(true);
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('message-state').innerText()).toBe('übertragen');
    expect((await serviceApi(ui).call('messages.list', { transferred: true })).items.map((i) => i.id)).toEqual([id]);
    expect(await auditActions(ui, id)).toEqual(expect.arrayContaining(['opened', 'exported', 'marked-transferred']));
    await saveScreenshot(page, 'ui-keyboard-transferred');
    await expectAxeClean(page, 'Tastatur: übertragen');
    ui.assertClean();
  }, 180_000);
});
