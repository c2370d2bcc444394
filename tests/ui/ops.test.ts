/**
 * Settings → Betrieb and the acceptance record in the UI (browser mode, Debian's Chromium, axe on each screen):
 * what local IT fixed for this PC is shown locked with the reason (also on the Aufbewahrung tab), an error in IT's
 * configuration file is shown as such, a backup is created and downloaded, and a Testantrag gives its
 * Abnahmeprotokoll as a download. The mailbox is set up for the real local intermediary (shared test PKI): the
 * certificate change wizard stages a new key file (its warning shown), is interrupted with the intermediary down
 * (said in words, with what to do), continued, and completed; the status bar shows a certificate that expires
 * within 60 days and one that has expired.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officeTime } from '../../core/time/office-time.js';
import type { MessageListItem } from '../../core/api/contract/mailbox.js';
import { identityRecord } from '../../core/mailbox/identity.js';
import { createPkcs12, issueCertificate } from '../../core/pki/index.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { PostfachStore } from '../../core/store/index.js';
import { loadIntermediaryKeys, startIntermediary, type RunningIntermediary } from '../../intermediary/index.js';
import { send, sharedPki, startTestIntermediary, tempDir } from '../mailbox/helpers.js';
import { identityFor } from '../ops/mailbox-helpers.js';
import { expectAxeClean } from './helpers/axe.js';
import { createFixtureStore, FIXTURE_PASSWORD } from './helpers/fixture-store.js';
import { listedItems, serviceApi } from './helpers/flow.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';
import { certificateWarningWords } from '../../core/domain/words/index.js';

let ui: UiSession;
const saved = process.env.POSTFACH_MACHINE_CONFIG;
const machineFile = path.join(os.tmpdir(), `postfach-ui-ops-${process.pid}.json`);
const root = tempDir('postfach-ui-ops-');
const DAY_MS = 86_400_000;
const KEY_PASSWORD = 'Schluessel-2027';
let pkiDir = '';
let intermediary: RunningIntermediary;

/** A self-signed RSA 2048 key file (quick to make; below the recommended 3000 bit) valid from `from` to `to`. */
function keyFile(name: string, cn: string, from: number, to: number): { file: string; certificate: X509Certificate } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificate = issueCertificate({
    subject: [
      { type: 'C', value: 'DE' },
      { type: 'O', value: 'Stadt Musterstadt' },
      { type: 'CN', value: cn },
    ],
    publicKey,
    selfSigningKey: privateKey,
    notBefore: new Date(from),
    notAfter: new Date(to),
    keyUsage: ['digitalSignature', 'keyEncipherment'],
  });
  const file = path.join(root, name);
  writeFileSync(file, createPkcs12(privateKey, certificate, KEY_PASSWORD));
  return { file, certificate };
}

beforeAll(async () => {
  writeFileSync(machineFile, JSON.stringify({ settings: { retentionTrashDays: 45, allowedExportFolders: [path.join(os.tmpdir(), 'e-akte')], language: 'fr' } }));
  process.env.POSTFACH_MACHINE_CONFIG = machineFile;
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'im'));
  ui = await startUiSession({
    prepare: async (dataDir) => {
      const dbPath = path.join(dataDir, 'postfach.db');
      await createFixtureStore(dbPath, 4);
      const store = await PostfachStore.open(dbPath, { password: FIXTURE_PASSWORD });
      store.saveMailboxIdentity(identityRecord(identityFor(pkiDir, intermediary.url)));
      store.close();
    },
  });
  await ui.open();
  await unlock();
}, 180_000);

async function unlock(): Promise<void> {
  const { page } = ui;
  await page.getByLabel('Passwort des Datenspeichers').fill(FIXTURE_PASSWORD);
  await page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
  await page.getByTestId('message-list').waitFor();
}

afterAll(async () => {
  await ui?.close();
  await intermediary?.close();
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
    // the tab reads IT's settings after it opens: wait for them rather than read the first paint
    for (const said of ['Aufbewahrung im Papierkorb (Tage)', '45', 'Gesperrt: von Ihrer IT festgelegt (Konfigurationsdatei des PCs)', 'Erlaubte Exportordner'])
      await expect.poll(() => managed.innerText()).toContain(said);
    const problems = dialog.getByTestId('config-problems');
    expect(await problems.getAttribute('role')).toBe('alert');
    await expect.poll(() => problems.innerText()).toMatch(/Der Wert für „Sprache der Oberfläche“ ist ungültig/);
    await saveScreenshot(page, 'ui-settings-ops');
    await expectAxeClean(page, 'Einstellungen: Betrieb');

    await dialog.getByRole('tab', { name: 'Aufbewahrung' }).click();
    const trash = dialog.getByLabel('Papierkorb leeren nach (Tagen)');
    await trash.waitFor();
    await expect.poll(() => trash.isDisabled()).toBe(true);
    await expect.poll(() => trash.inputValue()).toBe('45');
    await expect.poll(() => dialog.getByTestId('lock-note').first().innerText()).toBe('von Ihrer IT festgelegt (Konfigurationsdatei des PCs)');
    await expectAxeClean(page, 'Einstellungen: Aufbewahrung gesperrt');
    ui.assertClean();
  });

  it('creates a backup and offers it as a download', async () => {
    const { page } = ui;
    const dialog = page.getByTestId('settings-dialog');
    await dialog.getByRole('tab', { name: 'Betrieb' }).click();
    await dialog.getByTestId('backup-password').fill('Sicherung-2026');
    await dialog.getByTestId('backup-password-repeat').fill('Sicherung-2025');
    await dialog.getByText('Die Passwörter stimmen nicht überein.').waitFor();
    await expect.poll(() => dialog.getByTestId('backup-create').isDisabled()).toBe(true);
    await dialog.getByTestId('backup-password-repeat').fill('Sicherung-2026');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('backup-create').click()]);
    expect(download.suggestedFilename()).toMatch(/^OSCI-Postfach-Sicherung_\d{4}-\d{2}-\d{2}\.pfbak$/);
    const file = path.join(ui.dataDir, 'download.pfbak');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 6).toString('latin1')).toBe('OPFBAK');
    await expect
      .poll(() =>
        page
          .getByTestId('status-message')
          .innerText()
          .catch(() => ''),
      )
      .toMatch(/Sicherung mit \d+ Anträgen erstellt und heruntergeladen/);
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
    const real = items.find((i) => !i.isTest && i.unreadableKind === null) as MessageListItem;
    const row = (id: number) => page.locator(`[data-testid="message-list"] [data-id="${id}"]`);
    await row(real.id).click();
    await page.locator(`[data-testid="message-view"][data-message-id="${real.id}"]`).waitFor();
    await page.getByTestId('export-menu').click();
    // the menu is open (its items are there) before the missing one counts
    await page.getByRole('menuitem', { name: 'XML (Original)' }).waitFor();
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

describe('Zertifikat wechseln (Settings → Betrieb)', () => {
  it('stages a new key file (its warning shown), is interrupted in words, continues and completes; dates as elsewhere', async () => {
    const { page } = ui;
    const before = (await listedItems(ui)).length;
    const oldCert = new X509Certificate(readFileSync(testPkiFiles(pkiDir).municipality.cer));
    const next = keyFile('neu.p12', 'Sozialamt Musterstadt 2028', Date.now() - 3_600_000, Date.now() + 700 * DAY_MS);
    // one application still waits for the old certificate
    await send(intermediary.url, pkiDir, { count: 1, seed: 'ui-rotation-alt' });

    await page.getByTestId('open-settings').click();
    const dialog = page.getByTestId('settings-dialog');
    await dialog.waitFor();
    await dialog.getByRole('tab', { name: 'Betrieb' }).click();
    const section = dialog.getByTestId('rotation-section');
    await section.waitFor();
    // the office's calendar day (Europe/Berlin), as the UI shows it whatever zone this machine runs in
    const validTo = (iso: string) => officeTime().date(iso);
    await expect.poll(() => section.innerText()).toContain(`gültig bis ${validTo(oldCert.validTo)}`);

    await section.getByTestId('rotation-key-file').locator('input[type="file"]').setInputFiles(next.file);
    await section.getByTestId('rotation-key-file').getByText('neu.p12').waitFor();
    await section.getByTestId('rotation-password').fill(KEY_PASSWORD);
    await section.getByTestId('rotation-stage').click();
    const warnings = section.getByTestId('rotation-next-warnings');
    await warnings.waitFor();
    await expect.poll(() => warnings.innerText()).toContain('Der Schlüssel ist mit 2048 Bit zu kurz (empfohlen: mindestens 3000 Bit, BSI TR-02102).');
    const steps = section.getByTestId('rotation-steps').locator('li');
    await expect
      .poll(() => steps.allInnerTexts())
      .toEqual([
        expect.stringMatching(/^Neues Zertifikat einlesen \(erledigt\)/),
        expect.stringMatching(/^Altes Postfach leeren \(offen\)/),
        expect.stringMatching(/^Auf das neue Zertifikat umschalten \(offen\)/),
        expect.stringMatching(/^Neues Zertifikat bekannt geben \(offen\)/),
      ]);
    await expect.poll(() => section.innerText()).toContain(`Sozialamt Musterstadt 2028, O=Stadt Musterstadt, C=DE (gültig bis ${validTo(next.certificate.validTo)})`);

    // the intermediary is down: the interruption in words, with what to do, never the bare error kind
    const port = Number(new URL(intermediary.url).port);
    await intermediary.close();
    await section.getByTestId('rotation-run').click();
    const interrupted = section.getByTestId('rotation-interrupted');
    await interrupted.waitFor();
    await expect
      .poll(() => interrupted.innerText())
      .toContain('Der Wechsel wurde unterbrochen: Der Intermediär war nicht erreichbar. Er kann fortgesetzt werden; nichts geht verloren.');
    const said = await interrupted.innerText();
    expect(said).toContain('Was kann ich tun?');
    expect(said).toContain('Prüfen Sie, ob der Rechner mit dem Netz verbunden ist');
    expect(said).not.toMatch(/\(network\)/);
    await expect.poll(() => section.getByTestId('rotation-run').innerText()).toBe('Wechsel fortsetzen');
    await interrupted.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'ui-settings-rotation-interrupted', { fullPage: false });
    await expectAxeClean(page, 'Einstellungen: Zertifikatswechsel unterbrochen');

    intermediary = await startIntermediary({ port, dataDir: path.join(root, 'im'), keys: loadIntermediaryKeys({ pkiDir }) });
    await section.getByTestId('rotation-run').click();
    const done = section.getByTestId('rotation-last-completed');
    await done.waitFor();
    await expect.poll(() => done.innerText()).toMatch(/^Der letzte Zertifikatswechsel wurde am \d\d\.\d\d\.\d{4}, \d\d:\d\d abgeschlossen\.$/);
    // the identity in force is read again after the last step: wait for it
    await expect.poll(() => section.innerText()).toMatch(/In Kraft\s+CN=Sozialamt Musterstadt 2028/);
    const text = await section.innerText();
    expect(text).toMatch(new RegExp(`Abgelöst\\s+.*Sozialamt Musterstadt.*\\(gültig bis ${validTo(oldCert.validTo).replace(/\./g, '\\.')}\\)`));
    expect(text).not.toMatch(/\d{4}-\d\d-\d\d/);
    // the warning stays in view for the certificate now in force
    await expect.poll(() => section.getByTestId('rotation-current-warnings').innerText()).toContain('2048 Bit');
    await expect
      .poll(() =>
        page
          .getByTestId('status-message')
          .innerText()
          .catch(() => ''),
      )
      .toContain('Das neue Zertifikat ist jetzt in Kraft');
    expect((await listedItems(ui)).length).toBe(before + 1);
    expect((await serviceApi(ui).call('identity.get', {})).identity?.cipherCertificate.fingerprintSha256).toBe(next.certificate.fingerprint256);
    await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await saveScreenshot(page, 'ui-settings-rotation', { fullPage: false });
    await expectAxeClean(page, 'Einstellungen: Zertifikatswechsel abgeschlossen');
    await dialog.getByRole('button', { name: 'Schließen' }).first().click();
    await dialog.waitFor({ state: 'detached' });
    ui.assertClean();
  }, 120_000);
});

describe('certificate expiry in the status bar', () => {
  const setUp = async (file: string) => {
    await serviceApi(ui).call('identity.setup', {
      keyFile: file,
      password: KEY_PASSWORD,
      intermediaryUrl: intermediary.url,
      intermediaryCertificateFile: testPkiFiles(pkiDir).intermediary.cer,
    });
    // the page loaded again: the service keeps the store open, the new identity is read at start
    await ui.page.reload({ waitUntil: 'load' });
    await ui.page.getByTestId('message-list').waitFor();
    return ui.page.getByTestId('certificate-expiry');
  };

  it('within 60 days: a warning with its date, days and what to do', async () => {
    const soon = keyFile('bald.p12', 'Sozialamt Musterstadt bald', Date.now() - 300 * DAY_MS, Date.now() + 30 * DAY_MS - 3_600_000);
    const expiry = await setUp(soon.file);
    const { page } = ui;
    await expect.poll(() => expiry.innerText()).toContain('(in 30 Tagen)');
    expect(await expiry.getAttribute('class')).toContain('statusbar__warning');
    expect(await expiry.innerText()).toContain(officeTime().date(soon.certificate.validTo));
    await expiry.getByRole('button', { name: 'Was kann ich tun?' }).click();
    const help = page.getByRole('dialog');
    await expect.poll(() => help.innerText()).toContain('Das Zertifikat des Postfachs läuft in 30 Tagen ab');
    // the same count as the certificate's own warning (a day begun counts)
    expect(
      (await serviceApi(ui).call('identity.get', {})).identity?.cipherCertificate.warnings.map((w) => certificateWarningWords('de', w, (iso) => officeTime().date(iso))),
    ).toContainEqual(expect.stringContaining('läuft in 30 Tagen ab'));
    expect(await help.innerText()).toContain('Bitten Sie die IT rechtzeitig um ein neues Zertifikat');
    await saveScreenshot(page, 'ui-statusbar-certificate-expiring', { fullPage: false });
    await expectAxeClean(page, 'Statusleiste: Zertifikat läuft bald ab');
    await page.keyboard.press('Escape');
    ui.assertClean();
  }, 60_000);

  it('expired: said plainly, fetching still possible, what to do', async () => {
    const expired = keyFile('abgelaufen.p12', 'Sozialamt Musterstadt alt', Date.now() - 400 * DAY_MS, Date.now() - 3 * DAY_MS + 3_600_000);
    const expiry = await setUp(expired.file);
    const { page } = ui;
    await expect.poll(() => expiry.innerText()).toMatch(/Zertifikat abgelaufen am \d\d\.\d\d\.\d{4} \(vor 3 Tagen\)/);
    expect(await expiry.getAttribute('class')).toContain('statusbar__warning');
    await expiry.getByRole('button', { name: 'Was kann ich tun?' }).click();
    const help = page.getByRole('dialog');
    await expect.poll(() => help.innerText()).toContain('Abrufen geht noch');
    expect(await help.innerText()).toContain('Bitten Sie die IT sofort um ein neues Zertifikat');
    await saveScreenshot(page, 'ui-statusbar-certificate-expired', { fullPage: false });
    await expectAxeClean(page, 'Statusleiste: Zertifikat abgelaufen');
    await page.keyboard.press('Escape');
    ui.assertClean();
  }, 60_000);
});
