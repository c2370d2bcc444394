/**
 * `postfach team-demo` stops its `postfach serve` child at the end (cli/commands/team-demo.ts `stopChild`): SIGTERM,
 * SIGKILL after a grace time, then a bounded wait for the exit. A child whose exit never comes after the SIGKILL (a
 * process stuck in the kernel, an exit that is lost) used to hold the team demo's end — and the stop of its
 * PostgreSQL cluster after it — forever.
 *
 * Real processes where the system can produce the case (one that ends on SIGTERM, one that ignores it and is
 * killed); for an exit that never comes, which no test can make the kernel do, a child handle that takes the
 * signals and never reports an exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { stopChild, unconfirmedStopWords } from '../../cli/commands/team-demo.js';

function nodeChild(script: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  // ready once it says so (its SIGTERM handler, if any, is installed)
  return new Promise((resolve) => child.stdout.once('data', () => resolve(child)));
}

describe('team-demo: stopping the service child', () => {
  it('a child that ends on SIGTERM: "exited"', async () => {
    const child = await nodeChild('setInterval(() => undefined, 1000); console.log("ready")');
    expect(await stopChild(child, { termGraceMs: 5_000, killWaitMs: 1_000 })).toBe('exited');
    expect(child.signalCode).toBe('SIGTERM');
  });

  it('a child that ignores SIGTERM: SIGKILL after the grace time, "killed"', async () => {
    const child = await nodeChild('process.on("SIGTERM", () => undefined); setInterval(() => undefined, 1000); console.log("ready")');
    expect(await stopChild(child, { termGraceMs: 200, killWaitMs: 5_000 })).toBe('killed');
    expect(child.signalCode).toBe('SIGKILL');
  });

  it('a child whose exit never comes after SIGKILL: the wait ends after killWaitMs, "unconfirmed", with words for both', async () => {
    const signals: string[] = [];
    const stuck = Object.assign(new EventEmitter(), {
      pid: 4242,
      exitCode: null,
      signalCode: null,
      kill: (signal: string) => signals.push(signal) > 0,
    }) as unknown as ChildProcess;
    const started = performance.now();
    const outcome = await Promise.race([
      stopChild(stuck, { termGraceMs: 100, killWaitMs: 300 }),
      new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5_000)),
    ]);
    expect(outcome).toBe('unconfirmed');
    expect(performance.now() - started).toBeGreaterThanOrEqual(350);
    expect(signals).toEqual(['SIGTERM', 'SIGKILL']);
    // a late exit after the give-up changes nothing (its listener is gone)
    expect(stuck.listenerCount('exit')).toBe(0);
    const words = unconfirmedStopWords(stuck, { termGraceMs: 100, killWaitMs: 300 });
    expect(words).toContain('Der Abrufdienst (Prozess 4242) hat sich nach dem Beenden nicht abgemeldet');
    expect(words).toContain('kill -9 4242');
    expect(words).toMatch(/Detail: no exit event 300 ms after SIGKILL \(SIGTERM 100 ms before\); pid 4242/);
  });
});
