/**
 * The network of the fetch engine on loopback: a real proxy (forward requests for http, CONNECT tunnels for https)
 * with and without Basic authentication (407 → `proxy-auth`), a PAC file served over HTTP and evaluated in the
 * sandbox (with a looping PAC file cut off), and TLS to the intermediary with certificates made here — untrusted,
 * expired, for another host → clear German errors; the settings' CA makes it work.
 */
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../core/io/byte-source.js';
import { httpTransport, type ProxySetting } from '../../core/mailbox/transport.js';
import { httpsTarget, listen, makeTlsMaterial, osciLikeHandler, Servers, startFileServer, startProxy, type TlsMaterial } from './net-helpers.js';
import { failure } from './helpers.js';

const servers = new Servers();
let tls: TlsMaterial;
let ca: X509Certificate;
const targetLog: string[] = [];
const proxyLog: string[] = [];
const authProxyLog: string[] = [];
const pacLog: string[] = [];
let httpUrl = '';
const httpsUrl: Record<'valid' | 'expired' | 'selfSigned' | 'wrongHost', string> = { valid: '', expired: '', selfSigned: '', wrongHost: '' };
let proxy = '';
let authProxy = '';
let pacBase = '';

beforeAll(async () => {
  tls = makeTlsMaterial();
  ca = new X509Certificate(tls.caPem);
  httpUrl = `http://127.0.0.1:${await listen(servers.track(http.createServer(osciLikeHandler(targetLog))))}/osci`;
  for (const kind of ['valid', 'expired', 'selfSigned', 'wrongHost'] as const) {
    httpsUrl[kind] = `https://127.0.0.1:${await listen(servers.track(httpsTarget(tls[kind], targetLog)))}/osci`;
  }
  proxy = await startProxy(servers, proxyLog);
  authProxy = await startProxy(servers, authProxyLog, { user: 'svc-postfach', password: 'Geheim 1!' });
  const proxyPort = new URL(proxy).port;
  pacBase = await startFileServer(
    servers,
    {
      '/proxy.pac': `function FindProxyForURL(url, host) {\n  if (isPlainHostName(host) || dnsDomainIs(host, ".kommune.local")) return "DIRECT";\n  if (shExpMatch(url, "*/osci*")) return "PROXY 127.0.0.1:${proxyPort}; DIRECT";\n  return "DIRECT";\n}\n`,
      '/loop.pac': 'function FindProxyForURL(url, host) { for (;;) {} }',
      '/socks.pac': 'function FindProxyForURL(url, host) { return "SOCKS 127.0.0.1:1080"; }',
      '/escape.pac': 'function FindProxyForURL(url, host) { return typeof process + "," + typeof require; }',
    },
    pacLog,
  );
}, 60_000);
afterAll(() => servers.close());

async function post(url: string, options: { proxy?: ProxySetting; tlsCas?: X509Certificate[] } = {}): Promise<string> {
  const send = httpTransport({ url, connectAttempts: 1, backoffMs: 10, timeoutMs: 10_000, ...options });
  const parts: Buffer[] = [];
  for await (const chunk of await send(bufferSource(Buffer.from('<Anfrage/>')))) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

describe('proxy on loopback', () => {
  it('fixed proxy without authentication: forward request for http, CONNECT tunnel for https', async () => {
    proxyLog.length = 0;
    expect(await post(httpUrl, { proxy: { mode: 'fixed', url: proxy } })).toContain('received 10 bytes');
    expect(await post(httpsUrl.valid, { proxy: { mode: 'fixed', url: proxy }, tlsCas: [ca] })).toContain('received 10 bytes');
    expect(proxyLog).toEqual([`POST ${httpUrl}`, `CONNECT 127.0.0.1:${new URL(httpsUrl.valid).port}`]);
  });

  it('"direct" ignores HTTPS_PROXY/HTTP_PROXY of the environment', async () => {
    proxyLog.length = 0;
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = proxy;
    try {
      expect(await post(httpUrl, { proxy: { mode: 'direct' } })).toContain('received');
      expect(proxyLog).toEqual([]);
      expect(await post(httpUrl, { proxy: { mode: 'env' } })).toContain('received');
      expect(proxyLog).toEqual([`POST ${httpUrl}`]);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
  });

  it('proxy with Basic authentication: the credentials of the proxy URL are sent, for http and https', async () => {
    authProxyLog.length = 0;
    const withCredentials = `http://svc-postfach:${encodeURIComponent('Geheim 1!')}@${new URL(authProxy).host}`;
    expect(await post(httpUrl, { proxy: { mode: 'fixed', url: withCredentials } })).toContain('received');
    expect(await post(httpsUrl.valid, { proxy: { mode: 'fixed', url: withCredentials }, tlsCas: [ca] })).toContain('received');
    expect(authProxyLog).toEqual([`POST ${httpUrl}`, `CONNECT 127.0.0.1:${new URL(httpsUrl.valid).port}`]);
  });

  it('407 without or with wrong credentials is a clear proxy-auth error, nothing reaches the target', async () => {
    authProxyLog.length = 0;
    targetLog.length = 0;
    const none = await failure(post(httpUrl, { proxy: { mode: 'fixed', url: authProxy } }));
    expect(none.kind).toBe('proxy-auth');
    expect(none.text.de).toMatch(/^Der Proxy verlangt eine Anmeldung/);
    expect(none.detail).toMatch(/407.*no credentials configured.*Basic realm/);
    const wrong = await failure(post(httpsUrl.valid, { proxy: { mode: 'fixed', url: `http://svc-postfach:falsch@${new URL(authProxy).host}` }, tlsCas: [ca] }));
    expect(wrong.kind).toBe('proxy-auth');
    expect(wrong.detail).toMatch(/credentials refused/);
    expect(wrong.detail).not.toContain('falsch');
    expect(authProxyLog).toEqual([`407 POST ${httpUrl}`, `407 CONNECT 127.0.0.1:${new URL(httpsUrl.valid).port}`]);
    expect(targetLog).toEqual([]);
  });
});

describe('PAC file served on loopback', () => {
  it('evaluates FindProxyForURL in the sandbox and takes its proxy; loads the file once', async () => {
    proxyLog.length = 0;
    pacLog.length = 0;
    const send = httpTransport({ url: httpUrl, connectAttempts: 1, proxy: { mode: 'pac', pacUrl: `${pacBase}/proxy.pac` } });
    for (let i = 0; i < 2; i++) for await (const _ of await send(bufferSource(Buffer.from('x')))) void _;
    expect(proxyLog).toEqual([`POST ${httpUrl}`, `POST ${httpUrl}`]);
    expect(pacLog).toEqual(['GET /proxy.pac']);
  });

  it('a looping PAC file is cut off, a missing one or one with only SOCKS is reported, the script sees no Node', async () => {
    const started = Date.now();
    const loop = await failure(post(httpUrl, { proxy: { mode: 'pac', pacUrl: `${pacBase}/loop.pac` } }));
    expect(loop.kind).toBe('proxy-pac');
    expect(loop.text.de).toMatch(/PAC-Datei/);
    expect(Date.now() - started).toBeLessThan(8000);
    expect((await failure(post(httpUrl, { proxy: { mode: 'pac', pacUrl: `${pacBase}/fehlt.pac` } }))).detail).toMatch(/HTTP 404/);
    expect((await failure(post(httpUrl, { proxy: { mode: 'pac', pacUrl: `${pacBase}/socks.pac` } }))).detail).toMatch(/SOCKS is not supported/);
    expect((await failure(post(httpUrl, { proxy: { mode: 'pac', pacUrl: `${pacBase}/escape.pac` } }))).detail).toMatch(/"undefined,undefined"/);
  });
});

describe('TLS to the intermediary', () => {
  it('an untrusted server certificate (unknown CA, self-signed) → tls-untrusted; the configured CA makes it work', async () => {
    const unknown = await failure(post(httpsUrl.valid));
    expect(unknown.kind).toBe('tls-untrusted');
    expect(unknown.text.de).toMatch(/^Dem Serverzertifikat des Intermediärs wird nicht vertraut/);
    expect(unknown.detail).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
    expect((await failure(post(httpsUrl.selfSigned, { tlsCas: [ca] }))).kind).toBe('tls-untrusted');
    expect(await post(httpsUrl.valid, { tlsCas: [ca] })).toContain('received');
  });

  it('an expired server certificate → tls-expired, even from a trusted CA', async () => {
    const expired = await failure(post(httpsUrl.expired, { tlsCas: [ca] }));
    expect(expired.kind).toBe('tls-expired');
    expect(expired.text.de).toMatch(/ist abgelaufen/);
    expect(expired.detail).toMatch(/CERT_HAS_EXPIRED/);
  });

  it('a certificate for another host → tls-wrong-host', async () => {
    const wrong = await failure(post(httpsUrl.wrongHost, { tlsCas: [ca] }));
    expect(wrong.kind).toBe('tls-wrong-host');
    expect(wrong.text.de).toMatch(/gehört nicht zur Adresse/);
  });
});
