/**
 * Issue 16 in the real UI (Chromium against the loopback bridge): an application with right-to-left overrides in
 * the applicant's name, the IBAN, the subject and a document name, and with disguised documents. The override is
 * shown as a marked token and every value is isolated: the characters of "fdp.exe" and of the program's own size
 * text stand left to right as stored (before: "Antragexe.pdf", size reversed). Document tiles, the viewer and the
 * Laufzettel say which documents are not what they claim and which are exported as .bin, under which name.
 * Screenshots: test-artifacts/screenshots/ui-hostile-*.png.
 */
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostfachStore } from '../../core/store/index.js';
import { HOSTILE_EXPORT_NAMES, hostileDelivery, RLO } from '../helpers/hostile-application.js';
import { expectAxeClean } from './helpers/axe.js';
import { FIXTURE_PASSWORD } from './helpers/fixture-store.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

/** The x position of each character of `text` inside the element, in the order the characters are stored. */
async function charPositions(element: Locator, text: string): Promise<number[]> {
  return element.evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const at = (node.textContent ?? '').indexOf(wanted);
      if (at < 0) continue;
      return [...wanted].map((_, i) => {
        const range = document.createRange();
        range.setStart(node, at + i);
        range.setEnd(node, at + i + 1);
        return range.getBoundingClientRect().left;
      });
    }
    return [];
  }, text);
}

const increasing = (xs: number[]): boolean => xs.length > 1 && xs.every((x, i) => i === 0 || x > xs[i - 1]!);

describe('an application with hidden characters and disguised documents', () => {
  let ui: UiSession;
  let applicant = '';
  let applicantFiled = '';
  beforeAll(async () => {
    ui = await startUiSession({
      prepare: async (dataDir) => {
        const { store } = await PostfachStore.create(path.join(dataDir, 'postfach.db'), { password: FIXTURE_PASSWORD, durableCommits: false, osUser: 'test' });
        try {
          const { delivery, application } = await hostileDelivery();
          applicant = application.applicant;
          applicantFiled = application.applicantFiled;
          await store.saveDelivery(delivery);
        } finally {
          store.close();
        }
      },
    });
    await ui.open();
    const { page } = ui;
    await page.getByLabel('Passwort des Datenspeichers').fill(FIXTURE_PASSWORD);
    await page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
    await page.getByTestId('message-list').waitFor();
  }, 180_000);
  afterAll(async () => {
    await ui?.close();
  });

  it('shows the override as a marked token, isolated, in the list and the header; no raw override on screen', async () => {
    const { page } = ui;
    const row = page.getByTestId('message-list').getByRole('option').first();
    // written "Nachname, Vorname" as lists file it (the setting's default)
    expect(applicant).toContain(RLO);
    const shownName = applicantFiled.replace(RLO, '⟨U+202E⟩');
    // the first row may still be a placeholder while the list reads its page: wait for the name
    await expect.poll(() => row.innerText()).toContain(shownName);
    expect(await row.locator('bdi [data-hidden-char="⟨U+202E⟩"]').count()).toBe(1);
    // the row's accessible name says it too
    expect(await row.getAttribute('aria-label')).toContain(shownName);
    await row.click();
    await page.getByTestId('message-view').waitFor();
    expect(await page.locator('.message__who').innerText()).toBe(shownName);
    // "rellüM" follows the token as stored: left to right, not turned round into "Müller"
    expect(increasing(await charPositions(page.locator('.message__who'), 'rellüM'))).toBe(true);
    expect(await page.locator('body').innerText()).not.toContain(RLO);
    const iban = page.locator('[data-field$="iban"]').first();
    expect(await iban.innerText()).toContain('⟨U+202E⟩');
    expect(await iban.locator('bdi').count()).toBeGreaterThan(0);
    expect(await iban.innerText()).toContain('Keine gültige IBAN');
    await iban.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'ui-hostile-overview');
    await expectAxeClean(page, 'Antrag mit Steuerzeichen (Übersicht)');
    ui.assertClean();
  });

  it('document tiles: the name with its token, the size text in order, mismatch and .bin warnings, the export name', async () => {
    const { page } = ui;
    await page.getByRole('tab', { name: /^Dokumente/ }).click();
    const list = page.getByTestId('documents-list');
    await list.waitFor();
    const tile = list.getByRole('option').filter({ hasText: 'Antrag⟨U+202E⟩fdp.exe' }).first();
    expect(await tile.locator('.documents__name').innerText()).toBe('Antrag⟨U+202E⟩fdp.exe');
    expect(increasing(await charPositions(tile.locator('.documents__name'), 'fdp.exe'))).toBe(true);
    const size = (await tile.locator('.documents__size').innerText()).trim();
    expect(size).toMatch(/^\d+,\d KB$/);
    expect(increasing(await charPositions(tile.locator('.documents__size'), size))).toBe(true);
    expect(await tile.getByTestId('document-export-name').innerText()).toBe('Export als: Antrag⟨U+202E⟩fdp_exe.pdf');
    // the token in the export name is marked like the one in the name
    expect(await tile.getByTestId('document-export-name').locator('[data-hidden-char="⟨U+202E⟩"]').count()).toBe(1);
    expect(await list.getByTestId('document-mismatch').count()).toBe(4);
    // .bin: three disguised inline documents (the script is plain text: .txt) and the shortcut attached over OSCI
    expect(await list.getByTestId('document-not-allowed').count()).toBe(4);
    const names = await list.getByTestId('document-export-name').allInnerTexts();
    for (const name of HOSTILE_EXPORT_NAMES) expect(names).toContain(`Export als: ${name}`);
    const exe = list.getByRole('option').filter({ hasText: 'Bescheid.pdf.exe' });
    expect(await exe.innerText()).toContain('Der angegebene Dateityp stimmt nicht mit dem Inhalt überein (Inhalt: application/x-msdownload).');
    expect(await exe.innerText()).toContain('Kein zugelassener Dateityp: wird als .bin exportiert.');
    await exe.click();
    const warning = page.getByTestId('document-warning');
    await warning.waitFor();
    await expect.poll(() => warning.innerText()).toContain('application/x-msdownload');
    await expect.poll(() => warning.innerText()).toContain('.bin');
    await tile.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'ui-hostile-documents');
    await warning.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'ui-hostile-viewer-warning');
    await expectAxeClean(page, 'Antrag mit getarnten Dokumenten');
    ui.assertClean();
  });

  it('"open in the system program" warns for a program by its content, names it, and downloads only when accepted', async () => {
    const { page } = ui;
    const list = page.getByTestId('documents-list');
    await list.getByRole('option').filter({ hasText: 'Bescheid.pdf.exe' }).click();
    await page.getByTestId('open-external').click();
    const dialog = page.getByTestId('active-content-warning');
    await dialog.waitFor();
    expect(await dialog.getAttribute('role')).toBe('alertdialog');
    expect(await dialog.getByRole('heading').innerText()).toBe('Achtung: Dieses Dokument kann Programme ausführen');
    await expect.poll(() => dialog.getByTestId('active-content-findings').locator('li').allInnerTexts()).toEqual(['ausführbares Programm']);
    // the safe choice has focus (moved there once the dialog is open): Enter does not open it
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Nicht öffnen');
    await saveScreenshot(page, 'ui-active-content-warning', { fullPage: false });
    await expectAxeClean(page, 'Warnung: aktiver Inhalt');
    let downloads = 0;
    const count = () => void downloads++;
    page.on('download', count);
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.getByTestId('status-message').innerText()).toBe('Das Dokument wurde nicht geöffnet.');
    // Escape cancels as well
    await page.getByTestId('open-external').click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(downloads).toBe(0);
    page.off('download', count);
    // accepted: the download is the .bin the export writes, never .exe
    await page.getByTestId('open-external').click();
    await dialog.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('active-accept').click()]);
    expect(download.suggestedFilename()).toBe('Bescheid_pdf_exe.bin');
    // the HTA page, by its content (its declared type says PDF)
    await list.getByRole('option').filter({ hasText: 'Nachweis.pdf.hta' }).click();
    await page.getByTestId('open-external').click();
    await dialog.waitFor();
    await expect.poll(() => dialog.getByTestId('active-content-findings').locator('li').allInnerTexts()).toEqual(['Webseite oder SVG (HTML, kann Skripte ausführen)']);
    await dialog.getByTestId('active-cancel').click();
    // a real PDF named like a program: no warning, the download at once
    await list.getByRole('option').filter({ hasText: 'Antrag⟨U+202E⟩fdp.exe' }).first().click();
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('open-external').click()]);
    expect(pdf.suggestedFilename()).toMatch(/fdp_exe\.pdf$/);
    expect(await dialog.count()).toBe(0);
    ui.assertClean();
  });

  it('the Laufzettel lists the documents with a warning and shows the subject with its token', async () => {
    const { page } = ui;
    await page.getByRole('tab', { name: 'Laufzettel' }).click();
    const findings = page.getByTestId('laufzettel-documents');
    await findings.waitFor();
    expect(await findings.getByRole('listitem').count()).toBe(5);
    expect(await findings.innerText()).toContain('Nachweis.pdf.hta: angegeben: application/pdf; Inhalt: text/html');
    expect(await findings.innerText()).toContain('Export als: Bescheid_pdf_exe.bin');
    const subject = page.getByTestId('laufzettel-subject');
    expect(await subject.innerText()).toBe('Antrag auf Hilfe zum Lebensunterhalt ⟨U+202E⟩(gnuthcaeb)');
    expect(increasing(await charPositions(subject, '(gnuthcaeb)'))).toBe(true);
    await findings.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'ui-hostile-laufzettel');
    await expectAxeClean(page, 'Laufzettel mit Dokumentwarnungen');
    ui.assertClean();
  });

  it('browser mode: "Anhänge in Ordner" downloads every file under the name the tile announced', async () => {
    const { page } = ui;
    const expected = [...HOSTILE_EXPORT_NAMES, 'Scan⟨U+202E⟩fdp_lnk.bin', 'Mietvertrag.pdf'];
    const names: string[] = [];
    page.on('download', (d) => names.push(d.suggestedFilename()));
    await page.getByTestId('export-menu').click();
    await page.getByRole('menuitem', { name: 'Anhänge in Ordner' }).click();
    await expect.poll(() => names.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(expected.length + 2);
    for (const name of expected) expect(names).toContain(name);
    expect(names.some((n) => n.includes(RLO) || /\.(exe|hta|url|js|lnk)$/i.test(n))).toBe(false);
    ui.assertClean();
  });
});
