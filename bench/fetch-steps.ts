/**
 * Where the fetching process's CPU goes, step by step: the fetch engine's loop (one dialog, every delivery decoded,
 * read and committed with fsync before the next request acknowledges it) run in this process against the local
 * intermediary in its own process (bench/fetch.ts's mailbox), with `process.cpuUsage` (every thread of this
 * process) around each step, and the garbage collector's pauses counted by kind. Then the same responses, kept as
 * received, are decoded again warm in this process without the rest of the fetch (transport layer, content layer,
 * the XSozial facts the store keeps), so the fetch's figures stand beside the decode's of the same bytes.
 *
 *   node dist/bench/fetch-steps.js [--count 50] [--json] [--save-only]
 *
 * --save-only: only the store's save of the bench delivery's sizes from memory (see storeSaveAlone).
 *
 * The loop is runFetch's (core/mailbox/fetch-engine.ts) written out, so that each step can be measured; it is a
 * measuring tool, never a way to fetch. Steps per delivery:
 *   request → answer headers: the prepared FetchDelivery sent, the intermediary's work waited for (the CPU here is
 *     this process's: connection, request writing, and what the pause lets other threads finish);
 *   answer body received: the ResponseToFetchDelivery's bytes read into memory;
 *   transport layer: decryption, parsing, SupplierSignature, the dialog's checks (dialog.fetchDelivery less the two above);
 *   acceptDelivery less the save: content decryption, author signatures, coverage, the XSozial facts, the checks' evidence;
 *   store save: blob files (encryption, SHA-256, fsync), the folder's fsync, the transaction with its fsync;
 *   next request's preparation (its synchronous part; the signing runs while the delivery is stored).
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { bufferSource, type ByteSource } from '../core/io/byte-source.js';
import { SpoolScope } from '../core/io/sink.js';
import { acceptDelivery } from '../core/mailbox/accept-delivery.js';
import { chooseApplication } from '../core/mailbox/application-rule.js';
import { transportFor } from '../core/mailbox/fetch-engine.js';
import { ExplicitDialog, type PostFunction } from '../core/osci/client/dialog.js';
import { contentCoverage } from '../core/osci/content/coverage.js';
import { decodeContent } from '../core/osci/content/decode.js';
import { decodeMessage } from '../core/osci/decode.js';
import { PostfachStore, SqliteMailboxStore, type NewDelivery } from '../core/store/index.js';
import { readStoreFacts } from '../core/xsozial/index.js';
import { cachedMailbox, municipalityIdentity, startIntermediaryProcess } from './fetch.js';

const self = fileURLToPath(import.meta.url);
const STORE_PASSWORD = 'Bench-Passwort-2026';
/** The bench's applications are about this large (bench/fetch.ts: 284–347 KB). */
const SAVE_CONTENT_BYTES = 294_000;
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export interface StepFigures {
  readonly deliveries: number;
  /** Per delivery, this process: CPU ms (user + system, all threads) and wall ms of each step. */
  readonly steps: ReadonlyArray<{ readonly step: string; readonly cpuMs: number; readonly wallMs: number }>;
  readonly totalCpuMs: number;
  readonly totalWallMs: number;
  /** Garbage collector pauses per delivery (main thread), by kind. */
  readonly gc: ReadonlyArray<{ readonly kind: string; readonly count: number; readonly ms: number }>;
  /** The same responses decoded again warm in this process: CPU ms per delivery of each part. */
  readonly replay: ReadonlyArray<{ readonly part: string; readonly cpuMs: number }>;
  /** The store's save alone (a fresh store, the bench delivery's sizes from memory, durable): CPU and wall ms per save, median of the passes. */
  readonly saveAlone: { readonly cpuMs: number; readonly wallMs: number };
  readonly responseBytes: number;
}

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

class StepClock {
  readonly cpu = new Map<string, number>();
  readonly wall = new Map<string, number>();
  async time<T>(step: string, run: () => Promise<T> | T): Promise<T> {
    const c = process.cpuUsage();
    const t = performance.now();
    try {
      return await run();
    } finally {
      this.cpu.set(step, (this.cpu.get(step) ?? 0) + cpuMs(process.cpuUsage(c)));
      this.wall.set(step, (this.wall.get(step) ?? 0) + performance.now() - t);
    }
  }
  add(step: string, cpu: number, wall: number): void {
    this.cpu.set(step, (this.cpu.get(step) ?? 0) + cpu);
    this.wall.set(step, (this.wall.get(step) ?? 0) + wall);
  }
}

const GC_KINDS: Record<number, string> = { 1: 'minor (scavenge)', 4: 'major (mark-compact)', 8: 'incremental marking', 16: 'weak callbacks' };

export async function runFetchSteps(options: { count: number; log?: (line: string) => void }): Promise<StepFigures> {
  const log = options.log ?? (() => undefined);
  const mailbox = await cachedMailbox(options.count, 300_000, log);
  const work = mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-steps-'));
  try {
    cpSync(mailbox.dir, work, { recursive: true });
    const pkiDir = path.join(work, 'pki');
    const storePath = path.join(work, 'store', 'postfach.db');
    (await PostfachStore.create(storePath, { password: STORE_PASSWORD })).store.close();
    const intermediary = await startIntermediaryProcess(pkiDir, path.join(work, 'intermediary'));
    const identity = municipalityIdentity(pkiDir, intermediary.url);
    const opened = await PostfachStore.open(storePath, { password: STORE_PASSWORD });
    const store = new SqliteMailboxStore(opened);
    const clock = new StepClock();
    const responses: Buffer[] = [];
    const http = transportFor(identity);
    // the answer's headers and its body timed apart; the body kept for the replay below
    const post: PostFunction = async (body) => {
      const stream = await clock.time('request → answer headers', () => http(body));
      const parts: Buffer[] = [];
      responses.push(Buffer.alloc(0));
      const at = responses.length - 1;
      return (async function* () {
        const iterator = stream[Symbol.asyncIterator]();
        for (;;) {
          const next = await clock.time('answer body received', () => iterator.next());
          if (next.done) break;
          const chunk = Buffer.from(next.value);
          parts.push(chunk);
          yield chunk;
        }
        responses[at] = Buffer.concat(parts);
      })();
    };
    const saveDelivery = store.saveDelivery.bind(store);
    store.saveDelivery = (d: NewDelivery) => clock.time('store save', () => saveDelivery(d));
    const c = identity.connection;
    const anchors = { pinned: c.intermediarySigners, cas: c.intermediarySigners.filter((s) => s.ca), intermediates: identity.chain };
    const dialog = await ExplicitDialog.open({
      post,
      cipherKey: identity.cipherKey,
      signatureKey: identity.signatureKey,
      intermediaryCertificate: c.intermediaryCertificate,
      intermediarySigner: anchors,
    });
    responses.length = 0;

    const gc = new Map<string, { count: number; ms: number }>();
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = GC_KINDS[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
        const k = gc.get(kind) ?? { count: 0, ms: 0 };
        k.count++;
        k.ms += entry.duration;
        gc.set(kind, k);
      }
    });
    observer.observe({ entryTypes: ['gc'] });
    const started = { cpu: process.cpuUsage(), wall: performance.now() };
    let n = 0;
    for (;;) {
      const before = { cpu: new Map(clock.cpu), wall: new Map(clock.wall) };
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const delivery = await dialog.fetchDelivery();
      // the transport layer: what fetchDelivery took beyond sending and receiving
      const inner = (m: Map<string, number>, was: Map<string, number>, k: string) => (m.get(k) ?? 0) - (was.get(k) ?? 0);
      const sent = ['request → answer headers', 'answer body received'];
      clock.add(
        'transport layer (decrypt, parse, SupplierSignature)',
        cpuMs(process.cpuUsage(c0)) - sent.reduce((s, k) => s + inner(clock.cpu, before.cpu, k), 0),
        performance.now() - t0 - sent.reduce((s, k) => s + inner(clock.wall, before.wall, k), 0),
      );
      if (delivery === undefined) break;
      await clock.time('next request prepared (synchronous part)', () => dialog.prepareFetchDelivery());
      const savedBefore = { cpu: clock.cpu.get('store save') ?? 0, wall: clock.wall.get('store save') ?? 0 };
      const c1 = process.cpuUsage();
      const t1 = performance.now();
      await acceptDelivery(delivery, { store, identity });
      clock.add(
        'content layer, XSozial facts, evidence (acceptDelivery less the save)',
        cpuMs(process.cpuUsage(c1)) - ((clock.cpu.get('store save') ?? 0) - savedBefore.cpu),
        performance.now() - t1 - ((clock.wall.get('store save') ?? 0) - savedBefore.wall),
      );
      await clock.time('acknowledgement allowed, spools released', async () => {
        dialog.confirmPersisted();
        await dialog.release();
      });
      n++;
    }
    const totalCpu = cpuMs(process.cpuUsage(started.cpu));
    const totalWall = performance.now() - started.wall;
    observer.disconnect();
    await dialog.exit();
    await intermediary.stop();
    opened.close();

    // the same answers once more, decoded warm without the rest of the fetch
    const deliveries = responses.filter((r) => r.length > 100_000);
    const replay = new Map<string, number>();
    let replayed = 0;
    for (let pass = 0; pass < 3; pass++) {
      for (const raw of deliveries) {
        const scope = new SpoolScope();
        const measure = pass > 0;
        const part = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
          const c0 = process.cpuUsage();
          const out = await run();
          if (measure) replay.set(name, (replay.get(name) ?? 0) + cpuMs(process.cpuUsage(c0)));
          return out;
        };
        const decoded = await part('transport layer (decodeMessage)', () =>
          decodeMessage(bufferSource(raw), { keys: [identity.cipherKey], anchors, requireEncryption: true, scope }),
        );
        const content = await part('content layer (decodeContent)', () => decodeContent(decoded.message, { keys: [identity.cipherKey], scope }));
        await part('XSozial facts (readStoreFacts)', async () => {
          const choice = await chooseApplication(contentCoverage(content));
          if (choice.kind !== 'application') throw new Error('replay: no application chosen');
          const data: ByteSource = choice.application.coverage.item.data;
          return readStoreFacts(data);
        });
        await scope.release();
        if (measure) replayed++;
      }
    }
    const saveAlone = await storeSaveAlone(work);
    const steps = [...clock.cpu.keys()].map((step) => ({ step, cpuMs: round((clock.cpu.get(step) ?? 0) / n), wallMs: round((clock.wall.get(step) ?? 0) / n) }));
    return {
      deliveries: n,
      steps,
      totalCpuMs: round(totalCpu / n),
      totalWallMs: round(totalWall / n),
      gc: [...gc].map(([kind, v]) => ({ kind, count: round(v.count / n), ms: round(v.ms / n) })),
      replay: [...replay].map(([part, ms]) => ({ part, cpuMs: round(ms / Math.max(1, replayed)) })),
      saveAlone,
      responseBytes: Math.round(deliveries.reduce((s, r) => s + r.length, 0) / Math.max(1, deliveries.length)),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The store's save alone, without the fetch around it: a content of `contentBytes` (the bench's XML is about
 * 294 KB) and two attachments of 300 KB from
 * memory (as the fetch hands them over: 64 KiB pieces), into a fresh store with fsync; 10 warm-up saves, then 50.
 */
export async function storeSaveAlone(work: string, contentBytes = SAVE_CONTENT_BYTES): Promise<{ cpuMs: number; wallMs: number }> {
  const file = path.join(work, 'save-alone', 'postfach.db');
  (await PostfachStore.create(file, { password: STORE_PASSWORD })).store.close();
  const opened = await PostfachStore.open(file, { password: STORE_PASSWORD });
  try {
    const store = new SqliteMailboxStore(opened);
    const content = Buffer.concat([Buffer.from('<antrag>'), Buffer.alloc(Math.max(0, contentBytes - 18), 'x'), Buffer.from('</antrag>\n')]);
    const attachments = [randomBytes(300_000), randomBytes(300_000)];
    const pieces = (b: Buffer) => () =>
      (async function* () {
        for (let at = 0; at < b.length; at += 65_536) yield b.subarray(at, at + 65_536);
      })();
    const cpu: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < 60; i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      await store.saveDelivery({
        messageId: `save-alone-${i}`,
        subject: 'Antrag',
        content: pieces(content),
        contentType: 'application/xml',
        attachments: attachments.map((a, n) => ({
          name: `nachweis-${n}.pdf`,
          mimeType: 'application/pdf',
          content: pieces(a),
          expectedSha256: createHash('sha256').update(a).digest('hex'),
        })),
        summary: { applicants: ['Erika Mustermann'], signatureStatus: 'valid' },
        searchText: 'Erika Mustermann Hilfe zum Lebensunterhalt',
      });
      if (i >= 10) {
        cpu.push(cpuMs(process.cpuUsage(c)));
        wall.push(performance.now() - t);
      }
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;
    return { cpuMs: round(median(cpu)), wallMs: round(median(wall)) };
  } finally {
    opened.close();
  }
}

export function formatStepFigures(r: StepFigures): string[] {
  return [
    `Fetch, step by step (this process; ${r.deliveries} deliveries of ${Math.round(r.responseBytes / 1000)} KB): per delivery ${r.totalCpuMs} ms CPU, ${r.totalWallMs} ms wall`,
    ...r.steps.map((s) => `  ${String(s.cpuMs).padStart(7)} ms CPU ${String(s.wallMs).padStart(7)} ms wall  ${s.step}`),
    `  garbage collector pauses per delivery: ${r.gc.map((g) => `${g.kind} ${g.count}× ${g.ms} ms`).join(', ')}`,
    `The same answers decoded again warm in one process (CPU per delivery):`,
    ...r.replay.map((p) => `  ${String(p.cpuMs).padStart(7)} ms  ${p.part}`),
    `The store's save alone (content ${SAVE_CONTENT_BYTES / 1000} KB + 2 × 300 KB from memory, fsync; median of 50): ${r.saveAlone.cpuMs} ms CPU, ${r.saveAlone.wallMs} ms wall`,
  ];
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === self;
if (isMain) {
  const args = process.argv.slice(2);
  const count = args.includes('--count') ? Number(args[args.indexOf('--count') + 1]) : 50;
  if (args.includes('--save-only')) {
    // the store's save alone, for before/after comparisons of the write path
    const work = mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-save-'));
    try {
      const r = await storeSaveAlone(work);
      process.stdout.write(`${JSON.stringify(r)}\n`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    process.exit(0);
  }
  const figures = await runFetchSteps({ count, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(args.includes('--json') ? `${JSON.stringify(figures, null, 2)}\n` : `${formatStepFigures(figures).join('\n')}\n`);
}
