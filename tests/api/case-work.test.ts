/**
 * The case work through the contract (messages.setCaseWork, the detail's caseWork, the list's aktenzeichen and
 * followUpOn, the Wiedervorlage filter and count, the day counts), answered by the real service in a worker thread
 * over a real encrypted store: validated on the way in, refused with a clear kind, kept when the store is closed
 * and opened again, audited.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostfachApi } from '../../core/api/api-types.js';
import { createApiClient } from '../../core/api/client.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { startWorkerService } from '../../core/api/worker-service.js';
import { createFixtureStore, FIXTURE_PASSWORD } from '../ui/helpers/fixture-store.js';
import { auditWords } from '../../core/store/audit-words.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'postfach-case-work-'));
const dbPath = path.join(dataDir, 'postfach.db');

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { kind: string }).kind;
  }
  return 'no error';
}

describe('case work through the contract', () => {
  let host: ServiceHost;
  let api: PostfachApi;
  beforeAll(async () => {
    await createFixtureStore(dbPath, 4);
    host = await startWorkerService({ dataDir, appVersion: '0.1.0-test', host: 'browser' });
    api = createApiClient(host.asBridge());
    await api.call('store.open', { path: dbPath, unlock: { password: FIXTURE_PASSWORD } });
  }, 120_000);
  afterAll(async () => {
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets, answers the row and the values, lists, counts, searches and audits', async () => {
    const answer = await api.call('messages.setCaseWork', { id: 2, change: { aktenzeichen: ' SGB12-77/26 ', note: 'Kontoauszüge angefordert', followUpOn: '2026-12-14' } });
    expect(answer.caseWork).toEqual({ aktenzeichen: 'SGB12-77/26', note: 'Kontoauszüge angefordert', followUpOn: '2026-12-14' });
    expect(answer.item).toMatchObject({ id: 2, aktenzeichen: 'SGB12-77/26', followUpOn: '2026-12-14' });
    expect((await api.call('messages.detail', { ref: { id: 2 } })).caseWork).toEqual(answer.caseWork);
    expect((await api.call('messages.list', { followUp: true })).items.map((i) => i.id)).toEqual([2]);
    expect((await api.call('messages.counts', {})).followUp).toBe(1);
    expect((await api.call('messages.list', { search: 'kontoausz' })).items.map((i) => i.id)).toEqual([2]);
    const actions = (await api.call('audit.list', { deliveryId: 2 })).entries.map((e) => [e.action, auditWords(e.action, e.detail).de]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['aktenzeichen-changed', 'Aktenzeichen geändert (11 Zeichen)'],
        ['note-changed', 'Notiz geändert (24 Zeichen)'],
        ['follow-up-set', 'Wiedervorlage am 14.12.2026 gesetzt'],
      ]),
    );
    expect((await api.call('audit.verify', {})).ok).toBe(true);
  });

  it('counts the rows from given moments with the list, for the day groups', async () => {
    const all = await api.call('messages.list', { limit: 100 });
    const middle = all.items[2]!.eingang;
    const page = await api.call('messages.list', { limit: 1, countFrom: [middle, '2000-01-01T00:00:00Z'] });
    expect(page.atOrAfter).toEqual([3, all.total]);
    expect(page.items).toHaveLength(1);
  });

  it('refuses what is no plain value before and inside the store, changing nothing', async () => {
    expect(await kindOf(api.call('messages.setCaseWork', { id: 3, change: { followUpOn: '14.12.2026' } }))).toBe('api-invalid-input');
    expect(await kindOf(api.call('messages.setCaseWork', { id: 3, change: { followUpOn: '2026-02-30' } }))).toBe('store-invalid-input');
    expect(await kindOf(api.call('messages.setCaseWork', { id: 3, change: { aktenzeichen: 'x'.repeat(101) } }))).toBe('store-invalid-input');
    expect((await api.call('messages.detail', { ref: { id: 3 } })).caseWork).toEqual({ aktenzeichen: null, note: null, followUpOn: null });
  });

  it('keeps the values when the store is closed and opened again', async () => {
    await api.call('store.close', {});
    await api.call('store.open', { path: dbPath, unlock: { password: FIXTURE_PASSWORD } });
    expect((await api.call('messages.detail', { ref: { id: 2 } })).caseWork).toEqual({ aktenzeichen: 'SGB12-77/26', note: 'Kontoauszüge angefordert', followUpOn: '2026-12-14' });
    await api.call('messages.setCaseWork', { id: 2, change: { followUpOn: null } });
    expect((await api.call('messages.counts', {})).followUp).toBe(0);
  });
});
