/**
 * The desktop app's quit waits for its service (electron/quit-after-service.ts): the first will-quit is held back
 * until the real service (a worker thread here, the utility process in the app) has ended by itself, then the quit
 * is asked for again and goes through; without a service nothing is held back; a close that never ends holds the
 * quit no longer than the deadline (IPC and tray are gone by then: an invisible process would keep the lock).
 */
import { describe, expect, it } from 'vitest';
import { startWorkerService } from '../../core/api/worker-service.js';
import { QUIT_HOLD_MS, quitAfterService } from '../../electron/quit-after-service.js';
import { tempDir } from '../mailbox/helpers.js';

/** A will-quit event as Electron hands it over: records whether the quit was held back. */
const quitEvent = () => {
  const event = { held: 0, preventDefault: () => void event.held++ };
  return event;
};

describe('the quit waits for the service', () => {
  it('holds the first will-quit until the service has ended, then quits; the second goes through', async () => {
    const host = await startWorkerService({ dataDir: tempDir('postfach-quit-'), appVersion: '0.1.0-test', host: 'desktop' });
    const exited = new Promise<string>((resolve) => host.onExit(resolve));
    let quitWhileRunning: boolean | undefined;
    const quit = new Promise<void>((resolve) => {
      const listener = quitAfterService(
        () => host.close(),
        () => {
          quitWhileRunning = host.running;
          resolve();
        },
      );
      const first = quitEvent();
      listener(first);
      expect(first.held).toBe(1);
      const second = quitEvent();
      listener(second);
      expect(second.held).toBe(0);
    });
    await quit;
    expect(quitWhileRunning).toBe(false);
    expect(await exited).toBe('worker exited with code 0');
  });

  it('holds nothing back without a service', () => {
    let quits = 0;
    const event = quitEvent();
    quitAfterService(
      () => undefined,
      () => void quits++,
    )(event);
    expect(event.held).toBe(0);
    expect(quits).toBe(0);
  });

  it('quits anyway at the deadline when the service never ends', async () => {
    const event = quitEvent();
    const started = performance.now();
    const quitAt = await new Promise<number | undefined>((resolve) => {
      const bound = setTimeout(() => resolve(undefined), QUIT_HOLD_MS + 1_500);
      quitAfterService(
        () => new Promise<void>(() => undefined),
        () => {
          clearTimeout(bound);
          resolve(performance.now() - started);
        },
      )(event);
    });
    expect(event.held).toBe(1);
    expect(quitAt).toBeDefined();
    expect(quitAt!).toBeGreaterThanOrEqual(QUIT_HOLD_MS - 50);
    expect(quitAt!).toBeLessThan(QUIT_HOLD_MS + 1_000);
  }, 10_000);

  it('asks for the quit once when the service ends before the deadline', async () => {
    let quits = 0;
    quitAfterService(
      () => new Promise<void>((resolve) => setTimeout(resolve, 50)),
      () => void quits++,
      300,
    )(quitEvent());
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(quits).toBe(1);
  });
});
