/**
 * One time, one wording, everywhere (issue 10 "The legal time", Must show): deliveries whose Creation is exactly
 * 2026-03-29T00:30Z (spring forward, 01:30 MEZ), 2026-10-25T00:30Z (fall back, 02:30 MESZ — the 02:30 that comes
 * first) and 2026-03-28T23:30Z (midnight UTC: already 29.03. in the office) are fetched for real (local
 * intermediary stamping that Creation, fetch engine, store) at that very moment, so the audit log's "abgerufen"
 * is that moment too. Then the UI in Chromium (whose own zone is New York), the PDF and the Eingangsbestätigung
 * (pdftotext), `postfach list` (a process in Los Angeles's zone) and the audit CSV must all say the same date and
 * time, in the office zone Europe/Berlin.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runFetch } from '../../core/mailbox/fetch-engine.js';
import { identityFromFiles } from '../../core/mailbox/identity.js';
import { createTestPki, testPkiFiles } from '../../core/pki/test-pki.js';
import { PostfachStore } from '../../core/store/index.js';
import { loadIntermediaryKeys, loadSenderSetup, sendApplications, startIntermediary, type RunningIntermediary } from '../../intermediary/index.js';
import { ensureCliBuilt } from '../helpers/build.js';
import { projectRoot } from '../helpers/shared.js';
import { expectAxeClean } from './helpers/axe.js';
import { pdfText, serviceApi } from './helpers/flow.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

const PASSWORD = 'Zeitumstellung-2026';

/** The instants, and how the office (Europe/Berlin) says them: on screen, and stated on documents. */
const INSTANTS = [
  { at: '2026-03-29T00:30:00Z', screen: '29.03.2026, 01:30', stated: '29.03.2026, 01:30:00 Uhr (MEZ, UTC+01:00)' },
  { at: '2026-10-25T00:30:00Z', screen: '25.10.2026, 02:30', stated: '25.10.2026, 02:30:00 Uhr (MESZ, UTC+02:00)' },
  { at: '2026-03-28T23:30:00Z', screen: '29.03.2026, 00:30', stated: '29.03.2026, 00:30:00 Uhr (MEZ, UTC+01:00)' },
] as const;

const root = mkdtempSync(path.join(tmpdir(), 'postfach-legal-time-ui-'));
let pkiDir = '';
let intermediary: RunningIntermediary;
let ui: UiSession;
/** The intermediary's clock while sending, where it differs from everyone else's (a Creation in the future). */
let intermediaryNow: Date | undefined;
/** A delivery whose Creation the intermediary set into the future, fetched at FUTURE_FETCHED_AT. */
let futureId = 0;
const FUTURE_FETCHED_AT = '2026-11-02T09:00:00Z';
/** Store id per instant (same order as INSTANTS). */
const ids: number[] = [];
let cliList = '';

function runCli(args: readonly string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'dist', 'cli', 'main.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Sends one application and fetches it with every clock (intermediary, engine, store, audit) at `at`. */
async function deliverAt(dbPath: string, at: string, creation?: Date): Promise<number> {
  const f = testPkiFiles(pkiDir);
  vi.useFakeTimers({ toFake: ['Date'], now: new Date(at) });
  try {
    intermediaryNow = creation;
    await sendApplications({ intermediaryUrl: intermediary.url, setup: loadSenderSetup({ pkiDir }), seed: `zeit-${at}` });
    intermediaryNow = undefined;
    const store = await PostfachStore.open(dbPath, { password: PASSWORD });
    try {
      const identity = identityFromFiles({
        keyFile: f.municipality.p12,
        password: readFileSync(f.password, 'utf8').trim(),
        intermediaryUrl: intermediary.url,
        intermediaryCertificateFile: f.intermediary.cer,
        trustedCaFiles: [f.ca],
        timeoutSeconds: 30,
      });
      const result = await runFetch({ store, identity });
      expect(result).toMatchObject({ outcome: 'complete', newMessages: 1 });
      return result.newIds[0]!;
    } finally {
      store.close();
    }
  } finally {
    vi.useRealTimers();
  }
}

beforeAll(async () => {
  ensureCliBuilt(['mailbox.js']);
  // certificates valid at the instants (March 2026)
  pkiDir = path.join(root, 'pki');
  await createTestPki(pkiDir, { now: new Date('2026-01-01T00:00:00Z'), validDays: 1000 });
  intermediary = await startIntermediary({
    port: 0,
    dataDir: path.join(root, 'intermediary'),
    keys: loadIntermediaryKeys({ pkiDir }),
    options: { clock: () => intermediaryNow ?? new Date() },
  });
  ui = await startUiSession({
    timezoneId: 'America/New_York',
    prepare: async (dataDir) => {
      const dbPath = path.join(dataDir, 'postfach.db');
      const { store } = await PostfachStore.create(dbPath, { password: PASSWORD, scrypt: { N: 1024, r: 8, p: 1 }, osUser: 'test' });
      store.close();
      for (const instant of INSTANTS) ids.push(await deliverAt(dbPath, instant.at));
      futureId = await deliverAt(dbPath, FUTURE_FETCHED_AT, new Date('2099-01-01T00:00:00Z'));
      // the command line in yet another zone of its own
      const listed = await runCli(['list', '--store', dbPath], { POSTFACH_STORE_PASSWORD: PASSWORD, TZ: 'America/Los_Angeles' });
      expect(listed.status, listed.stderr).toBe(0);
      cliList = listed.stdout;
    },
  });
  await ui.open();
  await ui.page.getByLabel('Passwort des Datenspeichers').fill(PASSWORD);
  await ui.page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
  await ui.page.getByTestId('message-list').waitFor();
}, 600_000);

afterAll(async () => {
  await ui?.close();
  await intermediary?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the same date and time everywhere, in the office time zone', () => {
  it('the stored Creation is the instant itself, plausible', async () => {
    const api = serviceApi(ui);
    for (const [i, instant] of INSTANTS.entries()) {
      const item = (await api.call('messages.list', { limit: 10 })).items.find((x) => x.id === ids[i]);
      expect(item).toMatchObject({ eingang: new Date(instant.at).toISOString(), eingangKnown: true, creationCheck: 'plausible', fetchedAt: new Date(instant.at).toISOString() });
    }
  });

  it('postfach list (in a process whose own zone is Los Angeles)', () => {
    for (const [i, instant] of INSTANTS.entries()) {
      const line = cliList.split('\n').find((l) => l.trimStart().startsWith(`${ids[i]} `));
      expect(line, cliList).toBeDefined();
      expect(line).toContain(instant.screen);
    }
    expect(cliList).toContain('Zeiten in der Zeitzone Europe/Berlin.');
  });

  it('a Creation in the future is shown as such, with the time of receipt beside it: UI, list, receipt', async () => {
    const { page } = ui;
    const fetched = { screen: '02.11.2026, 10:00', stated: '02.11.2026, 10:00:00 Uhr (MEZ, UTC+01:00)' };
    const row = page.locator(`[data-testid="message-list"] [data-id="${futureId}"]`);
    // the row: the flag and the time of receipt in place of the Eingang; its name says the Creation too
    expect(await row.innerText()).toContain(`⚠ nicht plausibel · Abruf ${fetched.screen}`);
    // and it fits: the time of receipt is not cut off
    expect(await row.locator('.row__eingang-warning').evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    expect(await row.innerText()).not.toContain('2099');
    expect(await row.getAttribute('aria-label')).toContain(`Eingang 01.01.2099, 01:00, Eingang nicht plausibel: liegt in der Zukunft; abgerufen am ${fetched.screen}:00`);
    await row.click();
    const notice = `Eingang nicht plausibel: liegt in der Zukunft; abgerufen am ${fetched.screen}:00; Zertifikate zu diesem Zeitpunkt geprüft`;
    await expect.poll(() => page.getByTestId('message-eingang').innerText()).toContain(notice);
    expect(await page.getByTestId('message-eingang').innerText()).toContain('01.01.2099, 01:00:00');
    await saveScreenshot(page, 'ui-legal-time-future');
    await expectAxeClean(page, 'Eingang nicht plausibel');
    await page.getByRole('tab', { name: 'Laufzettel' }).click();
    expect(await page.getByTestId('laufzettel-eingang').innerText()).toContain(notice);
    expect(await page.getByText('Zertifikat zum Zeitpunkt des Abrufs geprüft', { exact: false }).count()).toBeGreaterThan(0);
    await saveScreenshot(page, 'ui-legal-time-future-laufzettel');

    const line = cliList.split('\n').find((l) => l.trimStart().startsWith(`${futureId} `));
    expect(line).toContain('01.01.2099, 01:00');
    expect(line).toContain(`Eingang nicht plausibel: liegt in der Zukunft; abgerufen am ${fetched.screen}`);

    const target = path.join(ui.dataDir, 'zukunft.pdf');
    await serviceApi(ui).call('messages.export', { id: futureId, format: 'receipt', target });
    const text = pdfText(target).replace(/\s+/g, ' ');
    expect(text).toContain('01.01.2099, 01:00:00 Uhr (MEZ, UTC+01:00)');
    expect(text).toContain(`Eingang nicht plausibel: liegt in der Zukunft; abgerufen am ${fetched.stated}`);
    ui.assertClean();
  });

  it('the UI in Chromium (whose own zone is New York): list row, reading pane, Laufzettel', async () => {
    const { page } = ui;
    for (const [i, instant] of INSTANTS.entries()) {
      const row = page.locator(`[data-testid="message-list"] [data-id="${ids[i]}"]`);
      expect(await row.innerText()).toContain(instant.screen);
      expect(await row.getAttribute('aria-label')).toContain(instant.screen);
      await row.click();
      await expect.poll(() => page.getByTestId('message-eingang').innerText()).toContain(`${instant.screen}:00`);
      await page.getByRole('tab', { name: 'Laufzettel' }).click();
      // the Laufzettel states the zone, as its PDF does
      expect(await page.getByTestId('laufzettel-eingang').innerText()).toContain(instant.stated);
      expect(await page.getByTestId('eingang-warning').count()).toBe(0);
      if (i === 1) await saveScreenshot(page, 'ui-legal-time-laufzettel');
    }
    ui.assertClean();
  });

  it('the PDF for the e-file and the Eingangsbestätigung (pdftotext)', async () => {
    const api = serviceApi(ui);
    for (const [i, instant] of INSTANTS.entries()) {
      for (const format of ['pdf', 'receipt'] as const) {
        const target = path.join(ui.dataDir, `${format}-${i}.pdf`);
        await api.call('messages.export', { id: ids[i]!, format, target });
        const text = pdfText(target).replace(/\s+/g, ' ');
        expect(text, `${format} ${instant.at}`).toContain(`Eingang beim Intermediär ${instant.stated}`);
      }
    }
  });

  it('the audit CSV: the "abgerufen" entry of each delivery, fetched at that instant', async () => {
    const api = serviceApi(ui);
    const target = path.join(ui.dataDir, 'protokoll.csv');
    // semicolons (as for German Excel): the stated time holds a comma, so no quoting to undo here
    await api.call('audit.exportCsv', { target, delimiter: ';' });
    const rows = readFileSync(target, 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .map((r) => r.split(';'));
    for (const [i, instant] of INSTANTS.entries()) {
      const fetched = rows.find((r) => r[4] === 'fetched' && r[5] === String(ids[i]));
      expect(fetched?.[1]).toBe(instant.stated);
    }
  });
});
