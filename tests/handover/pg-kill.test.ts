/**
 * The hand-over kill test on PostgreSQL (issue 13, "Must show": the hand-over folder receives each delivery once,
 * complete, even when the service is killed mid-write — here on the shared store): the built `postfach serve` (a
 * real process, its worker service, a real throw-away cluster on loopback, the real local intermediary, a real
 * folder set by IT's machine file) fetches at its start, hands over, and SIGKILLs itself at a hand-over step — the
 * same points as the SQLite kill test (tests/handover/kill.test.ts), at a randomly chosen hit (seed printed;
 * POSTFACH_TEST_SEED repeats a run). The runs alternate between two services on the same database and folder (two
 * settings files, two data folders: a restart on another machine), so what one left the other completes.
 *
 * After every kill the folder is read as the case system reads it (everything under a final name complete, a
 * `.done` only beside its verified folder, nothing once written written again), and what the shared store records
 * as handed over is on disk. At the end both services run at once without a kill, then one more: every delivery is
 * in the folder exactly once, complete, no temporary names, nothing pending, one audit entry per delivery.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryFolderName } from '../../core/handover/names.js';
import { startLocalCluster, type LocalCluster } from '../../core/store-pg/index.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { ensureCliBuilt } from '../helpers/build.js';
import { vectorPath } from '../helpers/shared.js';
import { postfach, send, sharedPki, startTestIntermediary, tempDir } from '../mailbox/helpers.js';
import { createDatabase, openSharedStore, pgSection, serveEnv, serveUntilFetched, singlePcStore, writeServeConfig } from '../mailbox/pg-helpers.js';
import { machineConfig, readHandoverFolder, sha256 } from './helpers.js';
import { seededRandom, testSeed } from '../helpers/seeded-random.js';

const DATABASE = 'handover_kill';
const root = tempDir('postfach-pg-handover-kill-');
const folder = path.join(root, 'fachverfahren-import');
const keyFile = path.join(root, 'postfach-pg.keys.json');
let cluster: LocalCluster;
let pkiDir = '';
let intermediary: RunningIntermediary;
let document: Buffer;
/** Two services on the same database and folder, each with its own data folder. */
const configs: string[] = [];

const seed = testSeed();
const next = seededRandom(seed);
const upTo = (n: number): number => 1 + Math.floor(next() * n);

const RUNS: ReadonlyArray<{ readonly point: string; readonly broken?: boolean }> = [
  { point: `handover-temp-created:${upTo(2)}` },
  { point: `handover-xml-written:${upTo(2)}` },
  { point: `handover-pdf-written:${upTo(2)}` },
  { point: `handover-attachments-written:${upTo(2)}` },
  { point: `handover-file-synced:${upTo(4)}` },
  { point: `handover-manifest-written:${upTo(2)}` },
  { point: `handover-renamed:${upTo(2)}` },
  { point: `handover-marker-written:${upTo(2)}` },
  { point: `handover-recorded:${upTo(2)}` },
  { point: 'handover-error-marker-written:1', broken: true },
  { point: `handover-renamed:${upTo(2)}` },
];

const killAt = (point: string): Record<string, string> => ({
  NODE_OPTIONS: `--import=${pathToFileURL(path.join(import.meta.dirname, '..', 'mailbox', 'kill-points-preload.mjs')).href}`,
  POSTFACH_TEST_KILL_POINT: point,
});

let env: Record<string, string> = {};

beforeAll(async () => {
  ensureCliBuilt(['serve.js']);
  cluster = await startLocalCluster();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
  document = readFileSync(vectorPath('content/antrag-1.xml'));
  await createDatabase(cluster, DATABASE);
  for (const name of ['dienst-a', 'dienst-b']) {
    const store = path.join(root, name, 'postfach.db');
    mkdirSync(path.dirname(store), { recursive: true });
    configs.push(
      writeServeConfig(path.join(root, name, 'serve.json'), {
        store,
        listen: '127.0.0.1:0',
        plainHttpOnLoopback: true,
        fetchIntervalMinutes: 60,
        storePasswordEnv: 'SERVE_TEST_STORE_PASSWORD',
        postgresql: pgSection(cluster, DATABASE, keyFile),
      }),
    );
  }
  // the first service takes the single-PC store over at its first start; the second finds the key file
  await singlePcStore(path.join(root, 'dienst-a', 'postfach.db'), pkiDir, intermediary.url);
  env = { ...serveEnv(cluster), ...machineConfig(path.join(root, 'machine.json'), folder) };
}, 180_000);

afterAll(async () => {
  await intermediary?.close();
  await cluster?.stop();
}, 60_000);

describe(`SIGKILL of postfach serve on PostgreSQL while handing over, at ${RUNS.length} points (seed ${seed})`, () => {
  it('leaves every delivery in the folder exactly once, complete', async () => {
    console.log(`PostgreSQL hand-over kill test: seed ${seed}, points ${RUNS.map((r) => r.point).join(', ')}`);
    const sent = new Map<string, { content: string; broken: boolean }>();
    const seen = new Map<string, string>();
    for (const [i, run] of RUNS.entries()) {
      const batch = [
        ...(await send(intermediary.url, pkiDir, { content: document, count: 1 })),
        ...(await send(intermediary.url, pkiDir, { count: 1, attachments: 1, attachmentSize: 10_000, seed: `pg-kill-${i}` })),
      ];
      for (const s of batch) sent.set(s.messageId, { content: s.content.sha256, broken: false });
      if (run.broken)
        for (const s of await send(intermediary.url, pkiDir, { content: Buffer.from(`<kaputt ${i}`), count: 1 }))
          sent.set(s.messageId, { content: s.content.sha256, broken: true });

      const config = configs[i % 2]!;
      const result = await postfach(['serve', '--config', config], { ...env, ...killAt(run.point) }, 180_000);
      expect(result.signal, `${run.point}: not killed (exit ${result.status}: ${(result.stdout + result.stderr).slice(-400)})`).toBe('SIGKILL');

      const state = readHandoverFolder(folder);
      const [name] = run.point.split(':') as [string];
      if (
        ['handover-temp-created', 'handover-xml-written', 'handover-pdf-written', 'handover-attachments-written', 'handover-file-synced', 'handover-manifest-written'].includes(
          name,
        )
      ) {
        expect(state.temporary.length, `${run.point}: no temporary folder left`).toBeGreaterThan(0);
      }
      if (name === 'handover-renamed') expect(state.undone.length, `${run.point}: no folder without .done`).toBeGreaterThan(0);
      for (const [folderName, manifestSha] of state.done) {
        if (seen.has(folderName)) expect(manifestSha, `${folderName} was written again`).toBe(seen.get(folderName));
        seen.set(folderName, manifestSha);
      }
      const store = await openSharedStore(cluster, DATABASE, keyFile);
      try {
        expect((await store.verifyAuditLog()).ok).toBe(true);
        for (const messageId of sent.keys()) {
          const id = await store.findByMessageId(messageId);
          const record = id === undefined ? undefined : await store.handoverOf(id);
          if (record === undefined) continue;
          // recorded only when on disk
          if (record.state === 'done') expect(state.done.has(record.folder), `${record.folder} recorded but not on disk`).toBe(true);
          else expect(state.errors.has(record.folder)).toBe(true);
        }
      } finally {
        await store.close();
      }
    }

    // both services at once (one fetches, the other's scheduled fetch is skipped; both hand over), then one more
    const both = await Promise.all(configs.map((c) => serveUntilFetched(c, env)));
    expect(both.map((r) => r.fetchLine).filter((l) => l.startsWith('Abruf / fetch: complete'))).not.toHaveLength(0);
    const last = await serveUntilFetched(configs[0]!, env);
    expect(last.fetchLine).toMatch(/^Abruf \/ fetch: complete, 0 neu/);
    expect(last.code).toBe(0);

    const state = readHandoverFolder(folder);
    expect(state.temporary).toEqual([]);
    expect(state.undone).toEqual([]);
    const expectedDone = [...sent]
      .filter(([, s]) => !s.broken)
      .map(([m]) => deliveryFolderName(m))
      .sort();
    const expectedErrors = [...sent]
      .filter(([, s]) => s.broken)
      .map(([m]) => deliveryFolderName(m))
      .sort();
    expect([...state.done.keys()].sort()).toEqual(expectedDone);
    expect([...state.errors.keys()].sort()).toEqual(expectedErrors);
    for (const [name, manifestSha] of seen) expect(state.done.get(name), `${name} was written again`).toBe(manifestSha);
    for (const [messageId, s] of sent) {
      if (s.broken) continue;
      expect(sha256(readFileSync(path.join(folder, deliveryFolderName(messageId), 'Antrag.xml')))).toBe(s.content);
    }
    const store = await openSharedStore(cluster, DATABASE, keyFile);
    try {
      expect(await store.pendingHandovers()).toEqual([]);
      const audited = (await store.auditEntries({ limit: 100_000 })).filter((e) => e.action === 'handed-over' || e.action === 'handover-refused');
      // one audit entry per delivery: a hand-over resumed after a kill (by either service) is recorded once
      expect(audited.map((e) => e.messageId).sort()).toEqual([...sent.keys()].sort());
      expect((await store.verifyAuditLog()).ok).toBe(true);
    } finally {
      await store.close();
    }
  }, 900_000);
});
