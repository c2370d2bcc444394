/**
 * "Echtes Postfach einrichten" in browser mode against a real local OSCI intermediary and a test PKI: the key file and
 * the certificate are chosen with the file input (their bytes go one way into `workspace.uploadFile`), the key
 * password is typed once and sent in a single call, a wrong one is refused with advice, the recovery key is shown
 * once and must be confirmed, the connection test proves URL, keys and signer (and names the certificate's warning:
 * it expires within 60 days), and the first fetch brings the applications sent meanwhile. No answer the page
 * received contains the key password.
 */
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, testPkiFiles } from '../../core/pki/test-pki.js';
import { loadIntermediaryKeys, loadSenderSetup, sendApplications, startIntermediary, type RunningIntermediary } from '../../intermediary/index.js';
import { expectAxeClean } from './helpers/axe.js';
import { listedItems, serviceApi } from './helpers/flow.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

describe('setting up the real mailbox (browser mode)', () => {
  let ui: UiSession;
  let intermediary: RunningIntermediary;
  let pkiDir: string;
  let p12Password: string;
  const answers: string[] = [];

  beforeAll(async () => {
    ui = await startUiSession({
      prepare: async (dataDir) => {
        pkiDir = path.join(dataDir, '..', `${path.basename(dataDir)}-pki`);
        // the mailbox certificate expires within 60 days: the set-up names it on its last step
        await createTestPki(pkiDir, { force: true, validDays: 45 });
      },
    });
    p12Password = readFileSync(testPkiFiles(pkiDir).password, 'utf8').trim();
    intermediary = await startIntermediary({ port: 0, dataDir: path.join(pkiDir, 'intermediary'), keys: loadIntermediaryKeys({ pkiDir }) });
    ui.page.on('response', (response) => {
      if (response.url().includes('/api/call/'))
        void response.text().then(
          (body) => answers.push(body),
          () => undefined,
        );
    });
    await ui.open();
  });
  afterAll(async () => {
    await intermediary?.close();
    await ui?.close();
    if (pkiDir) rmSync(pkiDir, { recursive: true, force: true });
  });

  it('uploads the key and certificate files, refuses a wrong key password with advice', async () => {
    const { page } = ui;
    const files = testPkiFiles(pkiDir);
    await page.getByRole('button', { name: 'Postfach einrichten' }).click();
    await page.getByRole('heading', { level: 1, name: 'Echtes Postfach einrichten' }).waitFor();
    await page.getByTestId('pick-key').locator('input[type="file"]').setInputFiles(files.municipality.p12);
    await page.getByTestId('pick-key').getByText('municipality.p12').waitFor();
    await page.getByTestId('pick-certificate').locator('input[type="file"]').setInputFiles(files.intermediary.cer);
    await page.getByTestId('pick-certificate').getByText('intermediary.cer').waitFor();
    await page.getByTestId('pick-signer').locator('input[type="file"]').setInputFiles(files.ca);
    await page.getByLabel('Passwort der Schlüsseldatei').fill('nicht-das-Passwort');
    await page.getByLabel('Adresse des Intermediärs').fill(intermediary.url);
    await page.getByLabel('Passwort für den Datenspeicher (mindestens 8 Zeichen)').fill('Ein-langes-Speicherpasswort');
    await page.getByLabel('Passwort wiederholen').fill('Ein-langes-Speicherpasswort');
    await saveScreenshot(page, 'ui-setup-filled');
    await page.getByRole('button', { name: 'Postfach einrichten' }).click();

    // the key file is read before the store is made: no store, no recovery key, the form stays as it was
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.innerText()).toContain('Geben Sie das Passwort der Schlüsseldatei erneut ein');
    // the refusal is shown, so the set-up call has ended: no recovery key came with it
    expect(await page.getByTestId('recovery-dialog').count()).toBe(0);
    await expect.poll(() => page.getByLabel('Passwort der Schlüsseldatei').inputValue()).toBe('');
    await page.getByLabel('Passwort für den Datenspeicher (mindestens 8 Zeichen)').waitFor();
    await page.getByLabel('Passwort wiederholen').waitFor();
    expect(await page.getByText('Der Datenspeicher ist bereits angelegt und geöffnet.').count()).toBe(0);
    expect(await serviceApi(ui).call('store.status', {})).toMatchObject({ state: 'none' });
    expect(readdirSync(ui.dataDir).filter((n) => n.startsWith('postfach.db'))).toEqual([]);
    await page.getByTestId('pick-key').getByText('municipality.p12').waitFor();
    await saveScreenshot(page, 'ui-setup-wrong-password');
    await expectAxeClean(page, 'Einrichtung: falsches Passwort');
  });

  it('with the right password: mailbox identity set up, connection test passes, first fetch brings the applications', async () => {
    const { page } = ui;
    const sent = await sendApplications({ intermediaryUrl: intermediary.url, setup: loadSenderSetup({ pkiDir }), count: 2, service: 'hzl', seed: 'ui-setup' });
    expect(sent).toHaveLength(2);
    await page.getByLabel('Passwort der Schlüsseldatei').fill(p12Password);
    // the store passwords were emptied with the key password: typed again
    await page.getByLabel('Passwort für den Datenspeicher (mindestens 8 Zeichen)').fill('Ein-langes-Speicherpasswort');
    await page.getByLabel('Passwort wiederholen').fill('Ein-langes-Speicherpasswort');
    await page.getByRole('button', { name: 'Postfach einrichten' }).click();

    // store and identity made in one step: now the recovery key is shown, once
    const recovery = page.getByTestId('recovery-dialog');
    await recovery.waitFor();
    await expect.poll(async () => (await recovery.getByTestId('recovery-key').innerText()).length).toBeGreaterThan(20);
    const key = await recovery.getByTestId('recovery-key').innerText();
    expect(key.length).toBeGreaterThan(20);
    expect(await recovery.getByRole('button', { name: 'Weiter' }).isDisabled()).toBe(true);
    await saveScreenshot(page, 'ui-recovery-key');
    await expectAxeClean(page, 'Wiederherstellungsschlüssel');
    await recovery.getByText('Ich habe den Wiederherstellungsschlüssel sicher notiert.').click();
    await recovery.getByRole('button', { name: 'Weiter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Verbindung prüfen' }).waitFor();
    await page.getByText(/^Verbindung in Ordnung: Der Intermediär hat geantwortet/).waitFor({ timeout: 60_000 });
    const warnings = page.getByTestId('setup-certificate-warnings');
    // the warnings may come after the test's verdict: wait for them rather than read the first paint
    await expect.poll(() => warnings.getByRole('heading', { level: 2 }).innerText()).toBe('Hinweise zum Zertifikat des Postfachs');
    await expect.poll(() => warnings.innerText()).toMatch(/Das Zertifikat läuft in (44|45) Tagen ab \(am \d\d\.\d\d\.\d{4}\)\. Bitte rechtzeitig ein neues beantragen\./);
    await expect.poll(() => warnings.innerText()).toContain('Bitte geben Sie diese Hinweise an die IT weiter.');
    await saveScreenshot(page, 'ui-connection-test');
    await expectAxeClean(page, 'Verbindung prüfen');
    await page.getByRole('button', { name: 'Zum Postfach' }).click();
    await page.getByTestId('fetch-button').click();
    await page.getByTestId('message-list').waitFor({ timeout: 60_000 });
    await page.getByText(/^Abruf beendet: 2 neue Anträge\.$/).waitFor();
    expect((await listedItems(ui)).map((i) => i.messageId).sort()).toEqual(sent.map((s) => s.messageId).sort());
    const state = await serviceApi(ui).call('workspace.state', {});
    expect(state.mode).toBe('real');
    await page.getByText('Sozialamt Musterstadt').first().waitFor();
    // the uploaded key file is gone from the data folder; the key lives sealed in the store
    expect((await serviceApi(ui).call('workspace.discardUploads', {})).discarded).toBe(0);
    ui.assertClean();
  });

  it('settings: a changed intermediary address; an intermediary that is down is said plainly, with what to do', async () => {
    const { page } = ui;
    await page.getByTestId('open-settings').click();
    const dialog = page.getByTestId('settings-dialog');
    await dialog.getByRole('tab', { name: 'Postfach' }).click();
    const address = dialog.getByLabel('Adresse des Intermediärs ändern');
    // the identity is loaded after the tab opens
    await expect.poll(() => address.inputValue()).toBe(intermediary.url);
    await address.fill('http://127.0.0.1:9/osci');
    await dialog.getByRole('button', { name: 'Speichern' }).click();
    await expect.poll(async () => (await serviceApi(ui).call('identity.get', {})).identity?.intermediaryUrl).toBe('http://127.0.0.1:9/osci');
    await dialog.getByRole('button', { name: 'Verbindung prüfen' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    await expect.poll(() => alert.innerText()).toContain('Der Intermediär ist nicht erreichbar.');
    const text = await alert.innerText();
    expect(text).toContain('Was kann ich tun?');
    expect(text).toContain('Es geht nichts verloren');
    await saveScreenshot(page, 'ui-intermediary-down');
    await expectAxeClean(page, 'Intermediär nicht erreichbar');
    // a fetch meanwhile fails; that error still applies while the caseworker opens messages and the settings
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('fetch-button').click();
    const status = page.getByTestId('status-message');
    await status.getByRole('button', { name: 'Was kann ich tun?' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => status.innerText()).toContain('Der Intermediär ist nicht erreichbar.');
    const failed = await status.innerText();
    await page.getByTestId('message-list').getByRole('option').first().click();
    await page.getByTestId('message-view').waitFor();
    await page.getByTestId('open-settings').click();
    await dialog.waitFor();
    expect(await status.innerText()).toBe(failed);
    await dialog.getByRole('tab', { name: 'Postfach' }).click();
    await address.fill(intermediary.url);
    await dialog.getByRole('button', { name: 'Speichern' }).click();
    await expect.poll(async () => (await serviceApi(ui).call('identity.get', {})).identity?.intermediaryUrl).toBe(intermediary.url);
    await dialog.getByRole('button', { name: 'Verbindung prüfen' }).click();
    await dialog.getByText(/^Verbindung in Ordnung/).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // the next fetch the caseworker starts replaces it
    await page.getByTestId('fetch-button').click();
    await status.getByText(/^Abruf beendet/).waitFor({ timeout: 60_000 });
  });

  it('settings: trusted sender CAs — import shown before it is trusted, the list turns "vertrauenswürdig", remove turns it back', async () => {
    const { page } = ui;
    const rows = () =>
      page
        .getByTestId('message-list')
        .locator('[data-signature]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-signature')));
    // set up without the senders' CA: every valid signature has an unknown issuer
    await expect.poll(rows).toEqual(['unknown-issuer', 'unknown-issuer']);
    await page.getByTestId('open-settings').click();
    const dialog = page.getByTestId('settings-dialog');
    await dialog.getByRole('tab', { name: 'Postfach' }).click();
    const section = dialog.getByTestId('trusted-cas');
    await section.getByRole('heading', { level: 2, name: 'Vertrauenswürdige Absender-CAs' }).waitFor();
    await section.getByText('Noch keine CA eingerichtet.').waitFor();

    const ca = new X509Certificate(readFileSync(testPkiFiles(pkiDir).ca));
    await section.getByTestId('pick-trusted-ca').locator('input[type="file"]').setInputFiles(testPkiFiles(pkiDir).ca);
    const confirm = page.getByTestId('trust-confirm');
    await confirm.waitFor();
    await expect.poll(() => confirm.innerText()).toContain('CN=OSCI-Postfach Test-CA, O=OSCI-Postfach Übungsumgebung, C=DE');
    await expect.poll(() => confirm.innerText()).toContain(ca.fingerprint256);
    await saveScreenshot(page, 'ui-trust-confirm');
    await expectAxeClean(page, 'Einstellungen: CA vertrauen?');
    await confirm.getByRole('button', { name: 'Vertrauen' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByText('CA eingerichtet. 2 gespeicherte Anträge zeigen jetzt einen anderen Vertrauensstatus.').waitFor();
    const item = section.getByRole('list', { name: 'Vertrauenswürdige CAs' }).getByRole('listitem');
    await expect.poll(() => item.count()).toBe(1);
    await expect.poll(() => item.innerText()).toContain(ca.fingerprint256);
    const listed = await item.innerText();
    expect(listed).toContain(ca.fingerprint256);
    expect(listed).toMatch(/Gültig\s+\d\d\.\d\d\.\d{4} bis \d\d\.\d\d\.\d{4}/);
    expect(listed).toContain('vom Amt eingelesen, am ');
    await section.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'ui-trust-settings');
    await expectAxeClean(page, 'Einstellungen: vertrauenswürdige Absender-CAs');
    // the audit log has it, with the count of stored applications judged again
    const audit = (await serviceApi(ui).call('audit.list', {})).entries.filter((e) => e.action.startsWith('trust'));
    expect(audit.map((e) => e.detail)).toEqual([
      `{"v":1,"sha256":"${ca.fingerprint256.replace(/:/g, '').toLowerCase()}","origin":"import"}`,
      '{"v":1,"reason":"ca-added","checked":2,"changed":2}',
    ]);
    // the message list behind the dialog was read again
    await expect.poll(rows).toEqual(['trusted', 'trusted']);

    await section.getByRole('button', { name: 'CN=OSCI-Postfach Test-CA, O=OSCI-Postfach Übungsumgebung, C=DE entfernen' }).click();
    const removal = page.getByTestId('trust-remove');
    await removal.getByRole('button', { name: 'Entfernen' }).click();
    await removal.waitFor({ state: 'detached' });
    await section.getByText('Noch keine CA eingerichtet.').waitFor();
    // the button that asked is gone with its CA: focus is on the section, not lost to the page (Escape still works)
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Vertrauenswürdige Absender-CAs');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(rows).toEqual(['unknown-issuer', 'unknown-issuer']);
    ui.assertClean();
  });

  it('never sends the key password back to the page', () => {
    expect(answers.length).toBeGreaterThan(10);
    expect(answers.filter((a) => a.includes(p12Password))).toEqual([]);
  });
});
