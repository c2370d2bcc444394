/**
 * Issue 12 in the real UI (Debian Chromium against the loopback bridge): a BuT application shaped like the real
 * XSozial-basis 2.4.0 delivery (tests/helpers/but-application.ts) beside the synthetic mailbox of the other UI
 * tests. A code whose list version is not loaded shows code, list and version; IT imports the Genericode list in
 * Settings and the same code shows its text on screen and in the PDF (pdftotext); a broken file is refused in
 * German. Both children with birth date and requested benefit are visible at 1280×800 without scrolling (the
 * screenshot is looked at). Sorting by applicant follows family names in German collation. "Block kopieren",
 * Strg+Umschalt+C and "Adresse kopieren" put NFC bytes on the clipboard (the message writes the names decomposed).
 * The audit log says its entries in German words, narrowed to one application; the CSV keeps the codes.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, testPkiFiles } from '../../core/pki/test-pki.js';
import { PostfachStore } from '../../core/store/index.js';
import { summarize } from '../../core/xsozial/index.js';
import { butApplication } from '../helpers/but-application.js';
import { expectAxeClean } from './helpers/axe.js';
import { clipboardText, listedItems, pdfText, serviceApi } from './helpers/flow.js';
import { createFixtureStore, FIXTURE_PASSWORD } from './helpers/fixture-store.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

const codelist = (name: string) => path.resolve('tests/fixtures/codelists', name);
const bytesOf = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
const NFD_UMLAUT = '75 cc 88'; // u + combining diaeresis
/** The screen shows names as the message wrote them (here decomposed); compared in NFC. */
const nfc = (s: string) => s.normalize('NFC');
const MUELLER = 'M(?:ü|u\u0308)ller';
const NFC_UMLAUT = 'c3 bc'; // ü

describe('reading a real-like BuT application', () => {
  let ui: UiSession;
  let butId = 0;
  let pkiDir = '';
  beforeAll(async () => {
    ui = await startUiSession({
      clipboard: true,
      prepare: async (dataDir) => {
        pkiDir = path.join(dataDir, '..', `${path.basename(dataDir)}-pki`);
        await createTestPki(pkiDir, { force: true });
        const storePath = path.join(dataDir, 'postfach.db');
        await createFixtureStore(storePath, 6);
        const store = await PostfachStore.open(storePath, { password: FIXTURE_PASSWORD });
        try {
          const { xml } = butApplication();
          const summary = await summarize(xml);
          const saved = await store.saveDelivery({
            messageId: 'but-real-like-0001',
            subject: 'Antrag Leistungen für Bildung und Teilhabe',
            content: xml,
            contentType: 'application/xml',
            processCard: { creation: new Date(), forwarding: new Date(), reception: new Date() },
            summary: {
              applicants: summary.applicants,
              applicantNames: summary.applicantNames,
              benefitCode: summary.benefit?.code ?? null,
              benefitText: summary.benefit?.text ?? null,
              applicationDate: '2025-11-20',
              signatureStatus: 'trusted',
            },
            fetchedAt: new Date(),
          });
          butId = saved.id;
        } finally {
          store.close();
        }
      },
    });
    await ui.open();
    const { page } = ui;
    await page.getByRole('heading', { level: 1, name: 'Postfach öffnen' }).waitFor();
    await page.getByLabel('Passwort des Datenspeichers').fill(FIXTURE_PASSWORD);
    await page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
    await page.getByTestId('message-list').waitFor();
    // a mailbox as a caseworker has it: with its key (no "not set up" notice taking the room)
    const files = testPkiFiles(pkiDir);
    await serviceApi(ui).call('identity.setup', {
      keyFile: files.municipality.p12,
      password: readFileSync(files.password, 'utf8').trim(),
      intermediaryUrl: 'https://intermediaer.example.invalid/osci',
      intermediaryCertificateFile: files.intermediary.cer,
    });
    await page.reload({ waitUntil: 'load' });
    await page.getByTestId('message-list').waitFor();
    // the identity is read after the list: its certificate line proves it was, before the notice's absence counts
    await page.getByTestId('certificate-expiry').waitFor();
    expect(await page.getByTestId('not-set-up').count()).toBe(0);
  });
  afterAll(async () => {
    await ui?.close();
    if (pkiDir) rmSync(pkiDir, { recursive: true, force: true });
  });

  const openBut = async () => {
    const { page } = ui;
    await page
      .getByTestId('message-list')
      .getByRole('option', { name: new RegExp(`${MUELLER}, Mia; ${MUELLER}, Ben`) })
      .click();
    // this message's view, not the one shown before (every application has an "antragsteller-1" card)
    await page.locator(`[data-testid="message-view"][data-message-id="${butId}"] [data-card="antragsteller-1"]`).waitFor();
  };

  it('shows a code whose list version is not loaded as code, list and version', async () => {
    await openBut();
    const mia = ui.page.locator('[data-card="antragsteller-1"]');
    expect(nfc(await mia.getByRole('heading').first().innerText())).toBe('Antragsteller/in: Müller, Mia');
    expect(await mia.locator('[data-field$="leistungArt"]').first().innerText()).toContain('Code 6070 (Liste urn:beispiel:xsozial:codeliste:leistungsart, Version 1)');
    // the third party's title says what it is only in words the lists give: here still the code
    expect(await ui.page.locator('[data-card="dritte-1"]').getByRole('heading').first().innerText()).toContain('Code 1030');
    ui.assertClean();
  });

  it('takes over Genericode lists in Settings, refuses a broken one in German, and the code shows its text', async () => {
    const { page } = ui;
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-tab-codelists').click();
    const section = page.getByTestId('codelist-settings');
    await section.waitFor();
    await expectAxeClean(page, 'Einstellungen: Codelisten');
    const input = section.locator('input[type="file"]');
    await input.setInputFiles(codelist('broken-duplicate-code.xml'));
    await expect.poll(() => page.getByTestId('status-message').innerText()).toContain('keine gültige Codeliste im Genericode-Format');
    for (const file of ['leistungsart_1.xml', 'beteiligung_1.xml', 'ausbildungsart_1.xml']) {
      await input.setInputFiles(codelist(file));
      await expect.poll(() => page.getByTestId('status-message').innerText()).toMatch(/Codeliste „.*“, Version 1 übernommen/);
    }
    const table = section.getByTestId('codelists');
    // the table is read again after the status line says so: wait for it
    await expect.poll(() => table.innerText()).toContain('urn:beispiel:xsozial:codeliste:leistungsart');
    await expect.poll(() => table.innerText()).toContain('XRepository: XInneres-Codeliste');
    await saveScreenshot(page, 'ui-settings-codelists');
    await page.keyboard.press('Escape');
    await openBut();
    const mia = page.locator('[data-card="antragsteller-1"]');
    await expect.poll(() => mia.locator('[data-field$="leistungArt"]').first().innerText()).toContain('Mittagsverpflegung (6070)');
    expect(nfc(await page.locator('[data-card="dritte-1"]').getByRole('heading').first().innerText())).toBe('Beteiligte/r: Elternteil – Müller, Şükran');
    // "Über das Programm" lists the lists in use
    // the dialog loads the lists after it opens: wait for them rather than read the first paint
    await page.getByTestId('open-about').click();
    await expect.poll(() => page.getByTestId('about-dialog').getByTestId('codelists').innerText()).toContain('Leistungsart (Testliste)');
    await page.keyboard.press('Escape');
    ui.assertClean();
  });

  it('shows both children with birth date and requested benefit at 1280×800 without scrolling', async () => {
    const { page } = ui;
    await page.setViewportSize({ width: 1280, height: 800 });
    await openBut();
    await page.locator('[data-card="antragsteller-2"] [data-field$="leistungArt"]').first().waitFor();
    const file = await saveScreenshot(page, 'ui-but-overview-1280x800', { fullPage: false });
    expect(file).toMatch(/\.png$/);
    // what the reading pane shows: its scroll container's box (the status bar and the window's edge clip it)
    const pane = await page.locator('[data-testid="message-view"]').evaluate((el) => {
      let box: HTMLElement | null = el as HTMLElement;
      while (box !== null && !(box.scrollHeight > box.clientHeight && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) box = box.parentElement;
      const r = (box ?? document.documentElement).getBoundingClientRect();
      return { top: Math.max(0, r.top), bottom: Math.min(window.innerHeight, r.bottom), scrollTop: box?.scrollTop ?? 0 };
    });
    expect(pane.scrollTop).toBe(0);
    for (const [card, birth] of [
      ['antragsteller-1', '14.03.2016'],
      ['antragsteller-2', '02.09.2018'],
    ] as const) {
      const block = page.locator(`[data-card="${card}"]`);
      for (const row of [block.locator('[data-field$="geburt/datum"]').first(), block.locator('[data-field$="leistungArt"]').first()]) {
        const box = await row.boundingBox();
        expect(box, `${card} row on screen`).not.toBeNull();
        expect(box!.y).toBeGreaterThanOrEqual(pane.top);
        expect(box!.y + box!.height, `${card}: ${await row.innerText()}`).toBeLessThanOrEqual(pane.bottom);
        await row.waitFor();
      }
      expect(await block.locator('[data-field$="geburt/datum"]').first().innerText()).toContain(birth);
      expect(await block.locator('[data-field$="leistungArt"]').first().innerText()).toContain('Mittagsverpflegung (6070)');
    }
    await expectAxeClean(page, 'BuT-Antrag, Übersicht');
  });

  it('keeps an HzL application to a summary: its Übersicht is a fraction of the field dump it was', async () => {
    const { page } = ui;
    const hzl = (await listedItems(ui)).find((i) => i.benefit.text?.startsWith('Hilfe zum Lebensunterhalt') && i.unreadableKind === null);
    expect(hzl).toBeDefined();
    await page.locator(`[data-testid="message-list"] [data-id="${hzl!.id}"]`).click();
    await page.locator(`[data-testid="message-view"][data-message-id="${hzl!.id}"] [data-card="antragsteller-1"]`).waitFor();
    const height = await page.locator('.summary').evaluate((el) => Math.round(el.getBoundingClientRect().height));
    // measured for the report: the HzL Übersicht was about 4,800 px (issue 12); every value stays under "Alle Angaben"
    console.info(`HzL Übersicht: ${height} px`);
    expect(height).toBeLessThan(2400);
    await saveScreenshot(page, 'ui-hzl-overview', { fullPage: false });
    await openBut();
  });

  it('keeps every value under "Alle Angaben"; the technical facts come last and closed', async () => {
    const { page } = ui;
    const cards = await page.locator('[data-card]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.card));
    expect(cards.at(-1)).toBe('antrag');
    const technical = page.locator('[data-card="antrag"]');
    expect(await technical.getByRole('button', { name: 'Technische Angaben (zum Aufklappen)' }).getAttribute('aria-expanded')).toBe('false');
    const third = page.locator('[data-card="dritte-1"]');
    // who gets the letters: the first line of the person's block
    expect(await third.locator('.field-row').first().innerText()).toMatch(/^Empfänger\/in der Post\s+Ja/);
    await third.getByRole('button', { name: /^Alle Angaben/ }).click();
    // the real sample's house number ("1b" in teilnummerDerHausnummer) is a house number, not a mere "Zusatz"
    await expect.poll(() => third.locator('[data-field$="teilnummerDerHausnummer"]').innerText()).toMatch(/^Hausnummer \(Teilnummer\)\s+1b/);
    ui.assertClean();
  });

  it('"Block kopieren", Strg+Umschalt+C and "Adresse kopieren" put NFC bytes on the clipboard', async () => {
    const { page } = ui;
    const third = page.locator('[data-card="dritte-1"]');
    await third.locator('[data-copy-block="dritte-1"]').click();
    // the clipboard is written asynchronously: wait for the block, then look at its bytes
    await expect.poll(() => clipboardText(page)).toMatch(/^Empfänger\/in der Post\tJa\n/);
    const block = await clipboardText(page);
    expect(bytesOf(block)).toContain(NFC_UMLAUT);
    expect(bytesOf(block)).not.toContain(NFD_UMLAUT);
    expect(block).toBe(block.normalize('NFC'));
    expect(block.split('\n')).toEqual([
      'Empfänger/in der Post\tJa',
      'Familienname\tMüller',
      'Vorname\tŞükran',
      'Geburtsdatum\t30.06.1987',
      'Anschrift\tÖlmühlenweg 1b, 12345 Beispielstadt, bei Nowak',
      'E-Mail\ts.mueller@example.org',
      'Telefon mobil\t0151 23456789',
    ]);
    // empty values and technical ids only when asked for
    expect(block).not.toContain('Titel');
    expect(block).not.toContain('D1');
    await third.getByRole('button', { name: /^Weitere Kopieroptionen/ }).click();
    await page.getByRole('menuitem', { name: /Block mit allen Angaben kopieren/ }).click();
    await expect.poll(() => clipboardText(page)).toContain('Titel\tkeine Angabe');
    const everything = await clipboardText(page);
    expect(everything).toContain('ID der dritten Person\tD1');

    await third.getByRole('button', { name: 'Anschrift als Adresse kopieren' }).first().click();
    await expect.poll(() => clipboardText(page)).toBe('Ölmühlenweg 1b\n12345 Beispielstadt\nbei Nowak');
    const address = await clipboardText(page);
    expect(bytesOf(address).startsWith('c3 96 6c 6d c3 bc')).toBe(true); // "Ölmü" composed

    // the block in focus: a value's copy button in Mia's block, then the shortcut
    await page.locator('[data-card="antragsteller-1"] [data-field$="geburt/datum"] button').first().focus();
    await page.keyboard.press('Control+Shift+C');
    await expect.poll(() => clipboardText(page)).toMatch(/^Familienname\tMüller\nVorname\tMia\nGeburtsdatum\t14\.03\.2016\n/);
    expect(bytesOf(await clipboardText(page))).not.toContain(NFD_UMLAUT);
    ui.assertClean();
  });

  it('writes the code text into the PDF (pdftotext)', async () => {
    const target = path.join(ui.dataDir, 'but.pdf');
    await serviceApi(ui).call('messages.export', { id: butId, format: 'pdf', target });
    const text = pdfText(target);
    expect(text).toContain('Mittagsverpflegung (6070)');
    expect(text.normalize('NFC')).toContain('Müller, Mia');
    expect(text).toContain('Beteiligte/r: Elternteil');
    expect(text.normalize('NFC')).toBe(text);
  });

  it('sorts by applicant in family-name order with German collation', async () => {
    const { page } = ui;
    await page.getByTestId('sort-select').click();
    await page.getByRole('option', { name: 'Antragsteller/in' }).click();
    const collator = new Intl.Collator('de');
    const items = (await listedItems(ui, { sort: 'applicant' })).filter((i) => i.applicantNames !== null && i.applicantNames.length > 0);
    const expected = [...items].sort(
      (a, b) => collator.compare(a.applicantNames![0]!.family, b.applicantNames![0]!.family) || collator.compare(a.applicantNames![0]!.given, b.applicantNames![0]!.given),
    );
    expect(items.map((i) => i.id)).toEqual(expected.map((i) => i.id));
    // the screen shows them so, family name first, not cut
    const names = expected.map((i) => nfc(i.applicantNames!.map((n) => [n.family, n.given, n.title].filter(Boolean).join(', ')).join('; ')));
    // rows without a name ("nicht lesbar") have no sort key and stand apart; the named ones in this order
    await expect.poll(async () => (await page.getByTestId('message-list').locator('.row__applicant').allInnerTexts()).map(nfc).filter((n) => names.includes(n))).toEqual(names);
    const cut = await page
      .getByTestId('message-list')
      .locator('.row__applicant')
      .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length);
    expect(cut).toBe(0);
    await saveScreenshot(page, 'ui-list-sorted-by-family-name', { fullPage: false });
    ui.assertClean();
  });

  it('says the audit log in German words, narrowed to one application; the CSV keeps the codes', async () => {
    const { page } = ui;
    await openBut();
    await page.getByTestId('more-menu').click();
    await page.getByTestId('menu-log').click();
    const dialog = page.getByTestId('audit-dialog');
    await dialog.getByTestId('audit-table').waitFor();
    await expect.poll(async () => (await dialog.getByTestId('audit-words').allInnerTexts()).length).toBeGreaterThan(0);
    const words = await dialog.getByTestId('audit-words').allInnerTexts();
    expect(words).toContain('Abgerufen');
    expect(words).toContain('Geöffnet');
    expect(words).toContain('Als PDF exportiert');
    // only this application
    expect(await dialog.getByTestId('audit-filter-application').inputValue()).toBe(String(butId));
    const rows = await dialog.getByTestId('audit-table').locator('tbody tr').allInnerTexts();
    expect(rows.every((r) => r.includes('but-real-like-0001'))).toBe(true);
    await saveScreenshot(page, 'ui-audit-words', { fullPage: false });
    await expectAxeClean(page, 'Protokoll eines Antrags');
    await page.keyboard.press('Escape');
    const csv = path.join(ui.dataDir, 'audit.csv');
    await serviceApi(ui).call('audit.exportCsv', { target: csv, delimiter: ';' });
    const lines = readFileSync(csv, 'utf8').split('\r\n');
    expect(lines[0]).toContain('Angabe;Angabe (Code)');
    expect(lines.find((l) => l.includes(';exported;') && l.includes('but-real-like-0001'))).toMatch(/;Als PDF exportiert;"\{""v"":1,""format"":""pdf""\}";/);
    ui.assertClean();
  });
});
