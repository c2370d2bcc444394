/**
 * The built CLI for the tests that run it (`node dist/cli/main.js`): `npm test` builds first; a test file run alone
 * builds dist/ when the CLI is missing or older than a source in cli/, core/, app/ or intermediary/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './shared.js';

/** The newest .ts file below `dir` (relative to the project), as mtime in ms. */
export function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(path.join(projectRoot, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(rel));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path.join(projectRoot, rel)).mtimeMs);
  }
  return newest;
}

/** Builds dist/ unless dist/cli/main.js and each of `commands` (dist/cli/commands/NAME.js) exist and are current. */
export function ensureCliBuilt(commands: readonly string[]): void {
  const built = [path.join(projectRoot, 'dist', 'cli', 'main.js'), ...commands.map((f) => path.join(projectRoot, 'dist', 'cli', 'commands', f))];
  const sources = Math.max(...['cli', 'core', 'app', 'intermediary'].map(newestSource));
  if (built.every((f) => existsSync(f) && statSync(f).mtimeMs >= sources)) return;
  // tsc emits even when another part of the project has type errors; what matters here is the CLI's behaviour
  spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: projectRoot, stdio: 'ignore', timeout: 600_000 });
  if (!built.every((f) => existsSync(f))) throw new Error('the build did not produce the CLI (run npm run build)');
}
