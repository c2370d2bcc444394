/**
 * The desktop program's self-test for IT and the Windows pipeline (build/windows/verify.ps1,
 * .github/workflows/windows.yml): the installed or packaged program started with
 *
 *   OSCI-Postfach.exe --user-data-dir=<temporary profile> --self-test=store|full --self-test-report=<folder>
 *
 * runs its real service in its real utility process and writes `self-test.json` into the report folder, then ends
 * with exit code 0 (every step passed) or 1. What it proves that no test on a build machine can:
 *
 *  - store: the SQLite cipher module loads in the utility process (built for Electron's ABI, unpacked from the
 *    asar), and a store is created — or, on a later run with the same profile, opened — through the OS key store
 *    (DPAPI): the store survives an upgrade and its key is still unwrapped by the new program;
 *  - full: in addition the Übungsmodus (local intermediary on loopback, invented applications), one fetch, a PDF
 *    export of the first application, and a picture of the main window showing the mailbox.
 *
 * A temporary profile is required (`--user-data-dir`): the self-test never touches a caseworker's data. The report
 * holds counts, versions, times and error kinds only — no personal data (the Übungsmodus data is invented anyway).
 * Electron enters through `SelfTestDeps` (main.ts), so the steps run in the unit tests against the real service in
 * a worker thread.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PostfachApi } from '../core/api/api-types.js';
import { toPostfachError } from '../core/errors.js';

export type SelfTestMode = 'store' | 'full';

export interface SelfTestRequest {
  readonly mode: SelfTestMode;
  readonly reportDir: string;
  /** The temporary profile (`--user-data-dir`); main.ts also sets it as Electron's userData path. */
  readonly profileDir: string;
}

export type SelfTestArguments =
  { readonly kind: 'none' } | { readonly kind: 'self-test'; readonly request: SelfTestRequest } | { readonly kind: 'invalid'; readonly message: string };

export const SELF_TEST_REPORT = 'self-test.json';
export const SELF_TEST_PDF = 'uebungsantrag.pdf';
export const SELF_TEST_SCREENSHOT = 'fenster.png';

const switchValue = (argv: readonly string[], name: string): string | undefined => {
  const prefix = `--${name}=`;
  const found = argv.filter((a) => a === `--${name}` || a.startsWith(prefix));
  if (found.length === 0) return undefined;
  const last = found[found.length - 1] as string;
  return last.startsWith(prefix) ? last.slice(prefix.length) : '';
};

/** Reads the self-test switches from the process's arguments (Chromium style: `--name=value`). */
export function parseSelfTestArguments(argv: readonly string[]): SelfTestArguments {
  const mode = switchValue(argv, 'self-test');
  if (mode === undefined) return { kind: 'none' };
  if (mode !== 'store' && mode !== 'full') return { kind: 'invalid', message: `--self-test must be "store" or "full", not "${mode}"` };
  const reportDir = switchValue(argv, 'self-test-report');
  if (reportDir === undefined || reportDir === '') return { kind: 'invalid', message: '--self-test needs --self-test-report=<folder>' };
  const absolute = (p: string): boolean => path.isAbsolute(p) || path.win32.isAbsolute(p);
  if (!absolute(reportDir)) return { kind: 'invalid', message: '--self-test-report must be an absolute path' };
  const profile = switchValue(argv, 'user-data-dir');
  if (profile === undefined || profile === '') return { kind: 'invalid', message: '--self-test needs --user-data-dir=<temporary profile> (it never uses a caseworker’s profile)' };
  if (!absolute(profile)) return { kind: 'invalid', message: '--user-data-dir must be an absolute path' };
  return { kind: 'self-test', request: { mode, reportDir, profileDir: profile } };
}

export interface SelfTestStep {
  readonly name: 'service' | 'store' | 'training' | 'fetch' | 'export' | 'window';
  readonly ok: boolean;
  readonly durationMs: number;
  /** Counts and facts of the step (no personal data). */
  readonly facts: Record<string, string | number | boolean>;
  /** The error kind and technical detail of a failed step. */
  readonly error?: { readonly kind: string; readonly detail: string };
}

export interface SelfTestReport {
  readonly format: 'osci-postfach-self-test/1';
  readonly mode: SelfTestMode;
  readonly ok: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly program: Record<string, string>;
  readonly steps: readonly SelfTestStep[];
}

export interface SelfTestDeps {
  /** Starts the service (the utility process in the desktop app) and gives the typed contract over it. */
  readonly connect: () => Promise<PostfachApi>;
  /** Versions the report names beside app.info (Electron, Chromium, platform). */
  readonly program: Record<string, string>;
  /** full mode: shows the main window, waits until it shows the Übungsmodus mailbox, and returns its picture. */
  readonly captureMainWindow: () => Promise<Uint8Array>;
  readonly now?: () => Date;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

class StepFailure extends Error {
  constructor(
    readonly kind: string,
    readonly detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

function check(condition: boolean, kind: string, detail: string): asserts condition {
  if (!condition) throw new StepFailure(kind, detail);
}

/** Runs the steps of the mode, stops at the first failure, writes the report; never throws. */
export async function runSelfTest(request: SelfTestRequest, deps: SelfTestDeps): Promise<{ report: SelfTestReport; exitCode: 0 | 1 }> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const steps: SelfTestStep[] = [];
  const connected: { api?: PostfachApi } = {};
  let program: Record<string, string> = { ...deps.program };

  const step = async (name: SelfTestStep['name'], body: (facts: Record<string, string | number | boolean>) => Promise<void>): Promise<boolean> => {
    const facts: Record<string, string | number | boolean> = {};
    const started = performance.now();
    try {
      await body(facts);
      steps.push({ name, ok: true, durationMs: Math.round(performance.now() - started), facts });
      return true;
    } catch (error) {
      const failure = error instanceof StepFailure ? { kind: error.kind, detail: error.detail } : { kind: toPostfachError(error).kind, detail: toPostfachError(error).detail };
      steps.push({ name, ok: false, durationMs: Math.round(performance.now() - started), facts, error: failure });
      return false;
    }
  };

  const run = async (): Promise<void> => {
    mkdirSync(request.reportDir, { recursive: true });
    const serviceOk = await step('service', async (facts) => {
      const api = await deps.connect();
      connected.api = api;
      const info = await api.call('app.info', {});
      check(info.host === 'desktop', 'self-test-host', `service answers as host ${info.host}`);
      program = { ...program, version: info.version, node: info.versions.node, ...(info.versions.electron ? { electron: info.versions.electron } : {}) };
      facts.version = info.version;
    });
    const service = connected.api;
    if (!serviceOk || service === undefined) return;

    const storeOk = await step('store', async (facts) => {
      const status = await service.call('store.status', {});
      facts.protectorAvailable = status.protectorAvailable;
      check(status.protectorAvailable, 'keystore-unavailable', 'the OS key store (safeStorage/DPAPI) is not offered to the service');
      if (status.state === 'none') {
        const created = await service.call('store.create', { protector: true });
        facts.created = true;
        facts.recoveryKeyIssued = created.recoveryKey.length > 0;
      } else {
        // a store from an earlier run (before an upgrade): it must open with the OS key store of this user
        const opened = await service.call('store.open', { unlock: { protector: true } });
        check(opened.state === 'open', 'self-test-store', `store.open answered state ${opened.state}`);
        facts.created = false;
      }
      facts.messages = (await service.call('messages.counts', {})).inbox;
      await service.call('store.close', {});
    });
    if (!storeOk || request.mode === 'store') return;

    let before = 0;
    const trainingOk = await step('training', async (facts) => {
      const started = await service.call('workspace.startTraining', {});
      check(started.store.state === 'open', 'self-test-training', `Übungsmodus store is ${started.store.state}`);
      check(started.state.trainingRunning, 'self-test-training', 'the Übungsmodus intermediary is not running');
      before = (await service.call('messages.counts', {})).inbox;
      facts.messagesBefore = before;
    });
    if (!trainingOk) return;

    const fetchOk = await step('fetch', async (facts) => {
      const result = await service.call('mailbox.fetch', {});
      facts.outcome = result.outcome;
      facts.newMessages = result.newMessages;
      facts.unreadable = result.unreadable;
      check(result.outcome === 'complete', result.error?.kind ?? 'self-test-fetch', result.error?.detail ?? `fetch ended ${result.outcome}`);
      const after = (await service.call('messages.counts', {})).inbox;
      facts.messagesAfter = after;
      check(after === before + result.newMessages, 'self-test-fetch', `${before} + ${result.newMessages} fetched ≠ ${after} in the store`);
      check(after > 0, 'self-test-fetch', 'the Übungsmodus mailbox is empty after the fetch');
    });
    if (!fetchOk) return;

    const exportOk = await step('export', async (facts) => {
      const page = await service.call('messages.list', { test: false, unreadable: false, limit: 1 });
      const first = page.items[0];
      check(first !== undefined, 'self-test-export', 'no readable application to export');
      const target = path.join(request.reportDir, SELF_TEST_PDF);
      const result = await service.call('messages.export', { id: first.id, format: 'pdf', target });
      const head = readFileSync(target).subarray(0, 5).toString('latin1');
      check(head === '%PDF-', 'self-test-export', `${SELF_TEST_PDF} does not start with %PDF-`);
      facts.file = SELF_TEST_PDF;
      facts.bytes = result.files[0]?.size ?? 0;
      facts.pdfa = result.pdfa ?? false;
    });
    if (!exportOk) return;

    await step('window', async (facts) => {
      const png = Buffer.from(await deps.captureMainWindow());
      check(png.length > PNG_SIGNATURE.length && png.subarray(0, 8).equals(PNG_SIGNATURE), 'self-test-window', 'the window picture is not a PNG');
      writeFileSync(path.join(request.reportDir, SELF_TEST_SCREENSHOT), png);
      facts.file = SELF_TEST_SCREENSHOT;
      facts.width = png.readUInt32BE(16);
      facts.height = png.readUInt32BE(20);
    });
  };

  try {
    await run();
  } catch (error) {
    // the report folder itself could not be made: said in the report's only step, which cannot be written either
    const e = toPostfachError(error);
    steps.push({ name: 'service', ok: false, durationMs: 0, facts: {}, error: { kind: e.kind, detail: e.detail } });
  }
  const expected = request.mode === 'store' ? 2 : 6;
  const ok = steps.length === expected && steps.every((s) => s.ok);
  const report: SelfTestReport = { format: 'osci-postfach-self-test/1', mode: request.mode, ok, startedAt, finishedAt: now().toISOString(), program, steps };
  try {
    writeFileSync(path.join(request.reportDir, SELF_TEST_REPORT), `${JSON.stringify(report, null, 2)}\n`);
  } catch {
    return { report: { ...report, ok: false }, exitCode: 1 };
  }
  return { report, exitCode: ok ? 0 : 1 };
}
