/**
 * `npm run bench`: what this machine does, measured against the cost of the cryptography itself (issue 14).
 *
 *   npm run bench [-- --quick] [--all] [--only decode,fetch,cold,large,export,ui,store,pki,osci-decode] [--store-count N] [--profile] [--json]
 *
 * Sections (default: decode, fetch, cold, large, export, ui; --all adds store, pki, osci-decode):
 *  decode  bench/decode.ts: warm decode of the realistic delivery (about 950 KB, RSA-3072) and of exchange/06
 *          (40 KB, RSA-4096) beside the raw cryptography of the same work, interleaved, and the ratio.
 *  fetch   bench/fetch.ts: 500 applications (--quick: 50), each a generated XSozial-basis application (about 290
 *          KB of XML with inline documents) with two 300 KB evidence files as content-encrypted OSCI attachments,
 *          fetched by the engine (one dialog, every delivery decrypted, verified, read and committed to the
 *          encrypted store with fsync before it is acknowledged) from the local intermediary in its own process:
 *          deliveries/s beside the raw cryptography of the same workload, and the ratio; then the same into
 *          PostgreSQL (a throw-away cluster), printed beside it.
 *  cold    bench/cold-start.ts: process start to first decoded delivery (postfach inspect, postfach fetch);
 *          bench/fetch-worker-start.ts: a new service thread in a running program → its first fetched delivery.
 *  large   one delivery with a 1 GB (10^9 bytes) attachment fetched by `postfach fetch` (engine in its worker, encrypted store):
 *          peak RSS; without --quick also bench/roundtrip-large.ts's protocol-only fetch.
 *  export  bench/export-large.ts: a 50 MB application exported as `postfach export --xml --pdf --attachments` does it, and its PDF alone: peak RSS.
 *  ui      bench/ui-list.ts: the message list in Chromium with 100,000 messages (a store cache from an earlier
 *          run is reused, migrated on open): every query from input to painted rows, scroll frame times; and
 *          bench/ui-start.ts: `postfach ui --browser` from the process start to an interactive mailbox.
 *  store   bench/store.ts: list, filter, sort, search and count latency with 100,000 messages (--quick 5,000,
 *          --store-count N) in the SQLite store and in the PostgreSQL store (a throw-away cluster), each query's
 *          p50 / p95 side by side; both fills save through the store one by one and take minutes (PostgreSQL most).
 *          `store-pg` is accepted as a name of this section.
 *  pki, osci-decode   bench/pki.ts, bench/osci-decode.ts (200 MB message; --quick 50).
 *
 * --profile: CPU profiles (node --cpu-prof) of the decode and of the fetch (the fetching process and the
 * intermediary) are written to test-artifacts/profiles/<time>/ and their top 10 self-time functions printed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestPki, testPkiFiles } from '../core/pki/test-pki.js';
import { PostfachStore } from '../core/store/index.js';
import { loadSenderSetup, sendApplications } from '../intermediary/index.js';
import { formatColdFigures, runColdStartBench } from './cold-start.js';
import { formatWorkerStartFigures, runFetchWorkerStartBench } from './fetch-worker-start.js';
import { formatDecodeFigure, projectRoot, runDecodeBench } from './decode.js';
import { deliverySample } from './delivery-sample.js';
import { formatFetchFigures, runFetchBench, startIntermediaryProcess } from './fetch.js';
import { runOsciDecodeBench } from './osci-decode.js';
import { formatTop } from './profile-top.js';
import { runRoundtripLargeBench } from './roundtrip-large.js';
import { formatStoreFigures, runStoreBench, type StoreBenchResult } from './store.js';
import { formatUiListFigures, runUiListBench } from './ui-list.js';
import { formatUiStartFigures, runUiStartBench } from './ui-start.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '..', 'cli', 'main.js');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const profile = args.includes('--profile');
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const DEFAULT_SECTIONS = 'decode,fetch,cold,large,export,ui';
// `store-pg` (the former PostgreSQL-only section) is the store section now, which runs both backends
const sections = new Set(
  (onlyArg ?? (profile ? 'decode,fetch' : args.includes('--all') ? `${DEFAULT_SECTIONS},store,pki,osci-decode` : DEFAULT_SECTIONS))
    .split(',')
    .map((s) => (s === 'store-pg' ? 'store' : s)),
);
const log = (line: string): void => {
  if (!json) process.stderr.write(`${line}\n`);
};
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const MB = 1_000_000;

// ---- one large delivery: peak memory of the fetching process ----

/** Polls a child's peak RSS (VmHWM, Linux) until it exits. */
function watchPeak(child: ChildProcess): Promise<{ code: number | null; peakKiB: number }> {
  let peak = 0;
  const read = (): void => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch {
      // exited between polls
    }
  };
  const timer = setInterval(read, 50);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ code, peakKiB: peak });
    });
  });
}

interface LargeFigures {
  readonly attachmentBytes: number;
  readonly engine: { readonly seconds: number; readonly peakRssMiB: number; readonly megabytesPerSecond: number };
  readonly protocolOnly?: { readonly seconds: number; readonly peakRssMiB: number; readonly baselineMiB: number; readonly verified: boolean };
}

async function largeSection(work: string): Promise<LargeFigures> {
  // 1 GB = 10^9 bytes: the local intermediary refuses requests over 1 GiB (DEFAULT_MAX_REQUEST_BYTES)
  const attachmentBytes = 1_000_000_000;
  const pkiDir = path.join(work, 'pki-large');
  await createTestPki(pkiDir, { force: true });
  const intermediary = await startIntermediaryProcess(pkiDir, path.join(work, 'intermediary-large'));
  let engine: LargeFigures['engine'];
  try {
    log(`  sending one delivery with a ${attachmentBytes / 1e9} GB attachment …`);
    await sendApplications({
      intermediaryUrl: intermediary.url,
      setup: loadSenderSetup({ pkiDir }),
      service: 'hzl',
      seed: 'gross',
      attachments: 1,
      attachmentSize: attachmentBytes,
    });
    const f = testPkiFiles(pkiDir);
    const dbPath = path.join(work, 'store-large', 'postfach.db');
    const { store } = await PostfachStore.create(dbPath, { password: 'Bench-Passwort-2026', scrypt: { N: 1024, r: 8, p: 1 } });
    store.close();
    log('  fetching it with postfach fetch …');
    const start = performance.now();
    const child = spawn(
      process.execPath,
      [
        cli,
        'fetch',
        '--store',
        dbPath,
        '--intermediary',
        intermediary.url,
        '--intermediary-cert',
        f.intermediary.cer,
        '--p12',
        f.municipality.p12,
        '--password-env',
        'BENCH_P12',
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, BENCH_P12: readFileSync(f.password, 'utf8').trim(), POSTFACH_STORE_PASSWORD: 'Bench-Passwort-2026' } },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const { code, peakKiB } = await watchPeak(child);
    const seconds = (performance.now() - start) / 1000;
    const result = JSON.parse(out) as { newMessages: number; bytes: number };
    if (code !== 0 || result.newMessages !== 1) throw new Error(`postfach fetch exited with ${code}: ${out.slice(0, 300)}`);
    engine = { seconds: round(seconds), peakRssMiB: round(peakKiB / 1024), megabytesPerSecond: round(result.bytes / MB / seconds) };
  } finally {
    await intermediary.stop();
    rmSync(path.join(work, 'intermediary-large'), { recursive: true, force: true });
    rmSync(path.join(work, 'store-large'), { recursive: true, force: true });
  }
  if (quick) return { attachmentBytes, engine };
  log(`  protocol-only round trip (bench/roundtrip-large.ts) …`);
  const r = await runRoundtripLargeBench({ attachmentMiB: 200 });
  return { attachmentBytes, engine, protocolOnly: { seconds: round(r.fetch.seconds), peakRssMiB: r.fetch.maxRssMiB, baselineMiB: r.fetch.baselineMiB, verified: r.verified } };
}

function runScript(script: string, scriptArgs: string[]): string {
  const file = path.join(here, script);
  if (!existsSync(file)) return `(${script} is not built)`;
  const r = spawnSync(process.execPath, [file, ...scriptArgs], { encoding: 'utf8', timeout: 30 * 60_000 });
  return `${r.stdout}${r.status === 0 ? '' : `\n(exit ${r.status}) ${r.stderr.slice(-500)}`}`.trim();
}

/** Runs the decode and the fetch under --cpu-prof; prints the top 10 self-time functions of each profile. */
async function profileSections(work: string, text: string[]): Promise<void> {
  const dir = path.join(projectRoot, 'test-artifacts', 'profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  text.push(`CPU profiles in ${path.relative(process.cwd(), dir) || dir}`, '');
  if (sections.has('decode')) {
    log('profiling the decode …');
    const sampleDir = path.join(work, 'decode-sample');
    await deliverySample(sampleDir); // made here, so that the profile holds decodes only
    const decodeDir = path.join(dir, 'decode');
    const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${decodeDir}`, path.join(here, 'decode.js'), '--profile-child', sampleDir, quick ? '100' : '300'], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`decode profile failed: ${r.stderr.slice(-500)}`);
    for (const file of readdirSync(decodeDir).filter((n) => n.endsWith('.cpuprofile')))
      text.push(formatTop('Decode (realistic delivery and exchange/06, warm, many runs)', path.join(decodeDir, file)), '');
  }
  if (sections.has('fetch')) {
    log('profiling the fetch …');
    const r = await runFetchBench({ count: quick ? 50 : 200, profileDir: path.join(dir, 'fetch'), log: (line) => log(line) });
    text.push(...formatFetchFigures(r), '');
    for (const file of r.profiles) text.push(formatTop(`Fetch, ${path.basename(file).includes('intermediary') ? 'intermediary' : 'process'}`, file), '');
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-'));
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${os.platform()}, load ${os
    .loadavg()
    .map((l) => round(l))
    .join(' ')}`;
  const report: Record<string, unknown> = { machine, quick };
  const text: string[] = [`OSCI-Postfach benchmark${quick ? ' (--quick)' : ''} — ${machine}`, ''];
  /** One line per target of issue 14, printed last. */
  const summary: string[] = [];
  try {
    if (profile) {
      await profileSections(work, text);
      return;
    }
    if (sections.has('decode')) {
      log('warm decode …');
      const figures = await runDecodeBench({ runs: quick ? 30 : 100, sampleDir: path.join(work, 'decode-sample') });
      report.decode = figures;
      text.push('Warm decode (bench/decode.ts; median of interleaved runs, raw cryptography of the same work beside it):', ...figures.flatMap(formatDecodeFigure), '');
      for (const f of figures) {
        const target = f.name === 'exchange/06' ? '≤ 13 ms' : '≤ 2 × raw';
        summary.push(
          `decode ${f.name}: ${f.decodeMs.median} ms, raw cryptography ${f.cryptoMs.median} ms, ratio ${f.ratio}; CPU ${f.decodeCpuMs} / ${f.cryptoCpuMs} ms (target ${target})`,
        );
      }
    }
    if (sections.has('fetch')) {
      const count = quick ? 50 : 500;
      log(`fetch throughput (${count} deliveries) …`);
      const r = await runFetchBench({ count, log });
      report.fetch = r;
      text.push(...formatFetchFigures(r), '');
      summary.push(`fetch: ${r.messagesPerSecond} deliveries/s, ratio ${r.ratio} to raw cryptography (targets ≥ 40/s, ≤ 2)`);
      // the same mailbox committed to PostgreSQL (issue 13: the service on a shared store)
      log(`fetch throughput into PostgreSQL (${count} deliveries) …`);
      const rPg = await runFetchBench({ count, log, backend: 'postgresql' });
      report.fetchPostgresql = rPg;
      text.push(...formatFetchFigures(rPg), '');
      summary.push(`fetch into PostgreSQL: ${rPg.messagesPerSecond} deliveries/s, ratio ${rPg.ratio} to raw cryptography`);
    }
    if (sections.has('cold')) {
      log('cold start …');
      const r = await runColdStartBench({ runs: quick ? 3 : 7, sampleDir: path.join(work, 'decode-sample'), log });
      report.cold = r;
      text.push('Cold start (bench/cold-start.ts; process start to exit after the first decoded delivery):', ...formatColdFigures(r), '');
      for (const c of r.cases)
        summary.push(
          `cold start ${c.name.split(',')[0]} ${c.name.includes('exchange') ? '(exchange/06, legacy key)' : ''}: ${c.ms.median} ms, CPU ${c.cpuMs.median} ms (target ≤ 400 ms)${c.decodedAtMs === undefined ? '' : `; decoded at ${c.decodedAtMs} ms, committed at ${c.committedAtMs} ms`}`.replace(
            ' :',
            ':',
          ),
        );
      const w = await runFetchWorkerStartBench({ runs: quick ? 3 : 7, sampleDir: path.join(work, 'decode-sample'), log });
      report.fetchWorkerStart = w;
      text.push('Fetch worker start (bench/fetch-worker-start.ts; a new service thread in a running program):', ...formatWorkerStartFigures(w), '');
      summary.push(
        `fetch worker start → first decoded delivery: ${w.median.totalMs} ms whole run (target ≤ 400 ms; decoded at ${w.median.decodedAtMs} ms, committed at ${w.median.committedAtMs} ms; store.open ${w.median.openMs} ms with the scrypt and the mailbox's modules); CPU ${w.median.cpuMs} ms`,
      );
    }
    if (sections.has('large')) {
      log('large delivery …');
      const r = await largeSection(work);
      report.large = r;
      text.push(
        `One delivery with a ${r.attachmentBytes / 1e9} GB attachment (10^9 bytes):`,
        `  postfach fetch (engine in its worker, encrypted store): ${r.engine.seconds} s, ${r.engine.megabytesPerSecond} MB/s, peak RSS ${r.engine.peakRssMiB} MiB (target ≤ 200 MB)`,
        ...(r.protocolOnly
          ? [
              `  protocol only, 200 MiB (bench/roundtrip-large.ts): ${r.protocolOnly.seconds} s, peak RSS ${r.protocolOnly.peakRssMiB} MiB (baseline ${r.protocolOnly.baselineMiB} MiB), intact: ${r.protocolOnly.verified ? 'yes' : 'NO'}`,
            ]
          : []),
        '',
      );
      summary.push(`peak RSS, fetch of a 1 GB attachment: ${r.engine.peakRssMiB} MiB (target ≤ 200 MB)`);
    }
    if (sections.has('export')) {
      log('export …');
      // as `postfach export --xml --pdf --attachments` does it, and the PDF alone (the issue's "exported to PDF")
      const out = runScript('export-large.js', ['--mb', '50']);
      const pdfOnly = runScript('export-large.js', ['--mb', '50', '--steps', 'pdf']);
      report.export = `${out}\n${pdfOnly}`;
      text.push('Export of a 50 MB application (bench/export-large.ts):', ...`${out}\n${pdfOnly}`.split('\n').map((l) => `  ${l}`), '');
      const peakOf = (lines: string) => /peak RSS: ([\d.]+) MiB = ([\d.]+) MB/.exec(lines.split('\n').find((l) => l.startsWith('export process')) ?? '');
      for (const [what, lines] of [
        ['XML, PDF and attachments', out],
        ['PDF alone', pdfOnly],
      ] as const) {
        const peak = peakOf(lines);
        summary.push(`peak RSS, export of a 50 MB application (${what}): ${peak ? `${peak[1]} MiB = ${peak[2]} MB` : 'not measured'} (target ≤ 150 MB)`);
      }
    }
    if (sections.has('ui')) {
      log('UI list with 100,000 messages …');
      try {
        const r = await runUiListBench({ count: 100_000, reuseOlder: true, progress: (line) => log(`  ${line}`) });
        report.ui = r;
        text.push(
          ...formatUiListFigures(r)
            .split('\n')
            .map((l, i) => (i === 0 ? l : `  ${l}`)),
          `  store cache: ${r.storeCache}`,
          '',
        );
        const worst = Math.max(...r.queries.map((q) => q.ms));
        summary.push(
          `UI at 100,000 messages: first render ${r.firstRenderMs} ms, queries (input → rows painted) ${Math.min(...r.queries.map((q) => q.ms))}–${worst} ms (target ≤ 100 ms); CPU per query up to ${Math.max(...r.queries.map((q) => q.cpu.serviceMs))} ms service + ${Math.max(...r.queries.map((q) => q.cpu.pageMs))} ms page`,
          `UI scroll over 100,000 messages: ${r.scrollFrames.frames} frames, p95 ${r.scrollFrames.p95Ms} ms, max ${r.scrollFrames.maxMs} ms (target: no frame > 50 ms)`,
        );
      } catch (error) {
        text.push(`UI list: not measured (${error instanceof Error ? error.message : String(error)})`, '');
        summary.push('UI at 100,000 messages: not measured (see above)');
      }
      log('UI app start (browser mode) …');
      try {
        const r = await runUiStartBench({ runs: quick ? 3 : 5, progress: (line) => log(`  ${line}`) });
        report.uiStart = r;
        text.push(
          ...formatUiStartFigures(r)
            .split('\n')
            .map((l, i) => (i === 0 ? l : `  ${l}`)),
          '',
        );
        summary.push(`UI app start, process start → interactive mailbox: ${r.median.interactiveMs} ms, of which opening the store ${r.median.unlockMs} ms (target ≤ 1 s)`);
      } catch (error) {
        text.push(`UI app start: not measured (${error instanceof Error ? error.message : String(error)})`, '');
        summary.push('UI app start: not measured (see above)');
      }
    }
    if (sections.has('store')) {
      // the same 100,000 synthetic deliveries in both stores (issue 13: list and search on PostgreSQL beside SQLite)
      const countArg = args.includes('--store-count') ? Number(args[args.indexOf('--store-count') + 1]) : undefined;
      const count = countArg !== undefined && Number.isInteger(countArg) && countArg > 0 ? countArg : quick ? 5_000 : 100_000;
      const results: StoreBenchResult[] = [];
      for (const backend of ['sqlite', 'postgresql'] as const) {
        log(`store (${backend}) with ${count} messages …`);
        results.push(
          await runStoreBench({
            backend,
            count,
            runs: quick ? 10 : 20,
            ...(backend === 'sqlite' ? { dir: path.join(work, 'store-bench') } : {}),
            progress: (line) => log(`  ${line}`),
          }),
        );
      }
      report.store = results;
      text.push('Store (bench/store.ts; the same deliveries and calls on both backends):', ...formatStoreFigures(results), '');
    }
    if (sections.has('pki')) {
      log('pki …');
      const out = runScript('pki.js', []);
      report.pki = out;
      text.push('PKI (bench/pki.ts):', out, '');
    }
    if (sections.has('osci-decode')) {
      log('osci decode of a large message …');
      const r = await runOsciDecodeBench({ attachmentMiB: quick ? 50 : 200 });
      report.osciDecode = r;
      text.push(
        `OSCI decode (bench/osci-decode.ts): ${round(r.messageBytes / 1048576)} MiB message decoded in ${round(r.decodeSeconds)} s, peak RSS ${r.peakRssMiB} MiB (baseline ${r.baselineRssMiB} MiB)`,
        '',
      );
    }
    if (summary.length > 0) text.push('Issue 14 targets:', ...summary.map((l) => `  ${l}`), '');
  } finally {
    rmSync(work, { recursive: true, force: true });
    report.summary = summary;
    process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${text.join('\n')}\n`);
  }
}

await main();
