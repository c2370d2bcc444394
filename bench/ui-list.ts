/**
 * The message list at scale, measured in Chromium (Debian's, driven by playwright-core) against the loopback bridge
 * and the real service on a store of 100,000 messages: first render of the list (mailbox shown → first rows
 * painted), the time from the input (the click, the typed text) that changes the view, a filter, the search or the
 * sort to its rows painted, and a jump into the middle of the list. The figures come from the UI's own performance
 * marks (renderer/src/mailbox/use-list-marks.ts: from the input event's time stamp to the end of the frame that
 * painted the rows).
 *
 *   npx tsx bench/ui-list.ts [--count N] [--profile DIR] [--renderer DIR] [--json]   (needs dist/renderer)
 *
 * `--profile DIR` writes a CPU profile of the page's main thread over the query steps (queries.cpuprofile) and over
 * the scrolling (scroll.cpuprofile), each with a Chromium trace beside it (trace-*.json: style, layout, paint; open
 * it in Chromium's performance panel); `node dist/bench/profile-top.js FILE` names the top self-time functions (build
 * the renderer unminified for readable names: `npx vite build -c renderer/vite.config.ts --minify false --outDir X`
 * and pass `--renderer X`).
 *
 * The store is filled once through the store's writer without fsync, 5,000 per commit (100,000 in about half a minute
 * on two cores), and kept in the temporary folder for later runs (keyed by the store's migrations and this file). All names are
 * invented. tests/ui/performance.test.ts runs the same measurement and asserts generous bounds.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { startBridge } from '../core/api/bridge-server.js';
import { startWorkerService } from '../core/api/worker-service.js';
import { PostfachStore } from '../core/store/index.js';
import type { NewDelivery } from '../core/store/records.js';
import { saveInBatches } from './batched-saves.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, existsSync(path.join(here, '..', 'package.json')) ? '..' : '../..');

export const BULK_PASSWORD = 'Bulk-Passwort-2026';

const FAMILY = ['Müller', 'Schmidt', 'Öztürk', 'Łukasiewicz', 'Nguyễn', 'Weiß', 'Jovanović', 'Schäfer', 'Kowalski', 'Ødegård', 'Becker', 'Yılmaz'];
const GIVEN = ['Erika', 'Ayşe', 'Jan', 'Thị Hoa', 'Sören', 'Milica', 'Zofia', 'Björn', 'Layla', 'Emil'];
const BENEFITS = [
  ['HZL', 'Hilfe zum Lebensunterhalt (SGB XII)'],
  ['GRUSI', 'Grundsicherung im Alter und bei Erwerbsminderung'],
  ['BUT', 'Leistungen für Bildung und Teilhabe'],
  ['ASYLBLG', 'Leistungen nach dem Asylbewerberleistungsgesetz'],
  ['WBS', 'Wohnberechtigungsschein'],
] as const;

/** The `i`-th of the small invented deliveries of the bulk store. */
export function bulkDelivery(i: number): NewDelivery {
  const family = FAMILY[i % FAMILY.length] as string;
  const given = GIVEN[Math.floor(i / FAMILY.length) % GIVEN.length] as string;
  const [code, text] = BENEFITS[i % BENEFITS.length] as readonly [string, string];
  const creation = BULK_START + ((i * 7919) % 600) * 86_400_000 + (i % 86_400) * 1000;
  return {
    messageId: createHash('sha256').update(`bulk-${i}`).digest('hex').slice(0, 32),
    content: Buffer.from(`<antrag nr="${i}"><name>${given} ${family}</name><leistung>${code}</leistung></antrag>`),
    contentType: 'application/xml',
    processCard: { creation: new Date(creation) },
    summary: { applicants: [`${family}, ${given}`], benefitCode: code, benefitText: text, isTest: i % 997 === 0, signatureStatus: i % 50 === 0 ? 'not-checkable' : 'trusted' },
    searchText: `${given} ${family} Antrag ${i}`,
    fetchedAt: new Date(creation + 3_600_000),
  };
}

const BULK_START = Date.UTC(2025, 0, 1);

function* bulkDeliveries(from: number, to: number): Generator<NewDelivery> {
  for (let i = from; i < to; i++) yield bulkDelivery(i);
}

/**
 * `count` small deliveries as fast as the store takes them (no fsync): for list performance, not for reading. They
 * go through the store's own writer with one commit per 5,000 (bench/batched-saves.ts): the same rows as one
 * saveDelivery call each (tests/store/batched-saves.test.ts), in a fraction of the time.
 */
export async function fillBulk(storePath: string, count: number, onProgress?: (done: number) => void): Promise<void> {
  const { store } = await PostfachStore.create(storePath, { password: BULK_PASSWORD, durableCommits: false, osUser: BULK_OS_USER });
  store.close();
  await saveInBatches(storePath, { password: BULK_PASSWORD }, BULK_OS_USER, bulkDeliveries(0, count), {
    batch: 5_000,
    onProgress: (done) => (done % 10_000 === 0 ? onProgress?.(done) : undefined),
  });
}

export const BULK_OS_USER = 'bench';

/** A filled store in the temporary folder, made once per store schema and fill code; returns the folder. */
export async function cachedBulkStore(
  count: number,
  progress: (line: string) => void = () => undefined,
  options: { readonly reuseOlder?: boolean } = {},
): Promise<{ dir: string; filledNow: boolean; fillSeconds: number }> {
  const hash = createHash('sha256');
  const migrations = path.join(root, 'core', 'store', 'migrations');
  for (const file of readdirSync(migrations).sort()) hash.update(file).update(readFileSync(path.join(migrations, file)));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  const self = fileURLToPath(import.meta.url);
  hash.update(readFileSync(path.join(path.dirname(self), `batched-saves${path.extname(self)}`)));
  const dir = path.join(os.tmpdir(), `postfach-ui-bulk-${count}-${hash.digest('hex').slice(0, 12)}`);
  if (existsSync(path.join(dir, 'postfach.db'))) return { dir, filledNow: false, fillSeconds: 0 };
  if (options.reuseOlder) {
    // a store filled by an earlier schema or fill code holds the same messages: a copy of it, opened once here (which
    // migrates it forward), serves; one this code cannot open (a newer schema) is passed over
    const candidates = readdirSync(os.tmpdir())
      .filter((name) => name.startsWith(`postfach-ui-bulk-${count}-`) && !name.endsWith('.tmp') && existsSync(path.join(os.tmpdir(), name, 'postfach.db')))
      .map((name) => path.join(os.tmpdir(), name))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    for (const candidate of candidates) {
      const copy = `${dir}.${process.pid}.tmp`;
      rmSync(copy, { recursive: true, force: true });
      cpSync(candidate, copy, { recursive: true });
      try {
        const store = await PostfachStore.open(path.join(copy, 'postfach.db'), { password: BULK_PASSWORD });
        store.close();
      } catch (error) {
        progress(`store cache ${candidate} not usable here (${error instanceof Error ? error.message : String(error)})`);
        rmSync(copy, { recursive: true, force: true });
        continue;
      }
      progress(`store cache ${candidate} migrated into ${dir}`);
      try {
        renameSync(copy, dir);
      } catch {
        rmSync(copy, { recursive: true, force: true }); // another run finished first
      }
      return { dir, filledNow: false, fillSeconds: 0 };
    }
  }
  const building = `${dir}.${process.pid}.tmp`;
  rmSync(building, { recursive: true, force: true });
  const started = performance.now();
  progress(`filling a store with ${count.toLocaleString('en')} messages (once; kept in ${dir}) …`);
  await fillBulk(path.join(building, 'postfach.db'), count, (done) => progress(`  ${done.toLocaleString('en')} stored`));
  const fillSeconds = (performance.now() - started) / 1000;
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another run finished first
  }
  return { dir, filledNow: true, fillSeconds };
}

export interface UiListFigures {
  readonly count: number;
  /** The store cache used (a copy of it is opened). */
  readonly storeCache: string;
  /** Seconds to fill the store (0 when a cached one was used). */
  readonly fillSeconds: number;
  /** Mailbox shown → first rows painted. */
  readonly firstRenderMs: number;
  /** The input that changed the view, a filter, the search or the sort → its rows painted. */
  readonly queries: ReadonlyArray<{
    readonly name: string;
    readonly ms: number;
    readonly total: number;
    /**
     * CPU time of the step (grows far less with the machine's load than the wall time): this process — the service's
     * worker, the bridge, and the bench's own driving of the browser — and the page's main thread (TaskDuration).
     */
    readonly cpu: { readonly serviceMs: number; readonly pageMs: number };
  }>;
  /** The list scrolled to its middle → the rows there loaded and painted. */
  readonly jumpToMiddleMs: number;
  /** Scrolling frame by frame: the time between animation frames (target: none above 50 ms). */
  readonly scrollFrames: { readonly frames: number; readonly p95Ms: number; readonly maxMs: number };
  /** Option elements in the DOM with 100,000 rows (virtualisation). */
  readonly domRows: number;
}

async function measures(page: Page, name: string): Promise<number[]> {
  return page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
}

async function nextQueryMeasure(page: Page, before: number): Promise<number> {
  const handle = await page.waitForFunction((n) => performance.getEntriesByName('postfach:list-query').length > n, before, { timeout: 60_000, polling: 20 });
  await handle.dispose();
  const all = await measures(page, 'postfach:list-query');
  return all[all.length - 1] ?? NaN;
}

const listTotal = async (page: Page): Promise<number> => Number((await page.getByTestId('list-count').innerText()).replace(/\D/g, ''));

export interface UiListOptions {
  readonly count?: number;
  readonly rendererDir?: string;
  readonly chromiumPath?: string;
  readonly progress?: (line: string) => void;
  /** Use a store cache filled by an earlier schema or fill code when there is no current one (npm run bench). */
  readonly reuseOlder?: boolean;
  /** Write CPU profiles of the page's main thread (queries, scrolling) into this folder. */
  readonly profileDir?: string;
}

export async function runUiListBench(options: UiListOptions = {}): Promise<UiListFigures> {
  const count = options.count ?? 100_000;
  const rendererDir = options.rendererDir ?? path.join(root, 'dist', 'renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) throw new Error(`no built UI in ${rendererDir}: npm run build:renderer`);
  const cached = await cachedBulkStore(count, options.progress, { reuseOlder: options.reuseOlder ?? false });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'postfach-ui-bench-'));
  cpSync(cached.dir, dataDir, { recursive: true });
  const service = await startWorkerService({ dataDir, appVersion: 'bench', host: 'browser' });
  const bridge = await startBridge({ service, rendererDir });
  const browser = await chromium.launch({
    executablePath: options.chromiumPath ?? process.env.POSTFACH_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(bridge.launchUrl);
    await page.getByLabel('Passwort des Datenspeichers').fill(BULK_PASSWORD);
    await page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
    await page.waitForFunction(() => performance.getEntriesByName('postfach:list-first-render').length > 0, undefined, { timeout: 120_000 });
    const firstRenderMs = (await measures(page, 'postfach:list-first-render'))[0] ?? NaN;
    const domRows = await page.getByTestId('message-list').getByRole('option').count();

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const pageTask = async (): Promise<number> => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN) * 1000;
    const profiling = options.profileDir;
    const startProfile = async (): Promise<void> => {
      if (profiling === undefined) return;
      mkdirSync(profiling, { recursive: true });
      await browser.startTracing(page, { path: path.join(profiling, `trace-${Date.now()}.json`), categories: ['devtools.timeline', 'blink.user_timing'] });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    };
    const stopProfile = async (file: string): Promise<void> => {
      if (profiling === undefined) return;
      const { profile } = await cdp.send('Profiler.stop');
      await browser.stopTracing();
      writeFileSync(path.join(profiling, file), JSON.stringify(profile));
    };
    const queries: Array<UiListFigures['queries'][number]> = [];
    const step = async (name: string, act: () => Promise<void>): Promise<void> => {
      const before = (await measures(page, 'postfach:list-query')).length;
      const cpuBefore = process.cpuUsage();
      const taskBefore = await pageTask();
      await act();
      const ms = await nextQueryMeasure(page, before);
      const cpu = process.cpuUsage(cpuBefore);
      const pageMs = Math.round((await pageTask()) - taskBefore);
      queries.push({ name, ms: Math.round(ms), total: await listTotal(page), cpu: { serviceMs: Math.round((cpu.user + cpu.system) / 1000), pageMs } });
    };
    await startProfile();
    await step('filter: nur ungelesene', () => page.getByText('nur ungelesene').click());
    await step('filter: + nicht übertragen', () => page.getByText('nicht übertragen', { exact: true }).click());
    await step('filter: reset', () => page.getByRole('button', { name: 'Filter zurücksetzen' }).click());
    await step('view: Testanträge', () =>
      page
        .getByTestId('folders')
        .getByRole('option', { name: /^Testanträge/ })
        .click(),
    );
    await step('view: Posteingang', () =>
      page
        .getByTestId('folders')
        .getByRole('option', { name: /^Posteingang/ })
        .click(),
    );
    await step('search: "Łukasiewicz"', () => page.getByTestId('search').fill('Łukasiewicz'));
    await step('search: "Łukasiewicz Zofia"', () => page.getByTestId('search').fill('Łukasiewicz Zofia'));
    await step('search: cleared', () => page.getByTestId('search').fill(''));
    await step('sort: Antragsteller/in', async () => {
      await page.getByTestId('sort-select').click();
      await page.getByRole('option', { name: 'Antragsteller/in' }).click();
    });
    await stopProfile('queries.cpuprofile');

    const started = await page.evaluate(() => performance.now());
    await page.getByTestId('message-list').evaluate((list) => {
      list.scrollTop = list.scrollHeight / 2;
    });
    const middle = Math.floor(count / 2);
    await page.waitForFunction(
      (around) => {
        const rows = Array.from(document.querySelectorAll('[data-testid="message-list"] [role="option"]'));
        return rows.some((r) => Math.abs(Number(r.getAttribute('aria-posinset')) - around) < 200 && r.hasAttribute('data-id'));
      },
      middle,
      { timeout: 60_000, polling: 'raf' },
    );
    const jumpToMiddleMs = Math.round((await page.evaluate(() => performance.now())) - started);
    // scrolling: 120 animation frames, the list moved by 300 px in each (rows keep loading); the time between
    // frames shows how long the renderer's main thread was busy
    await startProfile();
    const frameTimes = await page.getByTestId('message-list').evaluate(async (list) => {
      const deltas: number[] = [];
      let last = await new Promise<number>((r) => requestAnimationFrame(r));
      for (let i = 0; i < 120; i++) {
        list.scrollTop += 300;
        const now = await new Promise<number>((r) => requestAnimationFrame(r));
        deltas.push(now - last);
        last = now;
      }
      return deltas;
    });
    await stopProfile('scroll.cpuprofile');
    const sortedFrames = [...frameTimes].sort((a, b) => a - b);
    const scrollFrames = {
      frames: frameTimes.length,
      p95Ms: Math.round(sortedFrames[Math.floor(sortedFrames.length * 0.95)] ?? NaN),
      maxMs: Math.round(sortedFrames[sortedFrames.length - 1] ?? NaN),
    };
    return {
      count,
      storeCache: cached.dir,
      fillSeconds: Math.round(cached.fillSeconds * 10) / 10,
      firstRenderMs: Math.round(firstRenderMs),
      queries,
      jumpToMiddleMs,
      scrollFrames,
      domRows,
    };
  } finally {
    await browser.close().catch(() => undefined);
    await bridge.close();
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatUiListFigures(f: UiListFigures): string {
  const lines = [
    `Message list in Chromium with ${f.count.toLocaleString('en')} messages (${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'})`,
    f.fillSeconds > 0 ? `store filled in ${f.fillSeconds} s (kept for later runs)` : 'store: cached fill reused',
    `first render of the list (mailbox shown → rows painted): ${f.firstRenderMs} ms; option elements in the DOM: ${f.domRows}`,
    `input → rows painted (wall), and CPU: this process (service, bridge, bench) / page main thread`,
    ...f.queries.map(
      (q) =>
        `${q.name.padEnd(36)} ${String(q.ms).padStart(6)} ms   ${q.total.toLocaleString('en').padStart(7)} rows   CPU ${String(q.cpu.serviceMs).padStart(4)} / ${String(q.cpu.pageMs).padStart(4)} ms`,
    ),
    `jump to the middle of the list (scroll → rows painted): ${f.jumpToMiddleMs} ms`,
    `scrolling, ${f.scrollFrames.frames} frames of 300 px: frame time p95 ${f.scrollFrames.p95Ms} ms, max ${f.scrollFrames.maxMs} ms (target: no frame > 50 ms)`,
  ];
  return lines.join('\n');
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const count = args.includes('--count') ? Number(args[args.indexOf('--count') + 1]) : 100_000;
  const profileDir = args.includes('--profile') ? path.resolve(args[args.indexOf('--profile') + 1] ?? 'profiles') : undefined;
  const rendererDir = args.includes('--renderer') ? path.resolve(args[args.indexOf('--renderer') + 1] ?? '') : undefined;
  const figures = await runUiListBench({ count, profileDir, ...(rendererDir === undefined ? {} : { rendererDir }), progress: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(args.includes('--json') ? `${JSON.stringify(figures, null, 2)}\n` : `${formatUiListFigures(figures)}\n`);
}
