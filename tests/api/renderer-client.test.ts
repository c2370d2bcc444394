/**
 * The renderer's API client (core/api/renderer-client.ts), which checks no payload against the zod contract (issue
 * 14: zod out of the UI bundle): over the real loopback bridge and a real service it gives the service's answers,
 * its errors as PostfachErrors and its events; the input check it leaves out is the host's (the bridge refuses an
 * invalid input before the service sees it); an answer that is no call envelope — from a real HTTP server on
 * loopback that is not the bridge — is a clear error, not a crash.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpBridge } from '../../core/api/bridge-client.js';
import { startBridge, type RunningBridge } from '../../core/api/bridge-server.js';
import { createRendererApiClient } from '../../core/api/renderer-client.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { startWorkerService } from '../../core/api/worker-service.js';
import { PostfachError } from '../../core/errors.js';

describe('the renderer API client over the loopback bridge', () => {
  let dir: string;
  let host: ServiceHost;
  let bridge: RunningBridge;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'postfach-renderer-client-'));
    mkdirSync(path.join(dir, 'renderer'), { recursive: true });
    writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>Postfach</title>');
    host = await startWorkerService({ dataDir: path.join(dir, 'data'), appVersion: '0.1.0', host: 'browser' });
    bridge = await startBridge({ service: host, rendererDir: path.join(dir, 'renderer') });
  }, 120_000);

  afterAll(async () => {
    await bridge.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = () => createRendererApiClient(createHttpBridge({ origin: bridge.origin, token: bridge.token, extraHeaders: { Origin: bridge.origin } }));

  it('resolves with the service’s answer and delivers its events', async () => {
    const api = client();
    expect((await api.call('app.info', {})).host).toBe('browser');
    const seen: string[] = [];
    const off = api.on('settings.changed', (s) => seen.push(s.language));
    // the event stream is open before the change (the first subscription opens it)
    await new Promise((r) => setTimeout(r, 300));
    expect((await api.call('settings.set', { language: 'en' })).language).toBe('en');
    await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['en']);
    off();
    await api.call('settings.set', { language: 'de' });
  });

  it('rejects with the PostfachError the service sent', async () => {
    const error = await client()
      .call('messages.counts', {})
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(PostfachError);
    expect(error).toMatchObject({ kind: 'store-not-open' });
  });

  it('leaves the input check to the host: an invalid input is refused by the bridge, never carried out', async () => {
    await expect(client().call('settings.set', { language: 'fr' } as never)).rejects.toMatchObject({ kind: 'api-invalid-input' });
    await expect(client().call('nope' as never, {} as never)).rejects.toMatchObject({ kind: 'api-unknown-method' });
    expect((await client().call('settings.get', {})).language).toBe('de');
  });
});

describe('the renderer API client against a server that is not the bridge', () => {
  let server: http.Server;
  let origin: string;
  let answer = '';

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(answer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = (body: string) => {
    answer = body;
    return createRendererApiClient(createHttpBridge({ origin, token: 'x'.repeat(43) })).call('app.info', {});
  };

  it('refuses what is no call envelope with a clear error', async () => {
    for (const body of [
      '[]',
      '{"value":1}',
      '{"ok":"yes","value":1}',
      '{"ok":false,"error":{"kind":"no-such-kind","message":"m","messageEn":"m","detail":"d"}}',
      '{"ok":false}',
      'null',
    ])
      await expect(call(body), body).rejects.toMatchObject({ kind: 'api-invalid-output', detail: 'app.info: not a call envelope' });
  });

  it('turns a serialised error into a PostfachError with its words and detail', async () => {
    const error = await call(JSON.stringify({ ok: false, error: { kind: 'store-not-open', message: 'Zu.', messageEn: 'Closed.', detail: 'no store' } })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PostfachError);
    expect(error).toMatchObject({ kind: 'store-not-open', text: { de: 'Zu.', en: 'Closed.' }, detail: 'no store' });
  });
});
