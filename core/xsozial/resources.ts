/**
 * Finds the bundled resources folder (labels, code lists, fonts). It lies at the project root, which is two
 * levels above this file in the sources and three in dist/; walking up also works inside a packaged app.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function resourcesRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'resources');
    if (existsSync(path.join(candidate, 'xsozial', 'labels.de.json'))) {
      cached = candidate;
      return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new Error('resources folder (resources/xsozial/labels.de.json) not found above core/xsozial');
}

export function readResourceJson(...parts: string[]): unknown {
  return JSON.parse(readFileSync(path.join(resourcesRoot(), ...parts), 'utf8')) as unknown;
}

export function listResourceFiles(folder: string, extension: string): string[] {
  return readdirSync(path.join(resourcesRoot(), folder))
    .filter((f) => f.endsWith(extension))
    .sort();
}

/** Absolute path of a bundled resource file (fonts for the PDF export and the generator). */
export function resourcePath(...parts: string[]): string {
  return path.join(resourcesRoot(), ...parts);
}
