/**
 * Space to read and a list that lives (issue 17), in Debian's Chromium at 1280×800 in the Übungsmodus: the splitter
 * between list and reading pane moves with the keyboard and is remembered after a reload (the service keeps it in
 * workspace.json); the compact density shows at least 18 rows; during a fetch of 20 deliveries the list's count
 * rises while the fetch runs, and the selected row stays selected; "In den Papierkorb" takes the row out of the view
 * at once and "Rückgängig" in the status bar brings it back; "Wiederherstellen" in the Papierkorb view; the document
 * viewer shows at least half an A4 page, turns a page or an image by button and by keyboard (R, Shift+R) and keeps
 * each document's turns while the program runs; "open in the system's program" downloads in browser mode; a
 * document in a window of its own (the route the desktop shell opens) fills the window. axe-core runs on each state; screenshots go to test-artifacts/screenshots/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAINING_FOLDER } from '../../core/app/training.js';
import { loadSenderSetup, sendApplications } from '../../intermediary/index.js';
import { expectAxeClean } from './helpers/axe.js';
import { serviceApi, trainingPrepared } from './helpers/flow.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

/** Generous: the machine runs other work beside these tests (expect.poll waits one second by default). */
function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 20_000 });
}

describe('space to read, a list that lives', () => {
  let ui: UiSession;
  const rows = () => ui.page.locator('[data-testid="message-list"] [data-id]');
  const listCount = async (): Promise<number> => Number((await ui.page.getByTestId('list-count').innerText()).replace(/\D/g, '') || '0');
  const splitterValue = async (): Promise<number> => Number(await ui.page.getByTestId('list-splitter').getAttribute('aria-valuenow'));

  beforeAll(async () => {
    ui = await startUiSession();
    await ui.open();
    await ui.page.getByRole('button', { name: 'Übungsmodus starten' }).click();
    await ui.page.getByTestId('fetch-button').waitFor({ timeout: 120_000 });
    await trainingPrepared(ui.page);
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('a fetch of 20 deliveries brings each into the list while it runs; the selection stays', async () => {
    const { page } = ui;
    await page.getByTestId('fetch-button').click();
    await expect.poll(listCount, { timeout: 60_000 }).toBe(5);
    await expect.poll(() => page.getByTestId('fetch-button').isEnabled(), { timeout: 60_000 }).toBe(true);
    await rows().nth(1).click();
    const selected = await rows().nth(1).getAttribute('data-id');
    await page.locator(`[data-message-id="${selected}"]`).waitFor();
    const state = await serviceApi(ui).call('workspace.state', {});
    const intermediaryUrl = state.trainingIntermediaryUrl;
    if (intermediaryUrl === null) throw new Error('the Übungsmodus intermediary does not run');
    const setup = loadSenderSetup({ pkiDir: path.join(ui.dataDir, TRAINING_FOLDER, 'pki') });
    await sendApplications({ intermediaryUrl, setup, service: 'hzl', seed: 'space-live', count: 20 });

    // every count the list header shows, recorded in the page as it changes, with the fetch button's state
    await page.evaluate(() => {
      const seen: { count: string; running: boolean }[] = [];
      (window as unknown as { __counts: typeof seen }).__counts = seen;
      new MutationObserver(() => {
        const count = document.querySelector('[data-testid="list-count"]')?.textContent ?? '';
        const running = document.querySelector('[data-testid="fetch-progress-text"]') !== null;
        if (seen[seen.length - 1]?.count !== count) seen.push({ count, running });
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('fetch-button').click();
    await expect.poll(listCount, { timeout: 120_000 }).toBe(25);
    await expect.poll(() => page.getByTestId('fetch-button').isEnabled(), { timeout: 60_000 }).toBe(true);
    const seen = await page.evaluate(() => (window as unknown as { __counts: { count: string; running: boolean }[] }).__counts);
    const whileRunning = seen.filter((s) => s.running).map((s) => Number(s.count.replace(/\D/g, '')));
    // rising at least three times while the fetch still ran (above the 5 there were before), never falling
    expect([...whileRunning].sort((a, b) => a - b)).toEqual(whileRunning);
    console.info(`list counts seen while the fetch ran: ${whileRunning.join(', ')}`);
    expect(new Set(whileRunning.filter((n) => n > 5)).size).toBeGreaterThanOrEqual(3);
    // the selected message is still the selected row and still in the reading pane
    expect(await page.locator(`[data-testid="message-list"] [data-id="${selected}"]`).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator(`[data-message-id="${selected}"]`).count()).toBe(1);
    // the polite announcement counts what arrived since the one before it (at most one every 2 s): one or more
    // (said at most every 2 s: the last one may come after the count)
    await poll(() => page.getByTestId('list-arrivals').innerText()).toMatch(/^(?:1 neuer Antrag|\d+ neue Anträge) in der Liste\.$/);
    await saveScreenshot(page, 'ui-list-live');
    ui.assertClean();
  }, 240_000);

  it('the splitter moves with the keyboard and is remembered after a reload', async () => {
    const { page } = ui;
    const splitter = page.getByTestId('list-splitter');
    expect(await splitter.getAttribute('role')).toBe('separator');
    expect(await splitter.getAttribute('aria-orientation')).toBe('vertical');
    expect(await splitter.getAttribute('aria-controls')).toBe('list-pane');
    const before = await splitterValue();
    // keyboard only: from the list, Tab reaches the splitter
    await rows().first().click();
    await page.keyboard.press('Tab');
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('separator');
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Breite der Antragsliste (Pfeiltasten; Eingabetaste: Standardbreite)');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await poll(splitterValue).toBe(before + 64);
    const listBox = await page.locator('#list-pane').boundingBox();
    expect(Math.round(listBox?.width ?? 0)).toBe(before + 64);
    await page.keyboard.press('Shift+ArrowLeft');
    await poll(splitterValue).toBe(before);
    await page.keyboard.press('End');
    await poll(splitterValue).toBeGreaterThan(before);
    // the reading pane keeps at least 20rem
    expect((await page.locator('.pane--message').boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(320);
    await page.keyboard.press('Home');
    await poll(splitterValue).toBe(240);
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    await poll(async () => (await serviceApi(ui).call('workspace.layout', {})).listWidth).toBe(400);
    await saveScreenshot(page, 'ui-splitter');
    await expectAxeClean(page, 'Splitter verschoben');
    await page.reload();
    await page.getByTestId('list-splitter').waitFor();
    await poll(splitterValue).toBe(400);
    // the mouse: a drag by 100 px
    const box = await page.getByTestId('list-splitter').boundingBox();
    if (box === null) throw new Error('no splitter');
    await page.mouse.move(box.x + box.width / 2, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 100, box.y + 200, { steps: 5 });
    await page.mouse.up();
    await poll(splitterValue).toBe(500);
    ui.assertClean();
  }, 180_000);

  it('the compact density shows at least 18 rows at 1280×800, and is remembered', async () => {
    const { page } = ui;
    const fullyShown = () =>
      page.evaluate(() => {
        const list = document.querySelector('[data-testid="message-list"]');
        if (list === null) return 0;
        const box = list.getBoundingClientRect();
        return Array.from(list.querySelectorAll('[data-id]')).filter((row) => {
          const r = row.getBoundingClientRect();
          return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
        }).length;
      });
    const comfortable = await fullyShown();
    await page.getByTestId('density-toggle').click();
    await poll(() => page.getByTestId('density-toggle').getAttribute('aria-pressed')).toBe('true');
    await poll(fullyShown).toBeGreaterThanOrEqual(18);
    console.info(`rows fully in view at 1280×800: ${comfortable} comfortable, ${await fullyShown()} compact`);
    expect(comfortable).toBeLessThan(18);
    // one line per row
    const heights = await rows().evaluateAll((all) => all.map((r) => r.getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThanOrEqual(32);
    await saveScreenshot(page, 'ui-list-compact');
    await expectAxeClean(page, 'Kompakte Liste');
    await poll(async () => (await serviceApi(ui).call('workspace.layout', {})).density).toBe('compact');
    await page.reload();
    await page.getByTestId('message-list').waitFor();
    await poll(fullyShown).toBeGreaterThanOrEqual(18);
    ui.assertClean();
  }, 180_000);

  it('"In den Papierkorb" takes the row out at once; "Rückgängig" brings it back; "Wiederherstellen" in the Papierkorb', async () => {
    const { page } = ui;
    await rows().nth(2).click();
    const id = await rows().nth(2).getAttribute('data-id');
    const message = page.locator(`[data-message-id="${id}"]`);
    await message.waitFor();
    const before = await listCount();
    await page.getByTestId('more-menu').click();
    await page.getByRole('menuitem', { name: 'In den Papierkorb' }).click();
    // at once: no reading of the list in between
    await expect.poll(() => page.locator(`[data-testid="message-list"] [data-id="${id}"]`).count(), { timeout: 2000 }).toBe(0);
    await poll(listCount).toBe(before - 1);
    await poll(() => page.getByTestId('status-message').innerText()).toContain('In den Papierkorb verschoben.');
    const undo = page.getByTestId('status-action');
    await poll(() => undo.innerText()).toBe('Rückgängig');
    // offered for some seconds, and for as long as it has the focus (no time limit while in use)
    await undo.focus();
    await page.waitForTimeout(11_000);
    await undo.waitFor();
    await saveScreenshot(page, 'ui-trash-undo');
    await expectAxeClean(page, 'Papierkorb mit Rückgängig');
    await page.keyboard.press('Enter');
    await poll(() => page.locator(`[data-testid="message-list"] [data-id="${id}"]`).count()).toBe(1);
    await poll(listCount).toBe(before);
    expect((await serviceApi(ui).call('messages.detail', { ref: { id: Number(id) } })).item.state).not.toBe('trashed');

    // once more into the trash, then out again from the Papierkorb view's own button
    await page.locator(`[data-testid="message-list"] [data-id="${id}"]`).click();
    await page.getByTestId('more-menu').click();
    await page.getByRole('menuitem', { name: 'In den Papierkorb' }).click();
    await expect.poll(() => page.locator(`[data-testid="message-list"] [data-id="${id}"]`).count(), { timeout: 2000 }).toBe(0);
    await page.getByRole('option', { name: /^Papierkorb/ }).click();
    await poll(listCount).toBe(1);
    await page.locator(`[data-testid="message-list"] [data-id="${id}"]`).click();
    await page.getByTestId('restore-selected').waitFor();
    await saveScreenshot(page, 'ui-trash-restore');
    await expectAxeClean(page, 'Papierkorb mit Wiederherstellen');
    await page.getByTestId('restore-selected').click();
    await expect.poll(() => page.locator(`[data-testid="message-list"] [data-id="${id}"]`).count(), { timeout: 2000 }).toBe(0);
    expect((await serviceApi(ui).call('messages.detail', { ref: { id: Number(id) } })).item.state).not.toBe('trashed');

    // "übertragen" in the view of the not transferred: out at once, Rückgängig brings it back
    await page.getByRole('option', { name: /^Nicht übertragen/ }).click();
    await rows().first().click();
    const marked = await rows().first().getAttribute('data-id');
    await page.locator(`[data-message-id="${marked}"]`).waitFor();
    const open = await listCount();
    await page.getByTestId('toggle-transferred').click();
    await poll(() => page.locator(`[data-testid="message-list"] [data-id="${marked}"]`).count()).toBe(0);
    await poll(listCount).toBe(open - 1);
    await poll(() => page.getByTestId('status-message').innerText()).toContain('Als übertragen markiert.');
    await page.getByTestId('status-action').click();
    await poll(() => page.locator(`[data-testid="message-list"] [data-id="${marked}"]`).count()).toBe(1);
    expect((await serviceApi(ui).call('messages.detail', { ref: { id: Number(marked) } })).item.state).not.toBe('transferred');
    await page.getByRole('option', { name: /^Posteingang/ }).click();
    ui.assertClean();
  }, 180_000);

  it('the title is the short benefit name; the first card is not the technical one', async () => {
    const { page } = ui;
    await page.getByRole('option', { name: /^Posteingang/ }).click();
    const hzl = rows().filter({ hasText: 'Hilfe zum Lebensunterhalt' }).first();
    const hzlId = await hzl.getAttribute('data-id');
    await hzl.click();
    // this message's view: the one open before has summary cards too
    const view = page.locator(`[data-testid="message-view"][data-message-id="${hzlId}"]`);
    await view.locator('.summary-card').first().waitFor();
    expect(await page.locator('#message-heading').innerText()).toBe('Hilfe zum Lebensunterhalt (SGB XII)');
    const cards = view.locator('.summary-card');
    expect(await cards.first().getAttribute('data-card')).not.toBe('antrag');
    // the technical facts (Vorgangs-ID, Nachrichten-ID) last, closed
    expect(await cards.last().getAttribute('data-card')).toBe('antrag');
    expect(await cards.last().getByTestId('collapsed-card').count()).toBe(1);
    expect(await view.locator('dt:visible', { hasText: 'Vorgangs-ID' }).count()).toBe(0);
    await saveScreenshot(page, 'ui-message-first-card', { fullPage: false });
    await expectAxeClean(page, 'Antrag: erste Karte');
    ui.assertClean();
  }, 180_000);

  it('ticking the last checklist block makes no layout jump: the header, the panes and the status bar stay', async () => {
    const { page } = ui;
    const view = page.getByTestId('message-view');
    const boxes = view.locator('.summary-card').getByRole('checkbox');
    const n = await boxes.count();
    expect(n).toBeGreaterThan(1);
    for (let i = 0; i < n - 1; i++) {
      await boxes.nth(i).focus();
      await page.keyboard.press('Space');
      await poll(() => page.getByTestId('checklist-progress').innerText()).toContain(`${i + 1} von ${n}`);
    }
    const geometry = () =>
      page.evaluate(() => {
        // positions in the message (the pane may scroll to the focused checkbox; that is no jump)
        const origin = document.querySelector('[data-testid="message-view"]')?.getBoundingClientRect().top ?? 0;
        const box = (selector: string, inMessage: boolean) => {
          const r = document.querySelector(selector)?.getBoundingClientRect();
          return r === undefined ? null : { top: Math.round(r.top - (inMessage ? origin : 0)), height: Math.round(r.height), width: Math.round(r.width) };
        };
        return { actions: box('.message__actions', true), more: box('[data-testid="more-menu"]', true), panes: box('.panes', false), statusbar: box('.statusbar', false) };
      });
    const before = await geometry();
    await boxes.nth(n - 1).focus();
    await page.keyboard.press('Space');
    await poll(() => page.getByTestId('message-state').innerText()).toBe('übertragen');
    await poll(() => page.getByTestId('status-message').innerText()).toContain('Alle Blöcke übertragen');
    const after = await geometry();
    expect(after).toEqual(before);
    // the status message is shown whole, not clipped
    expect(await page.getByTestId('status-message').evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
    // on one line, inside the status bar (not cut off at its lower edge)
    const lines = await page.getByTestId('status-message').evaluate((e) => {
      const r = e.getBoundingClientRect();
      const bar = (e.closest('.statusbar') as HTMLElement).getBoundingClientRect();
      return { height: r.height, lineHeight: parseFloat(getComputedStyle(e).lineHeight) || 21, inside: r.bottom <= bar.bottom + 0.5 };
    });
    expect(lines.height).toBeLessThan(lines.lineHeight * 1.5);
    expect(lines.inside).toBe(true);
    await saveScreenshot(page, 'ui-checklist-complete', { fullPage: false });
    ui.assertClean();
  }, 180_000);

  it('the document viewer uses the reading pane: at least half an A4 page at 1280×800, fits that follow the window', async () => {
    const { page } = ui;
    await page.getByRole('tab', { name: /^Dokumente/ }).click();
    const viewer = page.getByTestId('pdf-viewer');
    await expect.poll(() => viewer.getAttribute('data-rendered'), { timeout: 30_000 }).not.toBe('0');
    // how much of the page (canvas) is in view: inside the frame and inside the window, without any scrolling by the test
    const shown = () =>
      page.evaluate(() => {
        const canvas = document.querySelector('.viewer__canvas') as HTMLCanvasElement;
        const c = canvas.getBoundingClientRect();
        const f = (document.querySelector('[data-testid="pdf-frame"]') as HTMLElement).getBoundingClientRect();
        const top = Math.max(c.top, f.top, 0);
        const bottom = Math.min(c.bottom, f.bottom, window.innerHeight);
        const left = Math.max(c.left, f.left, 0);
        const right = Math.min(c.right, f.right, window.innerWidth);
        return { visibleHeight: Math.max(0, bottom - top), visibleWidth: Math.max(0, right - left), height: c.height, width: c.width, frameHeight: f.height, frameWidth: f.width };
      });
    const atWidth = await shown();
    await saveScreenshot(page, 'ui-document-fit-width', { fullPage: false });
    // an A4 page (1 : 1.414), at the frame's width
    expect(atWidth.height / atWidth.width).toBeGreaterThan(1.35);
    expect(atWidth.height / atWidth.width).toBeLessThan(1.48);
    expect(atWidth.visibleWidth).toBeGreaterThanOrEqual(atWidth.width - 1);
    console.info(
      `viewer at 1280×800, fit width: ${Math.round(atWidth.visibleHeight)} of ${Math.round(atWidth.height)} px of the page in view (${Math.round((100 * atWidth.visibleHeight) / atWidth.height)} %)`,
    );
    expect(atWidth.visibleHeight / atWidth.height).toBeGreaterThanOrEqual(0.5);
    await expectAxeClean(page, 'Dokument, Ganze Breite');

    await page.getByTestId('zoom-fit-page').click();
    await poll(async () => (await shown()).height).toBeLessThan(atWidth.height);
    const atPage = await shown();
    expect(atPage.visibleHeight).toBeGreaterThanOrEqual(atPage.height - 1);
    // the window gets smaller: the fitted page follows
    await page.setViewportSize({ width: 1024, height: 700 });
    await expect.poll(async () => (await shown()).height, { timeout: 10_000 }).toBeLessThan(atPage.height);
    // still the whole page inside the frame
    const smaller = await shown();
    expect(smaller.height).toBeLessThanOrEqual(smaller.frameHeight);
    expect(smaller.width).toBeLessThanOrEqual(smaller.frameWidth);
    await page.setViewportSize({ width: 1280, height: 800 });

    // a page turned a quarter: landscape in the frame, and back after four turns
    await page.getByTestId('viewer-rotate').click();
    await poll(async () => {
      const r = await shown();
      return r.width > r.height;
    }).toBe(true);
    for (let i = 0; i < 3; i++) await page.getByTestId('viewer-rotate').click();
    await poll(async () => {
      const r = await shown();
      return r.height > r.width;
    }).toBe(true);
    expect(await viewer.getAttribute('data-turns')).toBe('0');
    // by keyboard, while the page has focus: R turns clockwise, Shift+R back
    await page.getByTestId('pdf-frame').focus();
    await page.keyboard.press('r');
    await poll(() => viewer.getAttribute('data-turns')).toBe('1');
    expect(await page.getByTestId('pdf-frame').getAttribute('aria-keyshortcuts')).toBe('R Shift+R');
    await page.keyboard.press('Shift+R');
    await poll(() => viewer.getAttribute('data-turns')).toBe('0');

    // per document: the PDF left turned once, an image turned by keyboard, then the PDF again as it was left
    await page.keyboard.press('r');
    await poll(() => viewer.getAttribute('data-turns')).toBe('1');
    await page
      .getByTestId('documents-list')
      .getByRole('option', { name: /jpg|png/i })
      .first()
      .click();
    const imageViewer = page.getByTestId('image-viewer');
    const image = imageViewer.locator('img');
    await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await imageViewer.getAttribute('data-turns')).toBe('0');
    const upright = await image.boundingBox();
    if (upright === null) throw new Error('no image box');
    expect(Math.abs(upright.width / upright.height - 1)).toBeGreaterThan(0.1);
    await page.getByTestId('image-frame').focus();
    await page.keyboard.press('r');
    await poll(() => imageViewer.getAttribute('data-turns')).toBe('1');
    // turned a quarter: on screen the other way round, and still inside the frame's width
    await poll(async () => {
      const box = await image.boundingBox();
      return box === null ? 0 : Math.round((100 * box.width) / box.height);
    }).toBe(Math.round((100 * upright.height) / upright.width));
    const turnedBox = await image.boundingBox();
    const imageFrame = await page.getByTestId('image-frame').boundingBox();
    expect((turnedBox?.width ?? 0) <= (imageFrame?.width ?? 0)).toBe(true);
    await saveScreenshot(page, 'ui-document-image-turned', { fullPage: false });
    await expectAxeClean(page, 'Bild gedreht');
    // an image has the whole-window view too; Esc leaves
    await page.getByTestId('viewer-full-window').click();
    await poll(async () => (await page.getByTestId('image-frame').boundingBox())?.height ?? 0).toBeGreaterThan(600);
    expect(await imageViewer.getAttribute('data-turns')).toBe('1');
    await page.getByTestId('image-frame').focus();
    await page.keyboard.press('Escape');
    await poll(() => page.locator('.viewer--full').count()).toBe(0);
    await page.getByTestId('documents-list').getByRole('option').first().click();
    await poll(() => page.getByTestId('pdf-viewer').getAttribute('data-turns')).toBe('1');
    await page.getByTestId('pdf-frame').focus();
    await page.keyboard.press('Shift+R');
    await poll(() => page.getByTestId('pdf-viewer').getAttribute('data-turns')).toBe('0');

    // the whole window (browser mode), Esc leaves
    await page.getByTestId('viewer-full-window').click();
    await poll(async () => (await page.getByTestId('pdf-frame').boundingBox())?.height ?? 0).toBeGreaterThan(600);
    await saveScreenshot(page, 'ui-document-full-window', { fullPage: false });
    await expectAxeClean(page, 'Dokument, ganzes Fenster');
    await page.getByTestId('pdf-frame').focus();
    await page.keyboard.press('Escape');
    await poll(() => page.locator('.viewer--full').count()).toBe(0);

    // one document saved by itself
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-document').click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const file = await download.path();
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // "open in the system's program": in browser mode the button says it downloads; a PDF without active content
    // comes at once, without a warning
    const openExternal = page.getByTestId('open-external');
    expect(await openExternal.getAttribute('aria-label')).toBe('Herunterladen, um es im Standardprogramm zu öffnen (im Browser-Modus über die Downloads des Browsers)');
    // a window of its own is the desktop app's; the browser has the full-window view
    expect(await page.getByTestId('open-window').count()).toBe(0);
    const [opened] = await Promise.all([page.waitForEvent('download'), openExternal.click()]);
    expect(opened.suggestedFilename()).toMatch(/\.pdf$/);
    expect(await page.getByTestId('active-content-warning').count()).toBe(0);
    ui.assertClean();
  }, 240_000);

  it('a document window of its own (#message=…&document=…) shows the viewer over the window, with its actions', async () => {
    const { page } = ui;
    const id = Number(await page.locator('[data-message-id]').first().getAttribute('data-message-id'));
    const detail = await serviceApi(ui).call('messages.detail', { ref: { id } });
    const pdf = detail.documents.find((d) => d.detectedMimeType === 'application/pdf' && d.ref.source !== 'content');
    if (pdf === undefined || pdf.ref.source === 'content') throw new Error('no PDF document');
    const key = pdf.ref.source === 'inline' ? `i${pdf.ref.ordinal}` : `a${pdf.ref.attachmentId}`;
    const base = page.url().split('#')[0] as string;
    // what the desktop shell loads in the new BrowserWindow (electron/app-url.ts documentWindowUrl), here in the tab
    await page.goto(`${base}#message=${id}&document=${key}`);
    await page.reload();
    const viewer = page.getByTestId('pdf-viewer');
    await expect.poll(() => viewer.getAttribute('data-rendered'), { timeout: 30_000 }).not.toBe('0');
    // the window's frame, title and document title follow the detail loaded after the first paint: waited for
    await expect.poll(() => viewer.getAttribute('class')).toContain('viewer--window');
    await expect.poll(() => page.getByTestId('document-window-title').innerText()).toBe(pdf.name);
    await expect.poll(() => page.title()).toContain(pdf.name);
    // the frame takes the window below the title bar, the viewer's toolbar and above the status bar
    const frame = await page.getByTestId('pdf-frame').boundingBox();
    console.info(`document window at 1280×800: frame ${Math.round(frame?.width ?? 0)}×${Math.round(frame?.height ?? 0)} px`);
    expect(frame?.height ?? 0).toBeGreaterThan(500);
    expect(frame?.width ?? 0).toBeGreaterThan(1200);
    // no "Ganzes Fenster" (it is the window), no list; the actions are there
    expect(await page.getByTestId('viewer-full-window').count()).toBe(0);
    expect(await page.getByTestId('message-list').count()).toBe(0);
    expect(await page.getByTestId('save-document').count()).toBe(1);
    expect(await page.getByTestId('open-external').count()).toBe(1);
    await page.getByTestId('pdf-frame').focus();
    await page.keyboard.press('r');
    await poll(() => viewer.getAttribute('data-turns')).toBe('1');
    await page.keyboard.press('Shift+R');
    await saveScreenshot(page, 'ui-document-window', { fullPage: false });
    await expectAxeClean(page, 'Dokument im eigenen Fenster');
    await page.goto(base);
    await page.reload();
    await page.getByTestId('message-list').waitFor();
    ui.assertClean();
  }, 120_000);
});
