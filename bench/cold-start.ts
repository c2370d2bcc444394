/**
 * Cold start: from a process's start to its first decoded delivery, each run a fresh `node` process of the built
 * CLI, timed from spawn to exit (wall clock) with its peak RSS (VmHWM):
 *
 *  - `postfach inspect --json` of the realistic delivery (bench/delivery-sample.ts) with the test PKI's key;
 *  - `postfach inspect --json` of exchange/06 with the reference vector's legacy PKCS#12 (3DES/RC2, the KDF path);
 *  - `postfach fetch --max 1` of one realistic delivery into an encrypted store (store unlock, the fetch worker,
 *    one dialog, the delivery committed): beside it the store password's scrypt alone (N=2^17, a deliberate cost
 *    that stays) measured in the same run.
 *
 *   node dist/bench/cold-start.js [--runs 5] [--json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { scrypt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { testPkiFiles } from '../core/pki/test-pki.js';
import { PostfachStore } from '../core/store/index.js';
import { DEFAULT_SCRYPT } from '../core/store/key-wrapping.js';
import { loadSenderSetup, sendApplications } from '../intermediary/index.js';
import { vectorsDir } from './decode.js';
import { deliverySample } from './delivery-sample.js';
import { startIntermediaryProcess } from './fetch.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '..', 'cli', 'main.js');
const STORE_PASSWORD = 'Bench-Passwort-2026';
const round = (n: number, d = 0): number => Math.round(n * 10 ** d) / 10 ** d;
const median = (v: readonly number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;

export interface ColdFigure {
  readonly name: string;
  readonly runs: number;
  readonly ms: { readonly min: number; readonly median: number };
  /** CPU time of the whole process (user + system, all threads), median and min of the runs. */
  readonly cpuMs: { readonly min: number; readonly median: number };
  readonly peakRssMiB: number;
  /**
   * `postfach fetch`: spawn → the first delivery decoded (its progress line "Speichern" on stderr) and → committed
   * (the line "Laufzettel", written once the commit is done and before the request that acknowledges it); medians.
   */
  readonly decodedAtMs?: number;
  readonly committedAtMs?: number;
}

export interface ColdFigures {
  readonly cases: readonly ColdFigure[];
  /** The store password's scrypt alone (part of every fetch start, kept on purpose). */
  readonly scryptMs: number;
}

const cpuPreload = path.join(here, 'cpu-at-exit.js');
let cpuFiles = 0;

interface ChildRun {
  ms: number;
  cpuMs: number;
  peakKiB: number;
  code: number | null;
  out: string;
  /** Spawn → the first stderr line starting with each of `marks` (NaN: none came). */
  marks?: Record<string, number>;
}

/**
 * Runs a child to its end: wall time from spawn to exit, its CPU time, peak RSS (Linux VmHWM, polled), stdout; with
 * `marks`, the time of the first stderr line that starts with each.
 */
export function timedChild(args: readonly string[], env: NodeJS.ProcessEnv = process.env, marks: readonly string[] = []): Promise<ChildRun> {
  const cpuFile = path.join(os.tmpdir(), `postfach-bench-cpu-${process.pid}-${cpuFiles++}.json`);
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', pathToFileURL(cpuPreload).href, ...args], {
    stdio: ['ignore', 'pipe', marks.length > 0 ? 'pipe' : 'ignore'],
    env: { ...env, BENCH_CPU_FILE: cpuFile },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const seen: Record<string, number> = Object.fromEntries(marks.map((m) => [m, NaN]));
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    const now = performance.now() - started;
    err += d.toString();
    const lines = err.split('\n');
    err = lines.pop() ?? '';
    for (const line of lines) for (const m of marks) if (Number.isNaN(seen[m]) && line.startsWith(m)) seen[m] = now;
  });
  let peak = 0;
  const poll = (): void => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch {
      // exited between polls
    }
  };
  const timer = setInterval(poll, 10);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      let cpuMs = NaN;
      try {
        const u = JSON.parse(readFileSync(cpuFile, 'utf8')) as { userMs: number; systemMs: number };
        cpuMs = u.userMs + u.systemMs;
        rmSync(cpuFile, { force: true });
      } catch {
        // the child died before its exit handler ran: no CPU figure
      }
      resolve({ ms: performance.now() - started, cpuMs, peakKiB: peak, code, out, ...(marks.length > 0 ? { marks: seen } : {}) });
    });
  });
}

async function repeat(name: string, runs: number, once: (i: number) => Promise<ChildRun>): Promise<ColdFigure> {
  const times: number[] = [];
  const cpu: number[] = [];
  const decoded: number[] = [];
  const committed: number[] = [];
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    const r = await once(i);
    if (r.code !== 0) throw new Error(`${name}: exit ${r.code}: ${r.out.slice(0, 300)}`);
    times.push(r.ms);
    cpu.push(r.cpuMs);
    peak = Math.max(peak, r.peakKiB);
    if (r.marks?.[DECODED_LINE] !== undefined) decoded.push(r.marks[DECODED_LINE]);
    if (r.marks?.[COMMITTED_LINE] !== undefined) committed.push(r.marks[COMMITTED_LINE]);
  }
  return {
    name,
    runs,
    ms: { min: round(Math.min(...times)), median: round(median(times)) },
    cpuMs: { min: round(Math.min(...cpu)), median: round(median(cpu)) },
    peakRssMiB: round(peak / 1024),
    ...(decoded.length > 0 ? { decodedAtMs: round(median(decoded)), committedAtMs: round(median(committed)) } : {}),
  };
}

/** `postfach fetch`'s progress lines (cli/commands/mailbox.ts): a delivery decoded and to be stored; the receipts asked for. */
const DECODED_LINE = 'Speichern:';
const COMMITTED_LINE = 'Laufzettel:';

function scryptMs(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    scrypt(STORE_PASSWORD, Buffer.alloc(16, 1), 32, { N: DEFAULT_SCRYPT.N, r: DEFAULT_SCRYPT.r, p: DEFAULT_SCRYPT.p, maxmem: 256 * 1024 * 1024 }, (error) =>
      error ? reject(error) : resolve(performance.now() - started),
    ),
  );
}

export async function runColdStartBench(options: { runs?: number; sampleDir: string; log?: (line: string) => void }): Promise<ColdFigures> {
  const runs = options.runs ?? 5;
  const log = options.log ?? (() => undefined);
  const sample = await deliverySample(options.sampleDir);
  const f = testPkiFiles(sample.pkiDir);
  const p12Password = readFileSync(f.password, 'utf8').replace(/\r?\n$/, '');
  const env = { ...process.env, BENCH_P12: p12Password, BENCH_VECTOR_P12: '123456', POSTFACH_STORE_PASSWORD: STORE_PASSWORD };
  const cases: ColdFigure[] = [];
  cases.push(
    await repeat('postfach inspect, realistic delivery (RSA-3072, PKCS#12 AES)', runs, () =>
      timedChild([cli, 'inspect', '--p12', f.municipality.p12, '--password-env', 'BENCH_P12', '--trusted-signer', f.intermediary.cer, '--json', sample.responseFile], env),
    ),
  );
  const certs = path.join(vectorsDir, 'certs');
  cases.push(
    await repeat('postfach inspect, exchange/06 (RSA-4096, legacy PKCS#12 3DES/RC2)', runs, () =>
      timedChild(
        [
          cli,
          'inspect',
          '--p12',
          path.join(certs, 'bob_cipher_4096.p12'),
          '--password-env',
          'BENCH_VECTOR_P12',
          '--trusted-signer',
          path.join(certs, 'osci_manager_signature_4096.cer'),
          '--json',
          path.join(vectorsDir, 'exchange', '06-FetchDelivery.response.http-body'),
        ],
        env,
      ),
    ),
  );

  // postfach fetch of one delivery per process, `runs` deliveries waiting at a local intermediary
  const work = mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-cold-'));
  try {
    const intermediary = await startIntermediaryProcess(sample.pkiDir, path.join(work, 'intermediary'));
    try {
      log(`  sending ${runs} deliveries for postfach fetch …`);
      for (let i = 0; i < runs; i++) {
        await sendApplications({
          intermediaryUrl: intermediary.url,
          setup: loadSenderSetup({ pkiDir: sample.pkiDir }),
          service: 'hzl',
          seed: `cold-${i}`,
          attachments: 2,
          attachmentSize: 200_000,
        });
      }
      const storePath = path.join(work, 'store', 'postfach.db');
      const { store } = await PostfachStore.create(storePath, { password: STORE_PASSWORD });
      store.close();
      cases.push(
        await repeat('postfach fetch --max 1, realistic delivery (store unlock, worker, dialog, commit)', runs, async () => {
          const r = await timedChild(
            [
              cli,
              'fetch',
              '--store',
              storePath,
              '--intermediary',
              intermediary.url,
              '--intermediary-cert',
              f.intermediary.cer,
              '--p12',
              f.municipality.p12,
              '--password-env',
              'BENCH_P12',
              '--max',
              '1',
              '--json',
            ],
            env,
            [DECODED_LINE, COMMITTED_LINE],
          );
          if (r.code === 0 && (JSON.parse(r.out) as { newMessages: number }).newMessages !== 1) return { ...r, code: -1 };
          return r;
        }),
      );
    } finally {
      await intermediary.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const scrypts: number[] = [];
  for (let i = 0; i < 3; i++) scrypts.push(await scryptMs());
  return { cases, scryptMs: round(median(scrypts)) };
}

export function formatColdFigures(r: ColdFigures): string[] {
  return [
    ...r.cases.map(
      (c) =>
        `  ${c.name}: median ${c.ms.median} ms, min ${c.ms.min} ms (${c.runs} runs; target ≤ 400 ms); CPU median ${c.cpuMs.median} ms, min ${c.cpuMs.min} ms; peak RSS ${c.peakRssMiB} MiB` +
        (c.decodedAtMs === undefined ? '' : `; first delivery decoded at ${c.decodedAtMs} ms, committed at ${c.committedAtMs} ms (from spawn)`),
    ),
    `  of which the store password's scrypt (N=2^17, kept on purpose) alone: ${r.scryptMs} ms`,
  ];
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-cold-sample-'));
  try {
    const r = await runColdStartBench({ runs, sampleDir: dir, log: (line) => process.stderr.write(`${line}\n`) });
    process.stdout.write(args.includes('--json') ? `${JSON.stringify(r, null, 2)}\n` : `${['Cold start:', ...formatColdFigures(r)].join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
