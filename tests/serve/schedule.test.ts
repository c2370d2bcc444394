/**
 * The fetch schedule (core/serve/schedule.ts): a fetch at once, then one per interval, never two at a time, a
 * fetch someone else started meanwhile is no error, and stop waits for the running fetch.
 */
import { describe, expect, it } from 'vitest';
import { startFetchSchedule } from '../../core/serve/schedule.js';
import type { CallResult } from '../../core/api/wire.js';

describe('the fetch schedule', () => {
  it('fetches at start and then every interval, one at a time, and stops after the running fetch', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    const lines: string[] = [];
    const schedule = startFetchSchedule({
      intervalMs: 40,
      fetch: async (): Promise<CallResult<unknown>> => {
        calls++;
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 30));
        running--;
        return calls === 2
          ? { ok: false, error: { kind: 'fetch-running', message: 'Abruf läuft', messageEn: 'fetch running', detail: 'a person fetches' } }
          : { ok: true, value: { outcome: 'completed', newIds: [1, 2] } };
      },
      report: (line) => lines.push(line),
    });
    await new Promise((r) => setTimeout(r, 330));
    await schedule.stop();
    const after = calls;
    await new Promise((r) => setTimeout(r, 120));
    expect(calls).toBe(after);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(6);
    expect(most).toBe(1);
    expect(lines[0]).toMatch(/^Abruf \/ fetch: completed, 2 neu \/ new, \d+ ms$/);
    expect(lines[1]).toContain('scheduled run skipped');
  });

  it('records how each run ended for the status bar, but not a run skipped for a running fetch', async () => {
    const results: CallResult<unknown>[] = [
      { ok: true, value: { outcome: 'complete', newMessages: 3, newIds: [1, 2, 3] } },
      { ok: false, error: { kind: 'fetch-running', message: 'Abruf läuft', messageEn: 'fetch running', detail: 'a person fetches' } },
      { ok: true, value: { outcome: 'failed', newMessages: 1, newIds: [4], error: { kind: 'network' } } },
      { ok: false, error: { kind: 'store-not-open', message: 'zu', messageEn: 'closed', detail: 'closed' } },
    ];
    const recorded: unknown[][] = [];
    const lines: string[] = [];
    let calls = 0;
    const schedule = startFetchSchedule({
      intervalMs: 10,
      fetch: () => Promise.resolve(results[Math.min(calls++, results.length - 1)]!),
      record: (...args) => {
        recorded.push(args);
        return recorded.length === 3 ? Promise.reject(new Error('refused')) : Promise.resolve();
      },
      report: (line) => lines.push(line),
    });
    await expect.poll(() => calls, { timeout: 5_000 }).toBeGreaterThanOrEqual(4);
    await schedule.stop();
    expect(recorded.slice(0, 3)).toEqual([
      ['complete', 3, undefined],
      ['failed', 1, 'network'],
      ['failed', 0, 'store-not-open'],
    ]);
    // a record that fails is reported, and the schedule goes on
    expect(lines).toContain('Abrufstand nicht vermerkt / fetch status not recorded: Error');
  });
});
