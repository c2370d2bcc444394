/**
 * How long `npm start` takes until it prints the address of the UI (browser mode, a fresh data folder each run):
 * the time a developer or tester waits. The first run builds what is stale; every further run finds the build
 * current (build/incremental/) and only starts the program.
 *
 *   npx tsx bench/start-time.ts [--runs N]           (default 3 runs; prints each and the load average)
 *
 * Each run is a process group of its own, stopped with SIGINT after the address appeared.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function oneStart(): Promise<{ seconds: number; built: string[] }> {
  const data = mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-start-'));
  const started = performance.now();
  const child = spawn('npm', ['start', '--', '--browser', '--data', data], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  try {
    const seconds = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('Adresse / Address:')) resolve((performance.now() - started) / 1000);
      });
      child.on('exit', (code) => reject(new Error(`npm start ended (${code}) before the address:\n${out}`)));
    });
    return { seconds, built: [...out.matchAll(/^build (\S+): gebaut/gm)].map((m) => m[1] ?? '') };
  } finally {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
    await new Promise((r) => child.once('exit', r).once('error', r));
    rmSync(data, { recursive: true, force: true });
  }
}

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 3;
for (let i = 1; i <= runs; i++) {
  const { seconds, built } = await oneStart();
  const load = os.loadavg()[0]?.toFixed(1) ?? '?';
  process.stdout.write(`npm start #${i}: address after ${seconds.toFixed(1)} s (${built.length === 0 ? 'nothing built' : `built: ${built.join(', ')}`}; load ${load})\n`);
}
