/**
 * The utility channel's kill (electron/utility-channel.ts) is the hard stop after the shutdown's grace and of a
 * service that never became ready: it must end a process that answers SIGTERM with a shutdown of its own or whose
 * event loop is blocked. Real child processes (Node's, through the same UtilityChild members the channel uses —
 * the tests have no Electron runtime), one ignoring SIGTERM, one in a busy loop with a SIGTERM listener.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { utilityChannel, type UtilityChild } from '../../electron/utility-channel.js';

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts `node -e script` and resolves once it has written "ready" (its SIGTERM listener is in place). */
async function started(script: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
  });
  return child;
}

/** A Node child process seen through the members of Electron's UtilityProcess the channel uses. */
function asUtilityChild(child: ChildProcess): UtilityChild {
  return {
    get pid() {
      return child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    postMessage: () => undefined,
    on: (event, listener) => child.on(event, listener),
    once: (event, listener) => child.once(event, (code: number | null) => listener(code ?? -1)),
    kill: () => child.kill(),
  };
}

const exitWithin = (child: ChildProcess, ms: number): Promise<NodeJS.Signals | number | 'still running'> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still running'), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? code ?? -1);
    });
  });

describe.skipIf(process.platform === 'win32')('the utility channel kills hard', () => {
  it.each([
    ['ignores SIGTERM', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); process.stdout.write('ready');"],
    [
      'is blocked with a SIGTERM listener (a service busy or hung)',
      "process.on('SIGTERM', () => process.exit(0)); process.stdout.write('ready', () => { const end = Date.now() + 20000; while (Date.now() < end); });",
    ],
  ])('ends a process that %s within 1 s', async (_what, script) => {
    const child = await started(script);
    const channel = utilityChannel(asUtilityChild(child));
    const exits: string[] = [];
    channel.onExit((reason) => exits.push(reason));
    const ended = exitWithin(child, 1_000);
    channel.kill();
    expect(await ended).toBe('SIGKILL');
    expect(exits).toHaveLength(1);
  });
});
