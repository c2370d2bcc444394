/**
 * Once the host's `shutdown` began, the service starts nothing new: a call arriving while registered work still
 * finishes (the Übungsmodus's application on its way, up to SHUTDOWN_WORK_MS) is answered with the host's own
 * `service-stopped` — before, it was answered as usual, so a `workspace.startTraining` in that window started a demo
 * the finishing work did not know of. The real runtime and handlers over a MessageChannel, as the service host
 * speaks to it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { createServiceHandlers } from '../../core/api/service.js';
import { ServiceHost, type ServiceChannel } from '../../core/api/service-host.js';
import { runService } from '../../core/api/service-runtime.js';

const dir = mkdtempSync(path.join(tmpdir(), 'postfach-service-ending-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a call after the service’s shutdown began', () => {
  it('is answered with service-stopped while the registered work finishes; before, as usual', async () => {
    const { port1, port2 } = new MessageChannel();
    let release: () => void = () => undefined;
    const finishing = new Promise<void>((resolve) => (release = resolve));
    let finishStarted = false;
    let ended = false;
    runService(
      { post: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) },
      (o, host) => {
        // as service-start.ts registers the Übungsmodus's finish: held here until the test has called
        host.atShutdown?.(() => {
          finishStarted = true;
          return finishing;
        });
        return createServiceHandlers(o);
      },
      () => (ended = true),
    );
    const channel: ServiceChannel = { post: (m) => port1.postMessage(m), onMessage: (l) => port1.on('message', l), onExit: () => undefined, kill: () => port1.close() };
    const host = await ServiceHost.start(channel, { dataDir: path.join(dir, 'data'), appVersion: '0.1.0', host: 'browser' });
    expect(await host.invoke('app.info', {})).toMatchObject({ ok: true });

    port1.postMessage({ type: 'shutdown' });
    await expect.poll(() => finishStarted).toBe(true);
    const during = await host.invoke('workspace.state', {});
    expect(during).toMatchObject({ ok: false, error: { kind: 'service-stopped', detail: expect.stringContaining('workspace.state') } });
    expect(await host.invoke('workspace.startTraining', {})).toMatchObject({ ok: false, error: { kind: 'service-stopped' } });
    expect(ended).toBe(false);
    release();
    await expect.poll(() => ended).toBe(true);
    port1.close();
    port2.close();
  });
});
