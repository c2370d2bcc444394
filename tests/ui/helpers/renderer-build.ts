/**
 * Makes sure dist/renderer holds a build of the current sources. `npm test` builds first, so this is normally a
 * quick check; when UI tests run alone (`npx vitest run tests/ui`) after a source change, it rebuilds once, under a
 * lock so parallel test files do not build at the same time.
 */
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../helpers/shared.js';

export const rendererDist = path.join(projectRoot, 'dist', 'renderer');
const lockDir = path.join(projectRoot, 'dist', '.renderer-build.lock');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  let built: number;
  try {
    built = statSync(path.join(rendererDist, 'index.html')).mtimeMs;
  } catch {
    return false;
  }
  const sources = Math.max(
    newestMtime(path.join(projectRoot, 'renderer')),
    newestMtime(path.join(projectRoot, 'core', 'api')),
    newestMtime(path.join(projectRoot, 'build', 'vite')),
    statSync(path.join(projectRoot, 'core', 'errors.ts')).mtimeMs,
    statSync(path.join(projectRoot, 'core', 'visible-text.ts')).mtimeMs,
    // the contract's mailbox area takes the view schema from core/xsozial
    statSync(path.join(projectRoot, 'core', 'xsozial', 'view-schema.ts')).mtimeMs,
  );
  return built >= sources;
}

export async function ensureRendererBuilt(): Promise<string> {
  if (isFresh()) return rendererDist;
  mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`renderer build lock held too long: ${lockDir}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!isFresh()) {
      const { build } = await import('vite');
      await build({ configFile: path.join(projectRoot, 'renderer', 'vite.config.ts'), logLevel: 'error' });
    }
  } finally {
    rmdirSync(lockDir);
  }
  return rendererDist;
}
