/**
 * How long the Übungsmodus takes to become usable, measured as a caseworker sees it: Debian's Chromium (driven by
 * playwright-core) against the loopback bridge and the real service on a fresh data folder.
 *
 *   click "Übungsmodus starten" → the mailbox is shown ("Abrufen" can be pressed)
 *                               → the first rows are in the list (after one "Abrufen")
 *                               → every demo application is in the list ("Abrufen" again while some are still coming)
 *
 *   npx tsx bench/training-start.ts [--runs N] [--read-seconds S] [--json]   (needs dist/renderer: npm run build:renderer)
 *
 * Each run uses a new data folder, so the test PKI, the demo store and the applications are made from scratch (the
 * first start on a new PC). `--read-seconds S`: the first-start screen is read for S seconds before the click (the
 * service makes the demo's keys meanwhile); default 0, a click as soon as the button is there. The load average is
 * printed with the figures: the machine is shared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { startBridge } from '../core/api/bridge-server.js';
import { startWorkerService } from '../core/api/worker-service.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEMO_TOTAL = 5;

interface Run {
  readonly mailboxShownMs: number;
  readonly firstRowsMs: number;
  readonly allRowsMs: number;
}

async function fetchOnce(page: Page): Promise<void> {
  await page.getByTestId('fetch-button').click();
  // the fetch ends when the button is enabled again
  await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid="fetch-button"]')?.disabled);
}

/** In the page: when the list first shows a row, and when it shows `total` rows (performance.now of the page). */
async function watchRows(page: Page, total: number): Promise<void> {
  // a script text: functions handed over from here would carry the TypeScript loader's helpers along
  await page.evaluate(`(() => {
    const marks = { first: 0, all: 0 };
    window.__rows = marks;
    new MutationObserver(() => {
      const n = document.querySelectorAll('[data-testid="message-list"] [data-id]').length;
      if (n > 0 && marks.first === 0) marks.first = performance.now();
      if (n >= ${total} && marks.all === 0) marks.all = performance.now();
    }).observe(document.body, { subtree: true, childList: true });
  })()`);
}

async function oneRun(executablePath: string, readSeconds: number): Promise<Run> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-training-'));
  const service = await startWorkerService({ dataDir, appVersion: '0.0.0-bench', host: 'browser' });
  const bridge = await startBridge({ service, rendererDir: path.join(root, 'dist', 'renderer') });
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' });
    page.setDefaultTimeout(180_000);
    await page.goto(bridge.launchUrl, { waitUntil: 'load' });
    const start = page.getByRole('button', { name: 'Übungsmodus starten' });
    await start.waitFor();
    await new Promise((r) => setTimeout(r, readSeconds * 1000));
    await watchRows(page, DEMO_TOTAL);
    const t0 = await page.evaluate(() => performance.now());
    await start.click();
    await page.getByTestId('fetch-button').waitFor();
    const mailboxShownMs = (await page.evaluate(() => performance.now())) - t0;
    // "Abrufen" at once, and again after each fetch until every application is in the list
    const marks = () => page.evaluate(() => (window as unknown as { __rows: { first: number; all: number } }).__rows);
    while ((await marks()).all === 0) {
      await fetchOnce(page);
      await new Promise((r) => setTimeout(r, 500));
    }
    const { first, all } = await marks();
    return { mailboxShownMs, firstRowsMs: first - t0, allRowsMs: all - t0 };
  } finally {
    await browser.close();
    await bridge.close();
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 3;
const readArg = args.indexOf('--read-seconds');
const readSeconds = readArg >= 0 ? Number(args[readArg + 1]) : 0;
const executablePath = process.env.POSTFACH_CHROMIUM ?? '/usr/bin/chromium';
const results: Run[] = [];
for (let i = 0; i < runs; i++) results.push(await oneRun(executablePath, readSeconds));
const median = (key: keyof Run): number => {
  const sorted = results.map((r) => r[key]).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const load = os.loadavg()[0]?.toFixed(1) ?? '?';
if (args.includes('--json')) {
  process.stdout.write(
    `${JSON.stringify({ readSeconds, runs: results, median: { mailboxShownMs: median('mailboxShownMs'), firstRowsMs: median('firstRowsMs'), allRowsMs: median('allRowsMs') }, load })}\n`,
  );
} else {
  for (const r of results)
    process.stdout.write(`run: mailbox ${seconds(r.mailboxShownMs)} s, first rows ${seconds(r.firstRowsMs)} s, all ${DEMO_TOTAL} ${seconds(r.allRowsMs)} s\n`);
  process.stdout.write(
    `Übungsmodus (median of ${runs}, first-start screen read ${readSeconds} s, load ${load}): mailbox shown ${seconds(median('mailboxShownMs'))} s, first rows ${seconds(median('firstRowsMs'))} s, all ${DEMO_TOTAL} rows ${seconds(median('allRowsMs'))} s after the click\n`,
  );
}
