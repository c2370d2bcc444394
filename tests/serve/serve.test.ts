/**
 * `postfach serve` on a real store over real HTTPS on 127.0.0.1 (a self-made certificate): sign-in with personal
 * accounts, the session cookie's attributes, lockout after failed attempts, the role table enforced before a call
 * reaches the service, the person named in the audit log for fetches and openings, a disabled account losing its
 * session, the fetch at start by the schedule, and the refusal to start without TLS.
 */
import { existsSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoMailbox, type DemoMailbox } from '../../app/demo-mailbox.js';
import { AccountStore, MAX_FAILURES } from '../../core/serve/accounts.js';
import { runServe, type RunningServe } from '../../core/serve/run.js';
import { resolveServeConfig } from '../../core/serve/serve-config.js';
import { startServeServer } from '../../core/serve/server.js';
import { projectRoot } from '../helpers/shared.js';
import { makeCertificate, Person, tempDir, type TestCertificate } from './helpers.js';

const rendererDir = path.join(projectRoot, 'dist', 'renderer');
const PASSWORDS = { anna: 'Anna-Passwort-2026', bernd: 'Bernd-Passwort-2026', ida: 'Ida-Passwort-2026!' } as const;

let dir = '';
let cert: TestCertificate;
let demo: DemoMailbox;
let serve: RunningServe;
const lines: string[] = [];

interface AuditEntry {
  readonly osUser: string;
  readonly action: string;
  readonly deliveryId: number | null;
}

async function waitFor<T>(what: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  dir = tempDir();
  cert = makeCertificate(dir);
  demo = await startDemoMailbox(path.join(dir, 'mailbox'), { firstBatch: 3 });
  const config = resolveServeConfig(undefined, {
    store: demo.storePath,
    listen: '127.0.0.1:0',
    tlsCert: cert.certFile,
    tlsKey: cert.keyFile,
    fetchIntervalMinutes: 60,
    storePasswordEnv: 'SERVE_TEST_STORE_PASSWORD',
  });
  const accounts = new AccountStore(`${demo.storePath}.accounts.json`);
  await accounts.add('anna', 'sachbearbeitung', PASSWORDS.anna);
  await accounts.add('bernd', 'leitung', PASSWORDS.bernd);
  await accounts.add('ida', 'it', PASSWORDS.ida);
  serve = await runServe(config, { rendererDir, report: (line) => lines.push(line), env: { SERVE_TEST_STORE_PASSWORD: demo.unlock.password } });
}, 180_000);

afterAll(async () => {
  await serve?.close();
  await demo?.close();
});

describe('postfach serve over HTTPS', () => {
  it('serves TLS with the certificate IT provides; pages and calls need a session', async () => {
    expect(serve.origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const stranger = new Person(serve.origin, cert.cert);
    const home = await stranger.send('GET', '/');
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/anmelden');
    const form = await stranger.send('GET', '/anmelden');
    expect(form.status).toBe(200);
    expect(form.text).toContain('Benutzername');
    expect(form.text).toContain('lang="de"');
    expect(String(form.headers['content-security-policy'])).toContain("form-action 'self'");
    const call = await stranger.call('messages.list', {});
    expect(call.status).toBe(401);
    expect(call.envelope.ok ? '' : call.envelope.error.kind).toBe('serve-signed-out');
  });

  it('signs a person in with a session cookie that is HttpOnly, Secure, SameSite=Strict and expires', async () => {
    const anna = new Person(serve.origin, cert.cert);
    const answer = await anna.signIn('anna', PASSWORDS.anna);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/');
    const setCookie = String(answer.headers['set-cookie']?.[0]);
    expect(setCookie).toMatch(/^postfach_sitzung=[A-Za-z0-9_-]{43}; /);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/', 'Max-Age=36000']) expect(setCookie).toContain(attribute);
    expect(await anna.send('GET', '/api/session').then((a) => a.json())).toEqual({ name: 'anna', role: 'sachbearbeitung' });
    // the UI's page, marked for the cookie session (the renderer's connect.ts then needs no token)
    const home = await anna.send('GET', '/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<meta name="postfach-session" content="cookie">');
  });

  it('refuses a call without this server’s Origin (a page of another site cannot call with the cookie)', async () => {
    const anna = new Person(serve.origin, cert.cert);
    await anna.signIn('anna', PASSWORDS.anna);
    const foreign = await anna.send('POST', '/api/call/messages.list', '{}', { 'Content-Type': 'application/json', Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const none = await anna.send('POST', '/api/call/messages.list', '{}', { 'Content-Type': 'application/json' });
    expect(none.status).toBe(403);
  });

  it('fetched at start on its schedule, as the schedule (audit: serve:Zeitplan)', async () => {
    const bernd = new Person(serve.origin, cert.cert);
    await bernd.signIn('bernd', PASSWORDS.bernd);
    const entries = await waitFor(async () => {
      const value = await bernd.value<{ entries: AuditEntry[] }>('audit.list', {});
      const fetched = value.entries.filter((e) => e.action === 'fetched');
      return fetched.length >= 3 ? fetched : undefined;
    }, 60_000);
    expect(new Set(entries.map((e) => e.osUser))).toEqual(new Set(['serve:Zeitplan']));
    // and told IT on its output, without personal data
    const line = await waitFor(async () => lines.find((l) => l.startsWith('Abruf / fetch: ')), 30_000);
    expect(line).toMatch(/^Abruf \/ fetch: \w+, \d+ neu \/ new, \d+ ms$/);
  });

  it('fetches on demand for a person, and names that person in the audit log for fetching and opening', async () => {
    const anna = new Person(serve.origin, cert.cert);
    await anna.signIn('anna', PASSWORDS.anna);
    const bernd = new Person(serve.origin, cert.cert);
    await bernd.signIn('bernd', PASSWORDS.bernd);
    // two more applications at the intermediary, fetched because Anna asks
    await demo.sendRest();
    const before = (await anna.value<{ total: number }>('messages.list', {})).total;
    const fetched = await anna.value<{ newIds: number[] }>('mailbox.fetch', {});
    expect(fetched.newIds.length).toBeGreaterThan(0);
    expect((await anna.value<{ total: number }>('messages.list', {})).total).toBe(before + fetched.newIds.length);
    const opened = fetched.newIds[0]!;
    await anna.value('messages.detail', { ref: { id: opened } });
    // Bernd (Leitung) reads the audit log: Anna fetched those and opened one
    const { entries } = await bernd.value<{ entries: AuditEntry[] }>('audit.list', {});
    const mine = entries.filter((e) => fetched.newIds.includes(e.deliveryId ?? -1));
    expect(mine.filter((e) => e.action === 'fetched').map((e) => e.osUser)).toEqual(fetched.newIds.map(() => 'serve:anna'));
    expect(mine.find((e) => e.action === 'opened' && e.deliveryId === opened)?.osUser).toBe('serve:anna');
    // nothing through the service is written as the OS user
    expect(entries.filter((e) => e.action === 'fetched' || e.action === 'opened').every((e) => e.osUser.startsWith('serve:'))).toBe(true);
  }, 120_000);

  it('enforces the roles before the service: Sachbearbeitung may not read the audit log or delete, nobody may close the store', async () => {
    const anna = new Person(serve.origin, cert.cert);
    await anna.signIn('anna', PASSWORDS.anna);
    const ida = new Person(serve.origin, cert.cert);
    await ida.signIn('ida', PASSWORDS.ida);
    const bernd = new Person(serve.origin, cert.cert);
    await bernd.signIn('bernd', PASSWORDS.bernd);
    const auditByAnna = await anna.call('audit.list', {});
    expect(auditByAnna.status).toBe(403);
    expect(auditByAnna.envelope.ok ? '' : auditByAnna.envelope.error.kind).toBe('serve-forbidden');
    const id = (await anna.value<{ items: Array<{ id: number }> }>('messages.list', {})).items[0]!.id;
    const trash = await anna.call('messages.setTrashed', { id, trashed: true });
    expect(trash.status).toBe(403);
    // the store stays open: nobody closes it through the network, IT included
    for (const person of [anna, bernd, ida]) expect((await person.call('store.close', {})).status).toBe(403);
    expect((await anna.value<{ state: string }>('store.status', {})).state).toBe('open');
    // what the role allows goes through
    expect((await bernd.call('audit.verify', {})).envelope).toMatchObject({ ok: true, value: { ok: true } });
    expect((await ida.call('config.get', {})).envelope.ok).toBe(true);
    expect((await bernd.call('config.get', {})).status).toBe(403);
  });

  it('sends the contract’s events over HTTPS to a signed-in person only (what another person changes)', async () => {
    const anna = new Person(serve.origin, cert.cert);
    await anna.signIn('anna', PASSWORDS.anna);
    const bernd = new Person(serve.origin, cert.cert);
    await bernd.signIn('bernd', PASSWORDS.bernd);
    expect((await new Person(serve.origin, cert.cert).send('GET', '/api/events')).status).toBe(401);
    const id = (await bernd.value<{ items: Array<{ id: number }> }>('messages.list', {})).items[0]!.id;
    const received = new Promise<string>((resolve, reject) => {
      const req = request(new URL('/api/events', serve.origin), { ca: cert.cert, headers: { Cookie: anna.cookie! } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes(`"ids":[${id}]`)) {
            resolve(text);
            req.destroy();
          }
        });
        // the stream is open: Bernd changes the message
        void bernd.value('messages.setRead', { id, read: false });
      });
      req.on('error', reject);
      req.end();
    });
    expect(await received).toMatch(/event: messages\.changed\ndata: \{[^\n]*"ids":\[\d+\]/);
  });

  it('lets a person export only into the service’s transfer folder (the browser download), never to any path', async () => {
    const anna = new Person(serve.origin, cert.cert);
    await anna.signIn('anna', PASSWORDS.anna);
    const id = (await anna.value<{ items: Array<{ id: number }> }>('messages.list', {})).items[0]!.id;
    const anywhere = await anna.call('messages.export', { id, format: 'xml', target: path.join(dir, 'anywhere.xml') });
    expect(anywhere.status).toBe(403);
    expect(anywhere.envelope.ok ? '' : anywhere.envelope.error.kind).toBe('serve-forbidden');
    expect(existsSync(path.join(dir, 'anywhere.xml'))).toBe(false);
    const download = await anna.value<{ downloadId: string; target: string }>('workspace.createDownload', { fileName: 'antrag.xml' });
    const exported = await anna.call('messages.export', { id, format: 'xml', target: download.target });
    expect(exported.envelope.ok).toBe(true);
    expect(existsSync(download.target)).toBe(true);
  });

  it('locks an account after repeated failures, even for the right password, until IT resets it', async () => {
    await serve.accounts.add('carla', 'sachbearbeitung', 'Carla-Passwort-2026');
    const carla = new Person(serve.origin, cert.cert);
    for (let i = 0; i < MAX_FAILURES; i++) {
      const failed = await carla.signIn('carla', `falsch-${i}-xxxxxxxx`);
      expect(failed.headers.location).toBe('/anmelden?hinweis=fehlgeschlagen');
    }
    const locked = await carla.signIn('carla', 'Carla-Passwort-2026');
    expect(locked.headers.location).toBe('/anmelden?hinweis=fehlgeschlagen');
    expect(carla.cookie).toBeUndefined();
    expect(serve.accounts.current('carla')?.lockedUntil).toBeGreaterThan(Date.now());
    await serve.accounts.reset('carla', 'Carla-Neu-Passwort-2026');
    const back = await carla.signIn('carla', 'Carla-Neu-Passwort-2026');
    expect(back.headers.location).toBe('/');
    expect(carla.cookie).toBeDefined();
  }, 60_000);

  it('ends the sessions of a disabled account', async () => {
    await serve.accounts.add('dora', 'sachbearbeitung', 'Dora-Passwort-2026');
    const dora = new Person(serve.origin, cert.cert);
    await dora.signIn('dora', 'Dora-Passwort-2026');
    expect((await dora.call('messages.counts', {})).status).toBe(200);
    await serve.accounts.setDisabled('dora', true);
    await new Promise((r) => setTimeout(r, 2_100)); // the account file is read again at most every 2 s
    const after = await dora.call('messages.counts', {});
    expect(after.status).toBe(401);
    expect((await dora.signIn('dora', 'Dora-Passwort-2026')).headers.location).toBe('/anmelden?hinweis=fehlgeschlagen');
  });

  it('signs out: the cookie is cleared and the old session id no longer works', async () => {
    const anna = new Person(serve.origin, cert.cert);
    await anna.signIn('anna', PASSWORDS.anna);
    const old = anna.cookie!;
    const out = await anna.send('POST', '/abmelden', '', { Origin: serve.origin });
    expect(out.status).toBe(303);
    expect(String(out.headers['set-cookie']?.[0])).toContain('Max-Age=0');
    anna.cookie = old;
    expect((await anna.call('messages.counts', {})).status).toBe(401);
  });
});

describe('postfach serve refuses to run without TLS', () => {
  it('on a network address, even when plain HTTP is asked for', async () => {
    const accounts = new AccountStore(path.join(tempDir(), 'accounts.json'));
    const service = { invoke: async () => ({ ok: true as const, value: {} }), on: () => () => undefined };
    await expect(startServeServer({ service, accounts, rendererDir, host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ kind: 'serve-no-tls' });
    await expect(startServeServer({ service, accounts, rendererDir, host: '0.0.0.0', port: 0, plainHttpOnLoopback: true })).rejects.toMatchObject({ kind: 'serve-no-tls' });
    await expect(startServeServer({ service, accounts, rendererDir, host: '127.0.0.1', port: 0 })).rejects.toMatchObject({ kind: 'serve-no-tls' });
    const tryout = await startServeServer({ service, accounts, rendererDir, host: '127.0.0.1', port: 0, plainHttpOnLoopback: true });
    expect(tryout.origin).toMatch(/^http:\/\/127\.0\.0\.1:/);
    await tryout.close();
  });
});
