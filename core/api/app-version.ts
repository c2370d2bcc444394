/**
 * The program's version from its package.json, found by walking up from this module (it sits at a different depth
 * in the sources and in dist/). Electron passes `app.getVersion()` instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function readAppVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === 'osci-postfach' && typeof parsed.version === 'string') return parsed.version;
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}
