/**
 * Network settings from the environment, through the real CLI: a small HTTP proxy on 127.0.0.1 (forward requests
 * with an absolute URI, and CONNECT tunnels) between `postfach fetch` and the intermediary. HTTP_PROXY carries the
 * fetch of an http:// intermediary; NO_PROXY bypasses a (dead) proxy; HTTPS_PROXY tunnels to an https:// front of
 * the intermediary whose certificate chains to a CA given with --tls-ca (and is refused without it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { Servers, startProxy } from '../helpers/proxy.js';
import { vectorPath } from '../helpers/shared.js';
import { createStore, ensureBuilt, fetchArgs, fetchEnv, postfach, send, sharedPki, startTestIntermediary, tempDir } from './helpers.js';

const root = tempDir('postfach-mailbox-proxy-');
let pkiDir = '';
let intermediary: RunningIntermediary;
const document = readFileSync(vectorPath('content/antrag-1.xml'));
const seen: string[] = [];
let proxyUrl = '';
/** The proxy (tests/helpers/proxy.ts), closed with its open connections and tunnels when the test is over. */
const servers = new Servers();
let front: https.Server;
let frontUrl = '';

/** A TLS front of the intermediary with a certificate for 127.0.0.1 issued by a CA made here (openssl). */
function tlsMaterial(): { caFile: string; key: Buffer; cert: Buffer } {
  const dir = path.join(root, 'tls');
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  };
  spawnSync('mkdir', ['-p', dir]);
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'ca.key'), '-out', path.join(dir, 'ca.pem'), '-days', '2', '-subj', '/CN=Test-CA Proxytest']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'server.key'), '-out', path.join(dir, 'server.csr'), '-subj', '/CN=127.0.0.1']);
  const ext = path.join(dir, 'ext.cnf');
  spawnSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > ${ext}`]);
  run([
    'x509',
    '-req',
    '-in',
    path.join(dir, 'server.csr'),
    '-CA',
    path.join(dir, 'ca.pem'),
    '-CAkey',
    path.join(dir, 'ca.key'),
    '-CAcreateserial',
    '-out',
    path.join(dir, 'server.pem'),
    '-days',
    '2',
    '-extfile',
    ext,
  ]);
  return { caFile: path.join(dir, 'ca.pem'), key: readFileSync(path.join(dir, 'server.key')), cert: readFileSync(path.join(dir, 'server.pem')) };
}

beforeAll(async () => {
  ensureBuilt();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
  proxyUrl = await startProxy(servers, seen);
  const tls = tlsMaterial();
  front = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const upstream = http.request(intermediary.url, { method: 'POST', headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  frontUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}/osci`;
}, 180_000);

afterAll(async () => {
  await servers.close();
  front?.closeAllConnections();
  await new Promise((r) => front?.close(r));
  await intermediary?.close();
});

const clean = {
  HTTP_PROXY: undefined,
  HTTPS_PROXY: undefined,
  http_proxy: undefined,
  https_proxy: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined,
  ALL_PROXY: undefined,
  all_proxy: undefined,
};

describe('proxy from the environment', () => {
  it('HTTP_PROXY: every request of the dialog goes through the forward proxy', async () => {
    const dbPath = path.join(root, 'forward', 'postfach.db');
    await createStore(dbPath);
    await send(intermediary.url, pkiDir, { content: document, count: 2 });
    seen.length = 0;
    const run = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], { ...fetchEnv(pkiDir), ...clean, HTTP_PROXY: proxyUrl });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'complete', newMessages: 2 });
    // InitDialog, 2 × FetchDelivery, FetchDelivery (9803), FetchProcessCard, ExitDialog
    expect(seen).toEqual(Array.from({ length: 6 }, () => `POST ${intermediary.url}`));
  }, 120_000);

  it('NO_PROXY: the loopback intermediary is reached directly, past a proxy that is not there', async () => {
    const dbPath = path.join(root, 'noproxy', 'postfach.db');
    await createStore(dbPath);
    await send(intermediary.url, pkiDir, { content: document, count: 1 });
    seen.length = 0;
    const run = await postfach([...fetchArgs(dbPath, intermediary.url, pkiDir), '--json'], {
      ...fetchEnv(pkiDir),
      ...clean,
      HTTP_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: '127.0.0.1,localhost',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'complete', newMessages: 1 });
    expect(seen).toEqual([]);
  }, 120_000);

  it('HTTPS_PROXY: a CONNECT tunnel to an https intermediary, trusted through --tls-ca (refused without it)', async () => {
    const dbPath = path.join(root, 'connect', 'postfach.db');
    await createStore(dbPath);
    await send(intermediary.url, pkiDir, { content: document, count: 1 });
    seen.length = 0;
    const env = { ...fetchEnv(pkiDir), ...clean, HTTPS_PROXY: proxyUrl };
    const refused = await postfach([...fetchArgs(dbPath, frontUrl, pkiDir), '--json'], env);
    expect(refused.status).toBe(4);
    expect(JSON.parse(refused.stdout)).toMatchObject({ outcome: 'failed', newMessages: 0, error: { kind: 'tls-untrusted' } });
    const run = await postfach([...fetchArgs(dbPath, frontUrl, pkiDir, ['--tls-ca', path.join(root, 'tls', 'ca.pem')]), '--json'], env);
    expect(run.status, run.stdout).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'complete', newMessages: 1 });
    const port = new URL(frontUrl).port;
    expect(seen.filter((s) => s === `CONNECT 127.0.0.1:${port}`).length).toBeGreaterThan(0);
    expect(seen.every((s) => s.startsWith('CONNECT'))).toBe(true);
  }, 120_000);
});
