/**
 * An export said to be written is on disk whole: watched with strace (the real system calls of a real export), the
 * written file is fsynced before the rename that gives it its name, and its folder is fsynced after that rename (else
 * a power cut can leave an empty file under the final name, or lose the rename). The same for the small settings
 * files written through replaceFileSync.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'durable-writes-child.ts');
/** strace runs and may trace (a container may forbid ptrace). */
const straceWorks = spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', 'true']).status === 0;
const folder = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'postfach-durable-')));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Call {
  readonly name: string;
  readonly paths: string[];
}

/** The fsync and rename calls in the order they happened; fsync's descriptor with its path (strace -y). */
function calls(log: string): Call[] {
  const out: Call[] = [];
  for (const line of log.split('\n')) {
    const m = /^(?:\[pid\s+\d+\]\s+|\d+\s+)?(\w+)\((.*)$/.exec(line);
    if (!m || /unfinished|resumed/.test(line)) continue;
    const [, name, rest] = m as unknown as [string, string, string];
    if (name === 'fsync' || name === 'fdatasync') out.push({ name: 'fsync', paths: [/^\d+<([^>]*)>/.exec(rest)?.[1] ?? ''] });
    else if (name.startsWith('rename')) out.push({ name: 'rename', paths: [...rest.matchAll(/"([^"]*)"/g)].map((q) => q[1] as string).slice(0, 2) });
  }
  return out;
}

describe.skipIf(!straceWorks)('durable writes (strace)', () => {
  it('fsyncs each export before its rename and the folder after it', () => {
    const log = path.join(folder, 'strace.log');
    const out = path.join(folder, 'out');
    spawnSync('mkdir', [out]);
    const run = spawnSync('strace', ['-f', '-y', '-qq', '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2', '-o', log, process.execPath, '--import', 'tsx', CHILD, out], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stdout, run.stderr).toBe('done\n');
    const seen = calls(readFileSync(log, 'utf8'));
    for (const name of ['antrag.xml', 'antrag.pdf', 'settings.json']) {
      const target = path.join(out, name);
      const renamed = seen.findIndex((c) => c.name === 'rename' && c.paths[1] === target);
      expect(renamed, `${name} renamed into place`).toBeGreaterThan(-1);
      const temp = seen[renamed]!.paths[0]!;
      expect(path.dirname(temp)).toBe(out);
      const fileSynced = seen.findIndex((c) => c.name === 'fsync' && c.paths[0] === temp);
      expect(fileSynced, `${name}: the file fsynced`).toBeGreaterThan(-1);
      expect(fileSynced, `${name}: fsynced before the rename`).toBeLessThan(renamed);
      const folderSynced = seen.findIndex((c, i) => i > renamed && c.name === 'fsync' && c.paths[0] === out);
      expect(folderSynced, `${name}: the folder fsynced after the rename`).toBeGreaterThan(renamed);
    }
  }, 180_000);
});
