/**
 * The front end's second check of a service's answers is dropped only where the service's runtime checked the very
 * same answer in this process (core/api/checked-answers.ts): a service in a worker thread. Every input is still
 * checked where it arrives, an answer from another process or a front end's own answer is checked as before, and an
 * answer failing the contract fails in the service's runtime — through the real bridge over loopback HTTP too.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type RunningBridge } from '../../core/api/bridge-server.js';
import { checkedInProcess } from '../../core/api/checked-answers.js';
import { createApiClient } from '../../core/api/client.js';
import type { PostfachBridge } from '../../core/api/api-types.js';
import { dispatchCall } from '../../core/api/dispatch.js';
import { createServiceHandlers } from '../../core/api/service.js';
import { ServiceHost, type ServiceChannel } from '../../core/api/service-host.js';
import { runService } from '../../core/api/service-runtime.js';
import { browserShellHandlers } from '../../core/api/bridge-server.js';
import { startWorkerService } from '../../core/api/worker-service.js';
import type { CallResult } from '../../core/api/wire.js';

const invalidAnswerEntry = new URL('../helpers/invalid-answer-service-entry.mjs', import.meta.url);

describe('answers checked by a service in this process', () => {
  let dir: string;
  let worker: ServiceHost;
  let bad: ServiceHost;
  let bridge: RunningBridge;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'postfach-checked-'));
    mkdirSync(path.join(dir, 'renderer'), { recursive: true });
    writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>Postfach</title>');
    [worker, bad] = await Promise.all([
      startWorkerService({ dataDir: path.join(dir, 'data'), appVersion: '0.1.0', host: 'browser' }),
      startWorkerService({ dataDir: path.join(dir, 'bad'), appVersion: '0.1.0', host: 'browser' }, {}, { entry: invalidAnswerEntry }),
    ]);
    bridge = await startBridge({ service: bad, rendererDir: path.join(dir, 'renderer') });
  });

  afterAll(async () => {
    await bridge.close();
    await Promise.all([worker.close(), bad.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes a worker service’s answer on as it is: the very object the host received, not parsed again', async () => {
    let received: CallResult<unknown> | undefined;
    const invoker = { invoke: async (method: string, input: unknown) => (received = await worker.invoke(method, input)) };
    const envelope = await dispatchCall('app.info', {}, invoker, browserShellHandlers);
    expect(envelope).toMatchObject({ ok: true, value: { product: 'OSCI-Postfach', version: '0.1.0', host: 'browser' } });
    expect(received).toBeDefined();
    expect(checkedInProcess(received!)).toBe(true);
    expect(envelope).toBe(received);
  });

  it('still checks every input before it reaches the worker service', async () => {
    let called = false;
    const invoker = { invoke: async (method: string, input: unknown) => ((called = true), worker.invoke(method, input)) };
    expect(await dispatchCall('messages.list', { folder: 'nowhere' }, invoker, browserShellHandlers)).toMatchObject({ ok: false, error: { kind: 'api-invalid-input' } });
    expect(called).toBe(false);
  });

  it('checks an answer that no service runtime of this process checked (a copy, another process, a front end’s own)', async () => {
    const answer = await worker.invoke('app.info', {});
    expect(answer.ok).toBe(true);
    // the same data as a new object — what an answer from another process or a front end's own answer is
    const copy = structuredClone(answer) as { ok: true; value: Record<string, unknown> };
    expect(checkedInProcess(copy)).toBe(false);
    const valid = await dispatchCall('app.info', {}, { invoke: async () => copy }, browserShellHandlers);
    expect(valid).toEqual(answer);
    expect(valid).not.toBe(copy); // parsed again
    delete copy.value.product;
    expect(await dispatchCall('app.info', {}, { invoke: async () => copy }, browserShellHandlers)).toMatchObject({ ok: false, error: { kind: 'api-invalid-output' } });
  });

  it('does not mark the answers of a service over a channel to another process', async () => {
    const { port1, port2 } = new MessageChannel();
    runService(
      { post: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) },
      (o) => createServiceHandlers(o),
      () => undefined,
    );
    // as electron/service-process.ts's channel: no `inThisProcess`
    const channel: ServiceChannel = { post: (m) => port1.postMessage(m), onMessage: (l) => port1.on('message', l), onExit: () => undefined, kill: () => port1.close() };
    const other = await ServiceHost.start(channel, { dataDir: path.join(dir, 'other'), appVersion: '0.1.0', host: 'desktop' });
    const answer = await other.invoke('app.info', {});
    expect(answer.ok).toBe(true);
    expect(checkedInProcess(answer)).toBe(false);
    const envelope = await dispatchCall('app.info', {}, other, browserShellHandlers);
    expect(envelope).toEqual(answer);
    expect(envelope).not.toBe(answer);
    port1.close();
    port2.close();
  });

  it('an answer failing the contract still fails, in the worker service’s runtime, through the bridge over HTTP', async () => {
    const call = async (method: string): Promise<{ status: number; body: unknown }> => {
      const res = await fetch(`${bridge.origin}/api/call/${method}`, {
        method: 'POST',
        headers: { Origin: bridge.origin, Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      return { status: res.status, body: await res.json() };
    };
    const refused = await call('settings.get');
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ ok: false, error: { kind: 'api-invalid-output', detail: expect.stringContaining('settings.get') } });
    // the other answers of the same service pass
    expect((await call('app.info')).body).toMatchObject({ ok: true, value: { product: 'OSCI-Postfach' } });
  });

  describe("the Node client's answers (the command line's mailbox commands)", () => {
    /** A bridge over `answer` that keeps what it handed to the client. */
    const bridgeOver = (answer: (method: string, input: unknown) => Promise<unknown>): PostfachBridge & { last?: unknown } => {
      const bridge: PostfachBridge & { last?: unknown } = {
        call: async (method, input) => (bridge.last = await answer(method, input)) as never,
        on: () => () => undefined,
      };
      return bridge;
    };

    it('takes the value of an answer the worker service checked in this process as it is', async () => {
      const bridge = bridgeOver((method, input) => worker.invoke(method, input));
      const info = await createApiClient(bridge).call('app.info', {});
      expect(info).toMatchObject({ product: 'OSCI-Postfach', version: '0.1.0', host: 'browser' });
      expect(checkedInProcess(bridge.last as object)).toBe(true);
      expect(info).toBe((bridge.last as { value: unknown }).value);
    });

    it('checks every other answer: an unchecked one that breaks the contract is refused, a valid one is parsed again', async () => {
      const answer = await worker.invoke('app.info', {});
      const copy = structuredClone(answer) as { ok: true; value: Record<string, unknown> };
      const valid = await createApiClient(bridgeOver(async () => copy)).call('app.info', {});
      expect(valid).toEqual(copy.value);
      expect(valid).not.toBe(copy.value); // parsed again
      delete copy.value.product;
      await expect(createApiClient(bridgeOver(async () => copy)).call('app.info', {})).rejects.toMatchObject({ kind: 'api-invalid-output' });
      // a marked answer's look-alike (another object with the same data) is not taken for it
      await expect(createApiClient(bridgeOver(async () => ({ ...copy }))).call('app.info', {})).rejects.toMatchObject({ kind: 'api-invalid-output' });
    });

    it('still checks every input before it leaves', async () => {
      const bridge = bridgeOver((method, input) => worker.invoke(method, input));
      await expect(createApiClient(bridge).call('messages.list', { folder: 'nowhere' } as never)).rejects.toMatchObject({ kind: 'api-invalid-input' });
      expect(bridge.last).toBeUndefined();
    });
  });
});
