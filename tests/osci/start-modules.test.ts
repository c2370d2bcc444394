/**
 * What a start loads (issue 14, cold start): `postfach inspect --json` decodes and checks without the settings'
 * zod schemas, and the mailbox service (the fetch worker) starts without the PDF stack (pdf-lib, pdfkit, fontkit),
 * which core/export loads with the first PDF, and without the PostgreSQL client (`pg`, core/store-pg), which only a
 * PostgreSQL store needs; the CLI thread of `postfach fetch`/`list`/`show` loads neither the settings nor node-forge
 * (it speaks to the service, which holds the keys), nor does its first import, which starts the service thread. Each
 * process runs the built code with a loader hook that records every module it resolves
 * (tests/fixtures/perf/record-imports.mjs); the inspect run must still verify.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostfachStore } from '../../core/store/index.js';
import { ensureCliBuilt } from '../helpers/build.js';
import { projectRoot, vectorPath, VECTOR_PIN } from '../helpers/shared.js';

const recorder = pathToFileURL(path.join(projectRoot, 'tests', 'fixtures', 'perf', 'record-imports.mjs')).href;
const dist = path.join(projectRoot, 'dist');
let dir: string;
let runs = 0;

beforeAll(() => {
  ensureCliBuilt(['inspect.js']);
  dir = mkdtempSync(path.join(tmpdir(), 'postfach-start-modules-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs node with the recorder; the exit status, stdout and the module URLs resolved. */
function recorded(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; modules: string[] } {
  const file = path.join(dir, `imports-${runs++}.txt`);
  const r = spawnSync(process.execPath, ['--import', recorder, ...args], { encoding: 'utf8', env: { ...process.env, ...env, RECORD_IMPORTS_FILE: file }, timeout: 120_000 });
  let modules: string[] = [];
  try {
    modules = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    // nothing resolved: the empty list fails the checks below
  }
  return { status: r.status, stdout: r.stdout, modules };
}

const loads = (modules: string[], pkg: string): boolean => modules.some((u) => u.includes(`/node_modules/${pkg}/`));
/** zod, as dist/ loads it: the bundle without its locales (build/incremental/zod-for-node.ts), or the package. */
const loadsZod = (modules: string[]): boolean => loads(modules, 'zod') || modules.some((u) => u.endsWith('/dist/vendor/zod.js'));

describe('what a start loads', () => {
  it('postfach inspect --json verifies exchange/06 without loading zod', () => {
    const r = recorded(
      [
        path.join(dist, 'cli', 'main.js'),
        'inspect',
        vectorPath('exchange/06-FetchDelivery.response.http-body'),
        '--p12',
        vectorPath('certs/bob_cipher_4096.p12'),
        '--password-env',
        'VECTOR_PIN',
        '--json',
      ],
      { VECTOR_PIN },
    );
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { ok: boolean }).ok).toBe(true);
    // the recorder works: the decoder's own libraries are in the list (required as CommonJS: from require's cache)
    expect(loads(r.modules, 'xml-crypto')).toBe(true);
    expect(loads(r.modules, 'node-forge')).toBe(true);
    expect(loadsZod(r.modules)).toBe(false);
  });

  it('the mailbox service loads no PDF library until a PDF is made', () => {
    const script = [
      `await import(${JSON.stringify(pathToFileURL(path.join(dist, 'core', 'api', 'service.js')).href)});`,
      `const exp = await import(${JSON.stringify(pathToFileURL(path.join(dist, 'core', 'export', 'index.js')).href)});`,
      `if (typeof exp.exportPdf !== 'function' || typeof exp.exportReceiptPdf !== 'function') process.exit(3);`,
    ].join('\n');
    const r = recorded(['--input-type=module', '-e', script]);
    expect(r.status).toBe(0);
    expect(loadsZod(r.modules)).toBe(true);
    expect(loads(r.modules, 'zod'), 'zod with its 64 locale modules').toBe(false);
    for (const pkg of ['pdf-lib', 'pdfkit', 'fontkit']) expect(loads(r.modules, pkg), pkg).toBe(false);
    // a backup handler brought pg and core/store-pg into every start (core/app/backup-work.ts)
    expect(loads(r.modules, 'pg')).toBe(false);
    expect(r.modules.some((u) => u.includes('/dist/core/store-pg/'))).toBe(false);
  });

  it("the mailbox commands' CLI thread loads neither the settings nor node-forge", () => {
    const script = [
      `const cmd = await import(${JSON.stringify(pathToFileURL(path.join(dist, 'cli', 'commands', 'mailbox.js')).href)});`,
      `if (typeof cmd.register !== 'function') process.exit(3);`,
    ].join('\n');
    const r = recorded(['--input-type=module', '-e', script]);
    expect(r.status).toBe(0);
    // the recorder works: the contract (zod) the client checks answers with is in the list
    expect(loadsZod(r.modules)).toBe(true);
    expect(loads(r.modules, 'zod'), 'zod with its 64 locale modules').toBe(false);
    expect(loads(r.modules, 'node-forge')).toBe(false);
    expect(r.modules.some((u) => u.endsWith('/dist/core/config/load-config.js'))).toBe(false);
  });

  it('opening a store of the current schema loads no migration (older ones: tests/store/migrations.test.ts opens them)', async () => {
    const dbPath = path.join(dir, 'current', 'postfach.db');
    const { store } = await PostfachStore.create(dbPath, { password: 'Start-Module-Test', scrypt: { N: 2 ** 10, r: 8, p: 1 } });
    store.close();
    const storeModule = JSON.stringify(pathToFileURL(path.join(dist, 'core', 'store', 'index.js')).href);
    const open = (file: string) =>
      recorded([
        '--input-type=module',
        '-e',
        [
          `const { PostfachStore } = await import(${storeModule});`,
          `const s = await PostfachStore.open(${JSON.stringify(file)}, { password: 'Start-Module-Test' });`,
          `s.close();`,
        ].join('\n'),
      ]);
    const migrationModules = (modules: string[]) => modules.filter((u) => /\/dist\/core\/store\/migrations\/(index|0\d\d-)/.test(u));
    const current = open(dbPath);
    expect(current.status).toBe(0);
    // the recorder works: the store's own modules are in the list
    expect(current.modules.some((u) => u.endsWith('/dist/core/store/store.js'))).toBe(true);
    expect(migrationModules(current.modules)).toEqual([]);
  });

  it("the CLI thread's first import (the service thread's early start) loads neither zod, SQLite nor node-forge", () => {
    // it is imported before commander, so that the thread loads the service beside the command; the thread itself is
    // not started here (the recorder would list its modules too)
    const script = [
      `const m = await import(${JSON.stringify(pathToFileURL(path.join(dist, 'core', 'api', 'service-worker-thread.js')).href)});`,
      `if (typeof m.startServiceWorkerEarly !== 'function') process.exit(3);`,
    ].join('\n');
    const r = recorded(['--input-type=module', '-e', script]);
    expect(r.status).toBe(0);
    // the recorder works: the module and its limits are in the list
    expect(r.modules.some((u) => u.endsWith('/dist/core/api/service-limits.js'))).toBe(true);
    expect(loadsZod(r.modules)).toBe(false);
    expect(loads(r.modules, 'better-sqlite3-multiple-ciphers')).toBe(false);
    expect(loads(r.modules, 'node-forge')).toBe(false);
    expect(r.modules.some((u) => u.endsWith('/dist/core/pki/pkcs12.js'))).toBe(false);
  });
});
