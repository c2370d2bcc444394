/**
 * The command line loads only the sub-command that runs (cli/main.ts, issue 14: loading all of them cost about a
 * second before `postfach inspect` read its first byte). Help and usage errors read as before: without a command,
 * with an option first, with `help` or an unknown name, every command is registered.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt } from '../helpers/build.js';
import { projectRoot } from '../helpers/shared.js';

const cli = path.join(projectRoot, 'dist', 'cli', 'main.js');
const ALL = ['pki', 'inspect', 'ui', 'intermediary', 'send', 'fetch', 'list', 'show', 'export', 'demo', 'backup', 'abnahme', 'config', 'rotate'];

function postfach(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const listed = (help: string) => ALL.filter((name) => new RegExp(`^\\s+${name}\\b`, 'm').test(help));

beforeAll(() => ensureCliBuilt([]), 180_000);

describe('postfach sub-commands', () => {
  it('help lists every command (--help, help, no command)', () => {
    for (const args of [['--help'], ['help']]) {
      const r = postfach(args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(listed(r.out)).toEqual(ALL);
    }
    expect(listed(postfach([]).out)).toEqual(ALL);
  });

  it("a command's own help and options work when only it is loaded", () => {
    const inspect = postfach(['inspect', '--help']);
    expect(inspect.status).toBe(0);
    expect(inspect.out).toMatch(/--trusted-signer/);
    const list = postfach(['list', '--help']);
    expect(list.status).toBe(0);
    expect(list.out).toMatch(/--store/);
  });

  it('an unknown command or option is a usage error (exit 2) naming it', () => {
    const typo = postfach(['inspekt']);
    expect(typo.status).toBe(2);
    expect(typo.out).toMatch(/inspekt/);
    expect(postfach(['inspect', '--nope', 'x']).status).toBe(2);
  });

  it('wrong usage found after parsing (PostfachError "usage") exits 2 too, naming what is wrong', () => {
    // no account file named
    const unnamed = postfach(['serve', 'account', 'list']);
    expect(unnamed.out).toContain('Bitte --config, --store oder --accounts angeben.');
    expect(unnamed.status).toBe(2);
    // a role that does not exist (checked before any file is touched)
    const role = postfach(['serve', 'account', 'add', 'carla', '--role', 'chef', '--accounts', path.join(projectRoot, 'nicht-da', 'accounts.json')]);
    expect(role.out).toContain('Rolle: sachbearbeitung, leitung oder it.');
    expect(role.status).toBe(2);
  });
});
