/**
 * A stop that lands while a start opens the demo's store — after the demo was handed over (its intermediary runs),
 * before its store is open — used to leave half a state: the stop closed the store (none open yet) and the demo's
 * intermediary and answered; the start then opened the demo store anyway and answered with it. The Übungsmodus was
 * left with its store open and mode `training` on a closed intermediary; `postfach demo`'s start answered "running"
 * after the stop had answered.
 *
 * Now a start and a stop end consistent: the stop waits for a store being opened; a start it overtook closes that
 * store again and ends with training-unavailable. After both answered: no store open, not in the Übungsmodus, the
 * intermediary closed — or, where the stop came after the start had answered, the same after a full start.
 *
 * The real service (in this process), the real demo (test PKI made once, the local intermediary on loopback), the
 * real store. The stop is sent the moment the service says the demo runs (`workspace.state`), or the demo store's
 * session is unlocked (`store.status`), inside the store's opening — held open a while by a long list in IT's
 * code-list folder, which the opening takes over; the test says which of the two orders it saw.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createApiClient } from '../../core/api/client.js';
import { startInProcessService } from '../../core/api/in-process-service.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { trainingDir } from '../../core/app/training.js';
import { createTestPki } from '../../core/pki/test-pki.js';
import { projectRoot } from '../helpers/shared.js';
import { tempDir } from '../mailbox/helpers.js';

const pki = path.join(tempDir('postfach-training-opening-pki-'), 'pki');

beforeAll(async () => {
  await createTestPki(pki);
}, 180_000);

let host: ServiceHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

/** A demo folder with the test PKI made already (the keys are not the subject here). */
function demoFolder(dir: string): string {
  mkdirSync(dir, { recursive: true });
  cpSync(pki, path.join(dir, 'pki'), { recursive: true });
  return dir;
}

type Settled<T> = { readonly ok: true; readonly value: T; readonly at: number } | { readonly ok: false; readonly error: unknown; readonly at: number };
const settled = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true, value, at: performance.now() }),
    (error: unknown) => ({ ok: false, error, at: performance.now() }),
  );

const ROWS = 4_000;

/** A Genericode list of `rows` codes (the shape of tests/fixtures/codelists/leistungsart_1.xml). */
function longCodeList(rows: number): string {
  const row = (i: number) =>
    `<Row><Value ColumnRef="code"><SimpleValue>${i}</SimpleValue></Value><Value ColumnRef="beschreibung"><SimpleValue>Testeintrag ${i}</SimpleValue></Value></Row>`;
  const template = readFileSync(path.join(projectRoot, 'tests', 'fixtures', 'codelists', 'leistungsart_1.xml'), 'utf8')
    .replaceAll('leistungsart', 'langeliste')
    .replace(/<SimpleCodeList>[\s\S]*<\/SimpleCodeList>/, `<SimpleCodeList>${Array.from({ length: rows }, (_, i) => row(i + 1)).join('')}</SimpleCodeList>`);
  return template;
}

/**
 * IT's code-list folder with one long list: taken over in the store's opening after its unlocking, it keeps the
 * opening under way long enough for the stop to land in it.
 */
function holdTheOpening(dir: string): void {
  const folder = path.join(dir, 'Codelisten');
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'lang_1.xml'), longCodeList(ROWS));
  const machineFile = path.join(dir, 'machine.json');
  writeFileSync(machineFile, JSON.stringify({ settings: { codeListFolder: folder } }));
  const saved = process.env.POSTFACH_MACHINE_CONFIG;
  process.env.POSTFACH_MACHINE_CONFIG = machineFile;
  onTestFinished(() => {
    if (saved === undefined) delete process.env.POSTFACH_MACHINE_CONFIG;
    else process.env.POSTFACH_MACHINE_CONFIG = saved;
  });
}

/** Whether anything still answers at the intermediary's address. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: 'POST', body: '', signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
}

describe('a stop while the start opens the demo store', () => {
  it('Übungsmodus: after both answered, no store open, mode left, intermediary closed', async () => {
    const dataDir = tempDir('postfach-training-opening-');
    demoFolder(trainingDir(dataDir));
    holdTheOpening(dataDir);
    host = await startInProcessService({ dataDir, appVersion: '0.1.0-test', host: 'browser' });
    const api = createApiClient(host.asBridge());
    const starting = settled(api.call('workspace.startTraining', {}));
    // the demo is handed over (it runs) the moment before its store is opened: the stop goes now
    let url: string | null = null;
    while (url === null) url = (await api.call('workspace.state', {})).trainingIntermediaryUrl;
    const stopping = settled(api.call('workspace.stopTraining', {}));
    const [started, stopped] = await Promise.all([starting, stopping]);
    console.log(`start ${started.ok ? 'answered with the demo' : 'refused'}`);
    expect(stopped.ok, stopped.ok ? '' : String(stopped.error)).toBe(true);
    const state = await api.call('workspace.state', {});
    expect({ mode: state.mode, running: state.trainingRunning, store: (await api.call('store.status', {})).state }).toEqual({
      mode: expect.not.stringMatching(/^training$/),
      running: false,
      store: expect.not.stringMatching(/^open$/),
    });
    expect(await answers(url)).toBe(false);
    if (started.ok) {
      // the stop came after the start: it answered after the start did
      expect(stopped.at).toBeGreaterThan(started.at);
    } else {
      expect(started.error).toMatchObject({ kind: 'training-unavailable' });
    }
    // and the next start is a whole one
    const again = await api.call('workspace.startTraining', {});
    expect(again.store.state).toBe('open');
    expect(again.state.mode).toBe('training');
    await api.call('workspace.stopTraining', {});
  }, 240_000);

  it('Übungsmodus: a start sent right after a stop (a second tab) begins after it: the demo it opens runs', async () => {
    const dataDir = tempDir('postfach-training-restart-');
    demoFolder(trainingDir(dataDir));
    host = await startInProcessService({ dataDir, appVersion: '0.1.0-test', host: 'browser' });
    const api = createApiClient(host.asBridge());
    const first = await api.call('workspace.startTraining', {});
    const firstUrl = first.state.trainingIntermediaryUrl!;
    const stopping = settled(api.call('workspace.stopTraining', {}));
    const starting = settled(api.call('workspace.startTraining', {}));
    const [stopped, started] = await Promise.all([stopping, starting]);
    expect(stopped.ok).toBe(true);
    expect(started.ok, started.ok ? '' : String(started.error)).toBe(true);
    const state = await api.call('workspace.state', {});
    expect({ mode: state.mode, running: state.trainingRunning, store: (await api.call('store.status', {})).state }).toEqual({ mode: 'training', running: true, store: 'open' });
    // the store open is the running demo's, on an intermediary that answers (not the one the stop closed)
    expect(await answers(state.trainingIntermediaryUrl!)).toBe(true);
    if (state.trainingIntermediaryUrl !== firstUrl) expect(await answers(firstUrl)).toBe(false);
    await api.call('workspace.stopTraining', {});
  }, 240_000);

  it('postfach demo (demo.start / demo.stop): a start answers before the stop, or is refused with its store closed', async () => {
    const dir = demoFolder(tempDir('postfach-demo-opening-'));
    holdTheOpening(dir);
    host = await startInProcessService({ dataDir: dir, appVersion: '0.1.0-test', host: 'cli' });
    const api = createApiClient(host.asBridge());
    const starting = settled(api.call('demo.start', {}));
    // the demo store's session is unlocked, the rest of its opening (retention, trust, code lists) under way
    while ((await api.call('store.status', {})).state !== 'open') await new Promise((resolve) => setImmediate(resolve));
    const atStop = performance.now();
    const stopping = settled(api.call('demo.stop', {}));
    const [started, stopped] = await Promise.all([starting, stopping]);
    console.log(
      `demo start ${started.ok ? 'answered with the demo' : 'refused'} ${Math.round(started.at - atStop)} ms after the stop was sent, the stop ${Math.round(stopped.at - atStop)} ms`,
    );
    expect(stopped).toMatchObject({ ok: true, value: { stopped: true } });
    if (started.ok) {
      // the stop came after the start: it answered after the start did (the store stays open for the caller, as
      // after every demo.start; `postfach demo` closes it itself)
      expect({ startedBeforeStop: started.at < stopped.at }).toEqual({ startedBeforeStop: true });
    } else {
      expect(started.error).toMatchObject({ kind: 'training-unavailable' });
      expect((await api.call('store.status', {})).state).not.toBe('open');
    }
    // and the next start is a whole one
    const again = await api.call('demo.start', {});
    expect(again.store.state).toBe('open');
    await api.call('store.close', {});
    expect(await api.call('demo.stop', {})).toEqual({ stopped: true });
  }, 240_000);
});
