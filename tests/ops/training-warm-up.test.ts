/**
 * The Übungsmodus's keys are made ahead only while the first-start choice is on screen, that is where no store
 * exists yet. Where a store exists, the UI shows the password form: making the keys there (about 1.5 s of CPU)
 * only slowed down the opening of the mailbox (bench/ui-start.ts, issue 14).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../core/api/client.js';
import { startInProcessService } from '../../core/api/in-process-service.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { PostfachStore } from '../../core/store/index.js';
import { FAST_SCRYPT } from '../store/helpers.js';
import { tempDir } from '../mailbox/helpers.js';

let host: ServiceHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function resumeIn(dataDir: string): Promise<string> {
  host = await startInProcessService({ dataDir, appVersion: '0.1.0-test', host: 'browser' });
  const api = createApiClient(host.asBridge());
  const resumed = await api.call('workspace.resume', {});
  expect(resumed.state.mode).toBe('unset');
  return resumed.store.state;
}

describe('Übungsmodus keys made ahead', () => {
  it('on the first-start screen (no store yet)', async () => {
    const dataDir = tempDir('postfach-warm-none-');
    expect(await resumeIn(dataDir)).toBe('none');
    // the warm-up's first file is the PKI folder of the Übungsmodus
    await expect.poll(() => existsSync(path.join(dataDir, 'uebungsmodus')), { timeout: 30_000 }).toBe(true);
  });

  it('not beside the password form of an existing store', async () => {
    const dataDir = tempDir('postfach-warm-locked-');
    const { store } = await PostfachStore.create(path.join(dataDir, 'postfach.db'), { password: 'Datenspeicher-2026!', scrypt: FAST_SCRYPT });
    store.close();
    expect(await resumeIn(dataDir)).toBe('locked');
    // the warm-up would have begun at once (as in the first case): give it ample time to start
    await new Promise((r) => setTimeout(r, 3_000));
    expect(existsSync(path.join(dataDir, 'uebungsmodus'))).toBe(false);
  });
});
