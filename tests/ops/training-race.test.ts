/**
 * A stop of the Übungsmodus followed at once by a new start (a second browser tab, a reload, the UI's resume: the
 * service does not serialise calls) sent an application twice: the new demo took its list of what is owed while the
 * stopping one still had an application on its way; the stopping one then recorded it as sent and closed its intent;
 * the new one, finding no intent open, issued a new id and sent it again. Both layers are tested here:
 *
 * - the sender (app/demo-applications.ts) reads the ledger again before each application: two runs of the real
 *   sender on one demo folder, the second one's list taken while the first one's sending is held back by a gate,
 *   against the real local intermediary on loopback (its SQLite file counted from here): each seed exactly once;
 * - the TrainingRunner (core/app/training.ts) lets a start wait for a stop still closing its demo: one demo open at
 *   a time (its demo starter is a stand-in that counts open demos: the runner is the subject).
 */
import { describe, expect, it } from 'vitest';
import { DEMO_APPLICATIONS, owedApplications, sendDemoApplications, type DemoApplication } from '../../app/demo-applications.js';
import { startDemoMailbox } from '../../app/demo-mailbox.js';
import { TrainingRunner, type DemoMailbox } from '../../core/app/training.js';
import { deliveredUnder, issueMessageId, loadSenderSetup, sendApplications, type SentApplication } from '../../intermediary/index.js';
import { tempDir } from '../mailbox/helpers.js';
import { deliveriesAt, ledgerOf } from './training-helpers.js';

/** Settles when `open()` is called; `promise` until then. */
function gate(): { readonly promise: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('a new start while a stop still sends the application on its way', () => {
  it('the real sender twice on one folder, the second list taken mid-send: each seed exactly once', async () => {
    const dir = tempDir('postfach-training-race-');
    // the folder set up (keys, store, the intermediary on loopback), nothing sent yet
    const demo = await startDemoMailbox(dir, { firstBatch: 0 });
    try {
      // the three light applications: the race is the same for each, the heavy one only costs time here
      const applications = DEMO_APPLICATIONS.slice(0, 3);
      expect(owedApplications(dir).slice(0, 3)).toEqual(applications);
      const setup = loadSenderSetup({ pkiDir: demo.pkiDir });
      const sender = (held?: { readonly reached: () => void; readonly gate: Promise<void> }) => ({
        dir,
        issueMessageId: () => issueMessageId(demo.intermediaryUrl, setup),
        delivered: (messageId: string) => deliveredUnder(demo.intermediaryUrl, setup, messageId),
        send: async (app: DemoApplication, messageId: string): Promise<SentApplication[]> => {
          if (held !== undefined && app.seed === applications[0]!.seed) {
            held.reached();
            await held.gate;
          }
          return sendApplications({ intermediaryUrl: demo.intermediaryUrl, setup, service: app.service, seed: app.seed, messageId, ...(app.test ? { test: true } : {}) });
        },
      });
      const reached = gate();
      const held = gate();
      const first = sendDemoApplications({ ...sender({ reached: () => reached.open(), gate: held.promise }), applications });
      await reached.promise;
      // the first application's intent is recorded and it is on its way: the second run takes its list now
      expect(ledgerOf(dir).sending?.seed).toBe(applications[0]!.seed);
      const owed = owedApplications(dir).filter((a) => applications.includes(a));
      expect(owed).toEqual(applications);
      held.open();
      expect(await first).toHaveLength(3);
      const second = await sendDemoApplications({ ...sender(), applications: owed });
      expect(second).toHaveLength(0);
      const stored = deliveriesAt(dir);
      expect(stored, JSON.stringify(stored.map((d) => d.subject))).toHaveLength(3);
      expect(new Set(stored.map((d) => d.subject)).size).toBe(3);
      expect(ledgerOf(dir)).toEqual({ version: 1, sent: applications.map((a) => a.seed) });
    } finally {
      await demo.close();
    }
  }, 240_000);

  it('TrainingRunner: a start during a stop waits for the stop; one demo open at a time', async () => {
    let open = 0;
    let most = 0;
    const closing = gate();
    let started = 0;
    const runner = new TrainingRunner(tempDir('postfach-training-race-runner-'), async (): Promise<DemoMailbox> => {
      started += 1;
      open += 1;
      most = Math.max(most, open);
      const first = started === 1;
      return {
        storePath: 'unused',
        unlock: { password: 'unused' },
        intermediaryUrl: 'http://127.0.0.1:1',
        sendRest: () => Promise.resolve({}),
        close: async () => {
          // the first demo's application on its way: its close waits for it
          if (first) await closing.promise;
          open -= 1;
        },
      };
    });
    const one = await runner.start();
    const stopping = runner.stop();
    const again = runner.start();
    const twice = runner.start();
    // the new start has not started a demo while the first one still closes
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started).toBe(1);
    expect(open).toBe(1);
    closing.open();
    await stopping;
    const two = await again;
    expect(await twice).toBe(two);
    expect(two).not.toBe(one);
    expect(started).toBe(2);
    expect(most).toBe(1);
    await runner.finish();
    expect(open).toBe(0);
  });
});
