/**
 * The kill test: `postfach fetch` (a real process, a real store, the real local intermediary on loopback) is
 * SIGKILLed at 32 random points across the dialog, drawn from a seed (printed; `POSTFACH_TEST_SEED=<n>` repeats a
 * failing run exactly; kill-scaffold.ts), every kind of point at least once — after InitDialog; a delivery received but not saved; before and
 * during the save (content and attachment streams being written); saved but not yet acknowledged; before and
 * after FetchProcessCard; after the receipts were recorded; before and after ExitDialog; in the middle of a large
 * response — through the test-only hook POSTFACH_TEST_KILL_POINT, read by this test's preload
 * (kill-points-preload.mjs, loaded with `node --import`), which installs the crash points into the built program.
 *
 * After every kill: the store opens, its integrity check passes, every stored delivery's content and attachments
 * are byte for byte what was sent, nothing stored before is gone, the audit chain verifies, and every delivery the
 * intermediary has recorded as received (Reception, i.e. acknowledged) is in the store — nothing acknowledged was
 * lost. At the end one fetch without a kill: every delivery sent is in the store exactly once.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { vectorPath } from '../helpers/shared.js';
import { createStore, ensureBuilt, fetchArgs, fetchEnv, openStore, postfach, sharedPki, startTestIntermediary, tempDir } from './helpers.js';
import { describeRuns, killAt, KillScenario, killSeed, randomKillRuns } from './kill-scaffold.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const root = tempDir('postfach-mailbox-kill-');
const dbPath = path.join(root, 'store', 'postfach.db');
let pkiDir = '';
let intermediary: RunningIntermediary;
let document: Buffer;
const scenario = new KillScenario(
  () => intermediary.url,
  () => pkiDir,
  () => document,
);
const expected = scenario.expected;
const SEED = killSeed();
const RUNS = randomKillRuns(32, SEED);

/** Everything that must hold after a kill; returns the stored and the acknowledged message ids. */
async function checkStore(before: ReadonlySet<string>): Promise<{ stored: Set<string>; acknowledged: Set<string> }> {
  const store = await openStore(dbPath);
  try {
    expect(store.checkIntegrity()).toEqual({ ok: true, problems: [] });
    expect(store.verifyAuditLog().ok).toBe(true);
    const page = store.list({ limit: 1000 });
    const ids = new Set(page.items.map((i) => i.messageId));
    expect(ids.size).toBe(page.total);
    for (const id of before) expect(ids.has(id)).toBe(true);
    for (const item of page.items) {
      const want = expected.get(item.messageId);
      expect(want, `stored ${item.messageId} was never sent`).toBeDefined();
      // content checked once, when first seen (the integrity check above reads every page each time)
      if (before.has(item.messageId)) continue;
      expect(item.unreadableReason).toBeNull();
      const record = store.getDelivery(item.id);
      expect(record.content.sha256).toBe(want!.content);
      expect(sha256(await store.readContent(item.id))).toBe(want!.content);
      expect(record.attachments.map((a) => a.sha256).sort()).toEqual([...want!.attachments].sort());
      for (const a of record.attachments) expect(sha256(await store.readAttachment(a.id))).toBe(a.sha256);
    }
    const acknowledged = new Set(await scenario.acknowledgedAtIntermediary());
    for (const id of acknowledged) expect(ids.has(id), `acknowledged ${id} missing from the store`).toBe(true);
    return { stored: ids, acknowledged };
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  ensureBuilt();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
  // a small application (the reference vectors' antrag-1.xml): the kill points are about the dialog, not size
  document = readFileSync(vectorPath('content/antrag-1.xml'));
  await createStore(dbPath);
}, 180_000);

afterAll(async () => {
  await intermediary?.close();
});

describe('SIGKILL during fetch at 32 random points: nothing lost, nothing duplicated', () => {
  it(`survives every kill and ends with every delivery stored exactly once (POSTFACH_TEST_SEED=${SEED})`, async () => {
    console.log(`SQLite kill test, POSTFACH_TEST_SEED=${SEED}:\n${describeRuns(RUNS)}`);
    expect(RUNS.length).toBeGreaterThanOrEqual(30);
    let stored = new Set<string>();
    let acknowledged = new Set<string>();
    const kills: string[] = [];
    for (const run of RUNS) {
      await scenario.sendFor(run, stored, acknowledged);
      const result = await postfach(fetchArgs(dbPath, intermediary.url, pkiDir), { ...fetchEnv(pkiDir), ...killAt(run.point) }, 120_000);
      expect(result.signal, `${run.point} (seed ${SEED}): the process was not killed (exit ${result.status}: ${result.stderr.slice(-300)})`).toBe('SIGKILL');
      kills.push(run.point);
      ({ stored, acknowledged } = await checkStore(stored));
    }
    expect(kills).toHaveLength(RUNS.length);
    // the kills let deliveries through; one more is waiting, so that the fetch without a kill surely fetches
    expect(stored.size).toBeGreaterThan(0);
    await scenario.sendFor({ point: 'after-exit:1' }, stored, acknowledged);
    expect(stored.size).toBeLessThan(expected.size);

    const final = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], fetchEnv(pkiDir), 180_000);
    expect(final.status, final.stderr).toBe(0);
    const result = JSON.parse(final.stdout) as { outcome: string; newMessages: number; duplicates: number };
    expect(result.outcome).toBe('complete');
    const all = await checkStore(stored);
    expect(all.stored).toEqual(new Set(expected.keys()));
    expect(all.acknowledged).toEqual(new Set(expected.keys()));
    expect(result.newMessages).toBe(expected.size - stored.size);

    // and once more: nothing left, nothing duplicated
    const again = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], fetchEnv(pkiDir));
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'complete', newMessages: 0, duplicates: 0 });
    const store = await openStore(dbPath);
    expect(store.list({ limit: 1000 }).total).toBe(expected.size);
    expect(store.auditEntries({ limit: 100_000 }).filter((e) => e.action === 'fetched')).toHaveLength(expected.size);
    store.close();
  }, 900_000);
});
