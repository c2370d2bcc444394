/**
 * A service that comes back (core/api/supervised-service.ts) with the real worker thread, its real memory limit and
 * real stores: crashes are forced by a test-only entry (tests/helpers/crashing-service-entry.ts) that injects hooks
 * into the product's handlers.
 *
 *  - a PDF export that runs out of memory: the call fails with words that name the message, the service comes back,
 *    the store lost nothing, that export of that message is refused from then on (the XML and other messages are
 *    not), `service.restarted` says what happened;
 *  - too many crashes in a short time: the supervisor gives up, every call answers `service-stopped`;
 *  - a fetch cut off by a crash (the second delivery received, not stored): after the restart a fetch stores the
 *    rest, every delivery is in the store exactly once and the intermediary's mailbox is empty;
 *  - a close during a restart's pause returns at once (a quit does not wait for the pause and the new start), and
 *    no new service is started after it; a new service that comes up after the close is closed, and its close
 *    failing (no exit after the kill) leaves no unhandled rejection;
 *  - a close that does not end the service (no exit after its kill): recorded in the incident file as "not-stopped"
 *    with the detail for IT, German words for the caseworker, still no unhandled rejection.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../core/api/client.js';
import type { ServiceRestarted } from '../../core/api/contract/app.js';
import { INCIDENT_WORDS, INCIDENTS_FILE, IN_PROGRESS_FILE, readIncidents, recordIncident } from '../../core/api/service-incidents.js';
import { ServiceHost } from '../../core/api/service-host.js';
import { takeServiceWorker } from '../../core/api/service-worker-thread.js';
import { SupervisedService } from '../../core/api/supervised-service.js';
import { startSupervisedWorkerService, workerChannel } from '../../core/api/worker-service.js';
import { PostfachError } from '../../core/errors.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { pkiPassword, send, sharedPki, startTestIntermediary, tempDir } from '../mailbox/helpers.js';
import { createFixtureStore, FIXTURE_PASSWORD } from '../ui/helpers/fixture-store.js';

const crashingEntry = new URL('../helpers/crashing-service-entry.mjs', import.meta.url);
/** Enough for the service's own work here, small enough that the hog reaches it in a moment. */
const HEAP_MB = 256;

async function errorOf(promise: Promise<unknown>): Promise<PostfachError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PostfachError) return error;
    throw error;
  }
  throw new Error('expected a PostfachError');
}

function restartedEvents(service: SupervisedService): { events: ServiceRestarted[]; next: () => Promise<ServiceRestarted> } {
  const events: ServiceRestarted[] = [];
  let waiting: ((e: ServiceRestarted) => void) | undefined;
  service.on('service.restarted', (payload) => {
    events.push(payload as ServiceRestarted);
    waiting?.(payload as ServiceRestarted);
    waiting = undefined;
  });
  return { events, next: () => new Promise((resolve) => (waiting = resolve)) };
}

describe('a service killed by its memory limit', () => {
  const dataDir = tempDir('postfach-supervised-');
  const dbPath = path.join(dataDir, 'postfach.db');
  let service: SupervisedService;

  beforeAll(async () => {
    await createFixtureStore(dbPath, 3);
    service = await startSupervisedWorkerService({ dataDir, appVersion: '0.1.0-test', host: 'browser' }, {}, { entry: crashingEntry, maxHeapMb: HEAP_MB }, { backoffMs: [100] });
  }, 120_000);
  afterAll(async () => {
    await service?.close();
  });

  it('comes back, says which message brought it down, keeps the store, and refuses that export of that message', async () => {
    const api = createApiClient(service.asBridge());
    const restarted = restartedEvents(service);
    await api.call('store.open', { path: dbPath, unlock: { password: FIXTURE_PASSWORD } });
    const before = await api.call('messages.list', { sort: 'eingang', descending: false });
    const first = before.items.find((i) => i.id === 1)!;
    const target = path.join(dataDir, 'transfer', 'downloads', 'x', 'antrag.pdf');

    const announced = restarted.next();
    const crash = await errorOf(api.call('messages.export', { id: 1, format: 'pdf', target }));
    expect(crash.kind).toBe('service-restarted');
    expect(crash.text.de).toBe(
      `Der Hintergrunddienst wurde beim Export als PDF für die E-Akte der Nachricht Nr. 1 (${first.messageId}) beendet, weil sein Arbeitsspeicher nicht reichte. Er wurde neu gestartet; gespeicherte Nachrichten und der Abrufstand sind erhalten. Bitte die Aktion erneut versuchen.`,
    );
    expect(crash.detail).toMatch(/ERR_WORKER_OUT_OF_MEMORY/);
    expect(await announced).toMatchObject({
      reason: 'memory',
      restarted: true,
      quarantined: true,
      operations: [{ operation: 'export-pdf', storeId: 1, messageId: first.messageId }],
    });

    // the new service answers; it holds no key, so the store is opened again (the UI asks for it)
    expect((await api.call('app.info', {})).product).toBe('OSCI-Postfach');
    expect((await api.call('store.status', { path: dbPath })).state).toBe('locked');
    await api.call('store.open', { path: dbPath, unlock: { password: FIXTURE_PASSWORD } });
    const after = await api.call('messages.list', { sort: 'eingang', descending: false });
    expect(after.items.map((i) => i.messageId)).toEqual(before.items.map((i) => i.messageId));

    // the incident is on record, nothing is in progress any more
    const incidents = JSON.parse(readFileSync(path.join(dataDir, INCIDENTS_FILE), 'utf8')) as { quarantine: unknown[]; incidents: unknown[] };
    expect(incidents.incidents).toHaveLength(1);
    expect(incidents.quarantine).toEqual([{ messageId: first.messageId, operation: 'export-pdf', since: expect.any(String), reason: 'memory' }]);
    expect(existsSync(path.join(dataDir, IN_PROGRESS_FILE))).toBe(false);

    // the same export of the same message is refused, in words, without bringing the service down again
    const refused = await errorOf(api.call('messages.export', { id: 1, format: 'pdf', target }));
    expect(refused.kind).toBe('work-quarantined');
    expect(refused.text.de).toContain('Diese Nachricht hat den Hintergrunddienst beim Export als PDF für die E-Akte zum Absturz gebracht.');
    expect(refused.text.de).toContain('Der Export als XML (so wie empfangen) bleibt möglich.');
    // the way out, and the other messages, still work
    expect((await api.call('messages.export', { id: 1, format: 'xml', target: path.join(dataDir, 'transfer', 'downloads', 'x', 'antrag.xml') })).files).toHaveLength(1);
    expect((await api.call('messages.export', { id: 2, format: 'pdf', target: path.join(dataDir, 'transfer', 'downloads', 'x', 'zwei.pdf') })).files).toHaveLength(1);
    expect((await api.call('messages.detail', { ref: { id: 1 } })).view).not.toBeNull();
    expect(restarted.events).toHaveLength(1);
    expect(service.running).toBe(true);

    // a message whose content brought the service down while being read for display is shown without it
    const third = before.items.find((i) => i.id === 3)!;
    recordIncident(dataDir, 'memory', [{ operation: 'message-detail', storeId: 3, messageId: third.messageId, startedAt: new Date().toISOString() }]);
    const safe = await api.call('messages.detail', { ref: { id: 3 } });
    expect(safe.view).toBeNull();
    expect(safe.viewError).toMatchObject({ kind: 'work-quarantined' });
    expect(safe.laufzettel.messageId).toBe(third.messageId);
  }, 180_000);
});

describe('a service that keeps dying', () => {
  const dataDir = tempDir('postfach-supervised-');
  const dbPath = path.join(dataDir, 'postfach.db');

  it('is given up after the bounded number of restarts: then every call answers service-stopped', async () => {
    await createFixtureStore(dbPath, 3);
    const service = await startSupervisedWorkerService(
      { dataDir, appVersion: '0.1.0-test', host: 'browser' },
      {},
      { entry: crashingEntry, maxHeapMb: HEAP_MB },
      { backoffMs: [50], maxRestarts: 1 },
    );
    const api = createApiClient(service.asBridge());
    const restarted = restartedEvents(service);
    const ended = new Promise<string>((resolve) => service.onExit(resolve));
    const target = (n: number) => path.join(dataDir, 'transfer', 'downloads', 'x', `eingang-${n}.pdf`);
    await api.call('store.open', { path: dbPath, unlock: { password: FIXTURE_PASSWORD } });
    const once = restarted.next();
    expect((await errorOf(api.call('messages.export', { id: 2, format: 'receipt', target: target(2) }))).kind).toBe('service-restarted');
    expect((await once).restarted).toBe(true);
    await api.call('store.open', { path: dbPath, unlock: { password: FIXTURE_PASSWORD } });
    const twice = await errorOf(api.call('messages.export', { id: 3, format: 'receipt', target: target(3) }));
    expect(twice.kind).toBe('service-restarted');
    expect(twice.text.de).toContain('Bitte starten Sie das Programm neu; gespeicherte Nachrichten sind erhalten.');
    expect(restarted.events.at(-1)).toMatchObject({ restarted: false, reason: 'memory' });
    expect(await ended).toMatch(/not restarted/);
    expect(service.running).toBe(false);
    expect((await errorOf(api.call('app.info', {}))).kind).toBe('service-stopped');
    await service.close();
  }, 180_000);
});

describe('a fetch cut off by a crash of the service', () => {
  const dataDir = tempDir('postfach-supervised-fetch-');
  let intermediary: RunningIntermediary;
  let pkiDir = '';

  beforeAll(async () => {
    pkiDir = await sharedPki();
    intermediary = await startTestIntermediary(pkiDir, path.join(dataDir, 'intermediary'));
  }, 120_000);
  afterAll(async () => {
    await intermediary?.close();
  });

  it('loses and duplicates nothing: after the restart the next fetch stores the rest, each delivery once', async () => {
    const sent = await send(intermediary.url, pkiDir, { count: 4, seed: 'absturz' });
    const service = await startSupervisedWorkerService(
      { dataDir, appVersion: '0.1.0-test', host: 'browser' },
      {},
      { entry: crashingEntry, maxHeapMb: HEAP_MB },
      { backoffMs: [50] },
    );
    try {
      const api = createApiClient(service.asBridge());
      const restarted = restartedEvents(service);
      const f = testPkiFiles(pkiDir);
      const password = 'Kohlmeise-Winter-2026';
      await api.call('store.create', { password });
      await api.call('identity.setup', {
        keyFile: f.municipality.p12,
        password: pkiPassword(pkiDir),
        intermediaryUrl: intermediary.url,
        intermediaryCertificateFile: f.intermediary.cer,
        trustedCaFiles: [f.ca],
      });
      const announced = restarted.next();
      const cut = await errorOf(api.call('mailbox.fetch', {}));
      expect(cut.kind).toBe('service-restarted');
      expect(cut.text.de).toContain('Der Hintergrunddienst wurde unerwartet beendet.');
      expect(await announced).toMatchObject({ reason: 'crashed', restarted: true, quarantined: false, operations: [{ operation: 'fetch' }] });

      // the first delivery was committed before the crash; the second was received, never stored
      await api.call('store.open', { unlock: { password } });
      expect((await api.call('messages.list', {})).total).toBe(1);
      // the test entry ends every fetch at the second delivery it receives: the rest is fetched one at a time
      const results = [];
      for (let i = 0; i < 6; i++) {
        const result = await api.call('mailbox.fetch', { maxDeliveries: 1 });
        results.push(result);
        if (result.newMessages === 0 && result.duplicates === 0) break;
      }
      expect(results.every((r) => r.outcome === 'complete')).toBe(true);
      // the mailbox at the intermediary is empty: the last fetch found nothing
      expect(results.at(-1)).toMatchObject({ newMessages: 0, duplicates: 0 });
      const list = await api.call('messages.list', { limit: 100 });
      expect(list.items.map((i) => i.messageId).sort()).toEqual(sent.map((s) => s.messageId).sort());
      expect(new Set(list.items.map((i) => i.messageId)).size).toBe(list.total);
      // byte for byte what was sent
      for (const s of sent) {
        const id = list.items.find((i) => i.messageId === s.messageId)!.id;
        const detail = await api.call('messages.detail', { ref: { id } });
        expect(detail.content).toMatchObject({ size: s.content.length, sha256: s.content.sha256 });
      }
    } finally {
      await service.close();
    }
  }, 240_000);
});

describe('a close during a restart', () => {
  /** Services whose worker the test can end from outside; counts the starts. */
  function startable(dataDir: string): { start: () => Promise<ServiceHost>; workers: Worker[] } {
    const workers: Worker[] = [];
    return {
      workers,
      start: () => {
        const worker = takeServiceWorker({});
        workers.push(worker);
        return ServiceHost.start(workerChannel(worker), { dataDir, appVersion: '0.1.0-test', host: 'browser' });
      },
    };
  }

  it.each([
    ['returns promptly instead of waiting for the pause and the new start', [5_000]],
    ['starts no new service after the pause', [300]],
  ])(
    '%s',
    async (_what, backoffMs) => {
      const dataDir = tempDir('postfach-supervised-close-');
      const services = startable(dataDir);
      const service = await SupervisedService.start({ dataDir, start: services.start, backoffMs });
      const ended = new Promise<string>((resolve) => service.onExit(resolve));
      const first = services.workers[0]!;
      await first.terminate(); // ended from outside: the supervisor's restart begins with its pause
      const pending = service.invoke('app.info', {});
      const started = performance.now();
      await service.close();
      expect(performance.now() - started).toBeLessThan(2_500);
      expect(await ended).toBe('closed');
      expect(service.running).toBe(false);
      const answer = await pending;
      expect(answer.ok ? 'answered' : answer.error.kind).toBe('service-stopped');
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(services.workers).toHaveLength(1);
    },
    60_000,
  );

  it('a new service that comes up after the close and does not end leaves no unhandled rejection', async () => {
    const dataDir = tempDir('postfach-supervised-close-late-');
    const services = startable(dataDir);
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let starts = 0;
    let second: ServiceHost | undefined;
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const service = await SupervisedService.start({
        dataDir,
        backoffMs: [20],
        start: async () => {
          starts += 1;
          const host = await services.start();
          if (starts === 1) return host;
          await gate; // the close comes while this start is under way
          second = host;
          // as ServiceHost.close answers when the child does not exit after its kill
          Object.defineProperty(host, 'close', { value: () => Promise.reject(new Error('no exit after the kill')) });
          return host;
        },
      });
      await services.workers[0]!.terminate();
      while (starts < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      await service.close();
      release();
      while (second === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(rejections).toEqual([]);
      // not swallowed either: the incident file names it (after the first service's crash)
      expect(readIncidents(dataDir).incidents.map((i) => [i.reason, i.detail])).toEqual([
        ['crashed', undefined],
        ['not-stopped', 'Error: no exit after the kill'],
      ]);
    } finally {
      process.off('unhandledRejection', onRejection);
      for (const worker of services.workers) await worker.terminate();
    }
  }, 60_000);
});

describe('a close that does not end the service', () => {
  it('is recorded as an incident "not-stopped" (detail for IT, no quarantine), words for the caseworker, no rejection', async () => {
    const dataDir = tempDir('postfach-supervised-not-stopped-');
    const worker = takeServiceWorker({});
    const channel = workerChannel(worker);
    // the real service in its thread, reached through a channel whose shutdown and kill do not take (a process the
    // system cannot end, a channel whose exit never comes): ServiceHost.close rejects after its kill wait
    const stuck = { ...channel, post: (message: Parameters<typeof channel.post>[0]) => (message.type === 'shutdown' ? undefined : channel.post(message)), kill: () => undefined };
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const service = await SupervisedService.start({ dataDir, start: () => ServiceHost.start(stuck, { dataDir, appVersion: '0.1.0-test', host: 'browser' }) });
      const answer = await service.invoke('app.info', {});
      expect(answer.ok).toBe(true);
      // what the service was doing when it would not stop: named as the suspects, not quarantined (a close that
      // does not take proves nothing against a message)
      const running = { operation: 'message-detail' as const, storeId: 2, messageId: 'msg-running', startedAt: new Date().toISOString() };
      writeFileSync(path.join(dataDir, IN_PROGRESS_FILE), JSON.stringify({ version: 1, operations: [running] }));
      const ended = new Promise<string>((resolve) => service.onExit(resolve));
      await service.close(100);
      expect(await ended).toBe('closed');
      expect(service.running).toBe(false);
      const file = readIncidents(dataDir);
      expect(file.incidents).toHaveLength(1);
      expect(file.incidents[0]).toMatchObject({ reason: 'not-stopped', operations: [running] });
      expect(file.incidents[0]!.detail).toMatch(/did not stop within 100 ms and showed no exit within 750 ms after its kill/);
      expect(file.quarantine).toEqual([]);
      expect(existsSync(path.join(dataDir, IN_PROGRESS_FILE))).toBe(false);
      const failure = service.closeFailure;
      expect(failure?.kind).toBe('service-stopped');
      expect(failure?.text.de).toMatch(/^Der Hintergrunddienst ließ sich beim Beenden nicht beenden/);
      expect(failure?.detail).toMatch(/did not stop within 100 ms/);
      expect(INCIDENT_WORDS['not-stopped'].de).toMatch(/nicht beenden/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      await worker.terminate();
    }
  }, 60_000);
});
