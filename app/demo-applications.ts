/**
 * The invented applications of the demo mailbox and the order of their sending to its local intermediary, one by
 * one, so the Übungsmodus can open after the first few and send the rest in the background. The sending itself is
 * passed in by demo-mailbox.ts (the one module of app/ that speaks to the intermediary).
 *
 * Nothing is sent twice, whatever moment the program is stopped or killed at. What has been sent is kept in
 * `<demo folder>/applications.json` (version 1: the seeds, codes not sentences). Each application goes in three
 * durable steps: a message id is asked of the intermediary; the intent (seed and message id) is written to the
 * ledger; the application is stored under that id (the intermediary accepts an id once only); then the ledger
 * records the seed as sent. A start that finds an intent left open asks the intermediary for the process card of
 * that id, as the sender of it: there, the seed is recorded as sent; not there, it is sent under the same id. So a
 * kill between the intermediary's commit and the ledger's write (the bug of 2026-12-06) no longer sends it again,
 * and a kill before the commit loses nothing. A folder from before this ledger, whose store exists, had everything
 * sent at once; a ledger of a version without intents reads as one with none open.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { replaceFileSync } from '../core/io/durable-file.js';
import { killPoint } from '../core/mailbox/kill-points.js';

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

/** An application on its way: its seed and the message id the intermediary issued for it. */
export interface SendingIntent {
  readonly seed: string;
  readonly messageId: string;
}

/**
 * The ledger's file. `sending` was added to version 1 without a new version: a program that does not know it reads
 * the rest as before, and a ledger without it has no intent open.
 */
interface Ledger {
  readonly version: 1;
  readonly sent: readonly string[];
  readonly sending?: SendingIntent;
}

function ledgerFile(dir: string): string {
  return path.join(dir, LEDGER);
}

function writeLedger(dir: string, ledger: Ledger): void {
  // fsynced and renamed: what was sent (or is on its way) must be known after a crash
  replaceFileSync(ledgerFile(dir), `${JSON.stringify(ledger)}\n`);
}

/** A new demo store: nothing of it has been sent (an older ledger in the folder belonged to a store that is gone). */
export function startLedger(dir: string): void {
  writeLedger(dir, { version: 1, sent: [] });
}

const isIntent = (value: unknown): value is SendingIntent =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as SendingIntent).seed === 'string' &&
  typeof (value as SendingIntent).messageId === 'string' &&
  (value as SendingIntent).messageId !== '';

/** The ledger as it is on disk; a folder without one is one from before it, where everything was sent at once. */
export function readLedger(dir: string): Ledger {
  if (!existsSync(ledgerFile(dir))) return { version: 1, sent: DEMO_APPLICATIONS.map((a) => a.seed) };
  try {
    const parsed = JSON.parse(readFileSync(ledgerFile(dir), 'utf8')) as Partial<Ledger>;
    if (parsed.version === 1 && Array.isArray(parsed.sent) && parsed.sent.every((s) => typeof s === 'string')) {
      return { version: 1, sent: parsed.sent, ...(isIntent(parsed.sending) ? { sending: { seed: parsed.sending.seed, messageId: parsed.sending.messageId } } : {}) };
    }
  } catch {
    // unreadable: taken as nothing sent below
  }
  // a damaged ledger: sending again is better than a demo mailbox that stays empty (duplicates are harmless test data)
  return { version: 1, sent: [] };
}

/** The seeds already sent. */
export function sentSeeds(dir: string): readonly string[] {
  return readLedger(dir).sent;
}

/** The applications still to send, in sending order (one whose intent is open among them: it is checked first). */
export function owedApplications(dir: string): DemoApplication[] {
  const sent = new Set(sentSeeds(dir));
  return DEMO_APPLICATIONS.filter((a) => !sent.has(a.seed));
}

/** The intermediary's answer 9801: the message id was not issued by it or is used already. */
export const isUnusableMessageId = (error: unknown): boolean => (error as { osciCode?: unknown } | null)?.osciCode === '9801';

export interface SendDemoOptions<T> {
  readonly dir: string;
  readonly applications: readonly DemoApplication[];
  /** Asks the intermediary for a message id (GetMessageId), to be recorded before the application is sent under it. */
  readonly issueMessageId: () => Promise<string>;
  /** Sends one application under `messageId` as the Sozialplattform would; resolves when it is at the intermediary. */
  readonly send: (application: DemoApplication, messageId: string) => Promise<readonly T[]>;
  /** Whether the intermediary holds a delivery under `messageId` from this sender (its process card); rejects when it cannot tell. */
  readonly delivered: (messageId: string) => Promise<boolean>;
  /** Checked before each application: an aborted run stops after the one it is sending. */
  readonly signal?: AbortSignal;
  /** After each application is at the intermediary (and in the ledger). */
  readonly onSent?: (sent: T) => void;
  /** After an application found at the intermediary by the intent a stopped run left (recorded as sent now). */
  readonly onFound?: (application: DemoApplication, messageId: string) => void;
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

/** Records `seed` as sent and closes its intent. */
function recordSent(dir: string, seed: string): void {
  const ledger = readLedger(dir);
  writeLedger(dir, { version: 1, sent: ledger.sent.includes(seed) ? ledger.sent : [...ledger.sent, seed] });
}

/** Records the intent to send `seed` under `messageId` (durably, before anything of it is sent). */
function recordIntent(dir: string, intent: SendingIntent): void {
  writeLedger(dir, { version: 1, sent: readLedger(dir).sent, sending: intent });
}

/**
 * One application, never twice: an intent left open by a stopped run is checked at the intermediary first (there:
 * recorded, nothing sent; not there: sent under the same id); else a new id is issued and recorded before sending.
 * Returns what was sent, or undefined when it was found already there or already recorded as sent.
 */
async function sendOnce<T>(options: SendDemoOptions<T>, app: DemoApplication): Promise<readonly T[] | undefined> {
  // read again here, not trusted from the list computed at the start: a run that stopped meanwhile may have sent it
  const ledger = readLedger(options.dir);
  if (ledger.sent.includes(app.seed)) return undefined;
  const open = ledger.sending;
  if (open?.seed === app.seed) {
    // there: recorded as sent now, nothing sent
    const foundThere = async (): Promise<boolean> => {
      if (!(await options.delivered(open.messageId))) return false;
      recordSent(options.dir, app.seed);
      options.onFound?.(app, open.messageId);
      return true;
    };
    if (await foundThere()) return undefined;
    try {
      return await sendRecorded(options, app, open.messageId);
    } catch (error) {
      // 9801 after "not there": the id is not this intermediary's (its folder was replaced): a new id below
      if (!isUnusableMessageId(error)) throw error;
      if (await foundThere()) return undefined;
    }
  }
  const messageId = await options.issueMessageId();
  killPoint('demo-id-issued');
  // and once more after the wait for the id (an unused id costs nothing)
  if (sentSeeds(options.dir).includes(app.seed)) return undefined;
  recordIntent(options.dir, { seed: app.seed, messageId });
  killPoint('demo-intent-written');
  return sendRecorded(options, app, messageId);
}

/** Sends under an id whose intent is recorded, then records the seed as sent. */
async function sendRecorded<T>(options: SendDemoOptions<T>, app: DemoApplication, messageId: string): Promise<readonly T[]> {
  const sent = await options.send(app, messageId);
  killPoint('demo-delivered');
  recordSent(options.dir, app.seed);
  killPoint('demo-recorded');
  return sent;
}

/** Sends `applications` one by one, each at most once (sendOnce), recording each in the ledger. */
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
    const sent = await sendOnce(options, app);
    for (const s of sent ?? []) {
      results.push(s);
      options.onSent?.(s);
    }
  }
  return results;
}
