/**
 * The keys of a team set-up on PostgreSQL (issue 13), through `postfach serve`'s contract in-process with a real
 * throw-away cluster and the real local intermediary:
 * - the certificate rotation: staged, cancelled, staged again, the old mailbox drained and the keys switched — all
 *   kept in PostgreSQL, the single-PC file untouched; deliveries for the new certificate and content still
 *   encrypted for the old one readable — fetched by a second service that had read the identity before the switch
 *   — and also after a restart of the service (the retired key read from PostgreSQL);
 * - the store password and the recovery key changed in the PG key file: the old ones stop working, the new ones
 *   open it, the file stays 0600, the service starts again with the new password, each change audited in the DB.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '../../core/api/wire.js';
import { createPkcs12, issueCertificate } from '../../core/pki/index.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { runServe, type RunningServe } from '../../core/serve/run.js';
import { resolveServeConfig } from '../../core/serve/serve-config.js';
import { PostfachStore } from '../../core/store/index.js';
import { PgMailboxStore, startLocalCluster, unlockPgKeyFile, type LocalCluster } from '../../core/store-pg/index.js';
import { loadSenderSetup, sendApplications, type RunningIntermediary } from '../../intermediary/index.js';
import { send, sharedPki, startTestIntermediary, STORE_PASSWORD } from '../mailbox/helpers.js';
import { createDatabase, pgSection, serveEnv, singlePcStore } from '../mailbox/pg-helpers.js';
import { projectRoot } from '../helpers/shared.js';
import { tempDir } from './helpers.js';

const rendererDir = path.join(projectRoot, 'dist', 'renderer');
const DATABASE = 'team_keys';
const NEW_P12_PASSWORD = 'Neues-Zertifikat-2027';
const NEW_STORE_PASSWORD = 'Ein-neues-Speicherpasswort-2027';

let dir = '';
let cluster: LocalCluster;
let intermediary: RunningIntermediary;
let pkiDir = '';
let keyFile = '';
let newP12 = '';
let newCert: X509Certificate;
let oldCert: X509Certificate;
const services: RunningServe[] = [];
const lines: string[] = [];

function value<T>(result: CallResult<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.detail}`);
  return result.value as T;
}

async function startService(password = STORE_PASSWORD, folder = 'a'): Promise<RunningServe> {
  const config = resolveServeConfig(undefined, {
    store: path.join(dir, folder, 'postfach.db'),
    listen: '127.0.0.1:0',
    plainHttpOnLoopback: true,
    fetchIntervalMinutes: 0,
    storePasswordEnv: 'SERVE_TEST_STORE_PASSWORD',
    postgresql: pgSection(cluster, DATABASE, keyFile),
  });
  const running = await runServe(config, { rendererDir, report: (line) => lines.push(line), env: { ...serveEnv(cluster), SERVE_TEST_STORE_PASSWORD: password } });
  services.push(running);
  return running;
}

async function stopService(s: RunningServe): Promise<void> {
  services.splice(services.indexOf(s), 1);
  await s.close();
}

async function openShared(unlock: { password: string } | { recoveryKey: string }): Promise<PgMailboxStore> {
  const dataKey = await unlockPgKeyFile(keyFile, unlock);
  return PgMailboxStore.open({
    connection: { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database: DATABASE },
    dataKey,
    osUser: 'test',
  });
}

function makeNewKey(): void {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const now = Date.now();
  newCert = issueCertificate({
    subject: [
      { type: 'C', value: 'DE' },
      { type: 'O', value: 'Stadt Musterstadt' },
      { type: 'CN', value: 'Sozialamt Musterstadt Team 2027' },
    ],
    publicKey,
    selfSigningKey: privateKey,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 800 * 86_400_000),
    keyUsage: ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment'],
  });
  newP12 = path.join(dir, 'neu.p12');
  writeFileSync(newP12, createPkcs12(privateKey, newCert, NEW_P12_PASSWORD));
}

interface RotationValue {
  state: string;
  current: { fingerprintSha256: string } | null;
  next: { fingerprintSha256: string } | null;
  retired: Array<{ fingerprintSha256: string }>;
  fetched: number;
}

beforeAll(async () => {
  dir = tempDir('postfach-pg-keys-');
  keyFile = path.join(dir, 'postfach-pg.keys.json');
  cluster = await startLocalCluster();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(dir, 'intermediary'));
  await createDatabase(cluster, DATABASE);
  mkdirSync(path.join(dir, 'a'));
  mkdirSync(path.join(dir, 'b'));
  await singlePcStore(path.join(dir, 'a', 'postfach.db'), pkiDir, intermediary.url);
  oldCert = new X509Certificate(readFileSync(testPkiFiles(pkiDir).municipality.cer));
  makeNewKey();
}, 180_000);

afterAll(async () => {
  for (const s of services.splice(0)) await s.close();
  await intermediary?.close();
  await cluster?.stop();
}, 60_000);

describe('keys of postfach serve on PostgreSQL', () => {
  it('rotates the certificate in PostgreSQL: drain, switch, old content readable with the retired key, also after a restart', async () => {
    let a = await startService();
    await send(intermediary.url, pkiDir, { count: 1, seed: 'pg-vorher' });
    expect(value<{ newMessages: number }>(await a.service.invoke('mailbox.fetch', {}, 'test:it')).newMessages).toBe(1);
    // a second service on the same database has read the identity (it fetched once, nothing new)
    const other = await startService(STORE_PASSWORD, 'b');
    expect(value<{ newMessages: number }>(await other.service.invoke('mailbox.fetch', {}, 'test:it')).newMessages).toBe(0);
    // two wait for the old certificate when the rotation begins
    await send(intermediary.url, pkiDir, { count: 2, seed: 'pg-alt' });

    const stage = { keyFile: newP12, password: NEW_P12_PASSWORD };
    const staged = value<RotationValue>(await a.service.invoke('rotation.stage', stage, 'test:it'));
    expect(staged).toMatchObject({ state: 'staged', next: { fingerprintSha256: newCert.fingerprint256 }, current: { fingerprintSha256: oldCert.fingerprint256 } });
    expect(value<RotationValue>(await a.service.invoke('rotation.cancel', {}, 'test:it')).state).toBe('none');
    value(await a.service.invoke('rotation.stage', stage, 'test:it'));
    // kept in PostgreSQL: another program sees the staged key
    const peek = await openShared({ password: STORE_PASSWORD });
    try {
      expect((await peek.readKeyRotation())?.cipherCertificate.equals(Buffer.from(newCert.raw))).toBe(true);
    } finally {
      await peek.close();
    }
    expect(value<RotationValue>(await a.service.invoke('rotation.status', {}, 'test:it')).state).toBe('staged');

    const ran = value<{ status: RotationValue; fetch?: { outcome: string; newMessages: number } }>(await a.service.invoke('rotation.run', {}, 'test:it'));
    expect(ran.fetch).toMatchObject({ outcome: 'complete', newMessages: 2 });
    expect(ran.status.state).toBe('none');
    expect(ran.status.current?.fingerprintSha256).toBe(newCert.fingerprint256);
    expect(ran.status.retired.map((c) => c.fingerprintSha256)).toEqual([oldCert.fingerprint256]);

    // after the switch: one for the new certificate, one whose content is still encrypted for the old one
    const toNew = { ...loadSenderSetup({ pkiDir }), recipient: newCert };
    await sendApplications({ intermediaryUrl: intermediary.url, setup: toNew, count: 1, seed: 'pg-neu' });
    await sendApplications({ intermediaryUrl: intermediary.url, setup: toNew, count: 1, seed: 'pg-alt-verschluesselt', contentCertificate: oldCert });
    // the second service fetches them: it reads the switched identity from PostgreSQL, not its old one
    expect(value<{ newMessages: number; unreadable: number }>(await other.service.invoke('mailbox.fetch', {}, 'test:it'))).toMatchObject({ newMessages: 2, unreadable: 0 });
    await stopService(other);

    // a restart: the identity with its retired key is read from PostgreSQL again
    await stopService(a);
    a = await startService();
    await sendApplications({ intermediaryUrl: intermediary.url, setup: toNew, count: 1, seed: 'pg-nach-neustart', contentCertificate: oldCert });
    expect(value<{ newMessages: number; unreadable: number }>(await a.service.invoke('mailbox.fetch', {}, 'test:it'))).toMatchObject({ newMessages: 1, unreadable: 0 });
    const page = value<{ total: number; items: Array<{ unreadableKind: string | null }> }>(await a.service.invoke('messages.list', { limit: 100 }, 'test:anna'));
    expect(page.total).toBe(6);
    expect(page.items.map((i) => i.unreadableKind)).toEqual(Array(6).fill(null));

    const shared = await openShared({ password: STORE_PASSWORD });
    try {
      expect((await shared.verifyAuditLog()).ok).toBe(true);
      const events = (await shared.auditEntries({ limit: 1000 }))
        .filter((e) => e.action === 'settings-changed')
        .map((e) => (JSON.parse(e.detail ?? '{}') as { event?: string }).event);
      expect(events.filter((e) => e?.startsWith('rotat'))).toEqual(['rotation-started', 'rotation-cancelled', 'rotation-started', 'rotated']);
    } finally {
      await shared.close();
    }
    // the single-PC file the service took over is not where the rotation went
    const single = await PostfachStore.open(path.join(dir, 'a', 'postfach.db'), { password: STORE_PASSWORD });
    try {
      expect(single.readKeyRotation()).toBeUndefined();
      expect(single.retiredKeys()).toHaveLength(0);
    } finally {
      single.close();
    }
  }, 300_000);

  it('changes the store password and renews the recovery key in the PG key file; the service starts with the new password', async () => {
    const a = services[0] ?? (await startService());
    const recovery1 = value<{ recoveryKey: string; status: { state: string } }>(await a.service.invoke('store.renewRecoveryKey', {}, 'test:it'));
    expect(recovery1.status.state).toBe('open');
    const recovery2 = value<{ recoveryKey: string }>(await a.service.invoke('store.renewRecoveryKey', {}, 'test:it'));
    expect(recovery2.recoveryKey).not.toBe(recovery1.recoveryKey);
    await expect(unlockPgKeyFile(keyFile, { recoveryKey: recovery1.recoveryKey })).rejects.toMatchObject({ kind: expect.stringMatching(/^store-/) });
    (await unlockPgKeyFile(keyFile, { recoveryKey: recovery2.recoveryKey })).fill(0);

    // a password too short is refused and changes nothing
    expect((await a.service.invoke('store.setPassword', { password: 'kurz' }, 'test:it')).ok).toBe(false);
    (await unlockPgKeyFile(keyFile, { password: STORE_PASSWORD })).fill(0);
    value(await a.service.invoke('store.setPassword', { password: NEW_STORE_PASSWORD }, 'test:it'));
    await expect(unlockPgKeyFile(keyFile, { password: STORE_PASSWORD })).rejects.toMatchObject({ kind: 'store-wrong-password' });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    await stopService(a);
    // the old password no longer opens the shared store; the new one does, and so does the recovery key
    lines.length = 0;
    await expect(startService(STORE_PASSWORD)).rejects.toMatchObject({ kind: 'store-wrong-password' });
    const b = await startService(NEW_STORE_PASSWORD);
    expect(value<{ state: string }>(await b.service.invoke('store.status', {}, 'test:it')).state).toBe('open');
    expect(value<{ total: number }>(await b.service.invoke('messages.list', { limit: 1 }, 'test:anna')).total).toBe(6);
    const viaRecovery = await openShared({ recoveryKey: recovery2.recoveryKey });
    try {
      const changes = (await viaRecovery.auditEntries({ limit: 1000 }))
        .filter((e) => e.action === 'key-wrapper-changed')
        .map((e) => [(JSON.parse(e.detail ?? '{}') as { event?: string }).event, e.osUser]);
      expect(changes).toEqual([
        ['recovery-renewed', 'test:it'],
        ['recovery-renewed', 'test:it'],
        ['password-set', 'test:it'],
      ]);
      expect((await viaRecovery.verifyAuditLog()).ok).toBe(true);
    } finally {
      await viaRecovery.close();
    }
  }, 120_000);
});
