/**
 * Shared parts of the tests of the service on PostgreSQL (tests/serve/pg-serve.test.ts, tests/mailbox/pg-kill.test.ts):
 * the single-PC store set up with the test PKI's mailbox identity and CA (what IT has before it switches to a team
 * set-up), the serve settings with a `postgresql` section for a throw-away cluster, and the shared store opened the
 * way the service opens it (the key file and the store password).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { identityFromFiles, identityRecord } from '../../core/mailbox/identity.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { PostfachStore } from '../../core/store/index.js';
import { PgMailboxStore, unlockPgKeyFile, type LocalCluster } from '../../core/store-pg/index.js';
import { cli, FAST_SCRYPT, pkiPassword, STORE_PASSWORD } from './helpers.js';

/** A single-PC store with the mailbox identity (the test municipality against `url`) and the test CA, as set up by the program. */
export async function singlePcStore(dbPath: string, pkiDir: string, url: string): Promise<void> {
  const f = testPkiFiles(pkiDir);
  const { store } = await PostfachStore.create(dbPath, { password: STORE_PASSWORD, scrypt: FAST_SCRYPT });
  try {
    store.saveMailboxIdentity(
      identityRecord(
        identityFromFiles({
          keyFile: f.municipality.p12,
          password: pkiPassword(pkiDir),
          intermediaryUrl: url,
          intermediaryCertificateFile: f.intermediary.cer,
          timeoutSeconds: 30,
        }),
      ),
    );
    store.addTrustedCas([new X509Certificate(readFileSync(f.ca)).raw], 'setup');
  } finally {
    store.close();
  }
}

/** A new database in the cluster. */
export async function createDatabase(cluster: LocalCluster, name: string): Promise<void> {
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: cluster.url });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

/** The `postgresql` section of serve.json for `database` in the throw-away cluster (loopback: TLS may be off). */
export function pgSection(cluster: LocalCluster, database: string, keyFile: string) {
  return { host: cluster.host, port: cluster.port, database, user: cluster.user, tls: 'disable' as const, keyFile, passwordEnv: 'TEST_PG_PASSWORD' };
}

/** Writes a serve.json (for the built `postfach serve`). */
export function writeServeConfig(file: string, config: Record<string, unknown>): string {
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return path.resolve(file);
}

/** The environment of a service: the store password and the database password. */
export function serveEnv(cluster: LocalCluster): Record<string, string> {
  return { SERVE_TEST_STORE_PASSWORD: STORE_PASSWORD, TEST_PG_PASSWORD: cluster.password };
}

/** The shared store, opened as the service opens it: the data key from the key file with the store password. */
export async function openSharedStore(cluster: LocalCluster, database: string, keyFile: string): Promise<PgMailboxStore> {
  const dataKey = await unlockPgKeyFile(keyFile, { password: STORE_PASSWORD });
  return PgMailboxStore.open({ connection: { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database }, dataKey, osUser: 'test' });
}

/**
 * The built `postfach serve` without a kill: started, its first scheduled fetch awaited in its output (the hand-over
 * after it is done by then), then stopped (SIGTERM). The fetch line, and the exit code.
 */
export function serveUntilFetched(configFile: string, env: Record<string, string>): Promise<{ fetchLine: string; code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'serve', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let fetchLine = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('Abruf / fetch:') || l.startsWith('Abruf fehlgeschlagen') || l.startsWith('Abruf läuft schon'));
      if (line !== undefined && fetchLine === '') {
        fetchLine = line;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (fetchLine === '') reject(new Error(`serve ended without a fetch: ${out.slice(-500)}`));
      else resolve({ fetchLine, code, output: out });
    });
  });
}
