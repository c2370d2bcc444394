/**
 * The kill test on PostgreSQL: the built `postfach serve` (a real process with its worker service) on a real
 * throw-away cluster fetches from the real local intermediary at its start and is SIGKILLed at 20 random points of
 * the dialog, drawn from a seed (printed; `POSTFACH_TEST_SEED=<n>` repeats a failing run exactly): every kind of
 * crash point at least once — after InitDialog, a delivery received but not saved, before, during and after the save
 * (the PostgreSQL transaction), before and after FetchProcessCard, after the receipts, around ExitDialog, in the
 * middle of a large response — each at a random n-th delivery, save stream or chunk, with a random mix of small
 * deliveries, attachments and a large one waiting (kill-scaffold.ts, shared with the SQLite kill test).
 *
 * After every kill: the shared store opens with the key file and the password, its audit chain verifies, every
 * stored delivery's content and attachments are byte for byte what was sent, nothing stored before is gone, there
 * is exactly one "fetched" entry per stored delivery (nothing saved twice), and every delivery the intermediary
 * recorded as received (acknowledged) is stored — nothing acknowledged before its transaction committed. At the
 * end the service runs without a kill: every delivery sent is in PostgreSQL exactly once.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCluster, type LocalCluster } from '../../core/store-pg/index.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { ensureCliBuilt } from '../helpers/build.js';
import { vectorPath } from '../helpers/shared.js';
import { cli, postfach, sharedPki, startTestIntermediary, tempDir } from './helpers.js';
import { describeRuns, killAt, KillScenario, killSeed, randomKillRuns } from './kill-scaffold.js';
import { createDatabase, openSharedStore, pgSection, serveEnv, singlePcStore, writeServeConfig } from './pg-helpers.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const DATABASE = 'kill_postfach';
const SEED = killSeed();
const RUNS = randomKillRuns(20, SEED);

const root = tempDir('postfach-pg-kill-');
const storePath = path.join(root, 'store', 'postfach.db');
const keyFile = path.join(root, 'store', 'postfach-pg.keys.json');
let configFile = '';
let cluster: LocalCluster;
let pkiDir = '';
let intermediary: RunningIntermediary;
let document: Buffer;
const scenario = new KillScenario(
  () => intermediary.url,
  () => pkiDir,
  () => document,
);

/** Everything that must hold after a kill; returns the stored and the acknowledged message ids. */
async function checkStore(before: ReadonlySet<string>): Promise<{ stored: Set<string>; acknowledged: Set<string> }> {
  const store = await openSharedStore(cluster, DATABASE, keyFile);
  try {
    expect((await store.verifyAuditLog()).ok).toBe(true);
    const page = await store.list({ limit: 1000 });
    const ids = new Set(page.items.map((i) => i.messageId));
    expect(ids.size).toBe(page.total);
    for (const id of before) expect(ids.has(id)).toBe(true);
    const fetched = (await store.auditEntries({ limit: 100_000 })).filter((e) => e.action === 'fetched');
    expect(fetched).toHaveLength(page.total);
    for (const item of page.items) {
      const want = scenario.expected.get(item.messageId);
      expect(want, `stored ${item.messageId} was never sent`).toBeDefined();
      if (before.has(item.messageId)) continue;
      expect(item.unreadableReason).toBeNull();
      const record = await store.getDelivery(item.id);
      expect(record.content.sha256).toBe(want!.content);
      expect(sha256(await store.readContent(item.id))).toBe(want!.content);
      expect(record.attachments.map((a) => a.sha256).sort()).toEqual([...want!.attachments].sort());
      for (const a of record.attachments) expect(sha256(await store.readAttachment(a.id))).toBe(a.sha256);
    }
    const acknowledged = new Set(await scenario.acknowledgedAtIntermediary());
    for (const id of acknowledged) expect(ids.has(id), `acknowledged ${id} missing from the store`).toBe(true);
    return { stored: ids, acknowledged };
  } finally {
    await store.close();
  }
}

/** The service without a kill: started, its first scheduled fetch awaited in its output, then stopped (SIGTERM). */
function serveOnce(): Promise<{ fetchLine: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'serve', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...serveEnv(cluster) } });
    let out = '';
    let fetchLine = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('Abruf / fetch:') || l.startsWith('Abruf fehlgeschlagen'));
      if (line !== undefined && fetchLine === '') {
        fetchLine = line;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (fetchLine === '') reject(new Error(`serve ended without a fetch: ${out.slice(-500)}`));
      else resolve({ fetchLine, code });
    });
  });
}

beforeAll(async () => {
  ensureCliBuilt(['serve.js']);
  cluster = await startLocalCluster();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
  document = readFileSync(vectorPath('content/antrag-1.xml'));
  await createDatabase(cluster, DATABASE);
  mkdirSync(path.dirname(storePath), { recursive: true });
  await singlePcStore(storePath, pkiDir, intermediary.url);
  configFile = writeServeConfig(path.join(root, 'serve.json'), {
    store: storePath,
    listen: '127.0.0.1:0',
    plainHttpOnLoopback: true,
    fetchIntervalMinutes: 60,
    storePasswordEnv: 'SERVE_TEST_STORE_PASSWORD',
    postgresql: pgSection(cluster, DATABASE, keyFile),
  });
}, 180_000);

afterAll(async () => {
  await intermediary?.close();
  await cluster?.stop();
}, 60_000);

describe('SIGKILL of postfach serve on PostgreSQL during its fetch at 20 random points: nothing lost, nothing duplicated', () => {
  it(`survives every kill and ends with every delivery stored exactly once (POSTFACH_TEST_SEED=${SEED})`, async () => {
    console.log(`PostgreSQL kill test, POSTFACH_TEST_SEED=${SEED}:\n${describeRuns(RUNS)}`);
    let stored = new Set<string>();
    let acknowledged = new Set<string>();
    for (const run of RUNS) {
      await scenario.sendFor(run, stored, acknowledged);
      const result = await postfach(['serve', '--config', configFile], { ...serveEnv(cluster), ...killAt(run.point) }, 120_000);
      expect(result.signal, `${run.point} (seed ${SEED}): the service was not killed (exit ${result.status}: ${(result.stdout + result.stderr).slice(-400)})`).toBe('SIGKILL');
      ({ stored, acknowledged } = await checkStore(stored));
    }
    // the kills let deliveries through; one more is waiting, so that the run without a kill surely fetches
    expect(stored.size).toBeGreaterThan(0);
    await scenario.sendFor({ point: 'after-exit:1' }, stored, acknowledged);
    expect(stored.size).toBeLessThan(scenario.expected.size);

    const final = await serveOnce();
    expect(final.fetchLine).toMatch(/^Abruf \/ fetch: complete, \d+ neu/);
    expect(final.code).toBe(0);
    const all = await checkStore(stored);
    expect(all.stored).toEqual(new Set(scenario.expected.keys()));
    expect(all.acknowledged).toEqual(new Set(scenario.expected.keys()));
    expect(Number(/complete, (\d+) neu/.exec(final.fetchLine)?.[1])).toBe(scenario.expected.size - stored.size);

    // and once more: nothing left, nothing duplicated
    const again = await serveOnce();
    expect(again.fetchLine).toMatch(/^Abruf \/ fetch: complete, 0 neu/);
    const store = await openSharedStore(cluster, DATABASE, keyFile);
    try {
      expect((await store.list({ limit: 1 })).total).toBe(scenario.expected.size);
      expect((await store.auditEntries({ limit: 100_000 })).filter((e) => e.action === 'fetched')).toHaveLength(scenario.expected.size);
    } finally {
      await store.close();
    }
  }, 900_000);
});
