/**
 * The Übungsmodus never sends an invented application twice, whatever moment it is killed at, and loses none: the
 * built program (`postfach demo`: a real process, its service thread, the local intermediary on loopback with its
 * SQLite file, the demo store) is SIGKILLed at each step of one application's sending — the message id issued, the
 * intent recorded, the delivery stored at the intermediary but not yet in the ledger (the bug of 2026-12-06: the
 * next start sent it again), the ledger written — on a light application and on the last, heavy one, and once more
 * while the next start recovers. The crash points are core/mailbox/kill-points.ts's `demo-…`, installed by the kill
 * test's preload (tests/mailbox/kill-points-preload.mjs, POSTFACH_TEST_KILL_POINT).
 *
 * After every kill the intermediary (its own SQLite file, read here) holds each application at most once and no
 * more than the ledger accounts for; after the next start without a kill it holds each of the five exactly once,
 * the ledger has all five and no intent open, and the demo store has fetched five.
 */
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APPLICATIONS } from '../../app/demo-applications.js';
import { createTestPki } from '../../core/pki/test-pki.js';
import { ensureBuilt, postfach, tempDir } from '../mailbox/helpers.js';
import { killAt } from '../mailbox/kill-scaffold.js';
import { deliveriesAt, ledgerOf } from './training-helpers.js';

const root = tempDir('postfach-training-kill-');
const pki = path.join(root, 'pki');

/** Each application at most once (one subject per service), and no delivery the ledger cannot account for. */
function expectNothingTwice(dir: string): void {
  const stored = deliveriesAt(dir);
  expect(new Set(stored.map((d) => d.subject)).size, JSON.stringify(stored)).toBe(stored.length);
  const ledger = ledgerOf(dir);
  expect(ledger.version).toBe(1);
  const open = ledger.sending === undefined ? [] : stored.filter((d) => d.messageId === ledger.sending!.messageId);
  expect(stored.length).toBe(ledger.sent.length + open.length);
}

beforeAll(async () => {
  ensureBuilt();
  await createTestPki(pki);
}, 180_000);

/** Kills at each point in turn (one `postfach demo` per point), then starts once more without a kill. */
const RUNS: ReadonlyArray<{ readonly name: string; readonly kills: readonly string[] }> = [
  { name: 'a message id issued, nothing recorded', kills: ['demo-id-issued:3'] },
  { name: 'the intent recorded, nothing sent', kills: ['demo-intent-written:3'] },
  { name: 'stored at the intermediary, not yet in the ledger', kills: ['demo-delivered:3'] },
  { name: 'the ledger written', kills: ['demo-recorded:3'] },
  { name: 'the last application (attachments) stored, not in the ledger', kills: ['demo-delivered:5'] },
  { name: 'the intent recorded; then again while the next start sends it under the same id', kills: ['demo-intent-written:2', 'demo-delivered:1'] },
  { name: 'stored, not in the ledger; then again after the recovery, at the next one', kills: ['demo-delivered:2', 'demo-id-issued:1'] },
];

describe('the Übungsmodus killed while it sends its applications', () => {
  for (const run of RUNS) {
    it(`${run.name} (${run.kills.join(' → ')}): nothing twice, nothing lost`, async () => {
      const dir = tempDir('postfach-training-kill-run-');
      cpSync(pki, path.join(dir, 'pki'), { recursive: true });
      for (const point of run.kills) {
        const killed = await postfach(['demo', '--dir', dir, '--json'], killAt(point));
        expect(killed.signal, `${point}: ${killed.stderr}`).toBe('SIGKILL');
        expectNothingTwice(dir);
        if (point.startsWith('demo-delivered')) {
          // the very state of the bug: at the intermediary, only the open intent knows it
          const { sending } = ledgerOf(dir);
          expect(sending).toBeDefined();
          expect(deliveriesAt(dir).map((d) => d.messageId)).toContain(sending!.messageId);
        }
      }
      // an intent left open whose delivery is at the intermediary: the next start finds it there and says so
      const open = ledgerOf(dir).sending;
      const foundThere = open !== undefined && deliveriesAt(dir).some((d) => d.messageId === open.messageId) ? [open.messageId] : [];
      const again = await postfach(['demo', '--dir', dir, '--json']);
      expect(again.status, again.stderr).toBe(0);
      const output = JSON.parse(again.stdout) as { messages: number; sent: string[]; found: string[] };
      expect(output.messages).toBe(DEMO_APPLICATIONS.length);
      expect(output.found).toEqual(foundThere);
      // found there: not sent again; open but not there: sent under the intent's id
      if (open !== undefined) expect(output.sent.includes(open.messageId)).toBe(foundThere.length === 0);
      expectNothingTwice(dir);
      expect(deliveriesAt(dir)).toHaveLength(DEMO_APPLICATIONS.length);
      expect(ledgerOf(dir)).toEqual({ version: 1, sent: DEMO_APPLICATIONS.map((a) => a.seed) });
    }, 240_000);
  }

  it('an intent left open for an intermediary whose folder was replaced meanwhile: sent under a new id, once', async () => {
    const dir = tempDir('postfach-training-kill-run-');
    cpSync(pki, path.join(dir, 'pki'), { recursive: true });
    const killed = await postfach(['demo', '--dir', dir, '--json'], killAt('demo-intent-written:1'));
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const { sending } = ledgerOf(dir);
    expect(sending?.seed).toBe(DEMO_APPLICATIONS[0]!.seed);
    rmSync(path.join(dir, 'intermediary'), { recursive: true, force: true });
    // the old id is unknown to the new intermediary (9801): not there, so a new id is issued and recorded
    const again = await postfach(['demo', '--dir', dir, '--json']);
    expect(again.status, again.stderr).toBe(0);
    const stored = deliveriesAt(dir);
    expect(stored).toHaveLength(DEMO_APPLICATIONS.length);
    expect(new Set(stored.map((d) => d.subject)).size).toBe(DEMO_APPLICATIONS.length);
    expect(stored.map((d) => d.messageId)).not.toContain(sending!.messageId);
    expect(ledgerOf(dir)).toEqual({ version: 1, sent: DEMO_APPLICATIONS.map((a) => a.seed) });
  }, 240_000);
});
