/**
 * App start in browser mode, measured from the process start: `postfach ui --browser` (the built CLI, as `npm
 * start` runs it after its build check) on a copy of the 100,000-message store, Chromium already open (in browser
 * mode the caseworker's browser is), the address opened as soon as it is printed, the store password typed at
 * once (a person's typing is not the program's time), until the mailbox is interactive.
 *
 *   npx tsx bench/ui-start.ts [--runs N] [--typing MS] [--settle MS] [--profile DIR] [--trace-calls] [--json]   (needs dist/: npm run build)
 *
 * `--settle MS` (default 1000): the wait between preparing a run (the copy of the 115 MB store, the browser's new
 * page) and the process start. A caseworker's browser is open and idle and the store lies on disk when the program
 * starts; without the wait the page's setup and the copy's write-back ran beside the program's first 0.3 s
 * (address printed 668 against 381 ms at load 13, 8 runs each). `--settle 0`: as before 2026-12-06 fourth part.
 *
 * `--typing MS`: the password typed MS after the form shows instead of at once, as a person does (the program may
 * use that time: the service loads the mailbox's modules while the form shows); the figures still count from the
 * process start, and the summary prints interactive less the typing beside them.
 *
 * Interactive: the first rows of the list painted (the renderer's `postfach:list-first-render` mark, taken after
 * the frame that holds them) and the renderer's main thread free — no long task (> 50 ms) in the 500 ms after the
 * last one (Time to Interactive with a shorter quiet window). Every moment is taken on one clock: the page's
 * `performance.timeOrigin + now` and this process's are both milliseconds since the Unix epoch.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { BULK_PASSWORD, cachedBulkStore } from './ui-list.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, existsSync(path.join(here, '..', 'package.json')) ? '..' : '../..');

/** Milliseconds since the Unix epoch, sub-millisecond (the same clock as the page's timeOrigin + now). */
const epoch = (): number => performance.timeOrigin + performance.now();

/** The machine as a caseworker's is when the program starts: the browser's new page and the store's copy settled. */
const SETTLE_MS = 1000;

/** A quiet window after the last long task: the main thread answers input within 50 ms from then on. */
const QUIET_MS = 500;

export interface UiStartRun {
  /** Process start → the address printed (bridge listening, service started). */
  readonly addressMs: number;
  /** Process start → the unlock form visible (renderer loaded, store status read). */
  readonly unlockShownMs: number;
  /** The time the bench waited after the form showed before it typed the password (`--typing`; 0: at once). */
  readonly typingMs: number;
  /** The password sent → the store open (scrypt of the password, SQLCipher key, migrations check). */
  readonly unlockMs: number;
  /** Process start → first rows of the list painted. */
  readonly listPaintedMs: number;
  /**
   * The mailbox screen's first render → its first rows painted (`postfach:list-first-render`): what the window does
   * after the store opened — the screen built, the first page asked and answered, the rows drawn.
   */
  readonly shownToPaintedMs: number;
  /** Process start → interactive (list painted, no long task in the quiet window after). */
  readonly interactiveMs: number;
  /** Long tasks of the renderer from navigation to interactive: count and the longest. */
  readonly longTasks: { readonly count: number; readonly maxMs: number };
  /**
   * CPU time until interactive, which grows far less with the machine's load than the wall time: the program's
   * process (every thread: the bridge and the service's worker; /proc, 10 ms steps) and the page's main thread
   * (Chromium's TaskDuration: the tasks' durations, which include time a busy machine keeps the thread waiting) and
   * every Chromium process with all threads (/proc, 10 ms steps; includes the bench's own driving of the page).
   */
  readonly cpu: { readonly programMs: number; readonly pageMs: number; readonly chromiumMs: number };
}

export interface UiStartFigures {
  readonly count: number;
  readonly runs: readonly UiStartRun[];
  readonly median: UiStartRun;
}

/** CPU time (user + system, every thread) of a process so far, from /proc (Linux); NaN elsewhere. */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    // after the command name: state is field 3, utime 14 and stime 15 (in clock ticks, 100 per second on Linux)
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * CPU time (user + system) of every Chromium process this bench started — browser, renderers, GPU, network, with all
 * their threads (V8's background compiling included) — from /proc (Linux); NaN elsewhere. Unlike the page's task
 * durations it does not grow with the time a busy machine keeps the threads waiting.
 */
function chromiumCpuMs(): number {
  try {
    const parentOf = new Map<number, number>();
    const cpuOf = new Map<number, number>();
    const nameOf = new Map<number, string>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        parentOf.set(Number(entry), Number(fields[1]));
        cpuOf.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * 10);
        nameOf.set(Number(entry), name);
      } catch {
        // ended meanwhile
      }
    }
    let total = 0;
    for (const [pid, cpu] of cpuOf) {
      // a Chromium process whose chain of parents leads to this bench process
      if (!/chrom/i.test(nameOf.get(pid) ?? '')) continue;
      for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) {
        if (p === process.pid) {
          total += cpu;
          break;
        }
      }
    }
    return total;
  } catch {
    return NaN;
  }
}

async function pageTaskMs(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Math.round((metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN) * 1000);
}

async function pageEpoch(page: Page): Promise<number> {
  return page.evaluate(() => performance.timeOrigin + performance.now());
}

async function oneStart(
  page: Page,
  cdp: CDPSession,
  storeDir: string,
  profileDir: string | undefined,
  traceCalls: boolean,
  typingMs: number,
  settleMs: number,
): Promise<UiStartRun> {
  const data = mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-uistart-'));
  cpSync(storeDir, data, { recursive: true });
  const cli = path.join(root, 'dist', 'cli', 'main.js');
  if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
  const chromiumBefore = chromiumCpuMs();
  const started = epoch();
  const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  if (profileDir !== undefined) {
    // the page's main thread too, from before the navigation to interactive (Chromium's sampling profiler)
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  if (traceCalls) {
    // every request of the page with its start and end on the process-start clock: which calls wait for what
    page.on('requestfinished', (request) => {
      const t = request.timing();
      const at = (ms: number): string => String(Math.round(t.startTime + ms - started)).padStart(5);
      process.stderr.write(`    ${at(0)} → ${at(t.responseEnd)} ms  ${request.method()} ${new URL(request.url()).pathname}\n`);
    });
  }
  const child = spawn(process.execPath, [...profile, cli, 'ui', '--browser', '--data', data], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const m = /Adresse \/ Address: (\S+)/.exec(out);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`postfach ui ended (${code}) before the address:\n${out}\n${err}`)));
    });
    const addressAt = epoch();
    await page.goto(url, { waitUntil: 'commit' });
    const password = page.getByLabel('Passwort des Datenspeichers');
    await password.waitFor({ timeout: 60_000 });
    const unlockShownAt = await pageEpoch(page);
    if (typingMs > 0) await new Promise((resolve) => setTimeout(resolve, typingMs));
    await password.fill(BULK_PASSWORD);
    const sentAt = await pageEpoch(page);
    await page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
    await page.waitForFunction(() => performance.getEntriesByName('postfach:list-first-render').length > 0, undefined, { timeout: 120_000, polling: 20 });
    const times = await page.evaluate(async (quiet) => {
      const painted = performance.getEntriesByName('postfach:list-first-render')[0];
      const paintedAt = painted === undefined ? NaN : painted.startTime + painted.duration;
      const opened = performance.getEntriesByName('postfach:mailbox-shown')[0]?.startTime ?? NaN;
      // (no named functions in here: the page has no helpers of a bundler)
      const all = (window as unknown as { __longTasks: PerformanceEntry[] }).__longTasks;
      // wait until the quiet window after the last long task (or after the paint) has passed
      for (;;) {
        const last = Math.max(paintedAt, ...all.map((t) => t.startTime + t.duration));
        const wait = last + quiet - performance.now();
        if (wait <= 0) break;
        await new Promise((r) => setTimeout(r, wait + 5));
      }
      const interactiveAt = Math.max(paintedAt, ...all.map((t) => t.startTime + t.duration));
      return {
        origin: performance.timeOrigin,
        paintedAt,
        opened,
        interactiveAt,
        longTasks: { count: all.length, maxMs: Math.round(Math.max(0, ...all.map((t) => t.duration))) },
      };
    }, QUIET_MS);
    const cpu = { programMs: processCpuMs(child.pid), pageMs: await pageTaskMs(cdp), chromiumMs: chromiumCpuMs() - chromiumBefore };
    if (profileDir !== undefined) {
      const { profile: pageProfile } = await cdp.send('Profiler.stop');
      mkdirSync(profileDir, { recursive: true });
      writeFileSync(path.join(profileDir, `page-${Math.round(started)}.cpuprofile`), JSON.stringify(pageProfile));
    }
    return {
      addressMs: Math.round(addressAt - started),
      unlockShownMs: Math.round(unlockShownAt - started),
      typingMs,
      unlockMs: Math.round(times.origin + times.opened - sentAt),
      listPaintedMs: Math.round(times.origin + times.paintedAt - started),
      shownToPaintedMs: Math.round(times.paintedAt - times.opened),
      interactiveMs: Math.round(times.origin + times.interactiveAt - started),
      longTasks: times.longTasks,
      cpu,
    };
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    rmSync(data, { recursive: true, force: true });
  }
}

export async function runUiStartBench(
  options: {
    readonly runs?: number;
    readonly count?: number;
    readonly chromiumPath?: string;
    readonly progress?: (line: string) => void;
    /** CPU profiles written here: the program's (node --cpu-prof, every thread) and the page's main thread (page-*.cpuprofile). */
    readonly profileDir?: string;
    /** Every request of the page, with its start and end since the process start, on the progress stream. */
    readonly traceCalls?: boolean;
    /** The password typed this long after the form shows (default 0: at once). */
    readonly typingMs?: number;
    /** The wait after a run's preparation (store copy, new page) before the process starts (default 1000 ms). */
    readonly settleMs?: number;
  } = {},
): Promise<UiStartFigures> {
  const count = options.count ?? 100_000;
  if (!existsSync(path.join(root, 'dist', 'renderer', 'index.html')) || !existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
    throw new Error('not built: npm run build');
  }
  const cached = await cachedBulkStore(count, options.progress, { reuseOlder: true });
  const browser = await chromium.launch({
    executablePath: options.chromiumPath ?? process.env.POSTFACH_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const runs: UiStartRun[] = [];
  try {
    for (let i = 0; i < (options.runs ?? 5); i++) {
      // a fresh page each run (no cache of an earlier run's bundle: the bridge's address and token change anyway)
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.addInitScript(() => {
        const tasks: PerformanceEntry[] = [];
        (window as unknown as { __longTasks: PerformanceEntry[] }).__longTasks = tasks;
        new PerformanceObserver((list) => tasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
      });
      await page.goto('about:blank');
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      runs.push(await oneStart(page, cdp, cached.dir, options.profileDir, options.traceCalls === true, options.typingMs ?? 0, options.settleMs ?? SETTLE_MS));
      page.removeAllListeners('requestfinished');
      options.progress?.(`  run ${i + 1}: interactive after ${runs[runs.length - 1]?.interactiveMs} ms`);
      await context.close();
    }
  } finally {
    await browser.close().catch(() => undefined);
  }
  const median = [...runs].sort((a, b) => a.interactiveMs - b.interactiveMs)[Math.floor(runs.length / 2)] as UiStartRun;
  return { count, runs, median };
}

export function formatUiStartFigures(f: UiStartFigures): string {
  const r = f.median;
  return [
    `App start in browser mode (postfach ui --browser, ${f.count.toLocaleString('en')} messages), median of ${f.runs.length} runs, from the process start:`,
    `address printed ${r.addressMs} ms; unlock form shown ${r.unlockShownMs} ms; store opened ${r.unlockMs} ms after the password was sent`,
    `list painted ${r.listPaintedMs} ms (${r.shownToPaintedMs} ms after the mailbox screen began to render); interactive ${r.interactiveMs} ms (long tasks: ${r.longTasks.count}, longest ${r.longTasks.maxMs} ms)`,
    ...(r.typingMs > 0 ? [`the password typed ${r.typingMs} ms after the form showed: interactive less the typing ${r.interactiveMs - r.typingMs} ms`] : []),
    `interactive, all runs: ${f.runs.map((x) => x.interactiveMs).join(', ')} ms; of which opening the store: ${f.runs.map((x) => x.unlockMs).join(', ')} ms; screen → rows: ${f.runs.map((x) => x.shownToPaintedMs).join(', ')} ms`,
    `CPU until interactive: program (bridge + service) ${r.cpu.programMs} ms, page main thread ${r.cpu.pageMs} ms (task durations), Chromium ${r.cpu.chromiumMs} ms (all processes)`,
    `CPU, all runs: program ${f.runs.map((x) => x.cpu.programMs).join(', ')} ms; Chromium ${f.runs.map((x) => x.cpu.chromiumMs).join(', ')} ms`,
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;
  const profileDir = args.includes('--profile') ? path.resolve(args[args.indexOf('--profile') + 1] ?? 'profiles') : undefined;
  // a misspelt number must not silently measure something else (NaN in the JSON, or no settling at all)
  const msArgument = (name: string, fallback: number): number => {
    if (!args.includes(name)) return fallback;
    const value = Number(args[args.indexOf(name) + 1]);
    if (!Number.isInteger(value) || value < 0) {
      process.stderr.write(`${name} braucht eine ganze Zahl von Millisekunden ≥ 0 / needs a whole number of ms >= 0\n`);
      process.exit(2);
    }
    return value;
  };
  const typingMs = msArgument('--typing', 0);
  const settleMs = msArgument('--settle', SETTLE_MS);
  const figures = await runUiStartBench({
    runs,
    profileDir,
    typingMs,
    settleMs,
    traceCalls: args.includes('--trace-calls'),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(args.includes('--json') ? `${JSON.stringify(figures, null, 2)}\n` : `${formatUiStartFigures(figures)}\n`);
}
