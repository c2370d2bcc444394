/**
 * The preload and main bundles as esbuild builds them for Electron, checked without Electron: the preload is run in
 * a fresh V8 context with a stand-in `electron` module (contextBridge and ipcRenderer that record what they get),
 * so the test sees exactly what the sandboxed page would get as `window.postfach`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/shared.js';

const requiresOf = (code: string): string[] => [...new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1] ?? ''))].sort();

describe('Electron bundles', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'postfach-bundles-'));
    execFileSync(process.execPath, [path.join(projectRoot, 'build', 'build-electron.mjs'), '--outdir', dir], { cwd: projectRoot });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the preload needs nothing but electron (sandboxed preloads can require nothing else)', () => {
    expect(requiresOf(readFileSync(path.join(dir, 'preload.cjs'), 'utf8'))).toEqual(['electron']);
  });

  it('the main process needs only electron and Node built-ins; the service loads npm packages from node_modules', () => {
    const main = requiresOf(readFileSync(path.join(dir, 'main.cjs'), 'utf8'));
    expect(main.filter((m) => m !== 'electron' && !m.startsWith('node:'))).toEqual([]);
    const service = requiresOf(readFileSync(path.join(dir, 'service.cjs'), 'utf8'));
    expect(service).toContain('better-sqlite3-multiple-ciphers');
    // the utility process takes Electron's net for the fetch engine (electron/service-entry.ts), nothing else of Electron
    const bundle = readFileSync(path.join(dir, 'service.cjs'), 'utf8');
    expect([...bundle.matchAll(/require\("electron"\)/g)]).toHaveLength(1);
    expect(bundle).toMatch(/import_electron\.net/);
  });

  describe('what the page gets', () => {
    const exposed = new Map<string, unknown>();
    const invocations: unknown[][] = [];
    const rendererListeners = new Map<string, (...args: unknown[]) => void>();
    let postfach: { call(method: unknown, input: unknown): Promise<unknown>; on(event: unknown, listener: (payload: unknown) => void): () => void };

    beforeAll(() => {
      const electron = {
        contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
        ipcRenderer: {
          invoke: async (...args: unknown[]) => {
            invocations.push(args);
            return { ok: true, value: { language: 'de', fetchIntervalMinutes: 15, familyNameFirst: true } };
          },
          on: (channel: string, listener: (...args: unknown[]) => void) => void rendererListeners.set(channel, listener),
        },
      };
      const module = { exports: {} };
      const sandbox = {
        module,
        exports: module.exports,
        require: (name: string) => {
          if (name === 'electron') return electron;
          throw new Error(`preload required ${name}`);
        },
        console,
        TextEncoder,
        TextDecoder,
        URL,
      };
      vm.runInNewContext(readFileSync(path.join(dir, 'preload.cjs'), 'utf8'), sandbox, { filename: 'preload.cjs' });
      postfach = exposed.get('postfach') as typeof postfach;
    });

    it('exposes only `postfach` with `call` and `on`, and listens on one channel', () => {
      expect([...exposed.keys()]).toEqual(['postfach']);
      expect(Object.keys(postfach).sort()).toEqual(['call', 'on']);
      expect([...rendererListeners.keys()]).toEqual(['postfach:event']);
    });

    it('forwards contract calls on the one invoke channel, refuses anything else before it leaves', async () => {
      expect(await postfach.call('settings.get', {})).toEqual({ ok: true, value: { language: 'de', fetchIntervalMinutes: 15, familyNameFirst: true } });
      expect(invocations).toEqual([['postfach:call', 'settings.get', {}]]);
      expect(await postfach.call('fs.readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { kind: 'api-unknown-method' } });
      expect(await postfach.call('settings.set', { language: 'xx' })).toMatchObject({ ok: false, error: { kind: 'api-invalid-input' } });
      expect(await postfach.call('__proto__', {})).toMatchObject({ ok: false, error: { kind: 'api-unknown-method' } });
      expect(invocations).toHaveLength(1);
    });

    it('delivers only contract events with valid payloads', () => {
      const seen: unknown[] = [];
      const off = postfach.on('settings.changed', (p) => seen.push(p));
      const deliver = rendererListeners.get('postfach:event') as (...args: unknown[]) => void;
      deliver({}, 'settings.changed', { language: 'en', fetchIntervalMinutes: 15, familyNameFirst: true });
      deliver({}, 'settings.changed', { language: 'xx', fetchIntervalMinutes: 15, familyNameFirst: true });
      deliver({}, 'no.such.event', { language: 'en' });
      off();
      deliver({}, 'settings.changed', { language: 'de' });
      expect(seen).toEqual([{ language: 'en', fetchIntervalMinutes: 15, familyNameFirst: true }]);
    });
  });
});
