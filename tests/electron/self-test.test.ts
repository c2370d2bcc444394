/**
 * The desktop program's self-test (electron/self-test.ts) against the real service — in a worker thread spoken to
 * through the utility-process channel (electron/utility-channel.ts), with a stand-in OS key store (real AES-GCM
 * under a per-"user" key, as DPAPI binds to the Windows user): a real store created and, on a second run with the
 * same profile, opened again; the real Übungsmodus (local intermediary on loopback), one real fetch, a real PDF.
 * Only the window picture is a stand-in here (no Electron); the Windows pipeline takes the real one.
 * Also: the self-test switches, the preload bridge, and the wait for the window before its picture.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_APPLICATIONS } from '../../app/demo-applications.js';
import { createApiClient } from '../../core/api/client.js';
import { ServiceHost, type HostServices } from '../../core/api/service-host.js';
import { safeStorageKeyProtector, type SafeStorageLike } from '../../electron/key-protector.js';
import { createPreloadBridge } from '../../electron/preload-bridge.js';
import { parseSelfTestArguments, runSelfTest, SELF_TEST_PDF, SELF_TEST_REPORT, SELF_TEST_SCREENSHOT, type SelfTestReport } from '../../electron/self-test.js';
import { utilityChannel } from '../../electron/utility-channel.js';
import { captureWhenMailboxShown, COUNT_ROWS, type CapturableMainWindow } from '../../electron/window-capture.js';

/** A stand-in for the Windows user's DPAPI behind safeStorage: the same key for every run of this "user". */
function osUserKeyStore(userKey = randomBytes(32)): SafeStorageLike {
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'dpapi',
    encryptString(text) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', userKey, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(blob) {
      const decipher = createDecipheriv('aes-256-gcm', userKey, blob.subarray(0, 12));
      decipher.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** The service in a worker thread, driven through the utility-process channel as main.ts drives the real child. */
async function startService(dataDir: string, hostServices: HostServices): Promise<ServiceHost> {
  const worker = new Worker(new URL('../../core/api/service-entry-from-source.mjs', import.meta.url), { stdout: false, stderr: false });
  const child = {
    postMessage: (message: unknown) => worker.postMessage(message),
    on: (_event: 'message', listener: (message: unknown) => void) => worker.on('message', listener),
    once: (_event: 'exit', listener: (code: number) => void) => worker.once('exit', listener),
    kill: () => (void worker.terminate(), true),
  };
  return ServiceHost.start(utilityChannel(child), { dataDir, appVersion: '9.8.7', host: 'desktop' }, undefined, hostServices);
}

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from([0, 0, 5, 0, 0, 0, 3, 0x20]), Buffer.alloc(16)]);

describe('self-test switches', () => {
  const profile = '--user-data-dir=C:\\Temp\\postfach-profil';
  it('needs a mode, an absolute report folder and a temporary profile', () => {
    expect(parseSelfTestArguments(['OSCI-Postfach.exe'])).toEqual({ kind: 'none' });
    expect(parseSelfTestArguments(['OSCI-Postfach.exe', '--self-test=full', '--self-test-report=C:\\Temp\\bericht', profile])).toEqual({
      kind: 'self-test',
      request: { mode: 'full', reportDir: 'C:\\Temp\\bericht', profileDir: 'C:\\Temp\\postfach-profil' },
    });
    expect(parseSelfTestArguments(['electron', '.', '--self-test=store', '--self-test-report=/tmp/r', '--user-data-dir=/tmp/p'])).toMatchObject({
      kind: 'self-test',
      request: { mode: 'store' },
    });
    expect(parseSelfTestArguments(['x', '--self-test', '--self-test-report=/tmp/r', profile])).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('"store" or "full"'),
    });
    expect(parseSelfTestArguments(['x', '--self-test=everything', '--self-test-report=/tmp/r', profile])).toMatchObject({ kind: 'invalid' });
    expect(parseSelfTestArguments(['x', '--self-test=store', profile])).toMatchObject({ kind: 'invalid', message: expect.stringContaining('--self-test-report') });
    expect(parseSelfTestArguments(['x', '--self-test=store', '--self-test-report=bericht', profile])).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('absolute'),
    });
    expect(parseSelfTestArguments(['x', '--self-test=store', '--self-test-report=/tmp/r'])).toMatchObject({ kind: 'invalid', message: expect.stringContaining('--user-data-dir') });
    expect(parseSelfTestArguments(['x', '--self-test=store', '--self-test-report=/tmp/r', '--user-data-dir='])).toMatchObject({ kind: 'invalid' });
    expect(parseSelfTestArguments(['x', '--self-test=store', '--self-test-report=/tmp/r', '--user-data-dir=profil'])).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('absolute'),
    });
  });
});

describe('self-test against the real service', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'postfach-self-test-'));
  const profile = path.join(root, 'profile', 'Postfach');
  const userKey = randomBytes(32);
  const dpapi = () => ({ protector: safeStorageKeyProtector(osUserKeyStore(userKey), 'mmuster', 'win32') });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const run = async (mode: 'store' | 'full', reportDir: string, hostServices: HostServices, capture: () => Promise<Uint8Array> = async () => PNG) => {
    let service: ServiceHost | undefined;
    try {
      const result = await runSelfTest(
        { mode, reportDir, profileDir: profile },
        {
          connect: async () => createApiClient((service = await startService(profile, hostServices)).asBridge()),
          program: { electron: 'none (Node test)', platform: process.platform },
          captureMainWindow: capture,
        },
      );
      return result;
    } finally {
      await service?.close();
    }
  };

  it('store: creates the store through the OS key store, then opens it on the next run with the same profile', async () => {
    const first = await run('store', path.join(root, 'r1'), dpapi());
    expect(first.exitCode).toBe(0);
    expect(first.report.steps.map((s) => [s.name, s.ok])).toEqual([
      ['service', true],
      ['store', true],
    ]);
    expect(first.report.steps[1]?.facts).toMatchObject({ created: true, protectorAvailable: true, recoveryKeyIssued: true, messages: 0 });
    expect(existsSync(path.join(profile, 'postfach.db'))).toBe(true);
    const written = JSON.parse(readFileSync(path.join(root, 'r1', SELF_TEST_REPORT), 'utf8')) as SelfTestReport;
    expect(written).toMatchObject({ format: 'osci-postfach-self-test/1', mode: 'store', ok: true, program: { version: '9.8.7', electron: 'none (Node test)' } });
    const second = await run('store', path.join(root, 'r2'), dpapi());
    expect(second.report.steps[1]?.facts).toMatchObject({ created: false, messages: 0 });
    expect(second.exitCode).toBe(0);
  });

  it('store: fails with keystore-unavailable without the OS key store, and when another user’s key store cannot unwrap', async () => {
    const none = await run('store', path.join(root, 'r3'), {});
    expect(none.exitCode).toBe(1);
    expect(none.report.steps[1]).toMatchObject({ name: 'store', ok: false, error: { kind: 'keystore-unavailable' } });
    const otherUser = await run('store', path.join(root, 'r4'), { protector: safeStorageKeyProtector(osUserKeyStore(), 'someone', 'win32') });
    expect(otherUser.exitCode).toBe(1);
    expect(otherUser.report.steps[1]?.ok).toBe(false);
    expect(otherUser.report.ok).toBe(false);
  });

  it('full: Übungsmodus, one fetch, a PDF and the window picture; a later run finds the fetched applications still there', async () => {
    const reportDir = path.join(root, 'full-1');
    const first = await run('full', reportDir, dpapi());
    expect(first.report.steps.map((s) => `${s.name}:${s.ok ? 'ok' : JSON.stringify(s.error)}`)).toEqual([
      'service:ok',
      'store:ok',
      'training:ok',
      'fetch:ok',
      'export:ok',
      'window:ok',
    ]);
    expect(first.exitCode).toBe(0);
    const fetched = first.report.steps.find((s) => s.name === 'fetch')?.facts;
    expect(fetched).toMatchObject({ outcome: 'complete', unreadable: 0 });
    expect(Number(fetched?.newMessages)).toBeGreaterThan(0);
    expect(readFileSync(path.join(reportDir, SELF_TEST_PDF)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(readFileSync(path.join(reportDir, SELF_TEST_SCREENSHOT)).equals(PNG)).toBe(true);
    expect(first.report.steps.find((s) => s.name === 'window')?.facts).toMatchObject({ width: 1280, height: 800 });
    // nothing personal in the report: counts, versions, kinds (the Übungsmodus data is invented anyway)
    expect(readFileSync(path.join(reportDir, SELF_TEST_REPORT), 'utf8')).not.toMatch(/Musterstadt|Straße|geboren/);

    const second = await run('full', path.join(root, 'full-2'), dpapi(), async () => Buffer.from('not a png'));
    const training = second.report.steps.find((s) => s.name === 'training')?.facts;
    expect(training?.messagesBefore).toBe(fetched?.messagesAfter);
    // the Übungsmodus hands over its first batch at once and sends the rest behind it (app/demo-applications.ts);
    // what the first run's process did not live to send comes at the next start: only that is new, nothing twice
    const again = second.report.steps.find((s) => s.name === 'fetch')?.facts;
    expect(again).toMatchObject({ outcome: 'complete', unreadable: 0 });
    expect(Number(again?.messagesAfter)).toBe(Number(training?.messagesBefore) + Number(again?.newMessages));
    expect(Number(again?.messagesAfter)).toBeLessThanOrEqual(DEMO_APPLICATIONS.length);
    expect(second.report.steps.at(-1)).toMatchObject({ name: 'window', ok: false, error: { kind: 'self-test-window' } });
    expect(second.exitCode).toBe(1);
  }, 240_000);

  it('reports a service that cannot start as a failed first step, and still writes the report', async () => {
    const reportDir = path.join(root, 'dead');
    const result = await runSelfTest(
      { mode: 'full', reportDir, profileDir: root },
      { connect: () => Promise.reject(new Error('better_sqlite3.node was compiled against a different Node.js version')), program: {}, captureMainWindow: async () => PNG },
    );
    expect(result.exitCode).toBe(1);
    expect(result.report.steps).toEqual([
      expect.objectContaining({ name: 'service', ok: false, error: expect.objectContaining({ detail: expect.stringContaining('different Node.js version') }) }),
    ]);
    expect(JSON.parse(readFileSync(path.join(reportDir, SELF_TEST_REPORT), 'utf8'))).toMatchObject({ ok: false });
  });

  it('answers exit code 1 when the report cannot be written', async () => {
    const blocker = path.join(root, 'a-file');
    writeFileSync(blocker, 'a file where the report folder should be');
    const result = await runSelfTest(
      { mode: 'store', reportDir: path.join(blocker, 'sub'), profileDir: root },
      { connect: () => Promise.reject(new Error('not reached')), program: {}, captureMainWindow: async () => PNG },
    );
    expect(result.exitCode).toBe(1);
    expect(result.report.ok).toBe(false);
  });
});

describe('the window picture waits for the Übungsmodus mailbox', () => {
  function fakeWindow(frames: Array<{ title: string; rows: number | Error }>) {
    let i = 0;
    const shown: string[] = [];
    const win: CapturableMainWindow & { destroyed: boolean } = {
      destroyed: false,
      isDestroyed: () => win.destroyed,
      show: () => void shown.push('show'),
      webContents: {
        getTitle: () => frames[Math.min(i, frames.length - 1)]?.title ?? '',
        executeJavaScript: async (code) => {
          expect(code).toBe(COUNT_ROWS);
          const rows = frames[Math.min(i, frames.length - 1)]?.rows ?? 0;
          if (rows instanceof Error) throw rows;
          return rows;
        },
        capturePage: async () => ({ toPNG: () => PNG }),
      },
    };
    return { win, shown, advance: () => void i++ };
  }

  it('captures once the title says Übungsmodus and the list has rows', async () => {
    const { win, shown, advance } = fakeWindow([
      { title: 'OSCI-Postfach', rows: 0 },
      { title: 'OSCI-Postfach – Übungsmodus', rows: new Error('page not ready') },
      { title: 'OSCI-Postfach – Übungsmodus', rows: 0 },
      { title: 'OSCI-Postfach – Übungsmodus – Stadt', rows: 5 },
    ]);
    const sleeps: number[] = [];
    const png = await captureWhenMailboxShown(win, { pollMs: 10, sleep: async (ms) => void (sleeps.push(ms), advance()) });
    expect(Buffer.from(png).equals(PNG)).toBe(true);
    expect(shown).toEqual(['show']);
    expect(sleeps).toEqual([10, 10, 10, 20]);
  });

  it('gives up after the timeout, saying what it saw; refuses a missing or closed window', async () => {
    let clock = 0;
    const { win } = fakeWindow([{ title: 'OSCI-Postfach', rows: 0 }]);
    await expect(captureWhenMailboxShown(win, { timeoutMs: 100, pollMs: 40, now: () => clock, sleep: async (ms) => void (clock += ms) })).rejects.toThrow(
      /within 100 ms \(title "OSCI-Postfach", 0 rows\)/,
    );
    await expect(captureWhenMailboxShown(undefined)).rejects.toThrow(/does not exist/);
    const closing = fakeWindow([{ title: 'x', rows: 0 }]);
    await expect(captureWhenMailboxShown(closing.win, { sleep: async () => void (closing.win.destroyed = true) })).rejects.toThrow(/closed/);
  });
});

describe('the preload bridge over a stand-in ipcRenderer', () => {
  it('forwards valid calls on the one channel, refuses others before sending, delivers only valid events', async () => {
    const invoked: unknown[][] = [];
    let deliver: ((event: unknown, ...args: unknown[]) => void) | undefined;
    const channels: string[] = [];
    const bridge = createPreloadBridge({
      invoke: async (...args) => (invoked.push(args), { ok: true, value: { language: 'de', fetchIntervalMinutes: 15, familyNameFirst: true } }),
      on: (channel, listener) => void (channels.push(channel), (deliver = listener)),
    });
    expect(channels).toEqual(['postfach:event']);
    expect(await bridge.call('settings.get', {})).toMatchObject({ ok: true });
    expect(await bridge.call('fs.readFile' as never, {} as never)).toMatchObject({ ok: false, error: { kind: 'api-unknown-method' } });
    expect(await bridge.call('settings.set', { language: 'xx' } as never)).toMatchObject({ ok: false, error: { kind: 'api-invalid-input' } });
    expect(invoked).toEqual([['postfach:call', 'settings.get', {}]]);
    const seen: unknown[] = [];
    const off = bridge.on('settings.changed', (p) => seen.push(p));
    expect(bridge.on('no.such.event' as never, () => undefined)()).toBeUndefined();
    deliver?.({}, 'settings.changed', { language: 'en', fetchIntervalMinutes: 15, familyNameFirst: true });
    deliver?.({}, 'settings.changed', { language: 'xx', fetchIntervalMinutes: 15, familyNameFirst: true });
    deliver?.({}, 'no.such.event', {});
    deliver?.({}, 'store.changed', { state: 'none' }); // nobody listens: dropped quietly
    off();
    deliver?.({}, 'settings.changed', { language: 'de', fetchIntervalMinutes: 15, familyNameFirst: true });
    expect(seen).toEqual([{ language: 'en', fetchIntervalMinutes: 15, familyNameFirst: true }]);
  });
});
