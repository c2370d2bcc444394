/**
 * Which test files may share the machine with another test file (vitest.config.ts runs them two at a time, first)
 * and which must run alone, one after the other (after them). A file runs alone when it lives in tests/ui/ or
 * tests/electron/ (browsers, Electron), or when its source shows that it starts a browser or a PostgreSQL cluster,
 * measures time, waits on a timer window, or builds the project (tests/build/) — found in the text of the file, so
 * that a new test of that kind lands in the serial lane without anyone listing it. Everything else (pure functions,
 * real stores and processes on loopback whose assertions do not depend on how fast they run) is parallel.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Folders whose files always run alone. */
const SERIAL_FOLDERS = ['tests/ui/', 'tests/electron/', 'tests/build/'];

/** What in a test file's text makes it run alone, and why. */
const SERIAL_SIGNS: ReadonlyArray<readonly [string, RegExp]> = [
  ['starts a browser', /chromium|playwright|ui-session|\/ui\/helpers\//i],
  ['starts Electron', /electron-app|xvfb|_electron|launchElectron/],
  ['starts a PostgreSQL cluster', /startLocalCluster|usePgCluster|initdb|pg_ctl|postgres/i],
  ['measures time', /performance\.now\(|hrtime|cpuUsage\(|Date\.now\(\) - |\bms\)?\.toBeLessThan|toBeLessThan\([^)]*\bms\b|\.ms\b/],
  ['waits on a timer window', /setTimeout\([a-z]+, [0-9_]{3,}\)|sleep\([0-9_]{3,}\)|waitForTimeout/],
];

/** Why `file` (relative to the project root, with forward slashes) must run alone; undefined: it may run in parallel. */
export function serialReason(file: string, source: string): string | undefined {
  const folder = SERIAL_FOLDERS.find((f) => file.startsWith(f));
  if (folder !== undefined) return `in ${folder}`;
  return SERIAL_SIGNS.find(([, sign]) => sign.test(source))?.[0];
}

function testFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'fixtures' && entry.name !== 'node_modules') out.push(...testFiles(root, relative));
    } else if (entry.name.endsWith('.test.ts')) out.push(relative);
  }
  return out;
}

/** The project's test files split into the two lanes (paths relative to `root`). */
export function testLanes(root: string): { readonly parallel: string[]; readonly serial: string[] } {
  const parallel: string[] = [];
  const serial: string[] = [];
  for (const file of testFiles(root, 'tests').sort()) {
    (serialReason(file, readFileSync(path.join(root, file), 'utf8')) === undefined ? parallel : serial).push(file);
  }
  return { parallel, serial };
}
