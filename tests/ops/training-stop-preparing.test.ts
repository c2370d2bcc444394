/**
 * A stop while a demo start is still being prepared wins: the start used to go on and send its applications after
 * the stop had been answered (the Übungsmodus's `workspace.stopTraining` answered at once; `demo.stop` waited for
 * the whole start and only then closed it). Now the start is stopped after the application on its way, the stop
 * answers once it has ended, the start ends with training-unavailable, and nothing reaches the intermediary after
 * the stop's answer; the ledger has no intent open and the next start sends the rest, each application once.
 *
 * The real demo (app/demo-mailbox.ts: the test PKI, the local intermediary on loopback, its SQLite file counted from
 * here) under the real TrainingRunner and the real service's `demo.start`/`demo.stop`.
 */
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APPLICATIONS } from '../../app/demo-applications.js';
import { startDemoMailbox } from '../../app/demo-mailbox.js';
import { createApiClient } from '../../core/api/client.js';
import { startInProcessService } from '../../core/api/in-process-service.js';
import { TrainingRunner, trainingDir } from '../../core/app/training.js';
import type { TrainingPreparation } from '../../core/api/contract/workspace.js';
import { createTestPki } from '../../core/pki/test-pki.js';
import { tempDir } from '../mailbox/helpers.js';
import { deliveriesAt, ledgerOf } from './training-helpers.js';

const pki = path.join(tempDir('postfach-training-stop-pki-'), 'pki');

beforeAll(async () => {
  await createTestPki(pki);
}, 180_000);

/** A demo folder with the test PKI made already (the keys are not the subject here). */
function demoFolder(dir: string): string {
  mkdirSync(dir, { recursive: true });
  cpSync(pki, path.join(dir, 'pki'), { recursive: true });
  return dir;
}

/** Each application at most once, each delivery in the ledger, no intent open. */
function expectSettled(dir: string): number {
  const stored = deliveriesAt(dir);
  expect(new Set(stored.map((d) => d.subject)).size, JSON.stringify(stored)).toBe(stored.length);
  const ledger = ledgerOf(dir);
  expect(ledger.sending).toBeUndefined();
  expect(ledger.sent).toHaveLength(stored.length);
  return stored.length;
}

describe('a stop while the demo start is still being prepared', () => {
  it('Übungsmodus (TrainingRunner): the stop waits for the start to end; nothing is sent after its answer', async () => {
    const dataDir = tempDir('postfach-training-stop-');
    const dir = demoFolder(trainingDir(dataDir));
    const steps: TrainingPreparation[] = [];
    let firstSent: () => void = () => undefined;
    const sentOne = new Promise<void>((resolve) => (firstSent = resolve));
    const runner = new TrainingRunner(dataDir, startDemoMailbox, {
      progress: (p) => {
        steps.push(p);
        if (p.step === 'applications' && p.done === 1) firstSent();
      },
      ended: () => undefined,
    });
    const starting = runner.start();
    const outcome = starting.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await sentOne;
    // the first batch is two: the second is on its way or next
    await runner.stop();
    const atStop = deliveriesAt(dir).length;
    const reported = steps.length;
    expect(await outcome).toMatchObject({ kind: 'training-unavailable', detail: expect.stringMatching(/stopped/) });
    expect(runner.current).toBeUndefined();
    expect(runner.preparation).toBeNull();
    await delay(1_500);
    expect(deliveriesAt(dir)).toHaveLength(atStop);
    expect(atStop).toBeGreaterThanOrEqual(1);
    expect(atStop).toBeLessThan(DEMO_APPLICATIONS.length);
    expect(expectSettled(dir)).toBe(atStop);
    // the stopped start says nothing more after the stop
    expect(steps).toHaveLength(reported);
    // the next start sends the rest of its first batch, nothing twice
    const again = await runner.start();
    expect(again).toBe(runner.current);
    await runner.finish();
    const now = expectSettled(dir);
    expect(now).toBeGreaterThanOrEqual(Math.max(atStop, 2));
  }, 240_000);

  it('postfach demo (demo.start / demo.stop in the service): the stop wins, the start ends with an error', async () => {
    const dir = demoFolder(tempDir('postfach-demo-stop-'));
    const service = await startInProcessService({ dataDir: dir, appVersion: '0.1.0-test', host: 'cli' });
    try {
      const api = createApiClient(service.asBridge());
      const outcome = api.call('demo.start', {}).then(
        () => 'resolved',
        (error: unknown) => error,
      );
      // one application at the intermediary and in the ledger: four still to come
      await expect
        .poll(
          () => {
            try {
              return ledgerOf(dir).sent.length;
            } catch {
              return 0;
            }
          },
          { timeout: 120_000, interval: 20 },
        )
        .toBeGreaterThanOrEqual(1);
      expect(await api.call('demo.stop', {})).toEqual({ stopped: true });
      const atStop = deliveriesAt(dir).length;
      expect(await outcome).toMatchObject({ kind: 'training-unavailable' });
      await delay(1_500);
      expect(deliveriesAt(dir)).toHaveLength(atStop);
      expect(atStop).toBeLessThan(DEMO_APPLICATIONS.length);
      expect(expectSettled(dir)).toBe(atStop);
      // the next start sends the rest: each application once
      const started = await api.call('demo.start', {});
      expect(started.sent).toHaveLength(DEMO_APPLICATIONS.length - atStop);
      await api.call('store.close', {});
      expect(await api.call('demo.stop', {})).toEqual({ stopped: true });
      expect(expectSettled(dir)).toBe(DEMO_APPLICATIONS.length);
    } finally {
      await service.close();
    }
  }, 240_000);
});
