/**
 * `postfach serve` on PostgreSQL (issue 13) for what ran on SQLite only before: sign-ins (successful, failed, the
 * lockout) in the audit log with the account's name and never the password typed; the audit log's calls (the
 * person filter, the CSV export, the chain check); removing a trusted CA and adding it again, each judging the
 * stored deliveries again (before: `trust.reevaluation-skipped`); changing the connection; the shared inbox's
 * claim; the Abnahmeprotokoll of a Testantrag. Real throw-away cluster, real local intermediary, real HTTPS on
 * loopback with two persons' sessions.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '../../core/api/wire.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { AccountStore, MAX_FAILURES } from '../../core/serve/accounts.js';
import { runServe, type RunningServe } from '../../core/serve/run.js';
import { resolveServeConfig } from '../../core/serve/serve-config.js';
import { auditWords } from '../../core/store/audit-words.js';
import { startLocalCluster, type LocalCluster } from '../../core/store-pg/index.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { send, sharedPki, startTestIntermediary } from '../mailbox/helpers.js';
import { createDatabase, openSharedStore, pgSection, serveEnv, singlePcStore } from '../mailbox/pg-helpers.js';
import { projectRoot, vectorPath } from '../helpers/shared.js';
import { makeCertificate, Person, tempDir, type TestCertificate } from './helpers.js';

const DATABASE = 'team_trust';
const CHEF_PASSWORD = 'Chef-Passwort-2026';
const WRONG = 'Geheim-Falsch-4711';
/** Three applications and one Testantrag, all signed under the test CA. */
const STORED = 4;

interface Entry {
  readonly seq: number;
  readonly osUser: string;
  readonly action: string;
  readonly deliveryId: number | null;
  readonly detail: string | null;
}
interface Item {
  readonly id: number;
  readonly messageId: string;
  readonly signatureStatus: string | null;
  readonly applicants: string[];
  readonly isTest: boolean;
}

let dir = '';
let cert: TestCertificate;
let cluster: LocalCluster;
let intermediary: RunningIntermediary;
let pkiDir = '';
let keyFile = '';
let serve: RunningServe;
const lines: string[] = [];

function value<T>(result: CallResult<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.detail}`);
  return result.value as T;
}
const invoke = async <T>(method: string, input: unknown, actor = 'test:it'): Promise<T> => value<T>(await serve.service.invoke(method, input, actor));

beforeAll(async () => {
  dir = tempDir('postfach-pg-trust-');
  cert = makeCertificate(dir);
  keyFile = path.join(dir, 'postfach-pg.keys.json');
  cluster = await startLocalCluster();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(dir, 'intermediary'));
  await createDatabase(cluster, DATABASE);
  mkdirSync(path.join(dir, 'a'));
  const store = path.join(dir, 'a', 'postfach.db');
  await singlePcStore(store, pkiDir, intermediary.url);
  const it = new AccountStore(`${store}.accounts.json`, Date.now, 'it-admin');
  await it.add('chef', 'leitung', CHEF_PASSWORD);
  await it.add('anna', 'sachbearbeitung', 'Anna-Passwort-2026');
  const config = resolveServeConfig(undefined, {
    store,
    listen: '127.0.0.1:0',
    tlsCert: cert.certFile,
    tlsKey: cert.keyFile,
    fetchIntervalMinutes: 0,
    storePasswordEnv: 'SERVE_TEST_STORE_PASSWORD',
    postgresql: pgSection(cluster, DATABASE, keyFile),
  });
  serve = await runServe(config, { rendererDir: path.join(projectRoot, 'dist', 'renderer'), report: (line) => lines.push(line), env: serveEnv(cluster) });
  await send(intermediary.url, pkiDir, { content: readFileSync(vectorPath('content/antrag-1.xml')), count: 3 });
  await send(intermediary.url, pkiDir, { count: 1, seed: 'pg-test', test: true });
  expect(await invoke<{ newMessages: number }>('mailbox.fetch', {})).toMatchObject({ newMessages: STORED });
}, 240_000);

afterAll(async () => {
  await serve?.close();
  await intermediary?.close();
  await cluster?.stop();
}, 60_000);

describe('postfach serve on PostgreSQL: trust, audit log, sign-ins', () => {
  it('writes sign-ins, failed sign-ins and the lockout into the audit log with the account, never the password', async () => {
    const chef = new Person(serve.origin, cert.cert);
    expect((await chef.signIn('chef', CHEF_PASSWORD)).status).toBe(303);
    const stranger = new Person(serve.origin, cert.cert);
    for (let i = 0; i < MAX_FAILURES; i++) await stranger.signIn('anna', WRONG);
    await stranger.signIn('anna', 'Anna-Passwort-2026'); // locked now: refused whatever the password
    await stranger.signIn('niemand', WRONG);
    const signIns = async () =>
      (await chef.value<{ entries: Entry[] }>('audit.list', {})).entries
        .filter((e) => ['signed-in', 'sign-in-failed', 'account-changed'].includes(e.action))
        .map((e) => [e.osUser, auditWords(e.action, e.detail).de]);
    const failed = Array.from({ length: MAX_FAILURES }, () => ['serve:Dienst', 'Anmeldung fehlgeschlagen: Konto anna (falsches Passwort)']);
    await expect
      .poll(signIns, { timeout: 20_000, interval: 250 })
      .toEqual([
        ['it-admin', 'Konto chef angelegt (Rolle Leitung)'],
        ['it-admin', 'Konto anna angelegt (Rolle Sachbearbeitung)'],
        ['serve:chef', 'Konto chef angemeldet'],
        ...failed,
        ['serve:Dienst', 'Konto anna nach mehreren Fehlversuchen vorübergehend gesperrt'],
        ['serve:Dienst', 'Anmeldung fehlgeschlagen: Konto anna (Konto nach Fehlversuchen vorübergehend gesperrt)'],
        ['serve:Dienst', 'Anmeldung fehlgeschlagen: unbekanntes Konto (Konto unbekannt)'],
      ]);
    // in PostgreSQL, chained; no password typed and no unknown name typed is anywhere in the log
    const shared = await openSharedStore(cluster, DATABASE, keyFile);
    try {
      const all = JSON.stringify(await shared.auditEntries({ limit: 10_000 }));
      expect(all).not.toContain(WRONG);
      expect(all).not.toContain('Anna-Passwort');
      expect(all).not.toContain('niemand');
      expect((await shared.verifyAuditLog()).ok).toBe(true);
    } finally {
      await shared.close();
    }
  }, 120_000);

  it('answers the audit log calls from PostgreSQL: the person filter, the CSV export, the chain check', async () => {
    const items = (await invoke<{ items: Item[] }>('messages.list', { limit: 10 })).items;
    const opened = items[0]!;
    await invoke('messages.setRead', { id: opened.id, read: true }, 'test:anna');
    const family = (opened.applicants[0] ?? '').split(/[ ,]/)[0] ?? '';
    expect(family.length).toBeGreaterThan(1);
    const about = await invoke<{ entries: Entry[] }>('audit.list', { person: family });
    // every delivery of the fixture names the same applicant: the entries about them, and nothing else
    expect(about.entries.length).toBeGreaterThanOrEqual(items.length);
    expect(about.entries.every((e) => e.deliveryId !== null && items.some((i) => i.id === e.deliveryId))).toBe(true);
    expect((await invoke<{ entries: Entry[] }>('audit.list', { person: 'Zzyzx' })).entries).toEqual([]);

    const all = (await invoke<{ entries: Entry[] }>('audit.list', { limit: 10_000 })).entries;
    const target = path.join(dir, 'a', 'transfer', 'downloads', 'protokoll.csv');
    mkdirSync(path.dirname(target), { recursive: true });
    const exported = await invoke<{ path: string; entries: number }>('audit.exportCsv', { target, delimiter: ';' });
    expect(exported.entries).toBeGreaterThanOrEqual(all.length);
    const csv = readFileSync(exported.path, 'utf8');
    expect(csv.startsWith('\uFEFFLfd. Nr.;Zeitpunkt;Benutzer;')).toBe(true);
    expect(csv.split('\r\n').length - 2).toBe(exported.entries);
    expect(csv).toContain('Am Abrufdienst angemeldet');
    const verified = await invoke<{ ok: boolean; entries: number }>('audit.verify', {});
    expect(verified.ok).toBe(true);
    expect(verified.entries).toBeGreaterThanOrEqual(exported.entries);
  }, 120_000);

  it('removes the trusted CA and adds it again, judging the stored deliveries again each time', async () => {
    const statuses = async () => (await invoke<{ items: Item[] }>('messages.list', { limit: 10 })).items.map((i) => i.signatureStatus);
    const before = await statuses();
    const list = await invoke<{ cas: Array<{ certificate: { fingerprintSha256: string }; owner: string }> }>('trust.list', {});
    const office = list.cas.find((e) => e.owner === 'office');
    expect(office).toBeDefined();
    const removed = await invoke<{ removed: boolean; reevaluated: { checked: number; changed: number } }>(
      'trust.remove',
      { fingerprint: office!.certificate.fingerprintSha256 },
      'test:chef',
    );
    expect(removed.removed).toBe(true);
    expect(removed.reevaluated.checked).toBe(STORED);
    expect(removed.reevaluated.changed).toBe(STORED);
    const without = await statuses();
    expect(without).not.toEqual(before);
    const added = await invoke<{ added: number; reevaluated: { checked: number; changed: number } }>('trust.add', { file: testPkiFiles(pkiDir).ca }, 'test:chef');
    expect(added).toMatchObject({ added: 1, reevaluated: { checked: STORED, changed: STORED } });
    expect(await statuses()).toEqual(before);
    expect(lines.join('\n')).not.toContain('reevaluation-skipped');
    const shared = await openSharedStore(cluster, DATABASE, keyFile);
    try {
      const audit = await shared.auditEntries({ limit: 10_000 });
      const removedEntry = audit.find((e) => e.action === 'trusted-ca-removed');
      expect(removedEntry?.osUser).toBe('test:chef');
      expect(audit.filter((e) => e.action === 'trust-reevaluated').map((e) => JSON.parse(e.detail ?? '{}') as { reason: string })).toEqual([
        expect.objectContaining({ reason: 'ca-removed', checked: STORED, changed: STORED }),
        expect.objectContaining({ reason: 'ca-added', checked: STORED, changed: STORED }),
      ]);
      expect((await shared.trustedCas()).map((c) => c.fingerprint)).toEqual([
        new X509Certificate(readFileSync(testPkiFiles(pkiDir).ca)).fingerprint256.replace(/:/g, '').toLowerCase(),
      ]);
    } finally {
      await shared.close();
    }
  }, 120_000);

  it('claims in the shared inbox, makes an Abnahmeprotokoll and changes the connection on PostgreSQL', async () => {
    const items = (await invoke<{ items: Item[] }>('messages.list', { limit: 10 })).items;
    const claimed = await invoke<{ claim: { by: string } | null }>('inbox.claim', { id: items[1]!.id }, 'serve:anna');
    expect(claimed.claim?.by).toBe('anna');
    expect(await invoke<{ claim: { by: string } | null }>('inbox.item', { id: items[1]!.id }, 'serve:chef')).toMatchObject({ claim: { by: 'anna' } });

    const test = items.find((i) => i.isTest);
    const real = items.find((i) => !i.isTest);
    expect(test).toBeDefined();
    const target = path.join(dir, 'a', 'transfer', 'downloads', 'abnahme.pdf');
    const record = await invoke<{ path: string; screenshot: boolean }>('abnahme.create', { id: test!.id, target }, 'serve:anna');
    expect(readFileSync(record.path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(record.screenshot).toBe(false);
    // recorded as exported in PostgreSQL, by the person
    const exported = await invoke<{ entries: Entry[] }>('audit.list', { deliveryId: test!.id });
    expect(exported.entries.filter((e) => e.action === 'exported').map((e) => e.osUser)).toEqual(['serve:anna']);
    // a real application: refused by the rule, read from PostgreSQL
    const refused = await serve.service.invoke('abnahme.create', { id: real!.id, target: path.join(dir, 'a', 'transfer', 'downloads', 'echt.pdf') }, 'serve:anna');
    expect(refused.ok ? 'ok' : refused.error.kind).toBe('abnahme-not-test');

    const identity = await invoke<{ timeoutSeconds: number }>('identity.updateConnection', { timeoutSeconds: 45 }, 'serve:chef');
    expect(identity.timeoutSeconds).toBe(45);
    const shared = await openSharedStore(cluster, DATABASE, keyFile);
    try {
      expect(((await shared.readMailboxIdentity())?.connection as { timeoutSeconds?: number }).timeoutSeconds).toBe(45);
      expect((await shared.auditEntries({ limit: 10_000 })).some((e) => e.action === 'settings-changed' && e.detail?.includes('connection-changed'))).toBe(true);
    } finally {
      await shared.close();
    }
    // the next fetch uses the changed connection and still reaches the intermediary
    expect(await invoke<{ outcome: string }>('mailbox.fetch', {})).toMatchObject({ outcome: 'complete' });
  }, 120_000);
});
