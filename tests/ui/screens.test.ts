/**
 * Every screen and dialog state besides the main flow, in Debian's Chromium against the loopback bridge: the window
 * frame (CSP, language kept by the service, skip link, zoom 200 %, forced colours), the page opened without a token,
 * a stopped service, the set-up form's checks, and a store written the way the command line writes it (unlock with
 * a wrong and a right password, "nicht lesbar", an invalid signature, settings, retention, audit log, about, trash,
 * the status bar's "Was kann ich tun?", English). axe-core runs on each; screenshots go to test-artifacts/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAxeClean } from './helpers/axe.js';
import { auditActions, listedItems, serviceApi } from './helpers/flow.js';
import { createFixtureStore, FIXTURE_PASSWORD, type FixtureInfo } from './helpers/fixture-store.js';
import { focusInfo, tabTo } from './helpers/keyboard.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

const noHorizontalScroll = (ui: UiSession) => ui.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('the window frame (first start)', () => {
  let ui: UiSession;
  beforeAll(async () => {
    ui = await startUiSession();
    await ui.open();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('loads under the strict CSP, in German, with the token gone from the address bar', async () => {
    const { page } = ui;
    await page.getByRole('heading', { level: 1, name: 'Willkommen im OSCI-Postfach' }).waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('de');
    await expect.poll(() => page.title()).toBe('OSCI-Postfach');
    expect(page.url()).toBe(`${ui.bridge.origin}/`);
    await page.getByText('Browser-Modus (nur dieser Rechner)').waitFor();
    ui.assertClean();
  });

  it('starts keyboard focus at a visible skip link', async () => {
    const { page } = ui;
    await page.keyboard.press('Tab');
    const skip = await focusInfo(page);
    expect(skip?.text).toBe('Zum Inhalt springen');
    expect(skip?.outlineVisible).toBe(true);
    expect(skip?.outlineWidth).toBeGreaterThanOrEqual(2);
    const german = await tabTo(page, (f) => f.text === 'Deutsch');
    expect(german.role).toBe('radio');
    expect(german.outlineVisible).toBe(true);
    await saveScreenshot(page, 'ui-focus-visible');
  });

  it('switches to English with the keyboard, and the service keeps the choice across a reload', async () => {
    const { page } = ui;
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await page.getByRole('heading', { level: 1, name: 'Welcome to OSCI-Postfach' }).waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await saveScreenshot(page, 'ui-first-start-en');
    await expectAxeClean(page, 'First start (en)');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Welcome to OSCI-Postfach' }).waitFor();
    expect((await serviceApi(ui).call('settings.get', {})).language).toBe('en');
    await page.getByRole('radio', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { level: 1, name: 'Willkommen im OSCI-Postfach' }).waitFor();
    ui.assertClean();
  });

  it('stays usable at 200 % zoom and in forced colours', async () => {
    const { page } = ui;
    await page.setViewportSize({ width: 640, height: 400 });
    await page.getByRole('button', { name: 'Übungsmodus starten' }).waitFor();
    expect(await noHorizontalScroll(ui)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, 'ui-first-start-zoom-200');
    await expectAxeClean(page, 'Erster Start (200 %)');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ forcedColors: 'active' });
    await saveScreenshot(page, 'ui-first-start-forced-colors');
    await expectAxeClean(page, 'Erster Start (Kontrastmodus)');
    await page.emulateMedia({ forcedColors: 'none' });
  });

  it('checks the set-up form before anything is sent, and says what is missing', async () => {
    const { page } = ui;
    await page.getByRole('button', { name: 'Postfach einrichten' }).click();
    await page.getByRole('heading', { level: 1, name: 'Echtes Postfach einrichten' }).waitFor();
    await saveScreenshot(page, 'ui-setup');
    await expectAxeClean(page, 'Einrichtung');
    await page.getByRole('button', { name: 'Postfach einrichten' }).click();
    await expect.poll(() => page.getByText('Bitte eine Datei wählen.').count()).toBe(2);
    await page.getByText('Bitte das Passwort eingeben.').waitFor();
    await page.getByText('Bitte eine Adresse eingeben, die mit https:// (oder http://) beginnt.').waitFor();
    await page.getByText('Das Passwort muss mindestens 8 Zeichen lang sein.').waitFor();
    expect((await serviceApi(ui).call('store.status', {})).state).toBe('none');
    await saveScreenshot(page, 'ui-setup-errors');
    await expectAxeClean(page, 'Einrichtung mit Fehlern');
    await page.getByRole('button', { name: 'Zurück zur Auswahl' }).click();
    await page.getByRole('heading', { level: 1, name: 'Willkommen im OSCI-Postfach' }).waitFor();
    ui.assertClean();
  });
});

describe('without access token', () => {
  it('explains in German and English how to open the UI, and the API refuses the page', async () => {
    const ui = await startUiSession();
    try {
      await ui.page.goto(`${ui.bridge.origin}/`);
      await ui.page.getByRole('heading', { name: 'Keine Verbindung zum Programm' }).waitFor();
      await ui.page.getByText('No connection to the program').waitFor();
      await saveScreenshot(ui.page, 'ui-no-token');
      await expectAxeClean(ui.page, 'Keine Verbindung');
      const status = await ui.page.evaluate(
        async () => (await fetch('/api/call/app.info', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status,
      );
      expect(status).toBe(401);
      ui.problems.splice(0); // the refused fetch logs a console error by design
    } finally {
      await ui.close();
    }
  });
});

describe('when the service has stopped', () => {
  it('shows a plain German error, what to do, and the technical detail one click away', async () => {
    const ui = await startUiSession();
    try {
      await ui.open();
      await ui.page.getByRole('button', { name: 'Übungsmodus starten' }).waitFor();
      await ui.service.close();
      await ui.page.getByRole('button', { name: 'Übungsmodus starten' }).click();
      const alert = ui.page.getByRole('alert');
      await alert.getByText('Das hat nicht geklappt').waitFor();
      const text = await alert.innerText();
      expect(text).toContain('Der Hintergrunddienst des Programms wurde beendet.');
      expect(text).toContain('Was kann ich tun?');
      expect(text).toContain('Starten Sie das Programm neu.');
      const detail = alert.getByRole('button', { name: 'Technische Angabe für die IT' });
      expect(await detail.getAttribute('aria-expanded')).toBe('false');
      await detail.focus();
      await ui.page.keyboard.press('Enter');
      await expect.poll(() => detail.getAttribute('aria-expanded')).toBe('true');
      await expect.poll(() => alert.innerText()).toContain('service-stopped');
      await saveScreenshot(ui.page, 'ui-error-service-stopped');
      await expectAxeClean(ui.page, 'Fehler: Dienst beendet');
      ui.assertClean();
    } finally {
      await ui.close();
    }
  });
});

describe('a store written by the command line', () => {
  let ui: UiSession;
  let fixture: FixtureInfo;
  beforeAll(async () => {
    ui = await startUiSession({
      prepare: async (dataDir) => {
        fixture = await createFixtureStore(path.join(dataDir, 'postfach.db'));
      },
    });
    await ui.open();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('asks for the way in; a wrong password says what to do', async () => {
    const { page } = ui;
    await page.getByRole('heading', { level: 1, name: 'Postfach öffnen' }).waitFor();
    await saveScreenshot(page, 'ui-unlock');
    await expectAxeClean(page, 'Postfach öffnen');
    await page.getByLabel('Passwort des Datenspeichers').fill('falsches-Passwort');
    await page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect.poll(() => alert.innerText()).toContain('Feststelltaste');
    await expect.poll(() => page.getByLabel('Passwort des Datenspeichers').inputValue()).toBe('');
    await saveScreenshot(page, 'ui-unlock-wrong-password');
    await expectAxeClean(page, 'Falsches Passwort');
    await page.getByLabel('Passwort des Datenspeichers').fill(FIXTURE_PASSWORD);
    await page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
    await page.getByTestId('message-list').waitFor();
    await expect.poll(() => page.getByTestId('list-count').innerText()).toBe(`${fixture.count} Anträge`);
    await page.getByTestId('not-set-up').waitFor();
    await expect.poll(() => page.getByTestId('fetch-button').isDisabled()).toBe(true);
    await saveScreenshot(page, 'ui-mailbox-not-set-up');
    await expectAxeClean(page, 'Postfach ohne Schlüssel');
    ui.assertClean();
  });

  it('shows a "nicht lesbar" delivery with its reason, and exports it as received', async () => {
    const { page } = ui;
    await page
      .getByTestId('folders')
      .getByRole('option', { name: /^Nicht lesbar/ })
      .click();
    await expect.poll(() => page.getByTestId('message-list').getByRole('option').count()).toBe(1);
    const row = page.getByTestId('message-list').getByRole('option').first();
    // (a row the list has not read yet counts as an option too: wait for its words)
    await expect.poll(() => row.innerText()).toContain('nicht lesbar: Inhalt ist nicht für das Zertifikat dieses Postfachs verschlüsselt');
    await row.click();
    await page.getByTestId('unreadable-notice').waitFor();
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(['Dokumente (0)', 'Laufzettel']);
    await page.getByTestId('export-menu').click();
    expect(await page.getByRole('menuitem', { name: 'PDF für die E-Akte (Strg+E)' }).getAttribute('aria-disabled')).toBe('true');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'XML (Original)' }).click()]);
    const saved = path.join(ui.dataDir, 'unreadable.xml');
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toContain('a delivery encrypted for another certificate');
    await saveScreenshot(page, 'ui-unreadable');
    await expectAxeClean(page, 'Nicht lesbar');
  });

  it('says "Signatur ungültig – nicht verwenden" and why', async () => {
    const { page } = ui;
    await page
      .getByTestId('folders')
      .getByRole('option', { name: /^Posteingang/ })
      .click();
    const invalid = (await listedItems(ui)).find((i) => i.signatureStatus === 'invalid');
    expect(invalid).toBeDefined();
    await page.locator(`[data-testid="message-list"] [data-id="${invalid?.id}"]`).click();
    await page.getByText('Signatur ungültig – nicht verwenden').first().waitFor();
    await page.getByRole('button', { name: 'Details' }).click();
    // the result said from its codes (core/domain/words), the revocation status once on its own line
    await expect.poll(() => page.getByTestId('laufzettel').innerText()).toContain('Signatur ungültig – Inhalt nicht verwenden; Zertifikat vertrauenswürdig');
    const laufzettel = await page.getByTestId('laufzettel').innerText();
    expect(laufzettel).toContain('Sperrstatus nicht geprüft');
    await saveScreenshot(page, 'ui-signature-invalid');
    await expectAxeClean(page, 'Signatur ungültig');
  });

  it('opens "Was kann ich tun?" from the status bar when something fails (here: a clipboard locked by policy)', async () => {
    const { page } = ui;
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
    });
    await page.getByRole('tab', { name: 'Übersicht' }).click();
    await page
      .getByRole('button', { name: /^Block „.+“ kopieren$/ })
      .first()
      .click();
    await page.getByTestId('status-message').getByText('Kopieren in die Zwischenablage nicht möglich.').waitFor();
    await page.getByTestId('status-message').getByRole('button', { name: 'Was kann ich tun?' }).click();
    const dialog = page.getByTestId('help-dialog');
    await dialog.waitFor();
    await expect.poll(() => dialog.innerText()).toContain('Technische Angabe für die IT');
    await saveScreenshot(page, 'ui-help-dialog');
    await expectAxeClean(page, 'Hilfe-Dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // the error belongs to the copy: it goes when the caseworker moves on to the settings
    const status = page.getByTestId('status-message');
    expect(await status.innerText()).toContain('Kopieren in die Zwischenablage nicht möglich.');
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-dialog').waitFor();
    await expect.poll(() => status.innerText()).toBe('');
    await page.keyboard.press('Escape');
    await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
  });

  it('settings: interval kept by the service, the store, retention said before it deletes', async () => {
    const { page } = ui;
    const api = serviceApi(ui);
    const transferred = (await listedItems(ui)).find((i) => i.signatureStatus === 'trusted' && !i.isTest);
    await api.call('messages.setTransferred', { id: transferred?.id ?? 0, transferred: true });
    await page.getByTestId('open-settings').click();
    const dialog = page.getByTestId('settings-dialog');
    await dialog.waitFor();
    await saveScreenshot(page, 'ui-settings-general');
    await expectAxeClean(page, 'Einstellungen: Allgemein');
    await page.getByTestId('interval-select').click();
    await page.getByRole('option', { name: 'alle 5 Minuten' }).click();
    await expect.poll(async () => (await api.call('settings.get', {})).fetchIntervalMinutes).toBe(5);

    await dialog.getByRole('tab', { name: 'Postfach' }).click();
    await dialog.getByText('Für dieses Postfach ist noch kein Schlüssel eingerichtet.').waitFor();
    await expect.poll(() => dialog.innerText()).toContain('Passwort, Wiederherstellungsschlüssel');
    await saveScreenshot(page, 'ui-settings-mailbox');
    await expectAxeClean(page, 'Einstellungen: Postfach');

    await dialog.getByRole('tab', { name: 'Aufbewahrung' }).click();
    const days = dialog.getByLabel('Übertragene Anträge löschen nach (Tagen)');
    await days.fill('0');
    await days.press('Tab');
    await expect.poll(async () => (await api.call('retention.settings', {})).retentionTransferredDays).toBe(0);
    await dialog.getByRole('button', { name: 'Jetzt prüfen, was gelöscht würde' }).click();
    await dialog.getByText('1 Antrag ist älter als die Frist und würde gelöscht.').waitFor();
    await saveScreenshot(page, 'ui-settings-retention');
    await expectAxeClean(page, 'Einstellungen: Aufbewahrung');
    await dialog.getByRole('button', { name: '1 Antrag jetzt löschen' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.waitFor();
    await saveScreenshot(page, 'ui-settings-retention-confirm');
    await expectAxeClean(page, 'Aufbewahrung: Bestätigung');
    await confirm.getByRole('button', { name: '1 Antrag jetzt löschen' }).click();
    await page.getByTestId('status-message').getByText('1 Antrag gelöscht.').waitFor();
    await expect.poll(async () => (await api.call('messages.counts', {})).inbox).toBe(fixture.count - 1);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('list-count').innerText()).toBe(`${fixture.count - 1} Anträge`);
    ui.assertClean();
  });

  it('the audit log lists who did what, verifies its chain and exports CSV', async () => {
    const { page } = ui;
    await page.getByTestId('open-audit').click();
    const dialog = page.getByTestId('audit-dialog');
    await dialog.waitFor();
    const table = dialog.getByTestId('audit-table');
    await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(5);
    // each entry in words, made from its code and parameters
    for (const action of ['Abgerufen', 'Geöffnet', 'exportiert', 'Als übertragen markiert', 'Nach Ablauf der Aufbewahrungsfrist gelöscht (war als übertragen markiert)'])
      await expect.poll(() => table.innerText()).toContain(action);
    await dialog.getByRole('button', { name: 'Unversehrtheit prüfen' }).click();
    await dialog.getByText(/^Das Protokoll ist vollständig und unverändert/).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('audit-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^Protokoll_\d{4}-\d\d-\d\d\.csv$/);
    const csv = path.join(ui.dataDir, 'audit.csv');
    await download.saveAs(csv);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.join('\n')).toContain('Geöffnet');
    await saveScreenshot(page, 'ui-audit-log');
    await expectAxeClean(page, 'Protokoll');
    await page.keyboard.press('Escape');
  });

  it('about: versions, and the licences of every bundled library and font', async () => {
    const { page } = ui;
    await page.getByTestId('open-about').click();
    const dialog = page.getByTestId('about-dialog');
    await dialog.getByTestId('app-version').waitFor();
    await expect.poll(() => dialog.getByTestId('app-version').innerText()).toBe('0.1.0-test');
    // the UI tests run in browser mode: Electron is not used, whether or not it is on this machine
    await expect.poll(() => dialog.getByTestId('about-electron').innerText()).toBe('nicht verwendet (Browser-Modus)');
    const licences = dialog.getByTestId('licenses');
    await licences.waitFor();
    // the service's part of the list comes after the dialog opened: wait for each name rather than read once
    for (const name of [
      'react',
      'react-aria-components',
      'pdfjs-dist',
      '@tanstack/react-virtual',
      'zod',
      'better-sqlite3-multiple-ciphers',
      'pdfkit',
      'DejaVu Sans',
      'Oberfläche',
      'Hintergrunddienst',
    ])
      await expect.poll(() => licences.innerText()).toContain(name);
    await saveScreenshot(page, 'ui-about');
    await expectAxeClean(page, 'Über das Programm');
    await page.keyboard.press('Escape');
  });

  it('trash: nothing is lost by a mistake — Papierkorb first, deletion only after a confirmation', async () => {
    const { page } = ui;
    const victim = (await listedItems(ui)).find((i) => i.unreadableKind === null && i.state !== 'transferred');
    const row = page.locator(`[data-testid="message-list"] [data-id="${victim?.id}"]`);
    await row.click();
    await page.getByTestId('more-menu').click();
    await saveScreenshot(page, 'ui-more-menu');
    await expectAxeClean(page, 'Weitere Aktionen');
    await page.getByRole('menuitem', { name: 'In den Papierkorb' }).click();
    await page.getByTestId('status-message').getByText('In den Papierkorb verschoben.').waitFor();
    await page
      .getByTestId('folders')
      .getByRole('option', { name: /^Papierkorb/ })
      .click();
    await expect.poll(() => page.getByTestId('message-list').getByRole('option').count()).toBe(1);
    await page.getByTestId('message-list').getByRole('option').first().click();
    await page.getByTestId('more-menu').click();
    await page.getByRole('menuitem', { name: 'Endgültig löschen …' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.waitFor();
    await saveScreenshot(page, 'ui-delete-confirm');
    await expectAxeClean(page, 'Endgültig löschen');
    await confirm.getByRole('button', { name: 'Endgültig löschen' }).click();
    await page.getByTestId('message-list-empty').waitFor();
    // said, and kept while the message it was about is gone; gone when the caseworker opens another one
    const status = page.getByTestId('status-message');
    await status.getByText('Endgültig gelöscht.').waitFor();
    expect(await auditActions(ui, victim?.id ?? 0)).toEqual(expect.arrayContaining(['trashed', 'deleted']));
    await page
      .getByTestId('folders')
      .getByRole('option', { name: /^Posteingang/ })
      .click();
    await expect.poll(() => status.innerText()).toBe('');
    await page.getByTestId('message-list').getByRole('option').first().click();
    await page.getByTestId('more-menu').click();
    await page.getByRole('menuitem', { name: 'Als ungelesen markieren' }).click();
    await status.getByText('Als ungelesen markiert.').waitFor();
    await page.getByTestId('message-list').getByRole('option').nth(1).click();
    await expect.poll(() => status.innerText()).toBe('');
    ui.assertClean();
  });

  it('in English, at 200 % zoom (one pane at a time) and in forced colours', async () => {
    const { page } = ui;
    await page.getByRole('radio', { name: 'English' }).click();
    await page.getByText('Inbox').first().waitFor();
    await page.getByTestId('message-list').getByRole('option').first().click();
    await page.getByTestId('message-view').waitFor();
    await saveScreenshot(page, 'ui-mailbox-en');
    await expectAxeClean(page, 'Mailbox (en)');
    // "nicht lesbar" is stored in German with its kind; the English UI says the reason in English
    await page
      .getByTestId('folders')
      .getByRole('option', { name: /^Not readable/ })
      .click();
    await expect.poll(() => page.getByTestId('message-list').getByRole('option').count()).toBe(1);
    const unreadable = page.getByTestId('message-list').getByRole('option').first();
    const english = "not readable: the content is not encrypted for this mailbox's certificate";
    await expect.poll(() => unreadable.innerText()).toContain(english);
    await expect.poll(() => unreadable.getAttribute('aria-label')).toContain(english);
    const unreadableId = await unreadable.getAttribute('data-id');
    await unreadable.click();
    // this message's view (not the one open before), whose words are final once it is there
    const unreadableView = page.locator(`[data-testid="message-view"][data-message-id="${unreadableId}"]`);
    await unreadableView.waitFor();
    await expect.poll(() => unreadableView.getByTestId('unreadable-notice').innerText()).toContain(english);
    expect(await unreadableView.innerText()).not.toContain('nicht lesbar');
    await page
      .getByTestId('folders')
      .getByRole('option', { name: /^Inbox/ })
      .click();
    await page.getByTestId('message-list').getByRole('option').first().click();
    await page.getByTestId('message-view').waitFor();
    await page.getByRole('radio', { name: 'Deutsch' }).click();
    await page.getByText('Posteingang').first().waitFor();

    await page.setViewportSize({ width: 640, height: 400 });
    await page.getByRole('button', { name: 'Zurück' }).click();
    await page.getByTestId('message-list').waitFor();
    expect(await noHorizontalScroll(ui)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, 'ui-zoom-200-list', { fullPage: false });
    await expectAxeClean(page, 'Liste (200 %)');
    await page.getByTestId('message-list').getByRole('option').nth(1).click();
    await page.getByTestId('message-view').waitFor();
    await expect.poll(() => page.getByTestId('message-list').count()).toBe(0);
    expect(await noHorizontalScroll(ui)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, 'ui-zoom-200-message', { fullPage: false });
    await expectAxeClean(page, 'Antrag (200 %)');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.emulateMedia({ forcedColors: 'active' });
    await page.getByTestId('message-list').waitFor();
    await saveScreenshot(page, 'ui-mailbox-forced-colors');
    await expectAxeClean(page, 'Postfach (Kontrastmodus)');
    await page.emulateMedia({ forcedColors: 'none' });
    ui.assertClean();
  });
});
