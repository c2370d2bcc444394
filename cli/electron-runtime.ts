/**
 * Is the Electron runtime on this machine? Answered from the electron package's files, without `require('electron')`,
 * which would try to download the binary (and fail, slowly, on machines that reach only package registries).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type ElectronRuntime = { readonly available: true; readonly executable: string } | { readonly available: false; readonly reason: string };

export function findElectronRuntime(projectRoot: string, env: NodeJS.ProcessEnv = process.env): ElectronRuntime {
  const packageDir = path.join(projectRoot, 'node_modules', 'electron');
  if (!existsSync(path.join(packageDir, 'package.json'))) return { available: false, reason: 'the electron package is not installed' };
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override !== undefined && override !== '') {
    const executable = path.join(override, relative ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(executable) ? { available: true, executable } : { available: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${executable}` };
  }
  if (relative === undefined) return { available: false, reason: 'the Electron binary was never downloaded (node_modules/electron/path.txt missing)' };
  const executable = path.join(packageDir, 'dist', relative);
  if (!existsSync(executable)) return { available: false, reason: `the Electron binary is missing (${executable})` };
  return { available: true, executable };
}
