/**
 * Settings → Betrieb and the acceptance record in the UI (browser mode, Debian's Chromium, axe on each screen):
 * what local IT fixed for this PC is shown locked with the reason (also on the Aufbewahrung tab), an error in IT's
 * configuration file is shown as such, a backup is created and downloaded, and a Testantrag gives its
 * Abnahmeprotokoll as a download.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageListItem } from '../../core/api/contract/mailbox.js';
import { expectAxeClean } from './helpers/axe.js';
import { createFixtureStore, FIXTURE_PASSWORD } from './helpers/fixture-store.js';
import { listedItems } from './helpers/flow.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

let ui: UiSession;
const saved = process.env.POSTFACH_MACHINE_CONFIG;
const machineFile = path.join(os.tmpdir(), `postfach-ui-ops-${process.pid}.json`);

beforeAll(async () => {
  writeFileSync(machineFile, JSON.stringify({ settings: { retentionTrashDays: 45, allowedExportFolders: [path.join(os.tmpdir(), 'e-akte')], language: 'fr' } }));
  process.env.POSTFACH_MACHINE_CONFIG = machineFile;
  ui = await startUiSession({ prepare: async (dataDir) => void (await createFixtureStore(path.join(dataDir, 'postfach.db'), 4)) });
  await ui.open();
  const { page } = ui;
  await page.getByLabel('Passwort des Datenspeichers').fill(FIXTURE_PASSWORD);
  await page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
  await page.getByTestId('message-list').waitFor();
}, 180_000);

afterAll(async () => {
  await ui?.close();
  if (saved === undefined) delete process.env.POSTFACH_MACHINE_CONFIG;
  else process.env.POSTFACH_MACHINE_CONFIG = saved;
});

describe('Settings → Betrieb', () => {
  it('shows what IT fixed, locked with the reason, and the error in IT’s configuration', async () => {
    const { page } = ui;
    await page.getByTestId('open-settings').click();
    const dialog = page.getByTestId('settings-dialog');
    await dialog.waitFor();
    await dialog.getByRole('tab', { name: 'Betrieb' }).click();
    const managed = dialog.getByTestId('managed-settings');
    await managed.waitFor();
    const text = await managed.innerText();
    expect(text).toContain('Aufbewahrung im Papierkorb (Tage)');
    expect(text).toContain('45');
    expect(text).toContain('Gesperrt: von Ihrer IT festgelegt (Konfigurationsdatei des PCs)');
    expect(text).toContain('Erlaubte Exportordner');
    const problems = dialog.getByTestId('config-problems');
    expect(await problems.getAttribute('role')).toBe('alert');
    expect(await problems.innerText()).toMatch(/Der Wert für „Sprache der Oberfläche“ ist ungültig/);
    await saveScreenshot(page, 'ui-settings-ops');
    await expectAxeClean(page, 'Einstellungen: Betrieb');

    await dialog.getByRole('tab', { name: 'Aufbewahrung' }).click();
    const trash = dialog.getByLabel('Papierkorb leeren nach (Tagen)');
    await trash.waitFor();
    expect(await trash.isDisabled()).toBe(true);
    expect(await trash.inputValue()).toBe('45');
    expect(await dialog.getByTestId('lock-note').first().innerText()).toBe('von Ihrer IT festgelegt (Konfigurationsdatei des PCs)');
    await expectAxeClean(page, 'Einstellungen: Aufbewahrung gesperrt');
    ui.assertClean();
  });

  it('creates a backup and offers it as a download', async () => {
    const { page } = ui;
    const dialog = page.getByTestId('settings-dialog');
    await dialog.getByRole('tab', { name: 'Betrieb' }).click();
    await dialog.getByTestId('backup-password').fill('Sicherung-2026');
    await dialog.getByTestId('backup-password-repeat').fill('Sicherung-2025');
    expect(await dialog.getByText('Die Passwörter stimmen nicht überein.').isVisible()).toBe(true);
    expect(await dialog.getByTestId('backup-create').isDisabled()).toBe(true);
    await dialog.getByTestId('backup-password-repeat').fill('Sicherung-2026');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('backup-create').click()]);
    expect(download.suggestedFilename()).toMatch(/^OSCI-Postfach-Sicherung_\d{4}-\d{2}-\d{2}\.pfbak$/);
    const file = path.join(ui.dataDir, 'download.pfbak');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 6).toString('latin1')).toBe('OPFBAK');
    await expect.poll(() => page.getByTestId('status-message').innerText().catch(() => '')).toMatch(/Sicherung mit \d+ Anträgen erstellt und heruntergeladen/);
    await dialog.getByRole('button', { name: 'Schließen' }).first().click();
    await dialog.waitFor({ state: 'detached' });
    ui.assertClean();
  }, 60_000);
});

describe('Abnahmeprotokoll', () => {
  it('a Testantrag gives its acceptance record; other applications do not offer it', async () => {
    const { page } = ui;
    page.setDefaultTimeout(20_000);
    const items: MessageListItem[] = await listedItems(ui);
    const test = items.find((i) => i.isTest) as MessageListItem;
    const real = items.find((i) => !i.isTest && i.unreadableReason === null) as MessageListItem;
    const row = (id: number) => page.locator(`[data-testid="message-list"] [data-id="${id}"]`);
    await row(real.id).click();
    await page.getByTestId('message-view').waitFor();
    await page.getByTestId('export-menu').click();
    expect(await page.getByTestId('menu-abnahme').count()).toBe(0);
    await page.keyboard.press('Escape');
    await row(test.id).click();
    await page.getByTestId('test-banner').waitFor();
    await page.getByTestId('export-menu').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Abnahmeprotokoll erstellen' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^Abnahmeprotokoll_.*\.pdf$/);
    const file = path.join(ui.dataDir, 'abnahme.pdf');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    ui.assertClean();
  }, 60_000);
});
