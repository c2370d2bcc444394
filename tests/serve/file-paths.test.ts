/**
 * Files named in calls through `postfach serve` (core/serve/file-paths.ts): every file-path field of the contract's
 * inputs is known by name (a new one under another name fails here), and paths outside the transfer folder are
 * found at any depth, in lists, relative or with `..`.
 */
import path from 'node:path';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { contract } from '../../core/api/contract.js';
import { filePath } from '../../core/api/contract/fields.js';
import { PATH_FIELDS, pathsOutside } from '../../core/serve/file-paths.js';

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly in?: z.ZodType;
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  /** z.lazy: the contract's named schemas are built at their first use (core/api/contract-kit.ts). */
  readonly getter?: () => z.ZodType;
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Is this schema (through optional, nullable, default, array) the contract's filePath? */
function isPath(schema: z.ZodType): boolean {
  if (schema === filePath) return true;
  const def = defOf(schema);
  if (def.innerType !== undefined) return isPath(def.innerType);
  if (def.type === 'lazy' && def.getter !== undefined) return isPath(def.getter());
  if (def.type === 'array' && def.element !== undefined) return isPath(def.element);
  return false;
}

/** The names of every field whose schema is a file path, anywhere in the schema. */
function pathFieldNames(schema: z.ZodType, found = new Set<string>(), seen = new Set<z.ZodType>()): Set<string> {
  if (seen.has(schema)) return found;
  seen.add(schema);
  const def = defOf(schema);
  if (def.shape !== undefined) {
    for (const [key, value] of Object.entries(def.shape)) {
      if (isPath(value)) found.add(key);
      pathFieldNames(value, found, seen);
    }
  }
  const lazy = def.type === 'lazy' ? def.getter?.() : undefined;
  for (const inner of [def.innerType, def.element, def.in, def.left, def.right, lazy, ...(def.options ?? [])]) if (inner !== undefined) pathFieldNames(inner, found, seen);
  return found;
}

describe('file paths in calls through the service', () => {
  it('knows every file-path field of the contract’s inputs by name', () => {
    const names = new Set<string>();
    for (const spec of Object.values(contract.methods)) pathFieldNames(spec.input as z.ZodType, names);
    expect(names.size).toBeGreaterThan(5);
    // fields that sit only inside named (lazily built) schemas: the walk must reach them
    for (const inside of ['keyFile', 'trustedCaFiles', 'intermediaryCertificateFile']) expect(names).toContain(inside);
    expect([...names].filter((n) => !PATH_FIELDS.has(n)).sort()).toEqual([]);
  });

  it('finds paths outside the transfer folder at any depth, in lists, relative or climbing out', () => {
    const root = path.join(path.sep, 'srv', 'postfach', 'transfer');
    const inside = path.join(root, 'downloads', 'abc', 'Antrag.pdf');
    expect(pathsOutside({ id: 1, format: 'pdf', target: inside }, root)).toEqual([]);
    expect(pathsOutside({ target: '/etc/cron.d/x' }, root)).toEqual(['/etc/cron.d/x']);
    expect(pathsOutside({ target: `${root}/../store-password` }, root)).toEqual([`${root}/../store-password`]);
    expect(pathsOutside({ target: 'relative.pdf' }, root)).toEqual(['relative.pdf']);
    expect(pathsOutside({ identity: { keyFile: inside, trustedCaFiles: [inside, '/root/ca.pem'] } }, root)).toEqual(['/root/ca.pem']);
    expect(pathsOutside({ target: root }, root)).toEqual([root]);
    expect(pathsOutside({ name: '/etc/passwd' }, root)).toEqual([]);
  });
});
