/**
 * Outlook habits (issue 17) in Debian's Chromium against the loopback bridge, on a store written the way the fetch
 * writes it: the list grouped by Eingang day, a search that marks why a row matched (in the row and in the reading
 * pane), the office's Aktenzeichen and note with a Wiedervorlage — entered with the keyboard only, audited, found
 * by the search, in the Wiedervorlage view, still there after the store was closed and opened again, and in the
 * PDF's Laufzettel (pdftotext) — and the date range from–to. axe-core on each state; screenshots to
 * test-artifacts/screenshots/ (copied to docs/screenshots/ by hand).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officeTime } from '../../core/time/office-time.js';
import { expectAxeClean } from './helpers/axe.js';
import { auditActions, listedItems, pdfText, serviceApi } from './helpers/flow.js';
import { createFixtureStore, FIXTURE_PASSWORD, type FixtureInfo } from './helpers/fixture-store.js';
import { focusInfo, tabTo } from './helpers/keyboard.js';
import { saveScreenshot, screenshotDir } from './helpers/screenshots.js';
import { enterOfficeDay, officeDayShown } from './helpers/office-date.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

const AZ = '50.2-4711/26';
const NOTE = 'Vermieterbescheinigung fehlt noch';
const berlin = officeTime('Europe/Berlin');

describe('Outlook habits: search marks, case work, Wiedervorlage, date range, day groups', () => {
  let ui: UiSession;
  let fixture: FixtureInfo;
  const list = () => ui.page.getByTestId('message-list');
  const row = (id: number) => ui.page.locator(`[data-testid="message-list"] [data-id="${id}"]`);

  beforeAll(async () => {
    ui = await startUiSession({
      // an English browser: the date fields must still be the office's TT.MM.JJJJ
      locale: 'en-US',
      prepare: async (dataDir) => {
        fixture = await createFixtureStore(path.join(dataDir, 'postfach.db'));
      },
    });
    await ui.open();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('groups the list by Eingang day with the headers inside the virtual list, the first row naming its group', async () => {
    const { page } = ui;
    await page.getByLabel('Passwort des Datenspeichers').fill(FIXTURE_PASSWORD);
    await page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
    await list().waitFor();
    await expect.poll(() => page.getByTestId('list-count').innerText()).toBe(`${fixture.count} Anträge`);
    const items = await listedItems(ui);
    const todayKey = berlin.day(new Date());
    const todays = items.filter((i) => berlin.day(i.eingang) === todayKey).length;
    expect(todays).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('list-group').first().innerText()).toBe('Heute');
    const headers = await page.getByTestId('list-group').allInnerTexts();
    expect(headers.length).toBeGreaterThanOrEqual(2);
    expect(headers.slice(0, 2)).toEqual(['Heute', headers.length > 1 && todays < items.length ? headers[1] : 'Heute']);
    // the newest row opens "Heute"; the row after the last of today opens the next group
    expect(await row(items[0]!.id).getAttribute('aria-label')).toMatch(/^Heute: /);
    expect(await row(items[todays]!.id).getAttribute('aria-label')).toMatch(new RegExp(`^${headers[1]}: `));
    expect(await row(items[1]!.id).getAttribute('aria-label')).not.toMatch(/^Heute: /);
    // headers are drawn between the rows: the second group's header lies above its first row
    await saveScreenshot(page, 'ui-list-day-groups');
    const headerBottom = async () => {
      const box = await page.getByTestId('list-group').nth(1).boundingBox();
      return box === null ? Infinity : box.y + box.height;
    };
    const firstOfGroup = await row(items[todays]!.id).boundingBox();
    expect(await headerBottom()).toBeLessThanOrEqual(firstOfGroup!.y + 1);
    await expectAxeClean(page, 'Liste nach Eingangstag gruppiert');
  });

  it('marks the matched words in the row and in the reading pane', async () => {
    const { page } = ui;
    const family = (fixture.applicants[2] as string).split(/[ ,]/)[0] as string;
    const typed = family.slice(0, 4);
    await page.getByTestId('search').fill(typed);
    await expect.poll(() => page.getByTestId('search-results').innerText()).toMatch(/Treffer$/);
    const items = await listedItems(ui, { search: typed });
    expect(items.length).toBeGreaterThan(0);
    const first = row(items[0]!.id);
    await expect.poll(() => first.locator('mark.hit').count()).toBeGreaterThan(0);
    expect((await first.locator('mark.hit').first().innerText()).toLowerCase()).toBe(typed.toLowerCase());
    await first.click();
    await page.getByTestId('message-view').waitFor();
    await expect.poll(() => page.locator('[data-testid="message-view"] mark.hit').count()).toBeGreaterThan(0);
    // the mark changes neither the text nor the row's accessible name
    expect(await page.locator('[data-testid="message-view"] .message__who').innerText()).toContain(family);
    expect(await first.getAttribute('aria-label')).toContain(family);
    await saveScreenshot(page, 'ui-search-highlight');
    await expectAxeClean(page, 'Suche mit markierten Treffern');
    await page.getByTestId('search').fill('');
    await expect.poll(() => page.locator('mark.hit').count()).toBe(0);
  });

  it('takes an Aktenzeichen, a note and a Wiedervorlage with the keyboard only, audited, shown in the row', async () => {
    const { page } = ui;
    const items = await listedItems(ui);
    const target = items[1]!;
    await row(target.id).click();
    await page.locator(`[data-message-id="${target.id}"]`).waitFor();
    // nothing noted yet: no line in the pane; "Weitere Aktionen" (⋯) → "… eintragen …" opens the form, by keyboard
    expect(await page.getByTestId('case-work').count()).toBe(0);
    await page.getByRole('button', { name: 'Weitere Aktionen' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Aktenzeichen, Notiz oder Wiedervorlage eintragen …' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Aktenzeichen, Notiz oder Wiedervorlage eintragen …');
    await page.keyboard.press('Enter');
    await page.getByTestId('case-work-form').waitFor();
    await expect.poll(async () => (await focusInfo(page))?.tag).toBe('input');
    await page.keyboard.type(AZ);
    await page.keyboard.press('Tab');
    await page.keyboard.type(NOTE);
    await page.keyboard.press('Tab');
    const due = berlin.day(new Date(Date.now() + 3 * 86_400_000)) as string;
    // the Wiedervorlage day: its first segment (the day) has focus; typed TT MM JJJJ, shown as the office writes it
    // although this browser runs in en-US (a native date field would show MM/DD/YYYY)
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('spinbutton');
    await enterOfficeDay(page, 'case-work-day', due, { alreadyFocused: true });
    const [dueYear, dueMonth, dueDate] = due.split('-');
    await expect.poll(() => officeDayShown(page, 'case-work-day')).toBe(`${dueDate}.${dueMonth}.${dueYear}`);
    await saveScreenshot(page, 'ui-case-work-form');
    await expectAxeClean(page, 'Bearbeitung: Aktenzeichen, Notiz, Wiedervorlage');
    await tabTo(page, (f) => f.text === 'Speichern');
    await page.keyboard.press('Enter');
    await page.getByTestId('case-work-summary').waitFor();
    await expect.poll(() => page.getByTestId('case-work-summary').innerText()).toContain(AZ);
    await expect.poll(() => page.getByTestId('case-work-summary').innerText()).toContain(NOTE);
    // focus goes back to "Bearbeiten" (after the form is gone: a frame later)
    await expect.poll(async () => (await focusInfo(page))?.text).toBe('Bearbeiten');
    await expect.poll(() => row(target.id).innerText()).toContain(`Az. ${AZ}`);
    await expect.poll(() => row(target.id).getByTestId('row-follow-up').innerText()).toContain(`${due.slice(8, 10)}.${due.slice(5, 7)}.${due.slice(0, 4)}`);
    await expect.poll(() => row(target.id).getAttribute('aria-label')).toContain(`Aktenzeichen ${AZ}`);
    expect(await auditActions(ui, target.id)).toEqual(expect.arrayContaining(['aktenzeichen-changed', 'note-changed', 'follow-up-set']));
    await saveScreenshot(page, 'ui-case-work');
    await expectAxeClean(page, 'Bearbeitung gespeichert');

    // the Laufzettel tab states them as the PDF's Laufzettel does, under "Vermerke des Amtes"
    await page.getByRole('tab', { name: 'Laufzettel' }).click();
    const notes = page.getByTestId('laufzettel-case-work');
    await notes.waitFor();
    expect(await notes.getByRole('heading').innerText()).toBe('Vermerke des Amtes');
    expect(await page.getByTestId('laufzettel-aktenzeichen').innerText()).toBe(AZ);
    expect(await page.getByTestId('laufzettel-follow-up').innerText()).toBe(`${dueDate}.${dueMonth}.${dueYear}`);
    expect(await page.getByTestId('laufzettel-note').innerText()).toBe(NOTE);
    await notes.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'ui-laufzettel-vermerke', { fullPage: false });
    await expectAxeClean(page, 'Laufzettel mit Vermerken des Amtes');
    await page.getByRole('tab', { name: 'Übersicht' }).click();

    // the search finds the note and the Aktenzeichen, and marks them
    await page.getByTestId('search').fill('Vermieterbesch');
    await expect.poll(() => page.getByTestId('list-count').innerText()).toBe('1 Antrag');
    // the row shows no note: it says where the match was
    await expect.poll(() => row(target.id).locator('.row__matched').innerText()).toBe('Treffer im Inhalt, in der Notiz oder einer Kennung');
    await expect.poll(() => page.locator('[data-testid="case-work-summary"] mark.hit').count()).toBe(1);
    await page.getByTestId('search').fill('4711');
    await expect.poll(() => page.getByTestId('list-count').innerText()).toBe('1 Antrag');
    await expect.poll(() => row(target.id).locator('.row__az mark.hit').count()).toBe(1);
    await page.getByTestId('search').fill('');
    await expect.poll(() => page.getByTestId('list-count').innerText()).toBe(`${fixture.count} Anträge`);
  });

  it('shows the flagged one in the Wiedervorlage view, in due order', async () => {
    const { page } = ui;
    const flagged = (await listedItems(ui, { followUp: true })).map((i) => i.id);
    expect(flagged).toHaveLength(1);
    await page.getByRole('option', { name: /^Wiedervorlage/ }).click();
    await expect.poll(() => page.getByTestId('list-count').innerText()).toBe('1 Antrag');
    await row(flagged[0]!).waitFor();
    await expect.poll(() => page.getByTestId('sort-select').innerText()).toContain('Wiedervorlage');
    await saveScreenshot(page, 'ui-follow-up-view');
    await expectAxeClean(page, 'Ansicht Wiedervorlage');
    await page.getByRole('option', { name: /^Posteingang/ }).click();
    await expect.poll(() => page.getByTestId('list-count').innerText()).toBe(`${fixture.count} Anträge`);
    await expect.poll(() => page.getByTestId('sort-select').innerText()).toContain('Eingang');
  });

  it('narrows the list to a range of office days from–to', async () => {
    const { page } = ui;
    const items = await listedItems(ui);
    const days = [...new Set(items.map((i) => berlin.day(i.eingang) as string))].sort();
    expect(days.length).toBeGreaterThanOrEqual(2);
    const oldest = days[0] as string;
    const expected = items.filter((i) => berlin.day(i.eingang) === oldest).length;
    expect(expected).toBeLessThan(items.length);
    await page.getByRole('button', { name: /Zeitraum \(Eingang\)/ }).click();
    await page.getByRole('option', { name: 'von – bis …' }).click();
    await enterOfficeDay(page, 'range-from', oldest);
    await enterOfficeDay(page, 'range-to', oldest);
    // TT.MM.JJJJ in an en-US browser
    await expect.poll(() => officeDayShown(page, 'range-from')).toBe(oldest.split('-').reverse().join('.'));
    await expect.poll(() => page.getByTestId('list-count').innerText()).toBe(expected === 1 ? '1 Antrag' : `${expected} Anträge`);
    await saveScreenshot(page, 'ui-date-range');
    await expectAxeClean(page, 'Zeitraum von – bis');
    // "bis" before "von": said, and not applied
    await enterOfficeDay(page, 'range-from', days[days.length - 1] as string);
    await page.getByRole('alert').filter({ hasText: 'liegt vor' }).waitFor();
    await expect.poll(() => page.getByTestId('list-count').innerText()).toBe(`${fixture.count} Anträge`);
    await page.getByRole('button', { name: 'Filter zurücksetzen' }).click();
  });

  it('keeps the note and Aktenzeichen when the store is closed and opened again, and puts them on the PDF Laufzettel', async () => {
    const { page } = ui;
    const target = (await listedItems(ui, { followUp: true }))[0]!;
    await serviceApi(ui).call('store.close', {});
    await page.reload();
    await page.getByLabel('Passwort des Datenspeichers').fill(FIXTURE_PASSWORD);
    await page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
    await list().waitFor();
    await row(target.id).click();
    await page.locator(`[data-testid="message-view"][data-message-id="${target.id}"] [data-testid="case-work-summary"]`).waitFor();
    const summary = await page.getByTestId('case-work-summary').innerText();
    expect(summary).toContain(AZ);
    expect(summary).toContain(NOTE);
    expect(await row(target.id).innerText()).toContain(`Az. ${AZ}`);

    const pdf = path.join(ui.dataDir, 'case-work.pdf');
    await serviceApi(ui).call('messages.export', { id: target.id, format: 'pdf', target: pdf });
    // kept for looking at (pdftoppm) beside the screenshots
    mkdirSync(screenshotDir, { recursive: true });
    copyFileSync(pdf, path.join(screenshotDir, 'habits-laufzettel.pdf'));
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('Vermerke des Amtes');
    expect(text).toContain(`Aktenzeichen ${AZ}`);
    expect(text).toContain(NOTE);
    // on the Laufzettel, before the application data
    expect(text.indexOf('Vermerke des Amtes')).toBeLessThan(text.indexOf('Signaturen und Zertifikate'));

    // the same in English
    await page.getByRole('radio', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Case work' }).waitFor();
    await expect.poll(() => page.getByTestId('case-work-summary').innerText()).toContain(`File ${AZ}`);
    await expect.poll(() => page.getByRole('option', { name: /^Follow-up/ }).count()).toBe(1);
    await expect.poll(() => page.getByTestId('list-group').first().innerText()).toBe('Today');
    await saveScreenshot(page, 'ui-case-work-en');
    await expectAxeClean(page, 'Case work (en)');
    await page.getByRole('radio', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { name: 'Bearbeitung' }).waitFor();
    ui.assertClean();
  });
});
