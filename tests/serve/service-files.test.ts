/**
 * The service files in packaging/service/ match the command line: the systemd unit's ExecStart and the Windows
 * (WinSW) service's arguments start `postfach serve` with options the built command really has, the config file
 * they name is the example's schema, and `systemd-analyze verify` accepts the unit where it is installed.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolvePgSettings, resolveServeConfig } from '../../core/serve/serve-config.js';
import { ensureCliBuilt } from '../helpers/build.js';
import { projectRoot } from '../helpers/shared.js';
import { tempDir } from './helpers.js';

const folder = path.join(projectRoot, 'packaging', 'service');
const cli = path.join(projectRoot, 'dist', 'cli', 'main.js');
let serveOptions: Set<string>;

/** Splits a command line as systemd and WinSW do for these files (double quotes group, no escapes needed). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

/** The postfach part of a command: `serve` and its options with values, checked against `postfach serve --help`. */
function checkPostfachArgs(args: readonly string[]): void {
  expect(args[0]).toBe('serve');
  for (const arg of args.slice(1).filter((a) => a.startsWith('--'))) expect(serveOptions.has(arg), `${arg} is an option of postfach serve`).toBe(true);
  expect(args).toContain('--config');
}

beforeAll(() => {
  ensureCliBuilt(['serve.js']);
  const help = spawnSync(process.execPath, [cli, 'serve', '--help'], { encoding: 'utf8' });
  expect(help.status).toBe(0);
  serveOptions = new Set([...help.stdout.matchAll(/(--[a-z-]+)/g)].map((m) => m[1]!));
}, 600_000);

describe('packaging/service', () => {
  it('the systemd unit starts postfach serve with options the command has', () => {
    const unit = readFileSync(path.join(folder, 'osci-postfach-serve.service'), 'utf8');
    const execStart = /^ExecStart=(.+)$/m.exec(unit)?.[1];
    expect(execStart).toBeDefined();
    const [node, main, ...args] = words(execStart!);
    expect(path.basename(node!)).toBe('node');
    expect(main!.endsWith('/dist/cli/main.js')).toBe(true);
    checkPostfachArgs(args);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    expect(unit).toMatch(/^UMask=0077$/m);
  });

  it('systemd-analyze verify accepts the unit (where systemd is installed)', (context) => {
    const which = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (which.status !== 0) {
      context.skip('systemd-analyze is not installed here');
      return;
    }
    const copy = path.join(tempDir(), 'osci-postfach-serve.service');
    copyFileSync(path.join(folder, 'osci-postfach-serve.service'), copy);
    const verify = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
  });

  it('the Windows service (WinSW) starts the same command', () => {
    const xml = readFileSync(path.join(folder, 'osci-postfach-serve.xml'), 'utf8');
    const executable = /<executable>([^<]+)<\/executable>/.exec(xml)?.[1];
    const argumentsLine = /<arguments>([^<]+)<\/arguments>/.exec(xml)?.[1];
    expect(executable?.endsWith('\\node.exe')).toBe(true);
    const [main, ...args] = words(argumentsLine!);
    expect(main!.endsWith('\\dist\\cli\\main.js')).toBe(true);
    checkPostfachArgs(args);
    expect(/<stoptimeout>60 sec<\/stoptimeout>/.test(xml)).toBe(true);
  });

  it('the example settings file is valid for postfach serve', () => {
    const file = path.join(folder, 'serve.example.json');
    const config = resolveServeConfig(file, {});
    expect(config.store).toBe('/var/lib/osci-postfach/postfach.db');
    expect(config.tlsCert).toBeDefined();
    expect(config.plainHttpOnLoopback).toBe(false);
  });

  it('the example settings file for PostgreSQL is valid for postfach serve, TLS to the database checked', () => {
    const file = path.join(folder, 'serve.postgresql.example.json');
    const config = resolveServeConfig(file, {});
    expect(config.store).toBe('/var/lib/osci-postfach/postfach.db');
    expect(config.tlsCert).toBeDefined();
    expect(config.postgresql).toEqual({
      host: 'db.sozialamt.example',
      port: 5432,
      database: 'osci_postfach',
      user: 'osci_postfach',
      passwordFile: '/etc/osci-postfach/pg-password',
      passwordEnv: 'PGPASSWORD',
      tls: 'verify-full',
      tlsCaFile: '/etc/osci-postfach/tls/pg-ca.crt',
      keyFile: '/var/lib/osci-postfach/postfach.db.pg-keys.json',
    });
    // the settings the service opens the database with: the password from its file (owner-only), read as the service does
    const dir = tempDir();
    const passwordFile = path.join(dir, 'pg-password');
    writeFileSync(passwordFile, 'Datenbank-Passwort\n', { mode: 0o600 });
    const example = JSON.parse(readFileSync(file, 'utf8')) as { postgresql: Record<string, unknown> };
    const copy = path.join(dir, 'serve.json');
    writeFileSync(copy, JSON.stringify({ ...example, postgresql: { ...example.postgresql, passwordFile } }));
    expect(resolvePgSettings(resolveServeConfig(copy, {}), {})).toMatchObject({ host: 'db.sozialamt.example', password: 'Datenbank-Passwort', tls: 'verify-full' });
  });
});
