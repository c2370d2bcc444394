/**
 * Nothing written when nothing was accepted: a first `postfach fetch` and the set-up through the contract
 * (`store.create` with `identity`, what the desktop set-up calls) with bad key material — a wrong password, a
 * random, an empty and a cut-off file, a certificate-only .p12, a .p12 with two keys that both fit, and (fetch) an
 * intermediary signer that is refused — end with a clear error and leave no store behind: no database, no key
 * file, no files folder, no folder made for it, and no recovery key shown. The same key material then works.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostfachApi } from '../../core/api/api-types.js';
import { createApiClient } from '../../core/api/client.js';
import { startInProcessService } from '../../core/api/in-process-service.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { PostfachError } from '../../core/errors.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import type { RunningIntermediary } from '../../intermediary/index.js';
import { ensureBuilt, pkiPassword, postfach, sharedPki, startTestIntermediary, STORE_PASSWORD, tempDir } from './helpers.js';

const root = tempDir('postfach-nothing-written-');
const FIXTURE_PASSWORD = 'Muster-Passwort-2026';
const fixture = (name: string) => path.join(import.meta.dirname, '..', 'fixtures', 'pki', name);
let pkiDir = '';
let intermediary: RunningIntermediary;

interface BadKey {
  readonly name: string;
  /** The key file and the password it is opened with. */
  readonly file: () => string;
  readonly password: () => string;
  readonly kind: string;
}

function written(name: string, bytes: Uint8Array): string {
  const dir = path.join(root, 'keys');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

const BAD_KEYS: readonly BadKey[] = [
  { name: 'wrong password', file: () => testPkiFiles(pkiDir).municipality.p12, password: () => 'nicht-das-Passwort', kind: 'pkcs12-wrong-password' },
  { name: 'random bytes', file: () => written('zufall.p12', randomBytes(3000)), password: () => pkiPassword(pkiDir), kind: 'pkcs12-corrupt' },
  { name: 'empty file', file: () => written('leer.p12', new Uint8Array(0)), password: () => pkiPassword(pkiDir), kind: 'pkcs12-corrupt' },
  {
    name: 'cut-off file',
    file: () => {
      const whole = readFileSync(testPkiFiles(pkiDir).municipality.p12);
      return written('abgeschnitten.p12', whole.subarray(0, Math.floor(whole.length / 2)));
    },
    password: () => pkiPassword(pkiDir),
    kind: 'pkcs12-corrupt',
  },
  { name: 'certificate-only p12', file: () => fixture('openssl3-nokey.p12'), password: () => FIXTURE_PASSWORD, kind: 'pkcs12-no-private-key' },
  { name: 'two keys that both fit', file: () => fixture('keytool-ambiguous.p12'), password: () => FIXTURE_PASSWORD, kind: 'pkcs12-ambiguous-key' },
];

/** Whatever exists of a store at `dbPath`, and the folder it would be in. */
function storeRemains(dbPath: string): string[] {
  const found = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}.keys.json`, `${dbPath}.keys.lock`, `${dbPath}.files`].filter((p) => existsSync(p));
  return found.map((p) => path.basename(p));
}

beforeAll(async () => {
  ensureBuilt();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
}, 180_000);

afterAll(async () => {
  await intermediary?.close();
});

describe('a first fetch with bad key material creates no store', () => {
  const args = (dbPath: string, keyFile: string, extra: readonly string[] = []) => {
    const f = testPkiFiles(pkiDir);
    return [
      'fetch',
      '--store',
      dbPath,
      '--intermediary',
      intermediary.url,
      '--intermediary-cert',
      f.intermediary.cer,
      '--p12',
      keyFile,
      '--password-env',
      'TEST_P12_PASSWORD',
      ...extra,
    ];
  };

  for (const bad of BAD_KEYS) {
    it(`${bad.name}: exit 1, a German error, no recovery key, no store file, no folder`, async () => {
      const dbPath = path.join(root, 'cli', bad.name.replace(/\W+/g, '-'), 'postfach.db');
      const run = await postfach([...args(dbPath, bad.file()), '--json'], { TEST_P12_PASSWORD: bad.password(), POSTFACH_STORE_PASSWORD: STORE_PASSWORD });
      expect(run.status, run.stderr).toBe(1);
      const answer = JSON.parse(run.stdout) as { ok: boolean; error: { kind: string; message: string } };
      expect(answer).toMatchObject({ ok: false, error: { kind: bad.kind } });
      expect(answer.error.message).toMatch(/[äöüÄÖÜß]|Schlüssel|Datei|Passwort/);
      expect(run.stderr).not.toContain('WIEDERHERSTELLUNGSSCHLÜSSEL');
      expect(run.stderr).not.toContain('Neuer Datenspeicher angelegt');
      expect(storeRemains(dbPath)).toEqual([]);
      // the folder named by --store holds no store file (the technical log for IT may be there: logs/)
      const folder = path.dirname(dbPath);
      if (existsSync(folder)) expect(readdirSync(folder).filter((n) => n !== 'logs')).toEqual([]);
    }, 60_000);
  }

  it('an intermediary signer that is refused: exit 1, nothing created; the human text says why', async () => {
    const dbPath = path.join(root, 'cli', 'signer', 'postfach.db');
    const f = testPkiFiles(pkiDir);
    // the Sozialplattform's certificate is not who signs the intermediary's answers
    const run = await postfach(args(dbPath, f.municipality.p12, ['--intermediary-signer', f.sender.cer]), {
      TEST_P12_PASSWORD: pkiPassword(pkiDir),
      POSTFACH_STORE_PASSWORD: STORE_PASSWORD,
    });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^Fehler: /m);
    expect(run.stderr).toContain('Technische Angabe: ');
    expect(run.stderr).not.toContain('WIEDERHERSTELLUNGSSCHLÜSSEL');
    expect(storeRemains(dbPath)).toEqual([]);
  }, 60_000);

  it('a --trusted-ca file that holds no CA: refused before the store is made', async () => {
    const dbPath = path.join(root, 'cli', 'keine-ca', 'postfach.db');
    const f = testPkiFiles(pkiDir);
    const run = await postfach([...args(dbPath, f.municipality.p12, ['--trusted-ca', f.sender.cer]), '--json'], {
      TEST_P12_PASSWORD: pkiPassword(pkiDir),
      POSTFACH_STORE_PASSWORD: STORE_PASSWORD,
    });
    expect(run.status, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { kind: 'trusted-ca-not-ca' } });
    expect(storeRemains(dbPath)).toEqual([]);
  }, 60_000);

  it('no key file given for a store that does not exist: refused before anything is made', async () => {
    const dbPath = path.join(root, 'cli', 'ohne-schluessel', 'postfach.db');
    const run = await postfach(['fetch', '--store', dbPath], { POSTFACH_STORE_PASSWORD: STORE_PASSWORD });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Der erste Abruf legt ihn an und braucht dafür die Schlüsseldatei');
    expect(storeRemains(dbPath)).toEqual([]);
  }, 60_000);

  it('an intermediary that cannot be reached: exit 4 as for any fetch, nothing created', async () => {
    const dbPath = path.join(root, 'cli', 'unerreichbar', 'postfach.db');
    const f = testPkiFiles(pkiDir);
    const run = await postfach(
      [
        'fetch',
        '--store',
        dbPath,
        '--intermediary',
        'http://127.0.0.1:9/osci',
        '--intermediary-cert',
        f.intermediary.cer,
        '--p12',
        f.municipality.p12,
        '--password-env',
        'TEST_P12_PASSWORD',
        '--timeout',
        '5',
      ],
      { TEST_P12_PASSWORD: pkiPassword(pkiDir), POSTFACH_STORE_PASSWORD: STORE_PASSWORD },
    );
    expect(run.status, run.stderr).toBe(4);
    expect(storeRemains(dbPath)).toEqual([]);
  }, 120_000);

  it('the good key file: the store is created, the recovery key printed once, the fetch runs', async () => {
    const dbPath = path.join(root, 'cli', 'gut', 'postfach.db');
    const run = await postfach(args(dbPath, testPkiFiles(pkiDir).municipality.p12), { TEST_P12_PASSWORD: pkiPassword(pkiDir), POSTFACH_STORE_PASSWORD: STORE_PASSWORD });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr.match(/WIEDERHERSTELLUNGSSCHLÜSSEL/g)).toHaveLength(1);
    expect(storeRemains(dbPath).sort()).toEqual(['postfach.db', 'postfach.db.files', 'postfach.db.keys.json']);
  }, 60_000);
});

describe('the set-up through the contract (store.create with identity) with bad key material creates no store', () => {
  let host: ServiceHost;
  let api: PostfachApi;
  const dataDir = path.join(root, 'contract', 'daten');

  beforeAll(async () => {
    host = await startInProcessService({ dataDir, appVersion: '0.1.0-test', host: 'browser' });
    api = createApiClient(host.asBridge());
  });
  afterAll(async () => {
    await host?.close();
  });

  const errorOf = async (p: Promise<unknown>): Promise<PostfachError> => {
    try {
      await p;
    } catch (error) {
      if (error instanceof PostfachError) return error;
      throw error;
    }
    throw new Error('expected a PostfachError');
  };
  const setUp = (keyFile: string, password: string, more: Record<string, unknown> = {}) => ({
    keyFile,
    password,
    intermediaryUrl: intermediary.url,
    intermediaryCertificateFile: testPkiFiles(pkiDir).intermediary.cer,
    ...more,
  });

  for (const bad of BAD_KEYS) {
    it(`${bad.name}: ${bad.kind}, store state "none", no store file in the data folder`, async () => {
      const error = await errorOf(api.call('store.create', { password: 'Speicher-Passwort-2026', identity: setUp(bad.file(), bad.password()) }));
      expect(error.kind).toBe(bad.kind);
      expect(error.text.de.length).toBeGreaterThan(10);
      expect(await api.call('store.status', {})).toMatchObject({ state: 'none', identityConfigured: false });
      expect(storeRemains(path.join(dataDir, 'postfach.db'))).toEqual([]);
    });
  }

  it('an unreadable intermediary certificate or a bad address: refused the same way, nothing written', async () => {
    const f = testPkiFiles(pkiDir);
    const noCert = await errorOf(
      api.call('store.create', {
        password: 'Speicher-Passwort-2026',
        identity: setUp(f.municipality.p12, pkiPassword(pkiDir), { intermediaryCertificateFile: written('kein.cer', randomBytes(200)) }),
      }),
    );
    expect(noCert.kind).toBe('certificate-unreadable');
    const badUrl = await errorOf(
      api.call('store.create', {
        password: 'Speicher-Passwort-2026',
        identity: setUp(f.municipality.p12, pkiPassword(pkiDir), { intermediaryUrl: 'ftp://intermediaer.example/osci' }),
      }),
    );
    expect(badUrl.kind).toBe('identity-invalid');
    // a senders' CA file that holds no CA (the sender's own certificate)
    const notCa = await errorOf(
      api.call('store.create', { password: 'Speicher-Passwort-2026', identity: setUp(f.municipality.p12, pkiPassword(pkiDir), { trustedCaFiles: [f.sender.cer] }) }),
    );
    expect(notCa.kind).toBe('trusted-ca-not-ca');
    expect(storeRemains(path.join(dataDir, 'postfach.db'))).toEqual([]);
  });

  it('a store in a folder that does not exist yet: the folder is not left behind either', async () => {
    const dbPath = path.join(root, 'contract', 'neu', 'tief', 'postfach.db');
    const error = await errorOf(api.call('store.create', { path: dbPath, password: 'Speicher-Passwort-2026', identity: setUp(fixture('openssl3-nokey.p12'), FIXTURE_PASSWORD) }));
    expect(error.kind).toBe('pkcs12-no-private-key');
    expect(existsSync(path.join(root, 'contract', 'neu'))).toBe(false);
  });

  it("the good key file: store, identity and the senders' CA in one step, the recovery key once", async () => {
    const f = testPkiFiles(pkiDir);
    const created = await api.call('store.create', { password: 'Speicher-Passwort-2026', identity: setUp(f.municipality.p12, pkiPassword(pkiDir), { trustedCaFiles: [f.ca] }) });
    expect(created.recoveryKey).toMatch(/^[0-9A-Z]{6}(-[0-9A-Z]{6}){7}$/);
    expect(created.status).toMatchObject({ state: 'open', identityConfigured: true });
    expect((await api.call('identity.get', {})).identity?.intermediaryUrl).toBe(intermediary.url);
    expect((await api.call('trust.list', {})).cas.map((c) => [c.owner, c.source])).toEqual([['office', 'setup']]);
    const audit = await api.call('audit.list', {});
    expect(audit.entries.map((e) => e.action)).toEqual(['store-created', 'settings-changed', 'trusted-ca-added', 'trust-reevaluated']);
  });
});
