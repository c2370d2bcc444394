/**
 * The transport over Chromium's network (Electron `net`, desktop app) — the Electron runtime is not on this machine,
 * so its `net` is stood in for by Node's http with Electron's request/response shape and Chromium's error names
 * (net::ERR_…). What is tested is the adapter: a whole fetch dialog against the real intermediary, HTTP status
 * handling (407, an HTML error page), retries only before a connection, and the error words for Chromium's codes.
 * Electron's own behaviour (system proxy, Windows store) is not — it needs Windows and the runtime.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../core/io/byte-source.js';
import { chromiumFailure, chromiumTransport, type NetClientRequest, type NetLike } from '../../core/mailbox/chromium-transport.js';
import { runFetch } from '../../core/mailbox/fetch-engine.js';
import { send, sharedPki, startTestIntermediary, tempDir } from '../mailbox/helpers.js';
import { identityFor, newStore, type RunningIntermediary } from './mailbox-helpers.js';
import { failure } from './helpers.js';

const CHROMIUM_NAMES: Record<string, string> = { ECONNREFUSED: 'ERR_CONNECTION_REFUSED', ENOTFOUND: 'ERR_NAME_NOT_RESOLVED', ECONNRESET: 'ERR_CONNECTION_RESET' };

/** Electron's net as far as the transport uses it, over Node's http; counts the requests sent. */
function nodeBackedNet(counter: { requests: number }): NetLike {
  return {
    request(options) {
      counter.requests++;
      const req = http.request(options.url, { method: options.method, agent: false });
      const wrapped: NetClientRequest = {
        setHeader: (name, value) => req.setHeader(name, value),
        on(event: string, listener: (arg: never) => void) {
          if (event === 'response') req.on('response', (res) => listener(res as unknown as never));
          else req.on('error', (e: NodeJS.ErrnoException) => listener(new Error(`net::${CHROMIUM_NAMES[e.code ?? ''] ?? 'ERR_FAILED'}`) as never));
          return wrapped;
        },
        write: (chunk) => void req.write(chunk),
        end: () => void req.end(),
        abort: () => void req.destroy(),
      };
      return wrapped;
    },
  };
}

const root = tempDir('postfach-ops-chromium-');
let intermediary: RunningIntermediary;
let pkiDir = '';
let odd: http.Server;
let oddUrl = '';

beforeAll(async () => {
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'im'));
  odd = http.createServer((req, res) => {
    req.resume();
    if (req.url === '/407') {
      res.writeHead(407, { 'Proxy-Authenticate': 'NTLM' });
      res.end();
    } else {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
    }
  });
  await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', () => resolve()));
  oddUrl = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await intermediary?.close();
  await new Promise((resolve) => odd?.close(resolve));
});

describe('Chromium-network transport (Electron net)', () => {
  it('carries a whole fetch dialog against the real intermediary', async () => {
    await send(intermediary.url, pkiDir, { count: 2, seed: 'chromium', attachments: 1, attachmentSize: 200_000 });
    const { store } = await newStore(path.join(root, 'postfach.db'));
    try {
      const counter = { requests: 0 };
      const identity = identityFor(pkiDir, intermediary.url);
      const result = await runFetch({ store, identity, post: chromiumTransport(nodeBackedNet(counter), { url: intermediary.url }) });
      expect(result).toMatchObject({ outcome: 'complete', newMessages: 2, unreadable: 0 });
      expect(counter.requests).toBeGreaterThanOrEqual(5);
    } finally {
      store.close();
    }
  }, 60_000);

  it('407 is proxy-auth, an HTML error page is http-status; a refused connection is retried, then network', async () => {
    const counter = { requests: 0 };
    const net = nodeBackedNet(counter);
    expect((await failure(chromiumTransport(net, { url: `${oddUrl}/407` })(bufferSource(Buffer.from('x'))))).kind).toBe('proxy-auth');
    const page = await failure(chromiumTransport(net, { url: `${oddUrl}/502` })(bufferSource(Buffer.from('x'))));
    expect(page.kind).toBe('http-status');
    expect(page.text.de).toMatch(/HTTP-Status 502/);
    counter.requests = 0;
    const refused = await failure(chromiumTransport(net, { url: 'http://127.0.0.1:9/osci', connectAttempts: 3, backoffMs: 10 })(bufferSource(Buffer.from('x'))));
    expect(refused.kind).toBe('network');
    expect(refused.detail).toContain('net::ERR_CONNECTION_REFUSED');
    expect(counter.requests).toBe(3);
  });

  it('Chromium error codes in the same words as Node’s', () => {
    const kind = (name: string) => chromiumFailure(new Error(`net::${name}`), 'intermediaer.example.de').kind;
    expect(kind('ERR_CERT_AUTHORITY_INVALID')).toBe('tls-untrusted');
    expect(kind('ERR_CERT_DATE_INVALID')).toBe('tls-expired');
    expect(kind('ERR_CERT_COMMON_NAME_INVALID')).toBe('tls-wrong-host');
    expect(kind('ERR_PROXY_AUTH_UNSUPPORTED')).toBe('proxy-auth');
    expect(kind('ERR_PAC_SCRIPT_FAILED')).toBe('proxy-pac');
    expect(kind('ERR_CONNECTION_RESET')).toBe('network');
    expect(chromiumFailure(new Error('net::ERR_CERT_AUTHORITY_INVALID'), 'x').text.de).toMatch(/^Dem Serverzertifikat des Intermediärs wird nicht vertraut/);
  });
});
