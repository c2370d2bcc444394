/**
 * `TrainingModeOffered` = 0 from local IT: the Übungsmodus is refused by the service (not only hidden on the start
 * page), with a German message, and the machine settings say so with the lock. `StoreFolder` from local IT: the
 * store is created there, not in the data folder.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostfachApi } from '../../core/api/api-types.js';
import { createApiClient } from '../../core/api/client.js';
import { startInProcessService } from '../../core/api/in-process-service.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { PostfachError } from '../../core/errors.js';
import { tempDir } from '../mailbox/helpers.js';

const root = tempDir('postfach-ops-training-off-');
let host: ServiceHost;
let api: PostfachApi;
const saved = process.env.POSTFACH_MACHINE_CONFIG;
const storeFolder = path.join(root, 'speicher-der-it');

beforeAll(async () => {
  const machineFile = path.join(root, 'config.json');
  writeFileSync(machineFile, JSON.stringify({ settings: { trainingModeOffered: false, storeFolder: storeFolder } }));
  process.env.POSTFACH_MACHINE_CONFIG = machineFile;
  host = await startInProcessService({ dataDir: path.join(root, 'daten'), appVersion: '0.1.0-test', host: 'browser' });
  api = createApiClient(host.asBridge());
}, 60_000);
afterAll(async () => {
  await host?.close();
  if (saved === undefined) delete process.env.POSTFACH_MACHINE_CONFIG;
  else process.env.POSTFACH_MACHINE_CONFIG = saved;
});

describe('Übungsmodus switched off by local IT', () => {
  it('is refused by the service and shown as locked in the machine settings', async () => {
    const config = await api.call('config.get', {});
    expect(config.settings.find((s) => s.key === 'trainingModeOffered')).toMatchObject({ value: false, source: 'machine', locked: true });
    let refused: unknown;
    try {
      await api.call('workspace.startTraining', {});
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(PostfachError);
    expect((refused as PostfachError).kind).toBe('training-not-offered');
    expect((refused as PostfachError).text.de).toBe('Ihre IT hat den Übungsmodus auf diesem PC abgeschaltet.');
    expect((await api.call('workspace.state', {})).mode).not.toBe('training');
  });

  it('makes no keys for it ahead on the first-start screen', async () => {
    expect((await api.call('workspace.resume', {})).state.mode).toBe('unset');
    // the warm-up would have begun at once (its first file is the PKI folder): give it ample time to start
    await new Promise((r) => setTimeout(r, 3_000));
    expect(existsSync(path.join(root, 'daten', 'uebungsmodus'))).toBe(false);
  });

  it('creates the store in the folder local IT named', async () => {
    const created = await api.call('store.create', { password: 'Datenspeicher-2026!' });
    expect(created.status.state).toBe('open');
    expect(existsSync(path.join(storeFolder, 'postfach.db'))).toBe(true);
    expect(existsSync(path.join(root, 'daten', 'postfach.db'))).toBe(false);
  });
});
