/**
 * The machine settings reach the network of `postfach fetch` (the service in its worker thread loads them): a
 * fixed proxy with Basic authentication from the machine file carries the whole dialog to the real intermediary, a
 * wrong password ends in `proxy-auth` (exit code 4), a PAC file from the settings routes through the proxy, and a CA
 * from the settings lets the fetch trust an https front of the intermediary that it refuses without.
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { vectorPath } from '../helpers/shared.js';
import { createStore, ensureBuilt, fetchArgs, fetchEnv, postfach, send, sharedPki, startTestIntermediary, tempDir } from '../mailbox/helpers.js';
import { listen, makeTlsMaterial, Servers, startFileServer, startProxy } from './net-helpers.js';
import { readFileSync } from 'node:fs';

const root = tempDir('postfach-ops-net-');
const servers = new Servers();
const proxyLog: string[] = [];
let pkiDir = '';
let intermediary: RunningIntermediary;
let authProxy = '';
let frontUrl = '';
let caFile = '';
let pacUrl = '';
const document = readFileSync(vectorPath('content/antrag-1.xml'));
/** The environment's own proxy variables would bypass the settings under test. */
const clean = { HTTPS_PROXY: '', HTTP_PROXY: '', ALL_PROXY: '', NO_PROXY: '', https_proxy: '', http_proxy: '', all_proxy: '', no_proxy: '' };

function machineConfig(name: string, settings: Record<string, unknown>): string {
  const file = path.join(root, `${name}.json`);
  writeFileSync(file, JSON.stringify({ settings }));
  return file;
}

beforeAll(async () => {
  ensureBuilt();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'im'));
  authProxy = await startProxy(servers, proxyLog, { user: 'svc-postfach', password: 'Geheim-2026' });
  const tls = makeTlsMaterial();
  caFile = path.join(root, 'tls-ca.pem');
  writeFileSync(caFile, tls.caPem);
  const target = new URL(intermediary.url);
  const front = servers.track(
    https.createServer({ key: tls.valid.key, cert: tls.valid.cert }, (req, res) => {
      const upstream = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    }),
  );
  frontUrl = `https://127.0.0.1:${await listen(front)}/osci`;
  const pacBase = await startFileServer(servers, { '/wpad.dat': `function FindProxyForURL(url, host) { return "PROXY ${new URL(authProxy).host}"; }` }, []);
  pacUrl = `${pacBase}/wpad.dat`;
}, 120_000);

afterAll(async () => {
  await servers.close();
  await intermediary?.close();
});

describe('postfach fetch under machine settings', () => {
  it('fixed proxy with Basic authentication from the machine file; a wrong password is a clear proxy-auth error', async () => {
    const dbPath = path.join(root, 'proxy', 'postfach.db');
    await createStore(dbPath);
    await send(intermediary.url, pkiDir, { content: document, count: 1 });
    const host = new URL(authProxy).host;
    proxyLog.length = 0;
    const wrong = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], {
      ...fetchEnv(pkiDir),
      ...clean,
      POSTFACH_MACHINE_CONFIG: machineConfig('wrong-proxy', { proxyMode: 'fixed', proxyUrl: `http://svc-postfach:falsch@${host}` }),
    });
    expect(wrong.status, wrong.stderr).toBe(4);
    const wrongResult = JSON.parse(wrong.stdout) as { outcome: string; error: { kind: string; message: string } };
    expect(wrongResult).toMatchObject({ outcome: 'failed', error: { kind: 'proxy-auth' } });
    expect(wrongResult.error.message).toMatch(/^Der Proxy verlangt eine Anmeldung/);
    expect(proxyLog.every((l) => l.startsWith('407 '))).toBe(true);

    proxyLog.length = 0;
    const run = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], {
      ...fetchEnv(pkiDir),
      ...clean,
      POSTFACH_MACHINE_CONFIG: machineConfig('proxy', { proxyMode: 'fixed', proxyUrl: `http://svc-postfach:Geheim-2026@${host}` }),
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'complete', newMessages: 1 });
    // the whole dialog went through the proxy: InitDialog, FetchDelivery ×2, FetchProcessCard, ExitDialog
    expect(proxyLog.length).toBeGreaterThanOrEqual(4);
    expect(proxyLog.every((l) => l === `POST ${intermediary.url}`)).toBe(true);
  }, 180_000);

  it('PAC file from the settings routes through the proxy it names', async () => {
    const dbPath = path.join(root, 'pac', 'postfach.db');
    await createStore(dbPath);
    proxyLog.length = 0;
    const run = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], {
      ...fetchEnv(pkiDir),
      ...clean,
      POSTFACH_MACHINE_CONFIG: machineConfig('pac', { proxyMode: 'pac', proxyPacUrl: pacUrl }),
    });
    // the proxy wants credentials the PAC file cannot give: the route is proven by the proxy's 407
    expect(run.status).toBe(4);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { kind: 'proxy-auth' } });
    expect(proxyLog).toEqual([`407 POST ${intermediary.url}`]);
  }, 120_000);

  it('a CA from the settings makes the https front trusted; without it the fetch refuses with tls-untrusted', async () => {
    const dbPath = path.join(root, 'tls', 'postfach.db');
    await createStore(dbPath);
    await send(intermediary.url, pkiDir, { content: document, count: 1 });
    const refused = await postfach([...fetchArgs(dbPath, frontUrl, pkiDir), '--json'], { ...fetchEnv(pkiDir), ...clean, POSTFACH_MACHINE_CONFIG: path.join(root, 'keine.json') });
    expect(refused.status).toBe(4);
    expect(JSON.parse(refused.stdout)).toMatchObject({ outcome: 'failed', error: { kind: 'tls-untrusted' } });
    const run = await postfach([...fetchArgs(dbPath, frontUrl, pkiDir), '--json'], {
      ...fetchEnv(pkiDir),
      ...clean,
      POSTFACH_MACHINE_CONFIG: machineConfig('tls', { tlsCaFiles: [caFile] }),
    });
    expect(run.status, run.stdout).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'complete', newMessages: 1 });
  }, 180_000);
});
