import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpBridge } from '../../core/api/bridge-client.js';
import { isLoopbackAddress, startBridge, type RunningBridge } from '../../core/api/bridge-server.js';
import { createApiClient } from '../../core/api/client.js';
import type { Settings } from '../../core/api/contract.js';
import { contentSecurityPolicy } from '../../core/api/csp.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { startWorkerService } from '../../core/api/worker-service.js';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request, so that Host, Origin and the token can be set (or left out) exactly. */
function raw(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('loopback bridge', () => {
  let dir: string;
  let host: ServiceHost;
  let bridge: RunningBridge;
  let own: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'postfach-bridge-'));
    mkdirSync(path.join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>Postfach</title>');
    writeFileSync(path.join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'secret.txt'), 'outside the UI folder');
    host = await startWorkerService({ dataDir: path.join(dir, 'data'), appVersion: '0.1.0', host: 'browser' });
    bridge = await startBridge({ service: host, rendererDir: path.join(dir, 'renderer') });
    own = { Host: `127.0.0.1:${bridge.port}`, Origin: bridge.origin, Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' };
  });

  afterAll(async () => {
    await bridge.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 with a random token passed in the URL fragment', () => {
    expect(bridge.origin).toBe(`http://127.0.0.1:${bridge.port}`);
    expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(bridge.launchUrl).toBe(`${bridge.origin}/#token=${bridge.token}`);
  });

  it('serves the UI with the strict CSP and no CORS header', async () => {
    const res = await raw(bridge.port, { path: '/', headers: { Host: own.Host ?? '' } });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Postfach</title>');
    expect(res.headers['content-security-policy']).toBe(contentSecurityPolicy);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const js = await raw(bridge.port, { path: '/assets/app.js', headers: { Host: own.Host ?? '' } });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('does not serve files outside the UI folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/.env', '/assets/%00.js', '/assets/']) {
      const res = await raw(bridge.port, { path: p, headers: { Host: own.Host ?? '' } });
      expect(res.status, p).toBe(404);
      expect(res.body).not.toContain('outside');
    }
  });

  it('answers calls through the typed client, with events over SSE', async () => {
    const http = createHttpBridge({ origin: bridge.origin, token: bridge.token, extraHeaders: { Origin: bridge.origin } });
    const api = createApiClient(http);
    const changed = new Promise<Settings>((resolve) => api.on('settings.changed', resolve));
    await new Promise((r) => setTimeout(r, 100)); // let the event stream connect
    expect((await api.call('app.info', {})).host).toBe('browser');
    await api.call('settings.set', { language: 'en' });
    expect(await changed).toEqual({ language: 'en', fetchIntervalMinutes: 15, familyNameFirst: true });
    await api.call('settings.set', { language: 'de' });
    http.close();
  });

  it('answers shell methods in browser mode with a clear error', async () => {
    const api = createApiClient(createHttpBridge({ origin: bridge.origin, token: bridge.token, extraHeaders: { Origin: bridge.origin } }));
    await expect(api.call('dialog.openFile', { kind: 'p12' })).rejects.toMatchObject({ kind: 'shell-unavailable' });
  });

  it('refuses a wrong or missing token', async () => {
    const body = '{}';
    const wrong = await raw(bridge.port, { method: 'POST', path: '/api/call/app.info', body, headers: { ...own, Authorization: `Bearer ${'A'.repeat(43)}` } });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toMatchObject({ ok: false, error: { kind: 'bridge-token' } });
    const missing = await raw(bridge.port, { method: 'POST', path: '/api/call/app.info', body, headers: { ...own, Authorization: '' } });
    expect(missing.status).toBe(401);
    const events = await raw(bridge.port, { path: '/api/events', headers: { Host: own.Host ?? '' } });
    expect(events.status).toBe(401);
    const right = await raw(bridge.port, { method: 'POST', path: '/api/call/app.info', body, headers: own });
    expect(right.status).toBe(200);
    expect(JSON.parse(right.body)).toMatchObject({ ok: true, value: { product: 'OSCI-Postfach' } });
  });

  it('refuses a foreign Origin, also with the right token, and never answers with CORS headers', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${bridge.port + 1}`, `https://127.0.0.1:${bridge.port}`]) {
      const res = await raw(bridge.port, { method: 'POST', path: '/api/call/app.info', body: '{}', headers: { ...own, Origin: origin } });
      expect(res.status, origin).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ error: { kind: 'bridge-foreign-origin' } });
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    const noOrigin = await raw(bridge.port, { method: 'POST', path: '/api/call/app.info', body: '{}', headers: { ...own, Origin: '' } });
    expect(noOrigin.status).toBe(403);
    const preflight = await raw(bridge.port, {
      method: 'OPTIONS',
      path: '/api/call/app.info',
      headers: { Host: own.Host ?? '', Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const crossSite = await raw(bridge.port, { method: 'POST', path: '/api/call/app.info', body: '{}', headers: { ...own, 'Sec-Fetch-Site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
  });

  it('refuses a foreign Host (DNS rebinding), for the UI and the API', async () => {
    for (const hostHeader of ['evil.example', `evil.example:${bridge.port}`, `127.0.0.1.nip.io:${bridge.port}`, '127.0.0.1', '']) {
      const page = await raw(bridge.port, { path: '/', headers: { Host: hostHeader } });
      expect(page.status, hostHeader).toBe(403);
      expect(page.body).not.toContain('Postfach');
      const api = await raw(bridge.port, {
        method: 'POST',
        path: '/api/call/app.info',
        body: '{}',
        headers: { ...own, Host: hostHeader, Origin: `http://${hostHeader}` },
      });
      expect(api.status, hostHeader).toBe(403);
      expect(JSON.parse(api.body)).toMatchObject({ error: { kind: 'bridge-foreign-host' } });
    }
    const localhost = await raw(bridge.port, { path: '/', headers: { Host: `localhost:${bridge.port}` } });
    expect(localhost.status).toBe(200);
  });

  it('validates bodies: JSON only, size-limited, checked by the method’s schema', async () => {
    const post = (p: string, body: string, headers: Record<string, string> = own) => raw(bridge.port, { method: 'POST', path: p, body, headers });
    const invalid = await post('/api/call/settings.set', '{"language":"fr"}');
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toMatchObject({ error: { kind: 'api-invalid-input' } });
    expect((await post('/api/call/settings.set', '{not json')).status).toBe(400);
    expect((await post('/api/call/settings.set', '{}', { ...own, 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await post('/api/call/settings.set', JSON.stringify({ language: 'x'.repeat(1_100_000) }))).status).toBe(413);
    const unknown = await post('/api/call/no.such', '{}');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { kind: 'api-unknown-method' } });
    expect((await raw(bridge.port, { method: 'PUT', path: '/', headers: { Host: own.Host ?? '' } })).status).toBe(405);
  });
});

describe('bind address', () => {
  it('accepts only loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1'].every(isLoopbackAddress)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'localhost', '::ffff:127.0.0.1', '', 'example.org'].some(isLoopbackAddress)).toBe(false);
  });

  it('refuses to start on a non-loopback address, before binding', async () => {
    const service = { invoke: async () => ({ ok: true as const, value: null }), on: () => () => undefined };
    for (const bindAddress of ['0.0.0.0', '::', '192.168.1.10', 'localhost']) {
      await expect(startBridge({ service, rendererDir: tmpdir(), bindAddress })).rejects.toMatchObject({ kind: 'bridge-not-loopback' });
    }
  });
});

describe('the first page', () => {
  it('is read into memory at the start and sent from there; other files come from disk as before', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'postfach-bridge-first-page-'));
    const ui = path.join(dir, 'renderer');
    mkdirSync(path.join(ui, 'assets'), { recursive: true });
    const index =
      '<!doctype html><title>Postfach</title><script type="module" crossorigin src="./assets/index-A1.js"></script>' +
      '<link rel="modulepreload" crossorigin href="./assets/chunk-B2.js"><link rel="stylesheet" crossorigin href="./assets/index-C3.css">';
    writeFileSync(path.join(ui, 'index.html'), index);
    writeFileSync(path.join(ui, 'assets', 'index-A1.js'), 'console.log("entry")');
    writeFileSync(path.join(ui, 'assets', 'chunk-B2.js'), 'export const b = "chunk";');
    writeFileSync(path.join(ui, 'assets', 'index-C3.css'), 'body{margin:0}');
    writeFileSync(path.join(ui, 'assets', 'Later-D4.js'), 'export const later = 1;');
    const service = { invoke: () => Promise.reject(new Error('not called')), on: () => () => undefined };
    const bridge = await startBridge({ service, rendererDir: ui });
    try {
      const get = (p: string, method = 'GET') => raw(bridge.port, { method, path: p, headers: { Host: `127.0.0.1:${bridge.port}` } });
      // the files the browser asks for first, as they were when the bridge started
      expect((await get('/')).body).toBe(index);
      // (what a rebuild would do meanwhile: the page already served keeps getting the files it names)
      rmSync(path.join(ui, 'assets', 'chunk-B2.js'));
      writeFileSync(path.join(ui, 'assets', 'index-A1.js'), 'changed on disk');
      writeFileSync(path.join(ui, 'assets', 'Later-D4.js'), 'export const later = 2;');
      const entry = await get('/assets/index-A1.js');
      expect(entry).toMatchObject({ status: 200, body: 'console.log("entry")' });
      expect(entry.headers).toMatchObject({
        'content-type': 'text/javascript; charset=utf-8',
        'content-length': String('console.log("entry")'.length),
        'content-security-policy': contentSecurityPolicy,
        'x-content-type-options': 'nosniff',
      });
      expect(await get('/assets/chunk-B2.js')).toMatchObject({ status: 200, body: 'export const b = "chunk";' });
      expect((await get('/assets/index-C3.css')).headers['content-type']).toBe('text/css; charset=utf-8');
      const head = await get('/assets/index-A1.js', 'HEAD');
      expect(head).toMatchObject({ status: 200, body: '' });
      expect(head.headers['content-length']).toBe(String('console.log("entry")'.length));
      // a file the first page does not name (a screen loaded later) is read from disk when asked for
      expect(await get('/assets/Later-D4.js')).toMatchObject({ status: 200, body: 'export const later = 2;' });
      // an update in place: a new index.html naming new files is read again at the next request for it (a reload
      // gets the new page), and the earlier first page's files stay for a page that was served it
      const updated = '<!doctype html><title>Postfach</title><script type="module" crossorigin src="./assets/index-E5.js"></script>';
      writeFileSync(path.join(ui, 'assets', 'index-E5.js'), 'console.log("new entry")');
      writeFileSync(path.join(ui, 'index.html'), updated);
      expect((await get('/')).body).toBe(updated);
      rmSync(path.join(ui, 'assets', 'index-E5.js'));
      expect(await get('/assets/index-E5.js')).toMatchObject({ status: 200, body: 'console.log("new entry")' });
      expect(await get('/assets/index-A1.js')).toMatchObject({ status: 200, body: 'console.log("entry")' });
      // the same refusals as from disk
      expect((await get('/assets/..%2findex.html')).status).toBe(404);
      expect((await raw(bridge.port, { path: '/assets/index-A1.js', headers: { Host: 'evil.example:80' } })).status).toBe(403);
    } finally {
      await bridge.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
