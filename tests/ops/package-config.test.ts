/**
 * The MSI cannot be built here (no Electron binary, no WiX download): the electron-builder configuration is checked
 * statically instead — valid against electron-builder's own JSON schema (with ajv), the MSI options local IT relies
 * on, no auto-updater, the fuses, the native module, the file list (through electron-builder's own file matcher),
 * and the icon set.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { fuseConfig } from '../../electron/fuses.js';

const root = path.resolve('.');
const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(path.join(root, 'build/electron-builder.json'), 'utf8')) as Record<string, any>;
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, any>;

/** The UpgradeCode is generated once and never changes: a new one would install a second product beside the old. */
const UPGRADE_CODE = '419B8B2F-2D46-4D7E-8D3E-3C2AC84C0048';

describe('electron-builder configuration (build/electron-builder.json)', () => {
  it('is valid against electron-builder’s own schema', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv.default({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 1)).toBe(true);
    // and a broken one is refused (the check can fail)
    expect(validate({ ...config, msi: { ...config.msi, perMachine: 'ja' } })).toBe(false);
    expect(validate({ ...config, $comment: 'x' })).toBe(false);
  });

  it('builds one per-machine MSI: fixed UpgradeCode, oneClick, no run after install, shortcuts, product name and icon', () => {
    expect(config.productName).toBe('OSCI-Postfach');
    // Electron names the user data folder after package.json's productName: %APPDATA%\OSCI-Postfach (docs/betrieb.md)
    expect(config.extraMetadata).toEqual({ productName: 'OSCI-Postfach' });
    expect(config.win.target).toEqual([{ target: 'msi', arch: ['x64'] }]);
    expect(config.win.icon).toBe('resources/icons/postfach.ico');
    expect(config.msi).toMatchObject({
      oneClick: true,
      perMachine: true,
      runAfterFinish: false,
      createDesktopShortcut: 'always',
      createStartMenuShortcut: true,
      shortcutName: 'OSCI-Postfach',
      upgradeCode: UPGRADE_CODE,
      warningsAsErrors: true,
      artifactName: 'OSCI-Postfach-${version}.msi',
    });
    // the MSI's Manufacturer comes from package.json's author
    expect(pkg.author?.name).toBe('OSCI-Postfach-Projekt');
    expect(pkg.scripts['dist:win']).toContain('electron-builder --win msi --x64 --config build/electron-builder.json --publish never');
  });

  it('has no auto-updater: nothing published, no update metadata, no updater module in the program', () => {
    expect(config.publish).toBeNull();
    expect(config.win.publish).toBeNull();
    expect(config.msi.publish).toBeNull();
    expect({ ...pkg.dependencies, ...pkg.devDependencies }).not.toHaveProperty('electron-updater');
    for (const file of readdirSync(path.join(root, 'electron')).filter((f) => f.endsWith('.ts'))) {
      expect(readFileSync(path.join(root, 'electron', file), 'utf8'), file).not.toMatch(/autoUpdater|electron-updater/);
    }
  });

  it('flips the fuses after packing, every fuse decided', () => {
    expect(config.afterPack).toBe('build/after-pack.cjs');
    expect(statSync(path.join(root, config.afterPack as string)).isFile()).toBe(true);
    expect(config.asar).toBe(true);
    expect(fuseConfig.strictlyRequireAllFuses).toBe(true);
    for (const fuse of Object.values(FuseV1Options).filter((v): v is FuseV1Options => typeof v === 'number')) {
      expect(typeof fuseConfig[fuse], FuseV1Options[fuse]).toBe('boolean');
    }
    expect(fuseConfig[FuseV1Options.RunAsNode]).toBe(false);
    expect(fuseConfig[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(fuseConfig[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
  });

  it('rebuilds the SQLite cipher module for Electron and keeps it outside the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3-multiple-ciphers/**');
    expect(pkg.dependencies).toHaveProperty('better-sqlite3-multiple-ciphers');
  });

  it('packs the built app and its resources, never tests, benchmarks, docs or sources', () => {
    const { FileMatcher } = require('app-builder-lib/out/fileMatcher.js') as {
      FileMatcher: new (
        from: string,
        to: string,
        expand: (s: string) => string,
        patterns: string[],
      ) => { createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean };
    };
    const filter = new FileMatcher(root, root, (s) => s, config.files as string[]).createFilter();
    const packed = (file: string) => filter(path.join(root, file), { isDirectory: () => false });
    for (const file of [
      'package.json',
      'dist/electron/main.cjs',
      'dist/electron/service.cjs',
      'dist/renderer/index.html',
      'resources/icons/postfach-256.png',
      'resources/fonts/DejaVuSans.ttf',
    ]) {
      expect(packed(file), file).toBe(true);
    }
    for (const file of [
      'tests/ops/package-config.test.ts',
      'dist/tests/x.js',
      'bench/main.ts',
      'dist/bench/main.js',
      'docs/betrieb.md',
      'core/config/settings.ts',
      'dist/cli/main.js',
      'dist/electron/main.cjs.map',
      'resources/icons/postfach.svg',
      'node_modules/some-lib/test/fixture.js',
      'node_modules/some-lib/README.md',
      'node_modules/better-sqlite3-multiple-ciphers/deps/sqlite3/sqlite3.c',
    ]) {
      expect(packed(file), file).toBe(false);
    }
  });
});

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('icon set (resources/icons, made by build/icons/make-icons.mjs from the SVGs)', () => {
  it('the .ico holds every Windows size as a PNG of that size', () => {
    const ico = readFileSync(path.join(root, 'resources/icons/postfach.ico'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const e = 6 + 16 * i;
      const size = ico.readUInt8(e) || 256;
      const length = ico.readUInt32LE(e + 8);
      const offset = ico.readUInt32LE(e + 12);
      expect(pngSize(ico.subarray(offset, offset + length))).toEqual({ width: size, height: size });
      sizes.push(size);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('the PNGs have the size their name says', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(readFileSync(path.join(root, `resources/icons/postfach-${size}.png`)))).toEqual({ width: size, height: size });
    }
  });
});
