/**
 * One UI test session: the service in a worker thread on a temporary data folder, the loopback bridge serving the
 * built renderer, and a fresh Chromium page opened on the bridge's launch URL. The page may talk to the bridge
 * only: any other request is aborted and recorded (no outside network, as in the shipped app). Console errors,
 * uncaught page errors and CSP violations are recorded too; `assertClean()` fails a test that caused any.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startBridge, type RunningBridge } from '../../../core/api/bridge-server.js';
import type { SupervisedService } from '../../../core/api/supervised-service.js';
import { startSupervisedWorkerService, type WorkerOptions } from '../../../core/api/worker-service.js';
import { launchChromium } from './chromium.js';
import { ensureRendererBuilt } from './renderer-build.js';

export interface UiSession {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly browser: Browser;
  readonly bridge: RunningBridge;
  /** The service in a worker thread, started again when it dies (as in browser mode). */
  readonly service: SupervisedService;
  readonly dataDir: string;
  /** Problems seen so far: console errors, page errors, CSP violations, blocked outside requests. */
  readonly problems: string[];
  /** Opens the UI (again) in the session's page. */
  open(): Promise<void>;
  assertClean(): void;
  close(): Promise<void>;
}

export interface UiSessionOptions {
  readonly viewport?: { width: number; height: number };
  readonly deviceScaleFactor?: number;
  /** Prepares the data folder before the service starts (a store, settings). */
  readonly prepare?: (dataDir: string) => Promise<void>;
  /** Grants the page clipboard read/write (the tests read what "Kopieren" wrote). */
  readonly clipboard?: boolean;
  /** The browser's locale (default de-DE); the UI must write days as the office does whatever it is. */
  readonly locale?: string;
  /** The browser's own time zone (default: the machine's); the UI must show the office's zone whatever it is. */
  readonly timezoneId?: string;
  /** The service's worker (test-only entry with hooks, a heap limit). */
  readonly worker?: WorkerOptions;
  /** Pauses before restarts of the service (default: the product's). */
  readonly restartBackoffMs?: readonly number[];
}

export async function startUiSession(options: UiSessionOptions = {}): Promise<UiSession> {
  const rendererDir = await ensureRendererBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'postfach-ui-'));
  await options.prepare?.(dataDir);
  const service = await startSupervisedWorkerService(
    { dataDir, appVersion: '0.1.0-test', host: 'browser' },
    {},
    options.worker ?? {},
    options.restartBackoffMs ? { backoffMs: options.restartBackoffMs } : {},
  );
  const bridge = await startBridge({ service, rendererDir });
  const browser = await launchChromium();
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    locale: options.locale ?? 'de-DE',
    colorScheme: 'light',
    reducedMotion: 'reduce',
    acceptDownloads: true,
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  if (options.clipboard === true) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: bridge.origin });
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${bridge.origin}/`)) return route.continue();
    problems.push(`outside request blocked: ${url}`);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  // generous: CI machines run the UI tests beside the other parts' tests on two cores
  page.setDefaultTimeout(60_000);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} sample=${e.sample}`),
    );
  });

  return {
    page,
    context,
    browser,
    bridge,
    service,
    dataDir,
    problems,
    open: async () => {
      await page.goto(bridge.launchUrl, { waitUntil: 'load' });
    },
    assertClean: () => {
      if (problems.length > 0) throw new Error(`the UI caused problems:\n  ${problems.join('\n  ')}`);
    },
    close: async () => {
      await browser.close().catch(() => undefined);
      await bridge.close();
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
