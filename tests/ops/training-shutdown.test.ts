/**
 * The Übungsmodus's service closed while it sends an application in the background (the host's `shutdown`, as the
 * desktop app and the browser mode end it): the service finishes the application on its way before it ends, within
 * the host's grace, so the ledger accounts for everything at the intermediary — before, the service ended at once
 * (process.exit) and whatever moment that cut was the next start's to guess. A real worker thread service, the real
 * local intermediary on loopback, its SQLite file counted from here; then the next start sends the rest, nothing
 * twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_APPLICATIONS } from '../../app/demo-applications.js';
import { trainingDir } from '../../core/app/training.js';
import { createApiClient } from '../../core/api/client.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { SHUTDOWN_WORK_MS } from '../../core/api/service-runtime.js';
import { startWorkerService } from '../../core/api/worker-service.js';
import { tempDir } from '../mailbox/helpers.js';
import { deliveriesAt, ledgerOf } from './training-helpers.js';

let host: ServiceHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

const start = async (dataDir: string) => {
  host = await startWorkerService({ dataDir, appVersion: '0.1.0-test', host: 'browser' });
  return { host, api: createApiClient(host.asBridge()) };
};

describe('the Übungsmodus closed while it sends in the background', () => {
  it('finishes the application on its way before the service ends; the next start sends the rest, nothing twice', async () => {
    const dataDir = tempDir('postfach-training-shutdown-');
    const demoDir = trainingDir(dataDir);
    const first = await start(dataDir);
    const last = DEMO_APPLICATIONS.at(-1)!;
    // the last application (two evidence attachments, the heaviest) goes out right after the fourth is reported
    const fourth = new Promise<void>((resolve) =>
      first.api.on('workspace.trainingProgress', (p) => {
        if (p.step === 'applications' && p.done === DEMO_APPLICATIONS.length - 1) resolve();
      }),
    );
    const started = await first.api.call('workspace.startTraining', {});
    expect(started.store.state).toBe('open');
    await fourth;
    // mid-send: the last application is not at the intermediary yet
    expect(deliveriesAt(demoDir)).toHaveLength(DEMO_APPLICATIONS.length - 1);
    const exited = new Promise<string>((resolve) => first.host.onExit(resolve));
    const closing = Date.now();
    await first.host.close();
    const closedMs = Date.now() - closing;
    host = undefined;
    // the service ended by itself (code 0), not killed after the host's 2 s grace (a terminated thread: code 1)
    expect(await exited).toBe('worker exited with code 0');
    const ledger = ledgerOf(demoDir);
    const stored = deliveriesAt(demoDir);
    if (ledger.sending === undefined) {
      // finished within the bound: sent and recorded
      expect(ledger.sent).toEqual(DEMO_APPLICATIONS.map((a) => a.seed));
      expect(stored).toHaveLength(DEMO_APPLICATIONS.length);
    } else {
      // cut by the bound on a loaded machine, not before it: its intent is open, for the next start to check
      expect(closedMs).toBeGreaterThanOrEqual(SHUTDOWN_WORK_MS);
      expect(ledger.sending.seed).toBe(last.seed);
      expect(ledger.sent).toHaveLength(DEMO_APPLICATIONS.length - 1);
    }
    console.log(`close took ${closedMs} ms; the last application ${ledger.sending === undefined ? 'finished' : 'left as an open intent'}`);

    const second = await start(dataDir);
    const resumed = await second.api.call('workspace.resume', {});
    expect(resumed.store.state).toBe('open');
    await expect.poll(async () => (await second.api.call('workspace.state', {})).trainingPreparation, { timeout: 120_000 }).toBeNull();
    const fetched = await second.api.call('mailbox.fetch', {});
    expect(fetched.outcome, JSON.stringify(fetched.error)).toBe('complete');
    expect((await second.api.call('messages.list', { limit: 100 })).total).toBe(DEMO_APPLICATIONS.length);
    const all = deliveriesAt(demoDir);
    expect(all).toHaveLength(DEMO_APPLICATIONS.length);
    expect(new Set(all.map((d) => d.subject)).size).toBe(DEMO_APPLICATIONS.length);
    expect(ledgerOf(demoDir)).toEqual({ version: 1, sent: DEMO_APPLICATIONS.map((a) => a.seed) });
  }, 240_000);
});
