/**
 * The kill test: `postfach fetch` (a real process, a real store, the real local intermediary on loopback) is
 * SIGKILLed at 32 points across the dialog — after InitDialog; a delivery received but not saved; before and
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
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExplicitDialog } from '../../core/osci/client/dialog.js';
import { httpTransport } from '../../core/mailbox/transport.js';
import { loadTestPki } from '../../core/pki/test-pki.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { vectorPath } from '../helpers/shared.js';
import { createStore, ensureBuilt, fetchArgs, fetchEnv, openStore, postfach, send, sharedPki, startTestIntermediary, tempDir } from './helpers.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Expected {
  readonly content: string;
  readonly attachments: readonly string[];
}

/** Each run: the kill point, and what is sent first so that the point is surely reached. */
const RUNS: ReadonlyArray<{ readonly point: string; readonly attachments?: number; readonly large?: boolean }> = [
  { point: 'after-init:1' },
  { point: 'response-received:1' },
  { point: 'response-received:2' },
  { point: 'response-received:3', attachments: 2 },
  { point: 'before-save:1' },
  { point: 'before-save:2' },
  { point: 'before-save:3', attachments: 1 },
  { point: 'during-save:1' },
  { point: 'during-save:2' },
  { point: 'during-save:3', attachments: 2 },
  { point: 'during-save:4', attachments: 2 },
  { point: 'during-save:5', attachments: 2 },
  { point: 'after-save:1' },
  { point: 'after-save:2' },
  { point: 'after-save:3' },
  { point: 'after-save:4', attachments: 1 },
  { point: 'before-process-cards:1' },
  { point: 'after-process-cards:1' },
  { point: 'after-receipts:1' },
  { point: 'before-exit:1' },
  { point: 'after-exit:1' },
  { point: 'mid-transfer:1', large: true },
  { point: 'mid-transfer:2', large: true },
  { point: 'mid-transfer:3', large: true },
  { point: 'after-save:1', large: true },
  { point: 'during-save:2', large: true },
  { point: 'response-received:1', attachments: 2 },
  { point: 'before-process-cards:1', attachments: 1 },
  { point: 'after-process-cards:1', large: true },
  { point: 'before-exit:1', attachments: 2 },
  { point: 'after-exit:1', large: true },
  { point: 'after-init:1', attachments: 1 },
];

const root = tempDir('postfach-mailbox-kill-');
/** The environment that makes `postfach fetch` SIGKILL itself at `point`: the preload installs the crash points. */
const killAt = (point: string): Record<string, string> => ({
  NODE_OPTIONS: `--import=${pathToFileURL(path.join(import.meta.dirname, 'kill-points-preload.mjs')).href}`,
  POSTFACH_TEST_KILL_POINT: point,
});
const dbPath = path.join(root, 'store', 'postfach.db');
let pkiDir = '';
let intermediary: RunningIntermediary;
let document: Buffer;
const expected = new Map<string, Expected>();

/** What a run needs waiting in the mailbox: deliveries offered (new or already stored) and fresh save streams. */
function needs(point: string): { offered: number; fresh: number } {
  const [name, hit] = point.split(':') as [string, string];
  const n = Number(hit);
  if (name === 'response-received' || name === 'after-save') return { offered: n, fresh: 0 };
  if (name === 'before-save' || name === 'during-save') return { offered: 0, fresh: n };
  if (name === 'after-init' || name === 'mid-transfer') return { offered: 0, fresh: 0 };
  return { offered: 1, fresh: 0 };
}

/** Sends just enough that the run's kill point is surely reached (deliveries left from killed runs count). */
async function sendFor(run: (typeof RUNS)[number], pending: { offered: number; freshStreams: number }): Promise<void> {
  const need = needs(run.point);
  const extraStreams = (run.attachments ? run.attachments + 1 : 0) + (run.large ? 2 : 0);
  const extraOffered = (run.attachments ? 1 : 0) + (run.large ? 1 : 0);
  const small = Math.max(0, need.offered - pending.offered - extraOffered, need.fresh - pending.freshStreams - extraStreams, 1);
  const batches = [
    send(intermediary.url, pkiDir, { content: document, count: small }),
    ...(run.attachments ? [send(intermediary.url, pkiDir, { content: document, attachments: run.attachments, attachmentSize: 30_000, seed: `a-${expected.size}` })] : []),
    ...(run.large ? [send(intermediary.url, pkiDir, { content: document, attachments: 1, attachmentSize: 700_000, seed: `l-${expected.size}` })] : []),
  ];
  for (const batch of batches) {
    for (const s of await batch) expected.set(s.messageId, { content: s.content.sha256, attachments: s.attachments.map((a) => a.sha256) });
  }
}

/** Message ids the intermediary has recorded as received (acknowledged by a later request of a dialog). */
async function acknowledgedAtIntermediary(): Promise<string[]> {
  const pki = loadTestPki(pkiDir);
  const dialog = await ExplicitDialog.open({
    post: httpTransport({ url: intermediary.url, proxy: { mode: 'direct' } }),
    cipherKey: pki.municipality,
    signatureKey: pki.municipality,
    intermediaryCertificate: pki.intermediary.certificate,
    intermediarySigner: { pinned: [pki.intermediary.certificate] },
  });
  try {
    const { cards } = await dialog.fetchProcessCards(undefined, 1000);
    await dialog.exit();
    return cards.filter((c) => c.processCard?.reception?.plain).map((c) => c.messageId);
  } finally {
    await dialog.release();
  }
}

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
    const acknowledged = new Set(await acknowledgedAtIntermediary());
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

describe('SIGKILL during fetch at 32 points: nothing lost, nothing duplicated', () => {
  it('survives every kill and ends with every delivery stored exactly once', async () => {
    expect(RUNS.length).toBeGreaterThanOrEqual(30);
    let stored = new Set<string>();
    let acknowledged = new Set<string>();
    const kills: string[] = [];
    for (const run of RUNS) {
      const waiting = [...expected.keys()].filter((id) => !acknowledged.has(id));
      const freshStreams = waiting.filter((id) => !stored.has(id)).reduce((n, id) => n + 1 + expected.get(id)!.attachments.length, 0);
      await sendFor(run, { offered: waiting.length, freshStreams });
      const result = await postfach(fetchArgs(dbPath, intermediary.url, pkiDir), { ...fetchEnv(pkiDir), ...killAt(run.point) }, 120_000);
      expect(result.signal, `${run.point}: the process was not killed (exit ${result.status}: ${result.stderr.slice(-300)})`).toBe('SIGKILL');
      kills.push(run.point);
      ({ stored, acknowledged } = await checkStore(stored));
    }
    expect(kills).toHaveLength(RUNS.length);
    // some runs got deliveries stored, some did not: both cases were exercised
    expect(stored.size).toBeGreaterThan(0);
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
