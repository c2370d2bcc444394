/**
 * Licences of what the background service runs on (the direct dependencies in package.json, as installed) and of
 * the fonts shipped in resources/fonts, for the about box. The libraries bundled into the window are listed by the
 * renderer build itself (dist/renderer/licenses.json, build/vite/licenses-plugin.ts), which knows exactly what
 * went into the bundle.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LicenseEntry {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly usedIn: 'ui' | 'service' | 'font';
  readonly homepage?: string;
}

/** The folder of this module: ESM (tsc, tsx) or CommonJS (the Electron service bundle, where import.meta is empty). */
function hereDir(): string {
  const url = (import.meta as { url?: unknown }).url;
  if (typeof url === 'string') return path.dirname(fileURLToPath(url));
  return typeof __dirname === 'string' ? __dirname : process.cwd();
}

export function findAppRoot(start: string = hereDir()): string | undefined {
  let dir = start;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown }).name === 'osci-postfach') return dir;
      } catch {
        // not ours
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

interface PackageJson {
  name?: unknown;
  version?: unknown;
  license?: unknown;
  homepage?: unknown;
  dependencies?: Record<string, string>;
}

const text = (value: unknown, fallback: string): string => (typeof value === 'string' && value !== '' ? value.slice(0, 200) : fallback);

function readPackage(file: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

/** UI-only packages are reported by the renderer build; the service lists what it loads itself. */
const UI_ONLY = new Set(['react', 'react-dom', 'react-aria-components', '@tanstack/react-virtual', 'pdfjs-dist']);

export function serviceLicenses(root: string | undefined = findAppRoot()): LicenseEntry[] {
  if (root === undefined) return [];
  const own = readPackage(path.join(root, 'package.json'));
  const entries: LicenseEntry[] = [];
  for (const name of Object.keys(own?.dependencies ?? {}).sort()) {
    if (UI_ONLY.has(name)) continue;
    const pkg = readPackage(path.join(root, 'node_modules', ...name.split('/'), 'package.json'));
    if (pkg === undefined) continue;
    entries.push({
      name,
      version: text(pkg.version, '?'),
      license: text(pkg.license, 'siehe Paket'),
      usedIn: 'service',
      ...(typeof pkg.homepage === 'string' ? { homepage: pkg.homepage.slice(0, 500) } : {}),
    });
  }
  if (existsSync(path.join(root, 'resources', 'fonts', 'DejaVu-LICENSE.txt'))) {
    const dejavu = readPackage(path.join(root, 'node_modules', 'dejavu-fonts-ttf', 'package.json'));
    entries.push({
      name: 'DejaVu Sans (PDF-Export)',
      version: text(dejavu?.version, '2.37'),
      license: 'Bitstream Vera / DejaVu (frei)',
      usedIn: 'font',
      homepage: 'https://dejavu-fonts.github.io/',
    });
  }
  return entries;
}
