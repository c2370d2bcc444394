import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuseConfig } from '../../electron/fuses.js';
import { projectRoot } from '../helpers/shared.js';

describe('Electron fuses', () => {
  it('decides every fuse of this Electron version, with the required values', () => {
    expect(fuseConfig.version).toBe(FuseVersion.V1);
    expect(fuseConfig.strictlyRequireAllFuses).toBe(true);
    const decided = Object.values(FuseV1Options).filter((v): v is FuseV1Options => typeof v === 'number');
    for (const fuse of decided) expect(typeof fuseConfig[fuse], FuseV1Options[fuse]).toBe('boolean');
    expect(fuseConfig[FuseV1Options.RunAsNode]).toBe(false);
    expect(fuseConfig[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(fuseConfig[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(fuseConfig[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(fuseConfig[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(fuseConfig[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(fuseConfig[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });

  it('are declared to the packaging step', () => {
    const builder = JSON.parse(readFileSync(path.join(projectRoot, 'build', 'electron-builder.json'), 'utf8')) as { afterPack: string; asar: boolean };
    expect(builder.afterPack).toBe('build/after-pack.cjs');
    expect(builder.asar).toBe(true);
    const hook = readFileSync(path.join(projectRoot, 'build', 'after-pack.cjs'), 'utf8');
    expect(hook).toContain("require('@electron/fuses')");
    expect(hook).toContain("'dist', 'electron', 'fuses.cjs'");
    expect(hook).toMatch(/flipFuses\(executable, \{ \.\.\.fuseConfig/);
    const bundler = readFileSync(path.join(projectRoot, 'build', 'build-electron.mjs'), 'utf8');
    expect(bundler).toContain("entryPoints: ['electron/fuses.ts']");
  });
});

/**
 * The real afterPack hook on a stand-in executable: a file holding Electron's fuse wire (the sentinel, the wire
 * version, the wire length and one byte per fuse, as in every Electron binary since 12), all fuses at their
 * Electron defaults. After the hook, the wire must hold exactly the decisions of electron/fuses.ts.
 */
describe('packaging hook (build/after-pack.cjs)', () => {
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  const ENABLE = 0x31;
  const DISABLE = 0x30;
  const require = createRequire(import.meta.url);
  let dir: string;

  const fakeExecutable = (fuses: number): string => {
    const file = path.join(dir, 'osci-postfach');
    const defaults = [ENABLE, DISABLE, ENABLE, ENABLE, DISABLE, DISABLE, DISABLE, ENABLE, ENABLE].slice(0, fuses);
    writeFileSync(file, Buffer.concat([Buffer.from('ELF...some code...'), Buffer.from(SENTINEL), Buffer.from([1, fuses, ...defaults]), Buffer.from('...more code')]));
    return file;
  };
  const context = () => ({ electronPlatformName: 'linux', appOutDir: dir, arch: 1, packager: { appInfo: { productFilename: 'OSCI-Postfach' }, executableName: 'osci-postfach' } });
  const hook = (): ((context: unknown) => Promise<void>) =>
    (require(path.join(projectRoot, 'build', 'after-pack.cjs')) as { default: (context: unknown) => Promise<void> }).default;

  beforeAll(() => {
    // the hook reads the bundled decisions, as in packaging after `npm run build`; bundle them when missing or stale
    const bundled = path.join(projectRoot, 'dist', 'electron', 'fuses.cjs');
    const mtime = (p: string): number => statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    if (mtime(bundled) < mtime(path.join(projectRoot, 'electron', 'fuses.ts'))) {
      execFileSync(process.execPath, [path.join(projectRoot, 'build', 'build-electron.mjs')], { cwd: projectRoot });
    }
    dir = mkdtempSync(path.join(tmpdir(), 'postfach-fuses-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('flips every fuse to the declared value', async () => {
    const file = fakeExecutable(8);
    await hook()(context());
    const bytes = readFileSync(file);
    const wire = bytes.subarray(bytes.indexOf(SENTINEL) + SENTINEL.length + 2, bytes.indexOf(SENTINEL) + SENTINEL.length + 10);
    const expected = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => (fuseConfig[i as FuseV1Options] ? ENABLE : DISABLE));
    expect([...wire]).toEqual(expected);
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
  });

  it('fails the packaging when the Electron binary has a fuse nobody decided', async () => {
    fakeExecutable(9);
    await expect(hook()(context())).rejects.toThrow(/strictlyRequireAllFuses/);
  });
});
