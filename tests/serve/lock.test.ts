/**
 * Exactly one `postfach serve` per store, with the built command as real processes: a second service on the same
 * store refuses at once and names the holder; with --wait it starts as soon as the first one ends; a service killed
 * with SIGKILL leaves its lock behind, which the next one takes over (its process is gone). A password file that
 * others may read is refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoMailbox, type DemoMailbox } from '../../app/demo-mailbox.js';
import { serveLockFile } from '../../core/store/serve-lock.js';
import { ensureCliBuilt } from '../helpers/build.js';
import { projectRoot } from '../helpers/shared.js';
import { makeCertificate, tempDir, type TestCertificate } from './helpers.js';

const cli = path.join(projectRoot, 'dist', 'cli', 'main.js');
let dir = '';
let demo: DemoMailbox;
let cert: TestCertificate;
let passwordFile = '';
const children: ChildProcess[] = [];

interface Started {
  readonly child: ChildProcess;
  readonly origin: Promise<string>;
  readonly exit: Promise<{ code: number | null; stderr: string; stdout: string }>;
}

function serve(extra: readonly string[] = []): Started {
  const child = spawn(
    process.execPath,
    [
      cli,
      'serve',
      '--store',
      demo.storePath,
      '--listen',
      '127.0.0.1:0',
      '--tls-cert',
      cert.certFile,
      '--tls-key',
      cert.keyFile,
      '--fetch-interval',
      '0',
      '--store-password-file',
      passwordFile,
      ...extra,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stdout = '';
  let stderr = '';
  const origin = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /fetch service running: (https:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`serve ended before it ran: ${stderr}`)));
  });
  origin.catch(() => undefined);
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal === null ? null : -1), stderr: `${stderr}${signal ?? ''}`, stdout })),
  );
  return { child, origin, exit };
}

beforeAll(async () => {
  ensureCliBuilt(['serve.js']);
  dir = tempDir();
  cert = makeCertificate(dir);
  demo = await startDemoMailbox(path.join(dir, 'mailbox'), { firstBatch: 1 });
  passwordFile = path.join(dir, 'store-password');
  writeFileSync(passwordFile, `${demo.unlock.password}\n`, { mode: 0o600 });
}, 180_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await demo?.close();
});

describe('one postfach serve per store', () => {
  it('a second service refuses at once and names the first; with --wait it starts when the first ends', async () => {
    const first = serve();
    await first.origin;
    expect(existsSync(serveLockFile(demo.storePath))).toBe(true);

    const second = serve();
    const refused = await second.exit;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('läuft schon ein Abrufdienst');
    expect(refused.stderr).toContain(`serve lock held: pid ${first.child.pid}`);

    const waiting = serve(['--wait', '120']);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(waiting.child.exitCode).toBeNull();
    first.child.kill('SIGTERM');
    expect((await first.exit).code).toBe(0);
    const origin = await waiting.origin;
    expect(origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    waiting.child.kill('SIGTERM');
    const ended = await waiting.exit;
    expect(ended.code, ended.stderr + ended.stdout).toBe(0);
    expect(existsSync(serveLockFile(demo.storePath))).toBe(false);
  }, 180_000);

  it('a service waiting for the lock ends at once when it is stopped', async () => {
    const first = serve();
    await first.origin;
    const waiting = serve(['--wait', '600']);
    await new Promise((r) => setTimeout(r, 1_500));
    const stoppedAt = Date.now();
    waiting.child.kill('SIGTERM');
    const ended = await waiting.exit;
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(ended.code).toBe(1);
    expect(ended.stderr).toContain('läuft schon ein Abrufdienst');
    first.child.kill('SIGTERM');
    expect((await first.exit).code).toBe(0);
  }, 120_000);

  it('a postfach fetch of another process opens no dialog while the service holds the store, and fetches after it', async () => {
    const fetchOnce = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [cli, 'fetch', '--store', demo.storePath, '--json'], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, POSTFACH_STORE_PASSWORD: demo.unlock.password },
        });
        let stderr = '';
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.once('exit', (code) => resolve({ code, stderr: stderr + stdout }));
      });
    const first = serve();
    await first.origin;
    const refused = await fetchOnce();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('serve-running');
    expect(refused.stderr).toContain(`serve lock held by pid ${first.child.pid}`);
    first.child.kill('SIGTERM');
    expect((await first.exit).code).toBe(0);
    const allowed = await fetchOnce();
    expect(allowed.stderr).not.toContain('serve-running');
    expect([0, 3]).toContain(allowed.code);
  }, 120_000);

  it('takes over the lock of a service killed with SIGKILL', async () => {
    const killed = serve();
    await killed.origin;
    killed.child.kill('SIGKILL');
    await killed.exit;
    expect(existsSync(serveLockFile(demo.storePath))).toBe(true);
    const next = serve();
    await next.origin;
    next.child.kill('SIGTERM');
    expect((await next.exit).code).toBe(0);
  }, 120_000);

  it('refuses a store password file that others may read', async () => {
    chmodSync(passwordFile, 0o644);
    try {
      const refused = await serve().exit;
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('chmod 600');
    } finally {
      chmodSync(passwordFile, 0o600);
    }
  });

  it('refuses to start without TLS on a network address', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--store', demo.storePath, '--listen', '0.0.0.0:0', '--plain-http-loopback', '--store-password-file', passwordFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('ohne TLS');
    expect(existsSync(serveLockFile(demo.storePath))).toBe(false);
  });

  it('postfach serve account add, role, disable and list manage the account file beside the store (0600, no hash shown)', async () => {
    const run = (args: string[], env: Record<string, string> = {}) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [cli, 'serve', 'account', ...args, '--store', demo.storePath], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, ...env },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.once('exit', (code) => resolve({ code, stdout, stderr }));
      });
    expect((await run(['add', 'eva', '--role', 'leitung'], { POSTFACH_ACCOUNT_PASSWORD: 'Eva-Passwort-2026' })).code).toBe(0);
    expect((await run(['add', 'eva', '--role', 'leitung'], { POSTFACH_ACCOUNT_PASSWORD: 'Eva-Passwort-2026' })).stderr).toContain('gibt es schon');
    expect((await run(['add', 'kurt', '--role', 'it'], { POSTFACH_ACCOUNT_PASSWORD: 'kurz' })).stderr).toContain('mindestens 10 Zeichen');
    expect((await run(['add', 'kurt', '--role', 'chef'], { POSTFACH_ACCOUNT_PASSWORD: 'Kurt-Passwort-2026' })).stderr).toContain('Rolle: sachbearbeitung, leitung oder it');
    expect((await run(['role', 'eva', 'it'])).code).toBe(0);
    expect((await run(['disable', 'eva'])).code).toBe(0);
    const listed = await run(['list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'eva', role: 'it', disabled: true, failures: 0, lockedUntil: null })]);
    expect(listed.stdout).not.toContain('hash');
    expect(statSync(`${demo.storePath}.accounts.json`).mode & 0o777).toBe(0o600);
  });
});
