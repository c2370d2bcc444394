/**
 * The shared inbox's contract in the single-PC mode (the service as the desktop app and the browser mode run it,
 * here in-process with a real store): one person, the OS user the audit log names — claiming and releasing work and
 * are audited under that name, "no team" is said (the UI then shows none of it), handing to a colleague is refused
 * with words, and the one read mark works as before.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostfachApi } from '../../core/api/api-types.js';
import { createApiClient } from '../../core/api/client.js';
import { startInProcessService } from '../../core/api/in-process-service.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { PostfachError } from '../../core/errors.js';
import { createFixtureStore, FIXTURE_PASSWORD } from '../ui/helpers/fixture-store.js';
import { tempDir } from './helpers.js';

const root = tempDir('postfach-inbox-single-');
let host: ServiceHost;
let api: PostfachApi;

beforeAll(async () => {
  const storePath = path.join(root, 'daten', 'postfach.db');
  await createFixtureStore(storePath, 3);
  host = await startInProcessService({ dataDir: path.join(root, 'daten'), appVersion: '0.1.0-test', host: 'browser' });
  api = createApiClient(host.asBridge());
  await api.call('store.open', { path: storePath, unlock: { password: FIXTURE_PASSWORD } });
}, 120_000);
afterAll(async () => {
  await host?.close();
});

describe('the shared inbox in the single-PC mode', () => {
  it('is one person: claims under the OS user, no team, no hand-over, the one read mark', async () => {
    expect(await api.call('inbox.people', {})).toEqual({ team: false, mayTakeOver: true, colleagues: [] });
    const { items } = await api.call('messages.list', {});
    const id = items[0]!.id;
    expect(items[0]!.claim).toBeNull();
    const claimed = await api.call('inbox.claim', { id });
    expect(claimed.claim).toMatchObject({ mine: true });
    const me = claimed.claim!.by;
    const audit = (await api.call('audit.list', { deliveryId: id })).entries.filter((e) => e.action === 'claimed');
    expect(audit.map((e) => e.osUser)).toEqual([me]);
    expect((await api.call('messages.counts', {})).mine).toBe(1);

    let refused: unknown;
    try {
      await api.call('inbox.hand', { id, to: 'kollegin' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(PostfachError);
    expect((refused as PostfachError).text.de).toContain('nur, wenn das Postfach über den Abrufdienst');
    expect((await api.call('inbox.item', { id })).claim?.by).toBe(me);

    expect((await api.call('inbox.release', { id })).claim).toBeNull();
    // the one read mark: set and taken back as before
    expect((await api.call('messages.setRead', { id, read: true })).unread).toBe(false);
    expect((await api.call('messages.setRead', { id, read: false })).unread).toBe(true);
    expect((await api.call('messages.list', { unread: true })).items.map((i) => i.id)).toContain(id);
  }, 60_000);
});
