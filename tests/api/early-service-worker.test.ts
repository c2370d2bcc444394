/**
 * The service thread started early (core/api/service-worker-thread.ts, issue 14 cold start): the command line
 * starts it before it loads its own modules, and the service host takes that very thread over — a real worker
 * thread running the real service, answering real calls. A thread that does not fit the host's options is not
 * used; a thread nobody takes over does not keep the process alive.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../core/api/client.js';
import type { SupervisedService } from '../../core/api/supervised-service.js';
import { earlyServiceWorkerWaiting, startServiceWorkerEarly } from '../../core/api/service-worker-thread.js';
import { startSupervisedWorkerService } from '../../core/api/worker-service.js';
import { PostfachStore } from '../../core/store/index.js';
import { tempDir } from '../mailbox/helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the service thread started early', () => {
  let service: SupervisedService | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  it('is taken over by the service host and answers calls', async () => {
    startServiceWorkerEarly();
    expect(earlyServiceWorkerWaiting()).toBe(true);
    const dataDir = tempDir('postfach-early-worker-');
    service = await startSupervisedWorkerService({ dataDir, appVersion: '0.1.0-test', host: 'cli' }, {}, {}, { maxRestarts: 0 });
    // the host used the waiting thread instead of starting a second one
    expect(earlyServiceWorkerWaiting()).toBe(false);
    const api = createApiClient(service.asBridge());
    const status = await api.call('store.status', { path: path.join(dataDir, 'postfach.db') });
    expect(status.state).toBe('none');
  }, 120_000);

  it('started with the store and its password: the store opens through the service (the right password), and a wrong one is refused', async () => {
    const dataDir = tempDir('postfach-early-worker-');
    const dbPath = path.join(dataDir, 'postfach.db');
    const { store } = await PostfachStore.create(dbPath, { password: 'Sommer-Regen-2026!', scrypt: { N: 1024, r: 8, p: 1 } });
    store.close();
    startServiceWorkerEarly({ databasePath: dbPath, password: 'Sommer-Regen-2026!' });
    service = await startSupervisedWorkerService({ dataDir, appVersion: '0.1.0-test', host: 'cli' }, {}, {}, { maxRestarts: 0 });
    const api = createApiClient(service.asBridge());
    expect((await api.call('store.open', { path: dbPath, unlock: { password: 'Sommer-Regen-2026!' } })).state).toBe('open');
    await service.close();
    startServiceWorkerEarly({ databasePath: dbPath, password: 'Sommer-Regen-2026!' });
    service = await startSupervisedWorkerService({ dataDir, appVersion: '0.1.0-test', host: 'cli' }, {}, {}, { maxRestarts: 0 });
    const again = createApiClient(service.asBridge());
    const refused = await again.call('store.open', { path: dbPath, unlock: { password: 'Falsches-Passwort-1' } }).then(
      () => 'opened',
      (e: unknown) => (e as { kind?: string }).kind,
    );
    expect(refused).toBe('store-wrong-password');
  }, 120_000);

  it('is not used for a service with other limits (a new thread is started, the early one ended)', async () => {
    startServiceWorkerEarly();
    const dataDir = tempDir('postfach-early-worker-');
    service = await startSupervisedWorkerService({ dataDir, appVersion: '0.1.0-test', host: 'cli' }, {}, { maxHeapMb: 512 }, { maxRestarts: 0 });
    expect(earlyServiceWorkerWaiting()).toBe(false);
    const api = createApiClient(service.asBridge());
    expect((await api.call('store.status', { path: path.join(dataDir, 'postfach.db') })).state).toBe('none');
  }, 120_000);

  it('does not keep a process alive that never takes it over', () => {
    const script = `import { startServiceWorkerEarly } from ${JSON.stringify(path.join(root, 'core/api/service-worker-thread.ts'))}; startServiceWorkerEarly(); console.log('started');`;
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout.trim()).toBe('started');
    expect(r.status).toBe(0);
    expect(r.signal).toBeNull(); // not killed by the timeout: it ended by itself
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);
});
