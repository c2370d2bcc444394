/**
 * The workspace area of the contract through the real service in a worker thread: settings and the workspace
 * state survive a restart of the service, the browser mode's upload and download folders behave (sizes, names,
 * chunks, clean-up), and the licence list names what the service runs on.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostfachApi } from '../../core/api/api-types.js';
import { createApiClient } from '../../core/api/client.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { startWorkerService } from '../../core/api/worker-service.js';

let dataDir: string;
let service: ServiceHost;
let api: PostfachApi;

const start = async (): Promise<void> => {
  service = await startWorkerService({ dataDir, appVersion: '0.1.0-test', host: 'browser' });
  api = createApiClient(service.asBridge());
};

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'postfach-workspace-'));
  await start();
});
afterAll(async () => {
  await service?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('settings and workspace state', () => {
  it('starts as a first start with German and a 15-minute fetch interval', async () => {
    expect(await api.call('settings.get', {})).toEqual({ language: 'de', fetchIntervalMinutes: 15, familyNameFirst: true });
    expect(await api.call('workspace.state', {})).toEqual({
      mode: 'unset',
      trainingRunning: false,
      trainingIntermediaryUrl: null,
      trainingPreparation: null,
      lastFetch: null,
      lastSuccessfulFetchAt: null,
    });
    const resumed = await api.call('workspace.resume', {});
    expect(resumed.store.state).toBe('none');
    expect(resumed.store.path).toBe(path.join(dataDir, 'postfach.db'));
    // while the first-start choice is read, the Übungsmodus's keys are made ahead — only they, nothing is started
    const pki = path.join(dataDir, 'uebungsmodus', 'pki');
    await expect.poll(() => existsSync(path.join(pki, 'password')), { timeout: 90_000, interval: 500 }).toBe(true);
    for (const file of ['ca.cer', 'intermediary.p12', 'sender.p12', 'municipality.p12']) expect(existsSync(path.join(pki, file))).toBe(true);
    expect(existsSync(path.join(dataDir, 'uebungsmodus', 'postfach.db'))).toBe(false);
    expect((await api.call('workspace.state', {})).mode).toBe('unset');
  }, 120_000);

  it('keeps settings, the chosen mailbox and the last fetch across a restart of the service', async () => {
    const changes: unknown[] = [];
    const off = api.on('workspace.changed', (s) => changes.push(s));
    await api.call('settings.set', { language: 'en', fetchIntervalMinutes: 5 });
    await api.call('workspace.chooseReal', {});
    const failed = await api.call('workspace.recordFetch', { outcome: 'failed', newMessages: 0, errorKind: 'network' });
    expect(failed.lastSuccessfulFetchAt).toBeNull();
    const done = await api.call('workspace.recordFetch', { outcome: 'complete', newMessages: 3 });
    expect(done.lastFetch).toMatchObject({ outcome: 'complete', newMessages: 3 });
    expect(Date.parse(done.lastSuccessfulFetchAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    await expect.poll(() => changes.length).toBe(3);
    off();
    expect(() => JSON.parse(readFileSync(path.join(dataDir, 'workspace.json'), 'utf8'))).not.toThrow();
    expect(statSync(path.join(dataDir, 'workspace.json')).mode & 0o077).toBe(0);

    await service.close();
    await start();
    expect(await api.call('settings.get', {})).toEqual({ language: 'en', fetchIntervalMinutes: 5, familyNameFirst: true });
    const state = await api.call('workspace.state', {});
    expect(state.mode).toBe('real');
    expect(state.lastFetch).toMatchObject({ outcome: 'complete', newMessages: 3 });
    await expect(api.call('settings.set', { fetchIntervalMinutes: 5000 })).rejects.toMatchObject({ kind: 'api-invalid-input' });
  });

  it('reads a damaged settings file as the defaults instead of failing', async () => {
    await service.close();
    writeFileSync(path.join(dataDir, 'workspace.json'), '{"version":1,"settings":{"language":"en","fetchIntervalMinutes":"oft"},"mode":"real"');
    await start();
    expect(await api.call('settings.get', {})).toEqual({ language: 'de', fetchIntervalMinutes: 15, familyNameFirst: true });
    await service.close();
    writeFileSync(path.join(dataDir, 'workspace.json'), JSON.stringify({ settings: { language: 'en' }, mode: 'training', extra: 1 }));
    await start();
    expect(await api.call('settings.get', {})).toEqual({ language: 'en', fetchIntervalMinutes: 15, familyNameFirst: true });
    expect((await api.call('workspace.state', {})).mode).toBe('training');
    await api.call('settings.set', { language: 'de' });
  });
});

describe('browser-mode uploads', () => {
  it('keeps an uploaded key file privately until it is discarded', async () => {
    const bytes = Buffer.from('not really a p12, but bytes are bytes: äöü');
    const uploaded = await api.call('workspace.uploadFile', { kind: 'p12', name: '..\\..\\Schlüssel Sozialamt.p12', data: bytes.toString('base64') });
    expect(uploaded.name).toBe('Schlüssel Sozialamt.p12');
    expect(uploaded.size).toBe(bytes.length);
    expect(uploaded.path.startsWith(path.join(dataDir, 'transfer', 'uploads') + path.sep)).toBe(true);
    expect(readFileSync(uploaded.path)).toEqual(bytes);
    expect(statSync(uploaded.path).mode & 0o077).toBe(0);
    expect(await api.call('workspace.discardUploads', {})).toEqual({ discarded: 1 });
    expect(existsSync(uploaded.path)).toBe(false);
  });

  it('refuses files over 256 KiB', async () => {
    const justOver = Buffer.alloc(256 * 1024 + 1, 1).toString('base64');
    await expect(api.call('workspace.uploadFile', { kind: 'certificate', name: 'a.cer', data: justOver })).rejects.toMatchObject({ kind: 'transfer-invalid' });
    const far = Buffer.alloc(300 * 1024, 1).toString('base64');
    await expect(api.call('workspace.uploadFile', { kind: 'certificate', name: 'a.cer', data: far })).rejects.toMatchObject({ kind: 'api-invalid-input' });
  });
});

describe('browser-mode downloads', () => {
  it('reads an export back in chunks and deletes it when released', async () => {
    const { downloadId, target } = await api.call('workspace.createDownload', { fileName: 'Antrag/../Erika Musterfrau.pdf' });
    expect(path.basename(target)).toBe('Erika Musterfrau.pdf');
    const content = Buffer.alloc(2_500_000);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7) % 251;
    writeFileSync(target, content);
    expect(await api.call('workspace.downloadFiles', { downloadId })).toEqual({ files: [{ name: 'Erika Musterfrau.pdf', size: content.length }] });
    const parts: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const chunk = await api.call('workspace.readDownload', { downloadId, file: 'Erika Musterfrau.pdf', offset, length: 1024 * 1024 });
      parts.push(Buffer.from(chunk.data, 'base64'));
      offset += Buffer.from(chunk.data, 'base64').length;
      if (chunk.done) break;
    }
    expect(Buffer.concat(parts).equals(content)).toBe(true);
    await expect(api.call('workspace.readDownload', { downloadId, file: '../../workspace.json', offset: 0, length: 10 })).rejects.toMatchObject({ kind: 'transfer-invalid' });
    expect(await api.call('workspace.releaseDownload', { downloadId })).toEqual({ released: true });
    expect(existsSync(target)).toBe(false);
    await expect(api.call('workspace.downloadFiles', { downloadId })).rejects.toMatchObject({ kind: 'transfer-unknown' });
  });

  it('lists the files of a folder export (attachments)', async () => {
    const { downloadId, target } = await api.call('workspace.createDownload', { fileName: 'Anlagen' });
    mkdirSync(target);
    writeFileSync(path.join(target, 'b.png'), 'b');
    writeFileSync(path.join(target, 'a.pdf'), 'aa');
    expect((await api.call('workspace.downloadFiles', { downloadId })).files).toEqual([
      { name: 'Anlagen/a.pdf', size: 2 },
      { name: 'Anlagen/b.png', size: 1 },
    ]);
    const chunk = await api.call('workspace.readDownload', { downloadId, file: 'Anlagen/a.pdf', offset: 0, length: 100 });
    expect(Buffer.from(chunk.data, 'base64').toString()).toBe('aa');
    await service.close();
    await start();
    // a new service start removes what an earlier run left behind
    expect(existsSync(target)).toBe(false);
  });
});

describe('the Übungsmodus', () => {
  it('reports every step of its preparation, opens after the first applications, sends the rest in the background', async () => {
    const progress: Array<{ step: string; done: number; total: number; failed: boolean }> = [];
    const changes: Array<{ trainingPreparation: unknown }> = [];
    const offs = [api.on('workspace.trainingProgress', (p) => progress.push(p)), api.on('workspace.changed', (s) => changes.push(s))];
    const started = await api.call('workspace.startTraining', {});
    expect(started.state).toMatchObject({ mode: 'training', trainingRunning: true });
    expect(started.state.trainingIntermediaryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/osci$/);
    expect(started.store).toMatchObject({ state: 'open', identityConfigured: true, path: path.join(dataDir, 'uebungsmodus', 'postfach.db') });
    // open after the first batch (two), while the rest is still being sent (opening the store takes a moment, in which
    // the background may have sent one more)
    expect(started.state.trainingPreparation).toMatchObject({ step: 'applications', total: 5, failed: false });
    expect(started.state.trainingPreparation?.done).toBeGreaterThanOrEqual(2);
    expect(started.state.trainingPreparation?.done).toBeLessThan(5);
    // the steps in order, each count rising by one: the store, then the applications one by one (the keys were made
    // ahead at the first start above: no step for them now)
    expect(progress.slice(0, 4)).toEqual([
      { step: 'store', done: 0, total: 1, failed: false },
      { step: 'store', done: 1, total: 1, failed: false },
      { step: 'applications', done: 0, total: 5, failed: false },
      { step: 'applications', done: 1, total: 5, failed: false },
    ]);
    // a fetch at once gets what is there and is not held up by the rest: the background waits while it runs
    const first = await api.call('mailbox.fetch', {});
    expect(first.outcome).toBe('complete');
    expect(first.newMessages).toBeGreaterThanOrEqual(2);
    expect(first.newMessages).toBeLessThan(5);
    expect((await api.call('workspace.state', {})).trainingPreparation).toMatchObject({ step: 'applications', failed: false });

    // the background part ends with a workspace.changed that says nothing is being prepared any more
    await expect.poll(() => changes.some((c) => c.trainingPreparation === null), { timeout: 90_000 }).toBe(true);
    expect(progress.filter((p) => p.step === 'applications').map((p) => p.done)).toEqual([0, 1, 2, 3, 4, 5]);
    expect((await api.call('workspace.state', {})).trainingPreparation).toBeNull();
    for (const off of offs) off();

    const rest = await api.call('mailbox.fetch', {});
    expect(rest).toMatchObject({ outcome: 'complete', newMessages: 5 - first.newMessages });

    await service.close();
    await start();
    const resumed = await api.call('workspace.resume', {});
    expect(resumed.state).toMatchObject({ mode: 'training', trainingRunning: true, trainingPreparation: null });
    expect(resumed.store.state).toBe('open');
    expect((await api.call('messages.counts', {})).inbox).toBe(5);
    expect(await api.call('mailbox.fetch', {})).toMatchObject({ outcome: 'complete', newMessages: 0 });

    const stopped = await api.call('workspace.stopTraining', {});
    expect(stopped.state).toMatchObject({ mode: 'unset', trainingRunning: false, trainingIntermediaryUrl: null, trainingPreparation: null });
    expect(stopped.store.state).toBe('none');
    await expect(api.call('messages.counts', {})).rejects.toMatchObject({ kind: 'store-not-open' });
  }, 180_000);
});

describe('licences', () => {
  it('names the libraries the service runs on and the export font', async () => {
    const { licenses } = await api.call('workspace.licenses', {});
    const names = licenses.map((l) => l.name);
    expect(names).toContain('better-sqlite3-multiple-ciphers');
    expect(names).toContain('zod');
    expect(names.some((n) => n.startsWith('DejaVu'))).toBe(true);
    expect(licenses.find((l) => l.name === 'zod')).toMatchObject({ license: 'MIT', usedIn: 'service' });
    expect(names).not.toContain('react');
  });
});
