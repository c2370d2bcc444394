/**
 * zod in dist/ without its 64 locale modules (issue 14, cold start; build/incremental/zod-for-node.ts): the built
 * modules import the bundle dist/vendor/zod.js, which exports what the zod package exports, checks and reports
 * exactly as it does (issue codes, paths and English messages), compiles its parsers as before — only `locales` is
 * empty. Also the pure rewrite of the emitted imports.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { importsZod, pointZodImports, zodBundleFile } from '../../build/incremental/zod-for-node.js';
import { ensureCliBuilt } from '../helpers/build.js';
import { projectRoot } from '../helpers/shared.js';

const bundle = zodBundleFile(projectRoot);

beforeAll(() => ensureCliBuilt([]));

/** Runs an ES module script in a fresh node; its stdout as JSON. */
function run(script: string): unknown {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as unknown;
}

/** What a zod (the package or the bundle) exports and how it judges bad input. */
const probe = (specifier: string): string => `
  import * as zod from ${JSON.stringify(specifier)};
  const { z } = zod;
  const schema = z.strictObject({ name: z.string().min(2), n: z.number().int().positive(), kind: z.enum(['a', 'b']), at: z.iso.datetime() });
  const bad = schema.safeParse({ name: 'x', n: -1.5, kind: 'c', at: 'gestern', extra: 1 });
  const good = schema.safeParse({ name: 'Anna', n: 3, kind: 'a', at: '2026-12-06T07:00:00Z' });
  const big = z.object(Object.fromEntries(Array.from({ length: 40 }, (_, i) => ['f' + i, z.string()])));
  const row = Object.fromEntries(Array.from({ length: 40 }, (_, i) => ['f' + i, 's' + i]));
  process.stdout.write(JSON.stringify({
    exports: Object.keys(zod).sort(),
    zExports: Object.keys(z).sort(),
    locales: Object.keys(z.locales).length,
    bad: bad.error.issues.map((i) => ({ code: i.code, path: i.path, message: i.message })),
    good: good.success && good.data,
    big: big.parse(row).f39,
  }));`;

describe('zod in dist/ without its locales', () => {
  it('the built modules import the bundle, not the package', () => {
    const wire = path.join(projectRoot, 'dist', 'core', 'api', 'wire.js');
    const code = readFileSync(wire, 'utf8');
    expect(importsZod(code)).toBe(false);
    expect(code).toContain("from '../../vendor/zod.js'");
  });

  it('exports, checks and reports as the package does; only the locales are left out', () => {
    const own = run(probe(pathToFileURL(bundle).href)) as { exports: string[]; zExports: string[]; locales: number; bad: unknown; good: unknown; big: string };
    const pkg = run(probe(pathToFileURL(path.join(projectRoot, 'node_modules', 'zod', 'index.js')).href)) as typeof own;
    expect(pkg.locales).toBeGreaterThan(60);
    expect(own.locales).toBe(0);
    expect(own.exports).toEqual(pkg.exports);
    expect(own.zExports).toEqual(pkg.zExports);
    expect(own.bad).toEqual(pkg.bad);
    expect((own.bad as unknown[]).length).toBe(5);
    expect(own.good).toEqual(pkg.good);
    expect(own.big).toBe('s39');
  });

  it('points static and dynamic imports of zod at the bundle, relative to each module', () => {
    const root = path.join(path.sep, 'p');
    const to = path.join(root, 'dist', 'vendor', 'zod.js');
    const code = "import { z } from 'zod';\nexport * from \"zod\";\nconst m = await import('zod');\nimport 'zod';\nconst x = 'zod';\nimport { y } from 'zod-extra';\n";
    expect(importsZod(code)).toBe(true);
    expect(pointZodImports(code, path.join(root, 'dist', 'core', 'api', 'wire.js'), to)).toBe(
      "import { z } from '../../vendor/zod.js';\nexport * from \"../../vendor/zod.js\";\nconst m = await import('../../vendor/zod.js');\nimport '../../vendor/zod.js';\nconst x = 'zod';\nimport { y } from 'zod-extra';\n",
    );
    expect(pointZodImports("import { z } from 'zod';", path.join(root, 'dist', 'vendor', 'a.js'), to)).toBe("import { z } from './zod.js';");
  });
});
