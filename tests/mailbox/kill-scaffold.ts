/**
 * The scaffolding of the kill tests (tests/mailbox/kill.test.ts on SQLite through `postfach fetch`,
 * tests/mailbox/pg-kill.test.ts on PostgreSQL through `postfach serve`): the random kill runs drawn from a seed
 * (printed by the tests; `POSTFACH_TEST_SEED=<n>` repeats a run exactly), what each run needs waiting in the mailbox,
 * the environment that makes the built program SIGKILL itself at a point (the preload kill-points-preload.mjs
 * installs core/mailbox/kill-points.ts's crash points), sending just enough before each run, and asking the
 * intermediary which deliveries it has recorded as received (acknowledged).
 */
import { createHash, randomInt } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { KILL_POINTS } from '../../core/mailbox/kill-points.js';
import { ExplicitDialog } from '../../core/osci/client/dialog.js';
import { httpTransport } from '../../core/mailbox/transport.js';
import { loadTestPki } from '../../core/pki/test-pki.js';
import { send } from './helpers.js';

export interface Expected {
  readonly content: string;
  readonly attachments: readonly string[];
}

export interface KillRun {
  readonly point: string;
  readonly attachments?: number;
  readonly large?: boolean;
}

/**
 * The crash points of a fetch (all of core/mailbox/kill-points.ts but the hand-over's and the demo sending's, whose
 * own kill tests use them, and `early-decoded`: it is passed only while the store's open is still under way, which a
 * store with the tests' fast scrypt rarely is; tests/mailbox/early-fetch.test.ts kills there with a slow key).
 */
const FETCH_POINTS: readonly string[] = KILL_POINTS.filter((p) => !p.startsWith('handover-') && !p.startsWith('demo-') && p !== 'early-decoded');

/** How many times a point may be passed before the kill: per delivery, per save stream, per chunk of a large response (else once). */
const MAX_HIT: Readonly<Record<string, number>> = {
  'response-received': 4,
  'before-save': 4,
  'during-save': 5,
  'after-save': 4,
  'mid-transfer': 5,
};

/**
 * The seed of the kill tests' random points: `POSTFACH_TEST_SEED` (to reproduce a failure), else a fresh one each
 * run. The tests print it and name it in their title.
 */
export function killSeed(): number {
  const given = process.env.POSTFACH_TEST_SEED;
  if (given === undefined || given === '') return randomInt(1, 2 ** 31);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`POSTFACH_TEST_SEED must be a non-negative integer, not ${given}`);
  return seed;
}

/** A reproducible stream of numbers in [0, 1) from `seed` (SHA-256 of seed and counter: the same seed, the same runs). */
function seeded(seed: number): () => number {
  let i = 0;
  return () => createHash('sha256').update(`${seed}:${i++}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * `count` random kill runs from `seed`: every kind of fetch point once (in random order, while count allows), the
 * rest any point; each with a random hit (the n-th delivery, save stream or chunk) and a random load — small
 * deliveries, one with attachments, a large one (always for mid-transfer) — sent before it (sendFor).
 */
export function randomKillRuns(count: number, seed: number): KillRun[] {
  const random = seeded(seed);
  const below = (n: number): number => Math.floor(random() * n);
  const kinds = [...FETCH_POINTS];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = below(i + 1);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return Array.from({ length: count }, (_, i) => {
    const name = kinds[i] ?? FETCH_POINTS[below(FETCH_POINTS.length)]!;
    const hit = 1 + below(MAX_HIT[name] ?? 1);
    const attachments = random() < 0.35 ? 1 + below(2) : 0;
    const large = name === 'mid-transfer' || random() < 0.08;
    return { point: `${name}:${hit}`, ...(attachments > 0 ? { attachments } : {}), ...(large ? { large } : {}) };
  });
}

/** One line per run, for the test output (what a seed stands for). */
export const describeRuns = (runs: readonly KillRun[]): string =>
  runs.map((r, i) => `${String(i + 1).padStart(2)}. ${r.point}${r.attachments ? `, ${r.attachments} attachment(s)` : ''}${r.large ? ', large' : ''}`).join('\n');

/** The environment that makes the built program SIGKILL itself at `point`: the preload installs the crash points. */
export const killAt = (point: string): Record<string, string> => ({
  NODE_OPTIONS: `--import=${pathToFileURL(path.join(import.meta.dirname, 'kill-points-preload.mjs')).href}`,
  POSTFACH_TEST_KILL_POINT: point,
});

/**
 * What a run needs waiting in the mailbox: deliveries offered (new or already stored), fresh deliveries (before-save
 * is passed once per delivery not stored yet) and their save streams (during-save: once per content or attachment).
 */
function needs(point: string): { offered: number; freshDeliveries: number; freshStreams: number } {
  const [name, hit] = point.split(':') as [string, string];
  const n = Number(hit);
  if (name === 'response-received' || name === 'after-save') return { offered: n, freshDeliveries: 0, freshStreams: 0 };
  if (name === 'before-save') return { offered: 0, freshDeliveries: n, freshStreams: 0 };
  if (name === 'during-save') return { offered: 0, freshDeliveries: 0, freshStreams: n };
  if (name === 'after-init' || name === 'mid-transfer') return { offered: 0, freshDeliveries: 0, freshStreams: 0 };
  return { offered: 1, freshDeliveries: 0, freshStreams: 0 };
}

/** One mailbox under kill test: what was sent (message id → hashes) and the intermediary it was sent to. */
export class KillScenario {
  readonly expected = new Map<string, Expected>();

  constructor(
    private readonly intermediaryUrl: () => string,
    private readonly pkiDir: () => string,
    private readonly document: () => Buffer,
  ) {}

  /** Sends just enough that the run's kill point is surely reached (deliveries left from killed runs count). */
  async sendFor(run: KillRun, stored: ReadonlySet<string>, acknowledged: ReadonlySet<string>): Promise<void> {
    const waiting = [...this.expected.keys()].filter((id) => !acknowledged.has(id));
    const fresh = waiting.filter((id) => !stored.has(id));
    const pending = { offered: waiting.length, freshDeliveries: fresh.length, freshStreams: fresh.reduce((n, id) => n + 1 + this.expected.get(id)!.attachments.length, 0) };
    const need = needs(run.point);
    const extraStreams = (run.attachments ? run.attachments + 1 : 0) + (run.large ? 2 : 0);
    const extraOffered = (run.attachments ? 1 : 0) + (run.large ? 1 : 0);
    const small = Math.max(
      0,
      need.offered - pending.offered - extraOffered,
      need.freshDeliveries - pending.freshDeliveries - extraOffered,
      need.freshStreams - pending.freshStreams - extraStreams,
      1,
    );
    const url = this.intermediaryUrl();
    const pki = this.pkiDir();
    const content = this.document();
    const batches = [
      send(url, pki, { content, count: small }),
      ...(run.attachments ? [send(url, pki, { content, attachments: run.attachments, attachmentSize: 30_000, seed: `a-${this.expected.size}` })] : []),
      ...(run.large ? [send(url, pki, { content, attachments: 1, attachmentSize: 700_000, seed: `l-${this.expected.size}` })] : []),
    ];
    for (const batch of batches) {
      for (const s of await batch) this.expected.set(s.messageId, { content: s.content.sha256, attachments: s.attachments.map((a) => a.sha256) });
    }
  }

  /** Message ids the intermediary has recorded as received (acknowledged by a later request of a dialog). */
  async acknowledgedAtIntermediary(): Promise<string[]> {
    const pki = loadTestPki(this.pkiDir());
    const dialog = await ExplicitDialog.open({
      post: httpTransport({ url: this.intermediaryUrl(), proxy: { mode: 'direct' } }),
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
}
