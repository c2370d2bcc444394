/**
 * The incremental build (build/incremental/): the staleness decision on its own (every kind of difference, the
 * lockfiles by content, a file changed during the build), then real TypeScript builds of a small project through
 * the same step code `npm run build` uses — a changed, added, restored-older or broken source always builds again, a
 * deleted output is made again — and finally this project: right after a build, a second `npm run build` builds
 * nothing (what makes the second `npm start` take seconds).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRecord, staleReason, type FileStamp } from '../../build/incremental/records.js';
import { runStep, stepStaleReason, STEP_NAMES } from '../../build/incremental/steps.js';
import { projectRoot } from '../helpers/shared.js';

describe('staleReason: whether a step must run', () => {
  const root = '/project';
  const t0 = 1_750_000_000_000;
  const files = new Map<string, FileStamp & { sha?: string }>();
  const set = (file: string, mtimeMs: number, size = 10, sha?: string) => files.set(path.resolve(root, file), { mtimeMs, size, ...(sha ? { sha } : {}) });
  const stat = (file: string) => files.get(path.resolve(root, file));
  const hash = (file: string) => files.get(path.resolve(root, file))?.sha;
  const record = (startedAt = t0 + 10_000) =>
    makeRecord({
      key: 'core:abc',
      root,
      inputs: ['/project/core/a.ts', '/project/core/b.ts', '/project/node_modules/zod/index.d.ts', '/project/tsconfig.json'],
      globbed: ['/project/core/a.ts', '/project/core/b.ts'],
      outputs: ['dist/core/a.js'],
      startedAt,
      stat,
      hash,
    });

  beforeAll(() => {
    set('core/a.ts', t0);
    set('core/b.ts', t0);
    set('core', t0);
    set('tsconfig.json', t0);
    set('package.json', t0);
    set('node_modules/zod/index.d.ts', t0);
    set('package-lock.json', t0, 100, 'lock-1');
    set('node_modules/.package-lock.json', t0, 90, 'hidden-1');
    set('dist/core/a.js', t0 + 20_000);
  });

  it('records sources and folders of globbed inputs, the lockfiles by content, nothing inside node_modules', () => {
    const r = record();
    expect(Object.keys(r.inputs).sort()).toEqual(
      ['core/', 'core/a.ts', 'core/b.ts', 'node_modules/.package-lock.json', 'package-lock.json', 'package.json', 'tsconfig.json'].map((k) => k.replace('/', path.sep)).sort(),
    );
    expect(r.inputs['package-lock.json']).toEqual([t0, 100, 'lock-1']);
    expect(r.outputs).toEqual([path.join('dist', 'core', 'a.js')]);
  });

  it('is current when nothing changed, and names the first difference otherwise', () => {
    const r = record();
    expect(staleReason(r, 'core:abc', stat, hash)).toBeUndefined();
    expect(staleReason(undefined, 'core:abc', stat, hash)).toBe('never built');
    expect(staleReason(r, 'core:other-scripts', stat, hash)).toBe('build settings changed');

    const changed = (file: string, mtimeMs: number, size = 10, sha?: string): string | undefined => {
      const before = files.get(path.resolve(root, file));
      set(file, mtimeMs, size, sha);
      try {
        return staleReason(r, 'core:abc', stat, hash);
      } finally {
        if (before) files.set(path.resolve(root, file), before);
        else files.delete(path.resolve(root, file));
      }
    };
    expect(changed('core/a.ts', t0 + 60_000)).toBe(`changed: ${path.join('core', 'a.ts')}`);
    // a file put back from a backup or another branch with an OLDER time is a change too
    expect(changed('core/b.ts', t0 - 86_400_000)).toBe(`changed: ${path.join('core', 'b.ts')}`);
    expect(changed('core/a.ts', t0, 11)).toBe(`changed: ${path.join('core', 'a.ts')}`);
    expect(changed('tsconfig.json', t0 + 1)).toBe('changed: tsconfig.json');
    expect(changed('package.json', t0 + 1)).toBe('changed: package.json');
    // a file added beside the globbed ones changes their folder
    expect(changed('core', t0 + 5)).toBe(`changed: core${path.sep}`);
    // npm rewrote the lockfile with the same bytes: current; other bytes: a dependency changed
    expect(changed('node_modules/.package-lock.json', t0 + 99, 90, 'hidden-1')).toBeUndefined();
    expect(changed('node_modules/.package-lock.json', t0 + 99, 90, 'hidden-2')).toBe(`changed: ${path.join('node_modules', '.package-lock.json')}`);
    expect(changed('package-lock.json', t0 + 99, 101, 'lock-1')).toBe('changed: package-lock.json');
    // a dependency's own files are not looked at (the lockfiles stand for them)
    expect(changed('node_modules/zod/index.d.ts', t0 + 99)).toBeUndefined();

    files.delete(path.resolve(root, 'core/b.ts'));
    expect(staleReason(r, 'core:abc', stat, hash)).toBe(`removed: ${path.join('core', 'b.ts')}`);
    set('core/b.ts', t0);
    files.delete(path.resolve(root, 'dist/core/a.js'));
    expect(staleReason(r, 'core:abc', stat, hash)).toBe(`output missing: ${path.join('dist', 'core', 'a.js')}`);
    set('dist/core/a.js', t0 + 20_000);
  });

  it('takes a source changed while the step ran as changed, so the next run builds again', () => {
    set('core/a.ts', t0 + 10_000);
    set('core/b.ts', t0 + 9_999);
    const r = record(t0 + 10_000);
    expect(r.inputs[path.join('core', 'a.ts')]?.[0]).toBe(-1);
    // changed before the step started (by the file system's clock): recorded as it is
    expect(r.inputs[path.join('core', 'b.ts')]?.[0]).toBe(t0 + 9_999);
    expect(staleReason(r, 'core:abc', stat, hash)).toBe(`changed: ${path.join('core', 'a.ts')}`);
    set('core/a.ts', t0);
    set('core/b.ts', t0);
  });
});

describe('the TypeScript step on a small project (real tsc, the step code npm run build uses)', () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  const out: string[] = [];
  // as a person would: an edit, then a build a moment later (an edit during the build is the unit test's case)
  const core = async () => {
    await new Promise((r) => setTimeout(r, 30));
    return runStep('core', { root, write: (text) => out.push(text) });
  };

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'postfach-incremental-'));
    write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'dist', rootDir: '.', types: [], skipLibCheck: true },
        include: ['core/**/*.ts'],
      }),
    );
    write('package-lock.json', '{"lockfileVersion":3}\n');
    write('package.json', '{"type":"module"}\n');
    write('core/a.ts', 'export const a: number = 1;\n');
    write('core/b.ts', "import { a } from './a.js';\nexport const b = a + 1;\n");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('builds once, then skips until a source, a folder or an output changes', async () => {
    expect(await core()).toMatchObject({ outcome: 'built', reason: 'never built' });
    expect(readFileSync(path.join(root, 'dist', 'core', 'b.js'), 'utf8')).toContain('a + 1');
    expect(await core()).toMatchObject({ outcome: 'skipped' });
    expect(stepStaleReason('core', root)).toBeUndefined();

    // touched: the part is built again (and the output follows the source)
    write('core/a.ts', 'export const a: number = 2;\n');
    expect(await core()).toMatchObject({ outcome: 'built', reason: `changed: ${path.join('core', 'a.ts')}` });
    expect(readFileSync(path.join(root, 'dist', 'core', 'a.js'), 'utf8')).toContain('a = 2');
    expect(await core()).toMatchObject({ outcome: 'skipped' });

    // a new file beside the others (tsconfig's include finds it)
    write('core/c.ts', 'export const c = 3;\n');
    expect(await core()).toMatchObject({ outcome: 'built', reason: `changed: core${path.sep}` });
    expect(existsSync(path.join(root, 'dist', 'core', 'c.js'))).toBe(true);

    // an output deleted by hand is made again (TypeScript's own incremental state alone would not)
    rmSync(path.join(root, 'dist', 'core', 'b.js'));
    expect(await core()).toMatchObject({ outcome: 'built', reason: `output missing: ${path.join('dist', 'core', 'b.js')}` });
    expect(existsSync(path.join(root, 'dist', 'core', 'b.js'))).toBe(true);

    // a source put back with an older time and the same size
    write('core/a.ts', 'export const a: number = 7;\n');
    utimesSync(path.join(root, 'core', 'a.ts'), new Date('2020-01-01'), new Date('2020-01-01'));
    expect(await core()).toMatchObject({ outcome: 'built', reason: `changed: ${path.join('core', 'a.ts')}` });
    expect(readFileSync(path.join(root, 'dist', 'core', 'a.js'), 'utf8')).toContain('a = 7');
  });

  it('a type error fails the step and leaves no record: the next run checks again instead of skipping', async () => {
    write('core/c.ts', 'export const c: string = 3;\n');
    out.length = 0;
    expect(await core()).toMatchObject({ outcome: 'failed' });
    expect(out.join('')).toMatch(/core\/c\.ts.*TS2322/s);
    expect(await core()).toMatchObject({ outcome: 'failed' });
    write('core/c.ts', "export const c: string = '3';\n");
    expect(await core()).toMatchObject({ outcome: 'built' });
    expect(await core()).toMatchObject({ outcome: 'skipped' });
  });
});

describe('this project', () => {
  it('a second npm run build builds nothing', () => {
    const run = () => spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'build', 'build.ts')], { cwd: projectRoot, encoding: 'utf8', timeout: 900_000 });
    // the first run builds what is stale (nothing, right after npm test's own build)
    expect(run().status).toBe(0);
    const second = run();
    expect(second.status, second.stderr).toBe(0);
    const lines = second.stdout.trim().split('\n');
    expect(lines).toEqual(STEP_NAMES.map((s) => `build ${s}: unverändert, übersprungen / unchanged, skipped`));
    for (const step of STEP_NAMES) expect(stepStaleReason(step)).toBeUndefined();
  }, 1_000_000);
});
