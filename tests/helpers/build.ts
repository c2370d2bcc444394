/**
 * The built CLI for the tests that run it (`node dist/cli/main.js`): `npm test` builds first; a test file run alone
 * builds the `core` part when npm run build's own record of it is stale (build/incremental/: a changed, added or
 * removed source, or a missing output) — the same decision `npm run build` takes, not a second list of sources.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { stepStaleReason } from '../../build/incremental/steps.js';
import { projectRoot } from './shared.js';

/** Builds dist/ (the core part) unless it is current and dist/cli/main.js and each of `commands` (dist/cli/commands/NAME.js) exist. */
export function ensureCliBuilt(commands: readonly string[]): void {
  const built = [path.join(projectRoot, 'dist', 'cli', 'main.js'), ...commands.map((f) => path.join(projectRoot, 'dist', 'cli', 'commands', f))];
  if (stepStaleReason('core') === undefined && built.every((f) => existsSync(f))) return;
  // tsc emits even when another part of the project has type errors; what matters here is the CLI's behaviour
  spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'build', 'build.ts'), 'core'], { cwd: projectRoot, stdio: 'ignore', timeout: 600_000 });
  if (!built.every((f) => existsSync(f))) throw new Error('the build did not produce the CLI (run npm run build)');
}
