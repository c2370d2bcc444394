import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectronRuntime } from '../../cli/electron-runtime.js';

describe('finding the Electron runtime without downloading it', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'postfach-electron-runtime-'));
  const pkg = path.join(root, 'node_modules', 'electron');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports a missing package, a missing binary, and a present one', () => {
    expect(findElectronRuntime(root, {})).toEqual({ available: false, reason: 'the electron package is not installed' });
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), '{"name":"electron"}');
    expect(findElectronRuntime(root, {})).toMatchObject({ available: false, reason: expect.stringContaining('never downloaded') });
    writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    expect(findElectronRuntime(root, {})).toMatchObject({ available: false, reason: expect.stringContaining('binary is missing') });
    mkdirSync(path.join(pkg, 'dist'));
    writeFileSync(path.join(pkg, 'dist', 'electron'), '');
    expect(findElectronRuntime(root, {})).toEqual({ available: true, executable: path.join(pkg, 'dist', 'electron') });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    const other = path.join(root, 'other');
    mkdirSync(other);
    expect(findElectronRuntime(root, { ELECTRON_OVERRIDE_DIST_PATH: other })).toMatchObject({ available: false });
    writeFileSync(path.join(other, 'electron'), '');
    expect(findElectronRuntime(root, { ELECTRON_OVERRIDE_DIST_PATH: other })).toEqual({ available: true, executable: path.join(other, 'electron') });
  });
});
