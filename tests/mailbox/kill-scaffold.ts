/**
 * The scaffolding of the kill tests (tests/mailbox/kill.test.ts on SQLite through `postfach fetch`,
 * tests/mailbox/pg-kill.test.ts on PostgreSQL through `postfach serve`): the kill points and what each needs waiting
 * in the mailbox, the environment that makes the built program SIGKILL itself at a point (the preload
 * kill-points-preload.mjs installs core/mailbox/kill-points.ts's crash points), sending just enough before each run,
 * and asking the intermediary which deliveries it has recorded as received (acknowledged).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** Each run: the kill point, and what is sent first so that the point is surely reached. */
export const KILL_RUNS: readonly KillRun[] = [
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

/** The environment that makes the built program SIGKILL itself at `point`: the preload installs the crash points. */
export const killAt = (point: string): Record<string, string> => ({
  NODE_OPTIONS: `--import=${pathToFileURL(path.join(import.meta.dirname, 'kill-points-preload.mjs')).href}`,
  POSTFACH_TEST_KILL_POINT: point,
});

/** What a run needs waiting in the mailbox: deliveries offered (new or already stored) and fresh save streams. */
function needs(point: string): { offered: number; fresh: number } {
  const [name, hit] = point.split(':') as [string, string];
  const n = Number(hit);
  if (name === 'response-received' || name === 'after-save') return { offered: n, fresh: 0 };
  if (name === 'before-save' || name === 'during-save') return { offered: 0, fresh: n };
  if (name === 'after-init' || name === 'mid-transfer') return { offered: 0, fresh: 0 };
  return { offered: 1, fresh: 0 };
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
    const pending = { offered: waiting.length, freshStreams: waiting.filter((id) => !stored.has(id)).reduce((n, id) => n + 1 + this.expected.get(id)!.attachments.length, 0) };
    const need = needs(run.point);
    const extraStreams = (run.attachments ? run.attachments + 1 : 0) + (run.large ? 2 : 0);
    const extraOffered = (run.attachments ? 1 : 0) + (run.large ? 1 : 0);
    const small = Math.max(0, need.offered - pending.offered - extraOffered, need.fresh - pending.freshStreams - extraStreams, 1);
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
