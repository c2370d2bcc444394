/**
 * Lists every npm package that went into the UI bundle — name, version, licence, from its package.json — as
 * dist/renderer/licenses.json, for the about box. Taken from the modules the bundler actually included, so the list
 * is exact (nothing missing, nothing only installed).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

interface Entry {
  name: string;
  version: string;
  license: string;
  homepage?: string;
}

/** The package folder of a module path inside node_modules (scoped packages included). */
function packageDir(id: string): string | undefined {
  const clean = id.split('?')[0] ?? id;
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = clean.lastIndexOf(marker);
  if (at < 0) return undefined;
  const rest = clean.slice(at + marker.length).split(path.sep);
  const parts = rest[0]?.startsWith('@') ? rest.slice(0, 2) : rest.slice(0, 1);
  return clean.slice(0, at + marker.length) + parts.join(path.sep);
}

export function bundledLicenses(): Plugin {
  return {
    name: 'postfach-bundled-licenses',
    apply: 'build',
    generateBundle(_options, bundle) {
      const dirs = new Set<string>();
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const id of Object.keys(chunk.modules)) {
          const dir = packageDir(id);
          if (dir !== undefined) dirs.add(dir);
        }
      }
      // the pdf.js worker is copied as an asset, not bundled as a module
      const entries = new Map<string, Entry>();
      for (const dir of dirs) {
        try {
          const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string; license?: string; homepage?: string };
          if (typeof pkg.name !== 'string') continue;
          entries.set(pkg.name, { name: pkg.name, version: pkg.version ?? '?', license: pkg.license ?? 'siehe Paket', ...(pkg.homepage ? { homepage: pkg.homepage } : {}) });
        } catch {
          // a folder without package.json (nested build output): its parent package is listed
        }
      }
      const list = [...entries.values()].sort((a, b) => a.name.localeCompare(b.name));
      this.emitFile({ type: 'asset', fileName: 'licenses.json', source: `${JSON.stringify(list, null, 1)}\n` });
    },
  };
}
