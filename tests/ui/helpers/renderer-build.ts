/**
 * Makes sure dist/renderer holds a build of the current sources. `npm test` builds first, so this is normally a
 * quick check of npm run build's own record (build/incremental/: Vite's module graph, compared file by file); when
 * UI tests run alone (`npx vitest run tests/ui`) after a source change, it builds the renderer bundle once, under a
 * lock so parallel test files do not build at the same time.
 */
import { mkdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { runStep, stepStaleReason } from '../../../build/incremental/steps.js';
import { projectRoot } from '../../helpers/shared.js';

export const rendererDist = path.join(projectRoot, 'dist', 'renderer');
const lockDir = path.join(projectRoot, 'dist', '.renderer-build.lock');

const isFresh = (): boolean => stepStaleReason('renderer') === undefined;

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
      const result = await runStep('renderer', { write: (text) => process.stderr.write(text) });
      if (result.outcome === 'failed') throw new Error(`the renderer build failed (${result.reason ?? ''})`);
    }
  } finally {
    rmdirSync(lockDir);
  }
  return rendererDist;
}
