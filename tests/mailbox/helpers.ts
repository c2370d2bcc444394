/**
 * Shared set-up of the mailbox tests: the built CLI (built when older than the sources), a test PKI made once per
 * machine and reused (RSA key generation costs seconds on two cores), the real local intermediary, real stores
 * with a fast KDF (the CLI reads the KDF parameters from the key file), temporary folders.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { createTestPki, testPkiFiles } from '../../core/pki/test-pki.js';
import { PostfachStore } from '../../core/store/index.js';
import {
  loadIntermediaryKeys,
  loadSenderSetup,
  sendApplications,
  startIntermediary,
  type RunningIntermediary,
  type SendOptions,
  type SentApplication,
} from '../../intermediary/index.js';
import { ensureCliBuilt } from '../helpers/build.js';
import { projectRoot } from '../helpers/shared.js';

export const cli = path.join(projectRoot, 'dist', 'cli', 'main.js');
export const STORE_PASSWORD = 'Kohlmeise-Winter-2026';
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 } as const;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix = 'postfach-mailbox-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** Builds dist/ when the mailbox commands are missing or older than the sources (npm test builds first anyway). */
export function ensureBuilt(): void {
  ensureCliBuilt(['mailbox.js', 'demo.js', 'send.js']);
}

export interface Run {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

/** Runs the built CLI as its own process (asynchronously: an intermediary in this process must keep answering). */
export function postfach(args: readonly string[], env: Record<string, string | undefined> = {}, timeoutMs = 180_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, timeout: timeoutMs });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ status, signal, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr });
    });
  });
}

/** One test PKI per machine (made by createTestPki, valid 730 days), reused by every mailbox test file. */
export async function sharedPki(): Promise<string> {
  const dir = path.join(os.tmpdir(), 'postfach-mailbox-tests-pki-v1');
  const ready = (): boolean => {
    if (!existsSync(testPkiFiles(dir).password)) return false;
    const cert = readFileSync(testPkiFiles(dir).municipality.cer);
    return cert.length > 0 && statSync(testPkiFiles(dir).municipality.cer).mtimeMs > Date.now() - 300 * 24 * 3600 * 1000;
  };
  if (ready()) return dir;
  const staging = mkdtempSync(path.join(os.tmpdir(), 'postfach-mailbox-pki-staging-'));
  await createTestPki(path.join(staging, 'pki'));
  try {
    rmSync(dir, { recursive: true, force: true });
    renameSync(path.join(staging, 'pki'), dir);
  } catch {
    // another test file was quicker: use its PKI
  }
  rmSync(staging, { recursive: true, force: true });
  if (!ready()) throw new Error('shared test PKI missing');
  return dir;
}

export function pkiPassword(pkiDir: string): string {
  return readFileSync(testPkiFiles(pkiDir).password, 'utf8').replace(/\r?\n$/, '');
}

export async function startTestIntermediary(pkiDir: string, dataDir: string, options: Parameters<typeof startIntermediary>[0]['options'] = {}): Promise<RunningIntermediary> {
  return startIntermediary({ port: 0, dataDir, keys: loadIntermediaryKeys({ pkiDir }), options });
}

/** Sends as the Sozialplattform would (the library behind `postfach send`). */
export async function send(url: string, pkiDir: string, options: Omit<SendOptions, 'intermediaryUrl' | 'setup'> = {}): Promise<SentApplication[]> {
  return sendApplications({ intermediaryUrl: url, setup: loadSenderSetup({ pkiDir }), ...options });
}

/** A new store with the test password and a fast KDF (the CLI opens it with `POSTFACH_STORE_PASSWORD`). */
export async function createStore(dbPath: string): Promise<void> {
  const { store } = await PostfachStore.create(dbPath, { password: STORE_PASSWORD, scrypt: FAST_SCRYPT });
  store.close();
}

export async function openStore(dbPath: string): Promise<PostfachStore> {
  return PostfachStore.open(dbPath, { password: STORE_PASSWORD });
}

/** `postfach fetch` arguments for the test PKI's municipality against `url`. */
export function fetchArgs(dbPath: string, url: string, pkiDir: string, extra: readonly string[] = []): string[] {
  const f = testPkiFiles(pkiDir);
  return [
    'fetch',
    '--store',
    dbPath,
    '--intermediary',
    url,
    '--intermediary-cert',
    f.intermediary.cer,
    '--p12',
    f.municipality.p12,
    '--password-env',
    'TEST_P12_PASSWORD',
    '--trusted-ca',
    f.ca,
    ...extra,
  ];
}

export function fetchEnv(pkiDir: string): Record<string, string> {
  return { TEST_P12_PASSWORD: pkiPassword(pkiDir), POSTFACH_STORE_PASSWORD: STORE_PASSWORD };
}
