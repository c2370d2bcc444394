/**
 * The caseworker's flow, end to end, in Debian's Chromium against the loopback bridge: the real service in a worker
 * thread, a real encrypted store, the local OSCI intermediary of the Übungsmodus (startDemoMailbox) with synthetic
 * applications signed and encrypted as the Sozialplattform does it.
 *
 *   first start → Übungsmodus → Abrufen (progress) → search → open an application (Testantrag banner, cards) →
 *   copy a value and a block → the labelled tree → a document (PDF page rendered, an image) → Laufzettel →
 *   export the PDF (pdftotext finds the applicant) and the XML (byte for byte) → print → checklist → übertragen.
 *
 * axe-core checks every screen and open menu; screenshots go to test-artifacts/screenshots/. The keyboard-only run
 * of the same flow is keyboard.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officeTime } from '../../core/time/office-time.js';
import type { MessageListItem } from '../../core/api/contract/mailbox.js';
import { expectAxeClean } from './helpers/axe.js';
import {
  auditActions,
  clipboardText,
  downloaded,
  inkedPixels,
  listedItems,
  pdfText,
  printedTexts,
  recordedProgress,
  recordPrints,
  recordProgress,
  serviceApi,
  sha256,
  textContrast,
  toolbarBoxes,
  trainingPrepared,
  UNREAD_NAME,
} from './helpers/flow.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

/** How the list and the print write the applicants: "Nachname, Vorname" (the default setting). */
const shownName = (item: MessageListItem): string =>
  (item.applicantNames ?? []).map((n) => [n.family, n.given, n.title].filter(Boolean).join(', ')).join('; ') || (item.applicants[0] ?? '');

describe('the caseworker flow in the Übungsmodus', () => {
  let ui: UiSession;
  let downloads: string;
  let items: MessageListItem[] = [];
  const row = (id: number) => ui.page.locator(`[data-testid="message-list"] [data-id="${id}"]`);

  beforeAll(async () => {
    downloads = mkdtempSync(path.join(tmpdir(), 'postfach-ui-downloads-'));
    ui = await startUiSession({ clipboard: true });
    await ui.open();
  });
  afterAll(async () => {
    await ui?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('first start: the choice, then the Übungsmodus with its coloured frame and title', async () => {
    const { page } = ui;
    await page.getByRole('heading', { level: 1, name: 'Willkommen im OSCI-Postfach' }).waitFor();
    await saveScreenshot(page, 'ui-first-start');
    await expectAxeClean(page, 'Erster Start');
    await page.getByRole('button', { name: 'Übungsmodus starten' }).click();
    await page.getByText('Das Übungspostfach wird vorbereitet …').waitFor();
    await page.getByTestId('fetch-button').waitFor({ timeout: 120_000 });
    // the first applications are there; the flow below fetches all of them at once (training.test.ts: while they come)
    await trainingPrepared(page);
    await expect.poll(() => page.getByTestId('training-badge').innerText()).toBe('Übungsmodus');
    await expect.poll(() => page.title()).toContain('Übungsmodus');
    await expect.poll(() => page.locator('.app--training').count()).toBe(1);
    await page.getByText('Übungsmodus – nur erfundene Anträge').waitFor();
    await expect.poll(() => page.getByTestId('certificate-expiry').innerText()).toMatch(/^Zertifikat gültig bis \d\d\.\d\d\.\d{4} \(in \d+ Tagen\)$/);
    await expect.poll(() => page.getByTestId('last-fetch').innerText()).toBe('Noch nicht abgerufen');
    await saveScreenshot(page, 'ui-training-empty');
    await expectAxeClean(page, 'Übungsmodus, leer');
    ui.assertClean();
  });

  it('fetches with progress and lists every application with its Eingang (Creation), never the fetch time', async () => {
    const { page } = ui;
    await recordProgress(page);
    // hold the fetch call back a moment, so the running state can be looked at and checked
    await page.route(
      '**/api/call/mailbox.fetch',
      async (route) => {
        await new Promise((r) => setTimeout(r, 2_500));
        await route.continue();
      },
      { times: 1 },
    );
    const before = await toolbarBoxes(page);
    await page.getByTestId('fetch-button').click();
    await page.getByTestId('fetch-progress-text').waitFor();
    await expect.poll(() => page.getByTestId('fetch-button').isDisabled()).toBe(true);
    await page.getByTestId('fetch-cancel').waitFor();
    // the progress does not reflow the toolbar: every part where it was, one row
    expect(await toolbarBoxes(page)).toEqual(before);
    // "Wird abgerufen …" stays readable while disabled
    await expect.poll(() => page.getByTestId('fetch-button').innerText()).toContain('Wird abgerufen …');
    expect(await textContrast(page, '[data-testid="fetch-button"]')).toBeGreaterThanOrEqual(4.5);
    await saveScreenshot(page, 'ui-fetch-progress');
    await expectAxeClean(page, 'Abruf läuft');
    await page.getByTestId('message-list').waitFor({ timeout: 120_000 });
    await page.getByText(/^Abruf beendet: 5 neue Anträge\.$/).waitFor();
    const progress = await recordedProgress(page);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.some((p) => /abgerufen \(\d+([,.]\d)? (KB|MB)\)/.test(p))).toBe(true);
    items = await listedItems(ui);
    expect(items).toHaveLength(5);
    await expect.poll(() => page.getByTestId('list-count').innerText()).toBe('5 Anträge');
    for (const item of items) {
      expect(item.eingangKnown).toBe(true);
      const shown = await row(item.id).innerText();
      // in the office time zone (Europe/Berlin), whatever zone this machine and the browser run in
      const eingang = officeTime().dateTime(item.eingang);
      expect(shown).toContain(`Eingang ${eingang}`);
      // "Nachname, Vorname", as an office files it (the default setting)
      expect(shown).toContain(shownName(item));
      expect(await row(item.id).getAttribute('aria-label')).toMatch(UNREAD_NAME);
    }
    const detail = await serviceApi(ui).call('messages.list', { limit: 1 });
    expect(detail.total).toBe(5);
    await expect.poll(() => page.getByTestId('last-fetch').innerText()).toMatch(/^Zuletzt abgerufen: heute \d\d:\d\d$/);
    await saveScreenshot(page, 'ui-mailbox-list');
    await expectAxeClean(page, 'Posteingang');
    ui.assertClean();
  });

  it('keeps the toolbar as it is during a fetch at zoom 200 % too', async () => {
    const { page } = ui;
    await page.setViewportSize({ width: 640, height: 400 });
    try {
      await page.getByTestId('message-list').waitFor();
      const before = await toolbarBoxes(page);
      // one row: fetch, search and the navigation side by side
      const [fetchBox, aboutBox, toolbarBox] = [before.fetch, before.about, before.toolbar];
      expect(fetchBox && aboutBox && toolbarBox).toBeTruthy();
      expect(toolbarBox![3]).toBeLessThan(1.5 * fetchBox![3]);
      // side by side without overlapping: the search field ends before the first navigation button
      const [field, audit] = [before.searchField, before.audit];
      expect(field![0] + field![2]).toBeLessThanOrEqual(audit![0]);
      expect(fetchBox![0] + fetchBox![2]).toBeLessThanOrEqual(field![0]);
      await page.route(
        '**/api/call/mailbox.fetch',
        async (route) => {
          await new Promise((r) => setTimeout(r, 1_500));
          await route.continue();
        },
        { times: 1 },
      );
      await page.getByTestId('fetch-button').click();
      await page.getByTestId('fetch-progress-text').waitFor();
      expect(await toolbarBoxes(page)).toEqual(before);
      await page.getByText('Abruf beendet: keine neuen Anträge.').waitFor({ timeout: 60_000 });
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('searches: the list narrows and says how many match', async () => {
    const { page } = ui;
    const target = items.find((i) => !i.isTest) as MessageListItem;
    const family = (target.applicants[0] ?? '').split(' ').pop() as string;
    const expected = (await listedItems(ui, { search: family })).length;
    expect(expected).toBeGreaterThanOrEqual(1);
    await page.getByTestId('search').fill(family);
    await expect.poll(() => page.getByTestId('search-results').innerText()).toBe(`${expected} Treffer`);
    await expect.poll(() => page.getByTestId('message-list').getByRole('option').count()).toBe(expected);
    await saveScreenshot(page, 'ui-search');
    await expectAxeClean(page, 'Suche');
    await page.getByTestId('search').fill('');
    await expect.poll(() => page.getByTestId('message-list').getByRole('option').count()).toBe(5);
  });

  it('shows a Testantrag unmistakably, on the row and in the view', async () => {
    const { page } = ui;
    const test = items.find((i) => i.isTest) as MessageListItem;
    expect(await row(test.id).innerText()).toContain('TESTANTRAG');
    await row(test.id).click();
    await page.getByTestId('test-banner').waitFor();
    await expect.poll(() => page.getByTestId('test-banner').innerText()).toBe('TESTANTRAG – kein echter Antrag, nicht bearbeiten');
    await saveScreenshot(page, 'ui-message-testantrag');
    await expectAxeClean(page, 'Testantrag');
  });

  let hzl: MessageListItem;

  it('opens an application: summary cards, a copy button on every value, "Block kopieren"', async () => {
    const { page } = ui;
    hzl = items.find((i) => i.attachmentCount > 0) as MessageListItem;
    await row(hzl.id).click();
    await page.locator(`[data-testid="message-view"][data-message-id="${hzl.id}"]`).waitFor();
    await expect.poll(() => row(hzl.id).getAttribute('aria-label')).not.toMatch(UNREAD_NAME);
    await expect.poll(() => page.getByTestId('message-state').innerText()).toBe('gelesen');
    await page.getByText('Signatur gültig, Zertifikat vertrauenswürdig').first().waitFor();
    // who signed: the signer of the signature covering the application (the test PKI's Sozialplattform)
    await expect.poll(() => page.getByTestId('signature-signer').innerText()).toBe('unterzeichnet von Sozialplattform (Test)');
    const detail = await serviceApi(ui).call('messages.detail', { ref: { id: hzl.id } });
    const ibanField = detail.view?.cards.flatMap((c) => c.sections.flatMap((s) => s.fields)).find((f) => f.value.kind === 'iban');
    expect(ibanField).toBeDefined();
    const copy = page.getByRole('button', { name: `${ibanField?.label.de} kopieren` }).first();
    await copy.click();
    // the clipboard is written asynchronously: wait for it
    await expect.poll(() => clipboardText(page)).toBe(ibanField?.value.raw.replace(/\s+/g, ''));
    await page.getByTestId('status-message').getByText(`„${ibanField?.label.de}“ kopiert`).waitFor();
    // the person's summary: every value but the empty ones and technical ids, in NFC
    const summary = detail.view?.cards.find((c) => c.id === 'antragsteller-1')?.sections.find((s) => s.role === 'summary');
    const copied = (summary?.fields ?? []).filter((f) => f.value.kind !== 'empty' && f.technical !== true);
    expect(copied.length).toBeGreaterThan(2);
    await page.locator('[data-copy-block="antragsteller-1"]').click();
    await expect.poll(async () => (await clipboardText(page)).split('\n')).toHaveLength(copied.length);
    const block = await clipboardText(page);
    for (const field of copied) expect(block).toContain(`${field.label.de}\t`);
    expect(block.split('\n')).toHaveLength(copied.length);
    expect(block).toBe(block.normalize('NFC'));
    expect(block.split('\n').every((line) => line.includes('\t'))).toBe(true);
    // at 1280 px the actions stand in one row
    const tops = await page
      .locator('.message__actions')
      .getByRole('button')
      .evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
    expect(tops.length).toBeGreaterThanOrEqual(3);
    expect(new Set(tops).size).toBe(1);
    await page.getByRole('button', { name: 'Drucken (Strg+P)' }).waitFor();
    await saveScreenshot(page, 'ui-message-overview');
    await expectAxeClean(page, 'Antrag: Übersicht');
    // scrolled down, a pinned line still says which application is open
    const pinned = page.getByTestId('message-pinned');
    expect(await pinned.isVisible()).toBe(false);
    await page.locator('.pane--message').evaluate((pane) => pane.scrollTo({ top: 700 }));
    await expect.poll(() => pinned.isVisible()).toBe(true);
    const eingang = officeTime().dateTime(hzl.eingang);
    expect(await pinned.innerText()).toBe(`${shownName(hzl)} · Eingang ${eingang}`);
    const [pinBox, paneBox] = await Promise.all([pinned.boundingBox(), page.locator('.pane--message').boundingBox()]);
    expect(Math.abs((pinBox?.y ?? -99) - (paneBox?.y ?? 0))).toBeLessThanOrEqual(1);
    await saveScreenshot(page, 'ui-message-scrolled', { fullPage: false });
    await expectAxeClean(page, 'Antrag: gescrollt');
    await page.locator('.pane--message').evaluate((pane) => pane.scrollTo({ top: 0 }));
    await expect.poll(() => pinned.isVisible()).toBe(false);
  });

  it('shows the full labelled tree', async () => {
    const { page } = ui;
    await page.getByRole('tab', { name: 'Daten' }).click();
    await page.getByTestId('data-tree').waitFor();
    await page.getByRole('button', { name: 'Alle aufklappen' }).click();
    await expect
      .poll(() =>
        page
          .getByTestId('data-tree')
          .getByRole('button', { name: /kopieren$/ })
          .count(),
      )
      .toBeGreaterThan(20);
    await saveScreenshot(page, 'ui-message-data');
    await expectAxeClean(page, 'Antrag: Daten');
  });

  it('shows the documents inside the program: a PDF page rendered by pdf.js, an image', async () => {
    const { page } = ui;
    await page.getByRole('tab', { name: /^Dokumente/ }).click();
    const viewer = page.getByTestId('pdf-viewer');
    await viewer.waitFor({ timeout: 30_000 });
    await expect.poll(() => viewer.getAttribute('data-rendered'), { timeout: 30_000 }).not.toBe('0');
    expect(Number(await viewer.getAttribute('data-pages'))).toBeGreaterThanOrEqual(1);
    await expect.poll(() => inkedPixels(page, '.viewer__canvas')).toBeGreaterThan(100);
    if (Number(await viewer.getAttribute('data-pages')) > 1) {
      await page.getByRole('button', { name: 'Nächste Seite' }).click();
      await expect.poll(() => viewer.getAttribute('data-page')).toBe('2');
      await expect.poll(() => viewer.getAttribute('data-rendered')).toBe('2');
    }
    const renderedBefore = Number(await viewer.getAttribute('data-rendered'));
    await page.getByRole('button', { name: 'Vergrößern' }).click();
    await page.getByRole('button', { name: 'Vergrößern' }).click();
    await expect.poll(async () => Number(await viewer.getAttribute('data-rendered'))).toBeGreaterThanOrEqual(renderedBefore + 1);
    // zoomed wider than the frame: the page scrolls sideways inside the frame, to its right edge
    const frame = page.getByTestId('pdf-frame');
    await frame.evaluate((f) => f.scrollIntoView({ block: 'end' }));
    const geometry = () =>
      frame.evaluate((f) => {
        const c = (f.querySelector('canvas') as HTMLCanvasElement).getBoundingClientRect();
        const r = f.getBoundingClientRect();
        const pane = (f.closest('.pane--message') as HTMLElement).getBoundingClientRect();
        return {
          canvasLeft: c.left,
          canvasRight: c.right,
          frameLeft: r.left,
          frameRight: r.right,
          frameTop: r.top,
          frameBottom: r.bottom,
          paneTop: pane.top,
          paneRight: pane.right,
          paneBottom: pane.bottom,
          scrollLeft: f.scrollLeft,
          overflow: f.scrollWidth - f.clientWidth,
        };
      });
    const zoomed = await geometry();
    expect(zoomed.overflow).toBeGreaterThan(50);
    expect(zoomed.canvasLeft).toBeGreaterThanOrEqual(zoomed.frameLeft);
    // the frame, with its scroll bar, fits in the pane
    expect(zoomed.frameRight).toBeLessThanOrEqual(zoomed.paneRight);
    expect(zoomed.frameBottom - zoomed.frameTop).toBeLessThanOrEqual(zoomed.paneBottom - zoomed.paneTop);
    // dragging with the mouse moves the page like paper
    await page.mouse.move(zoomed.frameLeft + 200, zoomed.frameTop + 100);
    await page.mouse.down();
    await page.mouse.move(zoomed.frameLeft + 80, zoomed.frameTop + 100, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => (await geometry()).scrollLeft).toBeGreaterThanOrEqual(100);
    await frame.evaluate((f) => f.scrollTo({ left: f.scrollWidth }));
    const right = await geometry();
    expect(right.canvasRight).toBeLessThanOrEqual(right.frameRight);
    await frame.evaluate((f) => f.scrollTo({ left: (f.scrollWidth - f.clientWidth) / 2 }));
    await saveScreenshot(page, 'ui-message-document-pdf', { fullPage: false });
    await expectAxeClean(page, 'Antrag: Dokument (PDF)');
    const image = page
      .getByTestId('documents-list')
      .getByRole('option', { name: /jpg|png/i })
      .first();
    expect(await image.count()).toBeGreaterThan(0);
    await image.click();
    await page.getByTestId('image-viewer').locator('img').waitFor();
    await expect
      .poll(() =>
        page
          .getByTestId('image-viewer')
          .locator('img')
          .evaluate((img) => (img as HTMLImageElement).naturalWidth),
      )
      .toBeGreaterThan(0);
    await page.locator('.viewer__frame').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'ui-message-document-image');
    await expectAxeClean(page, 'Antrag: Dokument (Bild)');
    ui.assertClean();
  });

  it('shows the Laufzettel with the signature in plain words, the technical detail one click away', async () => {
    const { page } = ui;
    await page.getByRole('tab', { name: 'Laufzettel' }).click();
    const laufzettel = page.getByTestId('laufzettel');
    await laufzettel.waitFor();
    const text = await laufzettel.innerText();
    expect(text).toContain('Signatur gültig, Zertifikat vertrauenswürdig');
    expect(text).toContain('Sperrstatus nicht geprüft');
    // said once per signature card (the engine's words end in it too)
    const cards = laufzettel.locator('.signature');
    expect(await cards.count()).toBeGreaterThanOrEqual(2);
    for (const card of await cards.all()) expect((await card.innerText()).split('Sperrstatus nicht geprüft').length - 1).toBe(1);
    expect(text).toContain(hzl.messageId);
    const technical = laufzettel.getByRole('button', { name: 'Technische Angaben' }).first();
    expect(await technical.getAttribute('aria-expanded')).toBe('false');
    await technical.click();
    await expect.poll(() => technical.getAttribute('aria-expanded')).toBe('true');
    await saveScreenshot(page, 'ui-message-laufzettel');
    await expectAxeClean(page, 'Antrag: Laufzettel');
  });

  it('exports the PDF for the e-file (pdftotext finds the applicant) and the XML byte for byte', async () => {
    const { page } = ui;
    await page.getByTestId('export-menu').click();
    await page.getByRole('menu').waitFor();
    await saveScreenshot(page, 'ui-export-menu');
    await expectAxeClean(page, 'Exportmenü');
    const [pdfDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'PDF für die E-Akte (Strg+E)' }).click()]);
    expect(pdfDownload.suggestedFilename()).toMatch(/^Antrag_\d{4}-\d\d-\d\d_[0-9a-f]{8}\.pdf$/);
    const pdfFile = path.join(downloads, pdfDownload.suggestedFilename());
    const pdf = await downloaded(pdfDownload, pdfFile);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const family = (hzl.applicants[0] ?? '').split(' ').pop() as string;
    expect(pdfText(pdfFile)).toContain(family);
    await page.getByText(/^PDF heruntergeladen\.$/).waitFor();
    await expect.poll(() => row(hzl.id).innerText()).toContain('exportiert');

    await page.getByTestId('export-menu').click();
    const [xmlDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'XML (Original)' }).click()]);
    const xml = await downloaded(xmlDownload, path.join(downloads, xmlDownload.suggestedFilename()));
    const stored = await serviceApi(ui).call('messages.detail', { ref: { id: hzl.id } });
    expect(sha256(xml)).toBe(stored.content.sha256);
    expect(await auditActions(ui, hzl.id)).toEqual(expect.arrayContaining(['fetched', 'opened', 'exported']));
    ui.assertClean();
  });

  it('prints the application through the system dialog and records it', async () => {
    const { page } = ui;
    await recordPrints(page);
    await page.getByRole('button', { name: 'Drucken (Strg+P)' }).click();
    await expect.poll(() => printedTexts(page)).toHaveLength(1);
    const printed = (await printedTexts(page))[0] ?? '';
    expect(printed).toContain(shownName(hzl));
    expect(printed).toContain('Eingang (Intermediär)');
    await expect.poll(() => auditActions(ui, hzl.id)).toContain('printed');
  });

  it('marks the application "übertragen" once every block of the checklist is ticked', async () => {
    const { page } = ui;
    await page.getByRole('tab', { name: 'Übersicht' }).click();
    const boxes = page.locator('[data-card] label.checkbox');
    // the tab's cards come with one render: the first box proves the others are there
    await boxes.first().waitFor();
    const count = await boxes.count();
    expect(count).toBeGreaterThan(2);
    expect(
      await page
        .getByTestId('message-view')
        .getByRole('checkbox', { name: /^„.+“ übertragen$/ })
        .count(),
    ).toBe(count);
    for (let i = 0; i < count; i++) {
      await boxes.nth(i).click();
      if (i < count - 1) await expect.poll(() => page.getByTestId('checklist-progress').innerText()).toContain(`${i + 1} von ${count} Blöcken`);
    }
    await page.getByText('Alle Blöcke übertragen: Der Antrag ist als übertragen markiert.').waitFor();
    await expect.poll(() => page.getByTestId('message-state').innerText()).toBe('übertragen');
    await expect.poll(() => row(hzl.id).innerText()).toContain('übertragen');
    const stored = await serviceApi(ui).call('messages.list', { transferred: true });
    expect(stored.items.map((i) => i.id)).toEqual([hzl.id]);
    expect(await auditActions(ui, hzl.id)).toContain('marked-transferred');
    await page
      .getByTestId('folders')
      .getByRole('option', { name: /^Übertragen/ })
      .click();
    await expect.poll(() => page.getByTestId('message-list').getByRole('option').count()).toBe(1);
    await saveScreenshot(page, 'ui-transferred');
    await expectAxeClean(page, 'Übertragen');
    ui.assertClean();
  });

  it('fetches again in the background at the configured interval', async () => {
    const { page } = ui;
    const api = serviceApi(ui);
    const before = (await api.call('workspace.state', {})).lastFetch?.at;
    // the page's timers from now on run on the test's clock; changing the interval sets the timer up again under it
    await page.clock.install();
    await api.call('settings.set', { fetchIntervalMinutes: 5 });
    await page.clock.runFor(5 * 60_000 + 1_000);
    await expect.poll(async () => (await api.call('workspace.state', {})).lastFetch?.at, { timeout: 30_000 }).not.toBe(before);
    expect((await api.call('workspace.state', {})).lastFetch).toMatchObject({ outcome: 'complete', newMessages: 0 });
    ui.assertClean();
  });
});
