/**
 * The service's start in two stages (core/api/service-start.ts, issue 14): a window's first calls answer before the
 * MailboxService's modules (fetch engine, trust lists, hand-over, message views) are loaded; every other call waits
 * for them; where they cannot be loaded, those calls fail with a clear error and the technical log names it.
 *
 * The module check runs the built service (dist/) in a fresh Node process with the loader hook that records every
 * module resolved (tests/fixtures/perf/record-imports.mjs), over the real runtime and a MessageChannel.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceHost, type ServiceChannel } from '../../core/api/service-host.js';
import { runService } from '../../core/api/service-runtime.js';
import { createStagedHandlers } from '../../core/api/service-start.js';
import { PostfachStore } from '../../core/store/index.js';
import { ensureCliBuilt } from '../helpers/build.js';
import { projectRoot } from '../helpers/shared.js';

const recorder = pathToFileURL(path.join(projectRoot, 'tests', 'fixtures', 'perf', 'record-imports.mjs')).href;
const dist = path.join(projectRoot, 'dist');
const FIRST_ANSWERS = '--- first answers ---';

/** What the MailboxService brings: none of it may load before the first answers. */
const SECOND_STAGE = [
  '/core/api/service.js',
  '/core/app/mailbox-service.js',
  '/core/api/handlers/mailbox.js',
  '/core/mailbox/fetch-engine.js',
  '/core/mailbox/trusted-cas.js',
  '/core/app/handover-runner.js',
  '/core/mailbox/message-detail.js',
  '/core/app/message-view.js',
];

const password = 'Ein-langes-Passwort-2026';
let dir: string;
beforeAll(async () => {
  ensureCliBuilt([]);
  dir = mkdtempSync(path.join(tmpdir(), 'postfach-service-stages-'));
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the service answers its first calls from the first stage', () => {
  it('app.info, settings, workspace and store.status answer before the MailboxService loads; store.open loads it', async () => {
    // the app's start: a locked store in the data folder (without one, the first start makes the demo's keys ahead)
    const dataDir = mkdtempSync(path.join(dir, 'start-'));
    const database = path.join(dataDir, 'postfach.db');
    (await PostfachStore.create(database, { password })).store.close();
    const url = (file: string) => JSON.stringify(pathToFileURL(path.join(dist, 'core', 'api', file)).href);
    const script = `
      import { appendFileSync } from 'node:fs';
      import { MessageChannel } from 'node:worker_threads';
      const { createStagedHandlers } = await import(${url('service-start.js')});
      const { runService } = await import(${url('service-runtime.js')});
      const { port1, port2 } = new MessageChannel();
      // the second stage only when a call needs it (the product's timer would make this depend on the machine's speed)
      runService({ post: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) },
        (o, h) => ({ ...createStagedHandlers(o, h), restAfterMs: 600000 }), () => undefined);
      let next = 0;
      const waiting = new Map();
      const call = (method, input) => new Promise((resolve) => { const id = next++; waiting.set(id, resolve); port1.postMessage({ type: 'call', id, method, input }); });
      port1.on('message', async (m) => {
        if (m.type === 'result') return waiting.get(m.id)(m.result);
        if (m.type !== 'ready') return;
        const first = await Promise.all([call('app.info', {}), call('settings.get', {}), call('workspace.resume', {}), call('store.status', {})]);
        appendFileSync(process.env.RECORD_IMPORTS_FILE, ${JSON.stringify(FIRST_ANSWERS)} + '\\n');
        const opened = await call('store.open', { path: ${JSON.stringify(database)}, unlock: { password: ${JSON.stringify(password)} } });
        const later = await call('messages.counts', {});
        console.log(JSON.stringify({ first, opened, later }));
        process.exit(0);
      });
      port1.postMessage({ type: 'init', options: { dataDir: ${JSON.stringify(dataDir)}, appVersion: '1.2.3', host: 'browser' } });
    `;
    const file = path.join(dir, 'imports.txt');
    const r = spawnSync(process.execPath, ['--import', recorder, '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, RECORD_IMPORTS_FILE: file },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const answers = JSON.parse(r.stdout) as { first: { ok: boolean; value: unknown }[]; opened: { ok: boolean; value: unknown }; later: { ok: boolean; value: unknown } };
    expect(answers.first.map((a) => a.ok)).toEqual([true, true, true, true]);
    expect(answers.first[3]).toMatchObject({ value: { state: 'locked' } });
    // the second stage loaded for store.open, which opened the store, and answers the mailbox's calls
    expect(answers.opened).toMatchObject({ ok: true, value: { state: 'open' } });
    expect(answers.later).toMatchObject({ ok: true });

    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const at = lines.indexOf(FIRST_ANSWERS);
    expect(at).toBeGreaterThan(0);
    const before = lines.slice(0, at);
    const after = lines.slice(at + 1);
    const has = (modules: string[], suffix: string) => modules.some((u) => u.endsWith(suffix));
    // the recorder works: the first stage's own modules are there
    for (const own of ['/core/api/service-start.js', '/core/app/service-core.js', '/core/mailbox/store-session.js']) expect(has(before, own), own).toBe(true);
    // the settings' certificate reader (core/config/load-config.ts) loads node-forge only where a layer names a file
    expect(
      before.some((u) => u.includes('/node_modules/node-forge/')),
      'node-forge before the first answers',
    ).toBe(false);
    expect(
      after.some((u) => u.includes('/node_modules/node-forge/')),
      'node-forge for the mailbox',
    ).toBe(true);
    for (const heavy of SECOND_STAGE) {
      expect(has(before, heavy), `${heavy} before the first answers`).toBe(false);
      expect(has(after, heavy), `${heavy} for store.open`).toBe(true);
    }
  });
});

describe('a second stage that cannot load', () => {
  it('the first calls still answer; every other call, store.open included, fails clearly and the log names it', async () => {
    const dataDir = mkdtempSync(path.join(dir, 'broken-'));
    // a real store: its unlocking (the first stage's half of store.open) succeeds, the rest cannot load
    const database = path.join(dataDir, 'postfach.db');
    (await PostfachStore.create(database, { password })).store.close();
    const options = { dataDir, appVersion: '1.2.3', host: 'browser' as const };
    const { port1, port2 } = new MessageChannel();
    runService(
      { post: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) },
      (o, h) => createStagedHandlers(o, h, () => Promise.reject(new Error("Cannot find module '/opt/postfach/core/api/service.js'"))),
      () => undefined,
    );
    const channel: ServiceChannel = { post: (m) => port1.postMessage(m), onMessage: (l) => port1.on('message', l), onExit: () => undefined, kill: () => port1.close() };
    const host = await ServiceHost.start(channel, options, 10_000);
    try {
      expect(await host.invoke('app.info', {})).toMatchObject({ ok: true, value: { product: 'OSCI-Postfach', version: '1.2.3' } });
      expect(await host.invoke('workspace.resume', {})).toMatchObject({ ok: true });
      const refused = {
        ok: false,
        error: {
          kind: 'service-protocol',
          message: expect.stringContaining('konnte nicht geladen werden') as unknown,
          detail: expect.stringContaining("Cannot find module '/opt/postfach/core/api/service.js'") as unknown,
        },
      };
      expect(await host.invoke('messages.counts', {})).toMatchObject(refused);
      expect(await host.invoke('store.open', { path: database, unlock: { password } })).toMatchObject(refused);
      // the unlocking half that did succeed is undone: no store stays open behind the error
      // (before, the scrypt went on behind the refusal and the store was open about half a second later)
      for (let i = 0; i < 12; i++) {
        expect(await host.invoke('store.status', { path: database })).toMatchObject({ ok: true, value: { state: 'locked' } });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const log = readdirSync(path.join(dataDir, 'logs')).map((name) => readFileSync(path.join(dataDir, 'logs', name), 'utf8'));
      expect(log.join('')).toContain('service.stage-failed');
    } finally {
      port1.close();
      port2.close();
    }
  });

  it('a stage that loads but cannot be built fails the same way, and the log names it', async () => {
    const dataDir = mkdtempSync(path.join(dir, 'unbuilt-'));
    const options = { dataDir, appVersion: '1.2.3', host: 'browser' as const };
    const { port1, port2 } = new MessageChannel();
    const unbuildable = () =>
      Promise.resolve({
        mailboxStage: (): never => {
          throw new TypeError('this.trust is undefined');
        },
      });
    runService(
      { post: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) },
      (o, h) => createStagedHandlers(o, h, unbuildable),
      () => undefined,
    );
    const channel: ServiceChannel = { post: (m) => port1.postMessage(m), onMessage: (l) => port1.on('message', l), onExit: () => undefined, kill: () => port1.close() };
    const host = await ServiceHost.start(channel, options, 10_000);
    try {
      expect(await host.invoke('messages.counts', {})).toMatchObject({
        ok: false,
        error: {
          kind: 'service-protocol',
          message: expect.stringContaining('konnte nicht geladen werden') as unknown,
          detail: expect.stringContaining('TypeError: this.trust is undefined') as unknown,
        },
      });
      const log = readdirSync(path.join(dataDir, 'logs')).map((name) => readFileSync(path.join(dataDir, 'logs', name), 'utf8'));
      expect(log.join('')).toContain('service.stage-failed');
    } finally {
      port1.close();
      port2.close();
    }
  });
});
