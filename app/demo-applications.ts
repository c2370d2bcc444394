/**
 * The invented applications of the demo mailbox and the order of their sending to its local intermediary, one by
 * one, so the Übungsmodus can open after the first few and send the rest in the background. The sending itself is
 * passed in by demo.ts (the one module of core/ that uses intermediary/).
 *
 * What has been sent is kept in `<demo folder>/applications.json` (version 1: the seeds, codes not sentences), written
 * after every application: a demo stopped half-way (the program closed while sending) sends the rest at its next
 * start, and nothing twice. A folder from before this ledger, whose store exists, had everything sent at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { replaceFileSync } from '../core/io/durable-file.js';

/** The services of the demo's applications (the generator's codes; demo.ts hands them to it, type-checked). */
export type DemoService = 'hzl' | 'grusi' | 'but' | 'asylblg' | 'wbs';

export interface DemoApplication {
  readonly service: DemoService;
  readonly seed: string;
  readonly test?: boolean;
  readonly attachments?: number;
}

/**
 * What the demo sends into a new mailbox: different services, one Testantrag, one with evidence attachments. The
 * order is the order of sending: light ones first, so the first batch of the Übungsmodus is ready soonest, and the
 * one with attachments (two images to encode, the heaviest by far) last, so it never holds up an early fetch.
 */
export const DEMO_APPLICATIONS: readonly DemoApplication[] = [
  { service: 'grusi', seed: 'demo-grusi' },
  { service: 'wbs', seed: 'demo-wbs' },
  { service: 'but', seed: 'demo-but' },
  { service: 'asylblg', seed: 'demo-asylblg', test: true },
  { service: 'hzl', seed: 'demo-hzl', attachments: 2 },
];

const LEDGER = 'applications.json';

interface Ledger {
  readonly version: 1;
  readonly sent: readonly string[];
}

function ledgerFile(dir: string): string {
  return path.join(dir, LEDGER);
}

function writeLedger(dir: string, ledger: Ledger): void {
  // fsynced and renamed: what was sent must not be sent again after a crash
  replaceFileSync(ledgerFile(dir), `${JSON.stringify(ledger)}\n`);
}

/** A new demo store: nothing of it has been sent (an older ledger in the folder belonged to a store that is gone). */
export function startLedger(dir: string): void {
  writeLedger(dir, { version: 1, sent: [] });
}

/** The seeds already sent; a folder without a ledger is one from before it, where everything was sent at once. */
export function sentSeeds(dir: string): readonly string[] {
  if (!existsSync(ledgerFile(dir))) return DEMO_APPLICATIONS.map((a) => a.seed);
  try {
    const parsed = JSON.parse(readFileSync(ledgerFile(dir), 'utf8')) as Partial<Ledger>;
    if (parsed.version === 1 && Array.isArray(parsed.sent) && parsed.sent.every((s) => typeof s === 'string')) return parsed.sent;
  } catch {
    // unreadable: taken as nothing sent below
  }
  // a damaged ledger: sending again is better than a demo mailbox that stays empty (duplicates are harmless test data)
  return [];
}

/** The applications still to send, in sending order. */
export function owedApplications(dir: string): DemoApplication[] {
  const sent = new Set(sentSeeds(dir));
  return DEMO_APPLICATIONS.filter((a) => !sent.has(a.seed));
}

export interface SendDemoOptions<T> {
  readonly dir: string;
  readonly applications: readonly DemoApplication[];
  /** Sends one application as the Sozialplattform would; resolves when it is at the intermediary. */
  readonly send: (application: DemoApplication) => Promise<readonly T[]>;
  /** Checked before each application: an aborted run stops after the one it is sending. */
  readonly signal?: AbortSignal;
  /** After each application is at the intermediary (and in the ledger). */
  readonly onSent?: (sent: T) => void;
  /** A pause before each application (the UI tests slow the background part down to look at it; see testPauseMs). */
  readonly pauseMs?: number;
  /** Waited for before each application (the Übungsmodus holds the background part while a fetch runs). */
  readonly before?: () => Promise<void>;
}

/**
 * Test-only: `POSTFACH_TEST_DEMO_PAUSE_MS=<ms>` pauses the Übungsmodus's background sending before each application,
 * so a UI test can watch the mailbox while applications are still coming (tests/ui/training.test.ts). Unset: 0.
 */
export function testPauseMs(): number {
  const value = Number(process.env.POSTFACH_TEST_DEMO_PAUSE_MS ?? '');
  return Number.isFinite(value) && value > 0 ? Math.min(value, 60_000) : 0;
}

/** Sends `applications` one by one, recording each in the ledger once it is at the intermediary. */
export async function sendDemoApplications<T>(options: SendDemoOptions<T>): Promise<T[]> {
  const results: T[] = [];
  for (const app of options.applications) {
    if (options.pauseMs !== undefined && options.pauseMs > 0) {
      try {
        await delay(options.pauseMs, undefined, options.signal ? { signal: options.signal } : {});
      } catch {
        break; // aborted while pausing
      }
    }
    await options.before?.();
    if (options.signal?.aborted) break;
    const sent = await options.send(app);
    writeLedger(options.dir, { version: 1, sent: [...sentSeeds(options.dir), app.seed] });
    for (const s of sent) {
      results.push(s);
      options.onSent?.(s);
    }
  }
  return results;
}
