/**
 * ServiceHost.close has a time limit of its own: a service that does not exit after its kill (a kill that does not
 * take, an exit never reported) no longer holds the close forever. A real child process that ignores the shutdown
 * and the channel's kill (SIGTERM here: Electron's own kill of a utility process is one, README "Übungsmodus"), on a
 * real IPC channel: the close ends with service-stopped naming the missing exit for IT, open and later calls are
 * answered service-stopped. The child is SIGKILLed by the test afterwards.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { PostfachError } from '../../core/errors.js';
import { ServiceHost, type ServiceChannel } from '../../core/api/service-host.js';
import { tempDir } from '../mailbox/helpers.js';

// answers init, then nothing: no shutdown, no call; SIGTERM ignored
const STUBBORN = `
process.on('SIGTERM', () => undefined);
process.on('message', (m) => { if (m && m.type === 'init') process.send({ type: 'ready' }); });
setInterval(() => undefined, 60_000);
`;

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

function stubbornChannel(): { channel: ServiceChannel; kills: () => number } {
  const file = path.join(tempDir('postfach-host-close-'), 'stubborn.cjs');
  writeFileSync(file, STUBBORN);
  const proc = fork(file, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  child = proc;
  let kills = 0;
  return {
    kills: () => kills,
    channel: {
      post: (message) => void proc.send(message),
      onMessage: (listener) => void proc.on('message', listener),
      onExit: (listener) => void proc.on('exit', (code, signal) => listener(`child exited (${signal ?? code})`)),
      kill: () => {
        kills += 1;
        proc.kill('SIGTERM');
      },
    },
  };
}

describe('ServiceHost.close of a service that never exits', () => {
  it('ends after grace + kill wait with service-stopped for IT; calls are answered service-stopped', async () => {
    const { channel, kills } = stubbornChannel();
    const host = await ServiceHost.start(channel, { dataDir: tempDir('postfach-host-close-data-'), appVersion: '0.1.0-test', host: 'browser' }, 10_000);
    const open = host.invoke('app.info', {});
    const began = Date.now();
    const closed = await Promise.race([
      host.close(200, 300).then(
        () => 'resolved' as const,
        (error: unknown) => error,
      ),
      delay(5_000).then(() => 'hung' as const),
    ]);
    const tookMs = Date.now() - began;
    expect(closed).toBeInstanceOf(PostfachError);
    const error = closed as PostfachError;
    expect(error.kind).toBe('service-stopped');
    expect(error.detail).toMatch(/showed no exit within 300 ms after its kill/);
    expect(tookMs).toBeGreaterThanOrEqual(450);
    expect(tookMs).toBeLessThan(3_000);
    expect(kills()).toBe(1);
    // the child is still there: the bound, not an exit, ended the close
    expect(child?.exitCode).toBeNull();
    expect(child?.signalCode).toBeNull();
    expect(host.running).toBe(false);
    expect(await open).toMatchObject({ ok: false, error: { kind: 'service-stopped' } });
    expect(await host.invoke('app.info', {})).toMatchObject({ ok: false, error: { kind: 'service-stopped' } });
    // a second close answers at once: the service already counts as ended, nothing is left to wait for
    await expect(host.close(200, 300)).resolves.toBeUndefined();
  });

  it('a child that exits after the kill: the close resolves', async () => {
    const { channel } = stubbornChannel();
    const real: ServiceChannel = { ...channel, kill: () => void child?.kill('SIGKILL') };
    const host = await ServiceHost.start(real, { dataDir: tempDir('postfach-host-close-data-'), appVersion: '0.1.0-test', host: 'browser' }, 10_000);
    await expect(host.close(100, 2_000)).resolves.toBeUndefined();
    expect(host.running).toBe(false);
  });
});
