import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../core/api/client.js';
import { PostfachError } from '../../core/errors.js';
import type { Settings } from '../../core/api/contract.js';
import { createServiceHandlers } from '../../core/api/service.js';
import { ServiceHost, type ServiceChannel } from '../../core/api/service-host.js';
import { runService } from '../../core/api/service-runtime.js';
import { startWorkerService, workerChannel } from '../../core/api/worker-service.js';

// a fresh data folder: settings are kept there across service starts
const options = { dataDir: mkdtempSync(path.join(tmpdir(), 'postfach-api-test-')), appVersion: '1.2.3', host: 'browser' as const };

describe('service in a worker thread', () => {
  let host: ServiceHost;
  beforeAll(async () => {
    host = await startWorkerService(options);
  });
  afterAll(async () => {
    await host.close();
  });

  it('answers app.info from the worker with the worker’s runtime versions', async () => {
    const api = createApiClient(host.asBridge());
    const info = await api.call('app.info', {});
    expect(info).toMatchObject({ product: 'OSCI-Postfach', version: '1.2.3', host: 'browser', platform: process.platform });
    expect(info.versions.node).toBe(process.versions.node);
    expect(info.versions.electron).toBeUndefined();
  });

  it('keeps settings in the service and sends settings.changed to subscribers', async () => {
    const api = createApiClient(host.asBridge());
    const changed: Settings[] = [];
    const off = api.on('settings.changed', (s) => changed.push(s));
    expect(await api.call('settings.get', {})).toEqual({ language: 'de', fetchIntervalMinutes: 15, familyNameFirst: true });
    expect(await api.call('settings.set', { language: 'en' })).toEqual({ language: 'en', fetchIntervalMinutes: 15, familyNameFirst: true });
    expect(await api.call('settings.get', {})).toEqual({ language: 'en', fetchIntervalMinutes: 15, familyNameFirst: true });
    await api.call('settings.set', { language: 'de' });
    off();
    expect(changed).toEqual([
      { language: 'en', fetchIntervalMinutes: 15, familyNameFirst: true },
      { language: 'de', fetchIntervalMinutes: 15, familyNameFirst: true },
    ]);
  });

  it('keeps the window arrangement (splitter, list density, day groups) across a restart of the service', async () => {
    const api = createApiClient(host.asBridge());
    expect(await api.call('workspace.layout', {})).toEqual({ listWidth: null, density: 'comfortable', groupByDay: true });
    expect(await api.call('workspace.setLayout', { listWidth: 420 })).toEqual({ listWidth: 420, density: 'comfortable', groupByDay: true });
    expect(await api.call('workspace.setLayout', { density: 'compact' })).toEqual({ listWidth: 420, density: 'compact', groupByDay: true });
    expect(await api.call('workspace.setLayout', { groupByDay: false })).toEqual({ listWidth: 420, density: 'compact', groupByDay: false });
    // a width no screen has is refused, and changes nothing
    expect(await host.invoke('workspace.setLayout', { listWidth: 10 })).toMatchObject({ ok: false, error: { kind: 'api-invalid-input' } });
    const again = await startWorkerService(options);
    try {
      expect(await createApiClient(again.asBridge()).call('workspace.layout', {})).toEqual({ listWidth: 420, density: 'compact', groupByDay: false });
    } finally {
      await again.close();
    }
    // a workspace.json of the version before the day groups keeps its arrangement (and everything else in it)
    const file = path.join(options.dataDir, 'workspace.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { layout: Record<string, unknown>; settings: unknown };
    writeFileSync(file, JSON.stringify({ ...stored, layout: { listWidth: 420, density: 'compact' } }));
    const older = await startWorkerService(options);
    try {
      const olderApi = createApiClient(older.asBridge());
      expect(await olderApi.call('workspace.layout', {})).toEqual({ listWidth: 420, density: 'compact', groupByDay: true });
      expect(await olderApi.call('settings.get', {})).toEqual(stored.settings);
    } finally {
      await older.close();
    }
    await api.call('workspace.setLayout', { listWidth: null, density: 'comfortable', groupByDay: true });
  });

  it('validates inside the service too: raw calls that bypass the client are refused', async () => {
    expect(await host.invoke('settings.set', { language: 'fr' })).toMatchObject({ ok: false, error: { kind: 'api-invalid-input' } });
    expect(await host.invoke('no.such', {})).toMatchObject({ ok: false, error: { kind: 'api-unknown-method' } });
    // shell methods are answered by the UI's host, never by the service
    expect(await host.invoke('dialog.openFile', { kind: 'p12' })).toMatchObject({ ok: false, error: { kind: 'api-unknown-method' } });
  });

  it('reports input that cannot cross the thread as a failure instead of throwing', async () => {
    const result = await host.invoke('settings.set', { language: () => 'de' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'internal' } });
  });

  it('answers many concurrent calls, each with its own result', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => host.invoke(i % 2 === 0 ? 'app.info' : 'settings.get', {})));
    results.forEach((r, i) => {
      expect(r.ok).toBe(true);
      if (r.ok) expect(Object.keys(r.value as object)).toContain(i % 2 === 0 ? 'product' : 'language');
    });
  });
});

describe('service runtime checks its handlers', () => {
  it('refuses a handler’s invalid output and invalid events', async () => {
    const { port1, port2 } = new MessageChannel();
    runService(
      { post: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) },
      (o) => ({
        ...createServiceHandlers(o),
        'settings.get': () => ({ language: 'fr' }) as never,
        'settings.set': (_input, context) => {
          context.emit('mailbox.newApplications', { count: -1 });
          return { language: 'de', fetchIntervalMinutes: 15, familyNameFirst: true };
        },
      }),
      () => undefined,
    );
    const channel: ServiceChannel = {
      post: (m) => port1.postMessage(m),
      onMessage: (l) => port1.on('message', l),
      onExit: () => undefined,
      kill: () => {
        port1.close();
      },
    };
    const host = await ServiceHost.start(channel, options);
    expect(await host.invoke('settings.get', {})).toMatchObject({ ok: false, error: { kind: 'api-invalid-output' } });
    expect(await host.invoke('settings.set', {})).toMatchObject({ ok: false, error: { kind: 'api-invalid-event' } });
    port1.close();
    port2.close();
  });
});

describe('a service that dies', () => {
  const fakeService = (script: string): Worker => new Worker(`const { parentPort } = require('node:worker_threads');\n${script}`, { eval: true });

  it('fails the start with service-stopped when it ends before ready', async () => {
    const worker = fakeService('process.exit(7);');
    await expect(ServiceHost.start(workerChannel(worker), options)).rejects.toMatchObject({ kind: 'service-stopped' });
  });

  it('fails the start when the service reports a fatal error', async () => {
    const worker = fakeService(
      `parentPort.on('message', () => parentPort.postMessage({ type: 'fatal', error: { kind: 'store-corrupt', message: 'kaputt', messageEn: 'broken', detail: 'bad header' } }));`,
    );
    await expect(ServiceHost.start(workerChannel(worker), options)).rejects.toMatchObject({ kind: 'store-corrupt', detail: 'bad header' });
  });

  it('answers open and later calls with service-stopped after a crash', async () => {
    const worker = fakeService(`parentPort.on('message', (m) => m.type === 'init' ? parentPort.postMessage({ type: 'ready' }) : process.exit(3));`);
    const host = await ServiceHost.start(workerChannel(worker), options);
    const exited = new Promise<string>((resolve) => host.onExit(resolve));
    const open = await host.invoke('app.info', {});
    expect(open).toMatchObject({ ok: false, error: { kind: 'service-stopped' } });
    expect(await exited).toContain('code 3');
    expect(host.running).toBe(false);
    expect(await host.invoke('app.info', {})).toMatchObject({ ok: false, error: { kind: 'service-stopped' } });
  });

  it('times out a service that never answers init', async () => {
    const worker = fakeService(`setInterval(() => {}, 1000);`);
    await expect(ServiceHost.start(workerChannel(worker), options, 300)).rejects.toMatchObject({ kind: 'service-stopped' });
  });
});

describe('service start-up', () => {
  it('waits for asynchronous handler set-up, and reports its failure as the start error', async () => {
    const start = (factory: Parameters<typeof runService>[1]) => {
      const { port1, port2 } = new MessageChannel();
      runService({ post: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) }, factory, () => undefined);
      const channel: ServiceChannel = { post: (m) => port1.postMessage(m), onMessage: (l) => port1.on('message', l), onExit: () => undefined, kill: () => port1.close() };
      return { started: ServiceHost.start(channel, options, 5_000), close: () => (port1.close(), port2.close()) };
    };
    const slow = start(async (o) => {
      await new Promise((r) => setTimeout(r, 50));
      return createServiceHandlers(o);
    });
    const host = await slow.started;
    expect(await host.invoke('settings.get', {})).toEqual({ ok: true, value: { language: 'de', fetchIntervalMinutes: 15, familyNameFirst: true } });
    slow.close();
    const failing = start(async () => {
      throw new PostfachError('store-wrong-password', { de: 'Falsches Passwort.', en: 'Wrong password.' }, 'key check failed');
    });
    await expect(failing.started).rejects.toMatchObject({ kind: 'store-wrong-password', detail: 'key check failed' });
    failing.close();
  });
});
