/**
 * The ops area of the contract through the real service (in process, with validation of every message): the machine
 * settings with sources, locks and problems; locked settings refused by the mailbox area; allowed export folders
 * enforced; backup create/verify/restore; the rotation status; the acceptance record with a screenshot.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostfachApi } from '../../core/api/api-types.js';
import { createApiClient } from '../../core/api/client.js';
import { startInProcessService } from '../../core/api/in-process-service.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { PostfachError } from '../../core/errors.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { PostfachStore } from '../../core/store/index.js';
import { pkiPassword, send, sharedPki, startTestIntermediary, tempDir } from '../mailbox/helpers.js';
import type { RunningIntermediary } from './mailbox-helpers.js';
import { failure } from './helpers.js';

const root = tempDir('postfach-ops-contract-');
const dataDir = path.join(root, 'daten');
const exportDir = path.join(root, 'e-akte');
const STORE_PW = 'Datenspeicher-2026!';
let intermediary: RunningIntermediary;
let host: ServiceHost;
let api: PostfachApi;
let pkiDir = '';
const savedEnv = process.env.POSTFACH_MACHINE_CONFIG;

beforeAll(async () => {
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'im'));
  mkdirSync(exportDir, { recursive: true });
  const machineFile = path.join(root, 'config.json');
  writeFileSync(
    machineFile,
    JSON.stringify({
      settings: {
        intermediaryUrl: intermediary.url,
        allowedExportFolders: [exportDir],
        retentionTrashDays: 10,
        minimumKeyBits: 2048,
        language: 'klingonisch',
        fetchIntervalMinutes: 20,
      },
      defaults: { retentionTransferredDays: 21 },
    }),
  );
  process.env.POSTFACH_MACHINE_CONFIG = machineFile;
  host = await startInProcessService({ dataDir, appVersion: '0.1.0-test', host: 'browser' });
  api = createApiClient(host.asBridge());
  await api.call('store.create', { password: STORE_PW });
  const f = testPkiFiles(pkiDir);
  await api.call('identity.setup', {
    keyFile: f.municipality.p12,
    password: pkiPassword(pkiDir),
    intermediaryUrl: intermediary.url,
    intermediaryCertificateFile: f.intermediary.cer,
    trustedCaFiles: [f.ca],
  });
  await send(intermediary.url, pkiDir, { count: 1, seed: 'ops-test', test: true });
  await send(intermediary.url, pkiDir, { count: 1, seed: 'ops-echt' });
  const fetched = await api.call('mailbox.fetch', {});
  expect(fetched).toMatchObject({ outcome: 'complete', newMessages: 2, expiry: { status: 'ok' } });
}, 180_000);

afterAll(async () => {
  await host?.close();
  await intermediary?.close();
  if (savedEnv === undefined) delete process.env.POSTFACH_MACHINE_CONFIG;
  else process.env.POSTFACH_MACHINE_CONFIG = savedEnv;
});

describe('ops contract', () => {
  it('config.get: values with source, lock and reason; the broken value reported', async () => {
    const config = await api.call('config.get', {});
    const setting = (key: string) => config.settings.find((s) => s.key === key);
    expect(setting('intermediaryUrl')).toMatchObject({
      value: intermediary.url,
      source: 'machine',
      locked: true,
      lockReason: { de: 'von Ihrer IT festgelegt (Konfigurationsdatei des PCs)' },
    });
    expect(setting('fetchIntervalMinutes')).toMatchObject({ value: 20, source: 'machine', locked: true });
    expect(setting('retentionTransferredDays')).toMatchObject({ value: 21, source: 'machine-default', locked: false });
    expect(setting('language')).toMatchObject({ value: 'de', source: 'default' });
    expect(config.problems).toHaveLength(1);
    expect(config.problems[0]).toMatchObject({ layer: 'machine-file', setting: 'language' });
  });

  it('the user settings sit under the machine settings: a locked one cannot be set', async () => {
    expect(await api.call('settings.get', {})).toEqual({ language: 'de', fetchIntervalMinutes: 20, familyNameFirst: true });
    const locked = await failure(api.call('settings.set', { fetchIntervalMinutes: 5 }));
    expect(locked.kind).toBe('setting-locked');
    expect(locked.text.de).toBe('„Abrufintervall (Minuten)“ ist von Ihrer IT festgelegt (Konfigurationsdatei des PCs) und kann hier nicht geändert werden.');
    expect(await api.call('settings.set', { language: 'en' })).toEqual({ language: 'en', fetchIntervalMinutes: 20, familyNameFirst: true });
    expect(await api.call('settings.get', {})).toEqual({ language: 'en', fetchIntervalMinutes: 20, familyNameFirst: true });
  });

  it('locked settings are refused; retention from the settings is in force in the store', async () => {
    expect((await failure(api.call('identity.updateConnection', { intermediaryUrl: 'https://anderer.example.de/osci' }))).kind).toBe('setting-locked');
    const locked = await failure(api.call('retention.updateSettings', { retentionTrashDays: 99 }));
    expect(locked.kind).toBe('setting-locked');
    expect(locked.text.de).toMatch(/„Aufbewahrung im Papierkorb \(Tage\)“ ist von Ihrer IT festgelegt/);
    expect(await api.call('retention.settings', {})).toMatchObject({ retentionTrashDays: 10 });
    expect(await api.call('retention.updateSettings', { retentionTransferredDays: 14 })).toMatchObject({ retentionTransferredDays: 14, retentionTrashDays: 10 });
  });

  it('exports only into the allowed folders', async () => {
    const [first] = (await api.call('messages.list', {})).items;
    const outside = await failure(api.call('messages.export', { id: first!.id, format: 'xml', target: path.join(root, 'irgendwo.xml') }));
    expect(outside.kind).toBe('export-folder-not-allowed');
    expect(outside.text.de).toContain(exportDir);
    const sneaky = await failure(api.call('messages.export', { id: first!.id, format: 'xml', target: path.join(exportDir, '..', 'raus.xml') }));
    expect(sneaky.kind).toBe('export-folder-not-allowed');
    expect((await failure(api.call('audit.exportCsv', { target: path.join(root, 'protokoll.csv') }))).kind).toBe('export-folder-not-allowed');
    const inside = await api.call('messages.export', { id: first!.id, format: 'xml', target: path.join(exportDir, 'unter', 'antrag.xml') }).catch((e: unknown) => e);
    // the folder below must exist for the XML export; the check itself let it through
    expect(inside instanceof PostfachError ? inside.kind : 'ok').not.toBe('export-folder-not-allowed');
    await api.call('messages.export', { id: first!.id, format: 'xml', target: path.join(exportDir, 'antrag.xml') });
    expect(statSync(path.join(exportDir, 'antrag.xml')).size).toBeGreaterThan(0);
  });

  it('backup.create, backup.verify, backup.restore into an empty place', async () => {
    expect((await failure(api.call('backup.create', { target: path.join(root, 'sicherung.pfbak'), password: 'Sicherung-2026' }))).kind).toBe('export-folder-not-allowed');
    const file = path.join(exportDir, 'sicherung.pfbak');
    const created = await api.call('backup.create', { target: file, password: 'Sicherung-2026' });
    expect(created.summary.messages).toBe(2);
    expect((await api.call('backup.verify', { file, password: 'Sicherung-2026' })).summary).toEqual(created.summary);
    expect((await failure(api.call('backup.verify', { file, password: 'Sicherung-2025' }))).kind).toBe('backup-wrong-password');
    expect((await failure(api.call('backup.restore', { file, password: 'Sicherung-2026' }))).kind).toBe('backup-target-exists');
    const target = path.join(root, 'neuer-pc', 'postfach.db');
    const restored = await api.call('backup.restore', { file, password: 'Sicherung-2026', storePath: target });
    expect(restored.summary.messages).toBe(2);
    const copy = await PostfachStore.open(target, { password: STORE_PW });
    expect(copy.list({ limit: 10 }).total).toBe(2);
    copy.close();
  }, 60_000);

  it('backup.create refuses an existing file, and replaces it only when the user chose to (save dialog)', async () => {
    const file = path.join(exportDir, 'vorhanden.pfbak');
    writeFileSync(file, 'die Sicherung von gestern');
    const refused = await failure(api.call('backup.create', { target: file, password: 'Sicherung-2026' }));
    expect(refused.kind).toBe('backup-io');
    expect(refused.text.de).toBe('Diese Sicherungsdatei gibt es schon. Sie wird nicht überschrieben; bitte einen anderen Namen wählen.');
    expect(readFileSync(file, 'utf8')).toBe('die Sicherung von gestern');
    // a replace that fails (the target is a folder: the rename at the end fails) leaves what was there and no temporary file
    const folder = path.join(exportDir, 'ordner.pfbak');
    mkdirSync(path.join(folder, 'inhalt'), { recursive: true });
    expect((await failure(api.call('backup.create', { target: folder, password: 'Sicherung-2026', replace: true }))).kind).toBe('backup-io');
    expect(readdirSync(folder)).toEqual(['inhalt']);
    expect(readdirSync(exportDir).filter((f) => f.startsWith('ordner.pfbak'))).toEqual(['ordner.pfbak']);

    const replaced = await api.call('backup.create', { target: file, password: 'Sicherung-2026', replace: true });
    expect(replaced.path).toBe(file);
    expect(readFileSync(file).subarray(0, 6).toString('latin1')).toBe('OPFBAK');
    expect((await api.call('backup.verify', { file, password: 'Sicherung-2026' })).summary).toEqual(replaced.summary);
    // no temporary file is left beside it
    expect(readdirSync(exportDir).filter((f) => f.startsWith('vorhanden.pfbak'))).toEqual(['vorhanden.pfbak']);
  }, 60_000);

  it('rotation.status explains the steps; abnahme.create embeds the screenshot and is audited', async () => {
    const status = await api.call('rotation.status', {});
    expect(status.state).toBe('none');
    expect(status.current?.subject).toMatch(/Sozialamt Musterstadt/);
    expect(status.steps.map((s) => s.id)).toEqual(['import', 'drain', 'switch', 'announce']);
    expect((await failure(api.call('rotation.run', {}))).kind).toBe('rotation-none');

    const test = (await api.call('messages.list', { test: true })).items[0]!;
    const target = path.join(exportDir, 'abnahme.pdf');
    const png = readFileSync(path.resolve('resources/icons/postfach-128.png')).toString('base64');
    const record = await api.call('abnahme.create', { id: test.id, target, screenshot: png, screenshotSource: 'Test' });
    expect(record).toMatchObject({ path: target, screenshot: true });
    expect(readFileSync(target).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const real = (await api.call('messages.list', { test: false })).items[0]!;
    expect((await failure(api.call('abnahme.create', { id: real.id, target: path.join(exportDir, 'echt.pdf') }))).kind).toBe('abnahme-not-test');
    const audit = await api.call('audit.list', { deliveryId: test.id });
    expect(audit.entries.some((e) => e.action === 'exported')).toBe(true);
  }, 60_000);
});
