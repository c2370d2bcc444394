/**
 * Two facts issue 11 asks to be true of the tree itself, by the path of what is imported (the layering rule judges
 * parts, and a part may own a file in another folder): no module in core/mailbox imports anything under core/api,
 * and nothing in core imports intermediary/ (the simulator and sender are clients of core, never the other way).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/shared.js';

function sourcesUnder(folder: string): string[] {
  return readdirSync(path.join(projectRoot, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every module specifier of static imports, re-exports and dynamic imports, resolved against the file. */
function importedPaths(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'([^']+)'/g)].map((m) => m[1] ?? '');
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) =>
      path
        .relative(projectRoot, path.resolve(path.dirname(file), s))
        .split(path.sep)
        .join('/'),
    );
}

describe('import facts of the product tree', () => {
  it('no module in core/mailbox imports core/api', () => {
    const files = sourcesUnder('core/mailbox');
    expect(files.length).toBeGreaterThan(20);
    const offending = files.flatMap((f) =>
      importedPaths(f)
        .filter((p) => p.startsWith('core/api/'))
        .map((p) => `${path.relative(projectRoot, f)} → ${p}`),
    );
    expect(offending).toEqual([]);
  });

  it('nothing in core imports intermediary/', () => {
    const files = sourcesUnder('core');
    expect(files.length).toBeGreaterThan(200);
    const offending = files.flatMap((f) =>
      importedPaths(f)
        .filter((p) => p.startsWith('intermediary/'))
        .map((p) => `${path.relative(projectRoot, f)} → ${p}`),
    );
    expect(offending).toEqual([]);
  });

  it('the reader finds an import under core/api where there is one (the check can fail)', () => {
    const handlers = path.join(projectRoot, 'core', 'api', 'handlers', 'mailbox.ts');
    expect(importedPaths(handlers).some((p) => p.startsWith('core/api/'))).toBe(true);
  });
});
