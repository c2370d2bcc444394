/**
 * The set-up on Debian: `npm test` first runs scripts/check-system.mjs, which names what is missing in one
 * German/English line (a command missing from PATH, Chromium missing at its place) and stops; the set-up script
 * scripts/setup-debian.sh installs every package the check asks for, .ci/run runs exactly that script and the test
 * command, and the README names the script (so CI proves the README).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/shared.js';

interface Requirement {
  readonly package: string;
  readonly commands: readonly string[];
  readonly files: readonly string[];
}

const script = path.join(projectRoot, 'scripts', 'check-system.mjs');
const check = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [script], { cwd: projectRoot, encoding: 'utf8', env });
const requirements = (): Requirement[] => JSON.parse(spawnSync(process.execPath, [script, '--list'], { encoding: 'utf8' }).stdout) as Requirement[];

/** Where a command is on this machine's PATH. */
function which(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return path.join(dir, name);
    } catch {
      // next folder
    }
  }
  throw new Error(`${name} is not on PATH: run scripts/setup-debian.sh`);
}

describe('npm test checks the system first (scripts/check-system.mjs)', () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(path.join(tmpdir(), 'postfach-path-'));
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('is silent on this machine, where everything is installed', () => {
    const run = check(process.env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('names the one package whose command is missing from PATH, in one German/English line', () => {
    // every command the tests call except qpdf's
    for (const command of requirements().flatMap((r) => (r.package === 'qpdf' ? [] : r.commands))) symlinkSync(which(command), path.join(bin, command));
    const run = check({ ...process.env, PATH: bin });
    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      'Systempakete fehlen: qpdf (qpdf) – bitte „scripts/setup-debian.sh“ ausführen. / System packages missing: qpdf (qpdf) – please run "scripts/setup-debian.sh".',
    );
  });

  it('names every missing package at once: Chromium at its place, the PDF tools, openssl', () => {
    const run = check({ ...process.env, PATH: path.join(bin, 'empty'), POSTFACH_CHROMIUM: path.join(bin, 'no-chromium') });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    for (const name of ['chromium (', 'poppler-utils (pdftotext', 'qpdf (qpdf)', 'openssl (openssl)']) expect(run.stderr).toContain(name);
    expect(run.stderr).toMatch(
      /^Systempakete fehlen: .* – bitte „scripts\/setup-debian\.sh“ ausführen\. \/ System packages missing: .* – please run "scripts\/setup-debian\.sh"\.\n$/,
    );
  });
});

describe('one set-up step for Debian, the same in README and CI', () => {
  it('scripts/setup-debian.sh installs every package the check asks for, and runs npm ci', () => {
    const setup = readFileSync(path.join(projectRoot, 'scripts', 'setup-debian.sh'), 'utf8');
    const list = /^packages=\(\n([\s\S]*?)\n\)/m.exec(setup)?.[1] ?? '';
    const installed = list
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter((p) => p !== '');
    for (const r of requirements()) expect(installed).toContain(r.package);
    // the cipher build of npm ci, and the database server later issues need
    expect(installed).toEqual(expect.arrayContaining(['build-essential', 'python3', 'postgresql']));
    expect(setup).toMatch(/^ {4}npm ci --no-audit --no-fund$/m);
    expect(setup).toMatch(/^node scripts\/check-system\.mjs$/m);
  });

  it('.ci/run runs that script and the test command, npm test starts with the check, the README names both', () => {
    const ci = readFileSync(path.join(projectRoot, '.ci', 'run'), 'utf8');
    const commands = ci.split('\n').filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('set ') && !l.startsWith('cd '));
    expect(commands).toEqual(['scripts/setup-debian.sh', 'npm test']);
    const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.test).toMatch(/^node scripts\/check-system\.mjs && /);
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    expect(readme).toContain('scripts/setup-debian.sh && npm start');
    expect(readme).toContain('\nnpm test\n');
  });
});
