/**
 * IT's connection settings are for the real mailbox: in the Übungsmodus the demo mailbox keeps its own local
 * intermediary (on loopback, never through IT's proxy), even when the machine file locks another intermediary
 * address and a proxy that is not there.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostfachApi } from '../../core/api/api-types.js';
import { createApiClient } from '../../core/api/client.js';
import { startInProcessService } from '../../core/api/in-process-service.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { tempDir } from '../mailbox/helpers.js';

const root = tempDir('postfach-ops-training-');
let host: ServiceHost;
let api: PostfachApi;
const saved = process.env.POSTFACH_MACHINE_CONFIG;

beforeAll(async () => {
  const machineFile = path.join(root, 'config.json');
  writeFileSync(machineFile, JSON.stringify({ settings: { intermediaryUrl: 'https://intermediaer.invalid/osci', proxyMode: 'fixed', proxyUrl: 'http://127.0.0.1:9' } }));
  process.env.POSTFACH_MACHINE_CONFIG = machineFile;
  host = await startInProcessService({ dataDir: path.join(root, 'daten'), appVersion: '0.1.0-test', host: 'browser' });
  api = createApiClient(host.asBridge());
}, 60_000);
afterAll(async () => {
  await api?.call('workspace.stopTraining', {}).catch(() => undefined);
  await host?.close();
  if (saved === undefined) delete process.env.POSTFACH_MACHINE_CONFIG;
  else process.env.POSTFACH_MACHINE_CONFIG = saved;
});

describe('Übungsmodus under locked connection settings', () => {
  it('fetches from its own local intermediary, directly', async () => {
    const started = await api.call('workspace.startTraining', {});
    expect(started.store.state).toBe('open');
    const identity = await api.call('identity.get', {});
    expect(identity.identity?.intermediaryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/osci$/);
    const result = await api.call('mailbox.fetch', {});
    expect(result.outcome, JSON.stringify(result.error)).toBe('complete');
  }, 120_000);
});
