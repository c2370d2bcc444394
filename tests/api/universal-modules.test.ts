/**
 * The renderer and the sandboxed preload may use core/ code only where it runs anywhere: no Node built-ins and no
 * npm package but zod, through the whole import graph. (The renderer has no Node; a sandboxed preload can require
 * nothing but `electron`.) Follows relative imports from each entry point and checks every file it reaches.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/shared.js';

const importPattern = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;

function resolveSource(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base]) if (existsSync(candidate)) return candidate;
  throw new Error(`cannot resolve ${specifier} from ${from}`);
}

/** Every file reachable from `entry` by value imports (type-only imports vanish at build time). */
function graph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const source = readFileSync(file, 'utf8');
    const external: string[] = [];
    seen.set(file, external);
    for (const match of source.matchAll(importPattern)) {
      const statement = match[0];
      const specifier = match[1] ?? '';
      if (/^\s*(import|export)\s+type\s/.test(statement.trimStart()) || specifier.endsWith('.css')) continue;
      if (specifier.startsWith('.')) visit(resolveSource(file, specifier));
      else external.push(specifier);
    }
  };
  visit(entry);
  return seen;
}

// pdf.js: its browser build, and its worker as a URL (a file of its own, started under the CSP's Trusted Types policy)
const allowedPackages = /^(zod|react|react-dom|react-dom\/client|react\/jsx-runtime|react-aria-components|@tanstack\/react-virtual|pdfjs-dist|pdfjs-dist\/build\/pdf\.worker\.min\.mjs\?url|electron)$/;

describe('code shared with the renderer and the preload', () => {
  for (const entry of ['renderer/src/main.tsx', 'electron/preload.ts']) {
    it(`${entry} reaches no Node built-in and only browser-safe packages`, () => {
      const files = graph(path.join(projectRoot, entry));
      const offenders = [...files].flatMap(([file, externals]) =>
        externals.filter((e) => !allowedPackages.test(e) || (e === 'electron' && !file.endsWith('preload.ts'))).map((e) => `${path.relative(projectRoot, file)} → ${e}`),
      );
      expect(offenders).toEqual([]);
      const coreFiles = [...files.keys()].map((f) => path.relative(projectRoot, f)).filter((f) => f.startsWith('core'));
      expect(coreFiles.length).toBeGreaterThan(3);
      // React belongs to the renderer only; core/ code they share stays framework-free
      expect([...files].filter(([f, ex]) => f.includes(`${path.sep}core${path.sep}`) && ex.some((e) => e !== 'zod'))).toEqual([]);
    });
  }
});
