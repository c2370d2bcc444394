/**
 * zod for the built Node program (dist/): every entry of zod 4 (`zod`, `zod/mini`, `zod/v4/core`) re-exports
 * `locales`, a namespace of 64 locale modules, so each Node thread that imports zod loads all of them (about 45 ms of
 * CPU of a cold start per thread: the CLI and the service each load zod). Bundlers can drop them; Node's loader
 * cannot. The core step bundles zod once with esbuild into dist/vendor/zod.js with `locales` left empty
 * (build/zod-without-locales.mjs says why that is safe) and points the emitted `from 'zod'` imports there. Sources, types,
 * Vitest and tsx keep the package itself; only what `node dist/...` runs uses the bundle.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where the bundle is written, inside the core step's output folder. */
export const zodBundleFile = (root: string): string => path.join(root, 'dist', 'vendor', 'zod.js');

/** The import specifier of zod as tsc emits it (quotes as written in the sources), static or dynamic. */
const ZOD_IMPORT = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])zod\2/g;

/** Whether an emitted module imports the zod package itself. */
export function importsZod(code: string): boolean {
  ZOD_IMPORT.lastIndex = 0;
  return ZOD_IMPORT.test(code);
}

/** `code` of the emitted module `file` with its zod imports pointed at `bundle` (a relative URL, as ES modules need). */
export function pointZodImports(code: string, file: string, bundle: string): string {
  let relative = path.relative(path.dirname(file), bundle).split(path.sep).join('/');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  return code.replace(ZOD_IMPORT, (_all, head: string, quote: string) => `${head}${quote}${relative}${quote}`);
}

/** Bundles zod without its locale modules into `outfile` (build/zod-without-locales.mjs). */
export async function bundleZodWithoutLocales(root: string, outfile: string): Promise<void> {
  const [{ build }, { zodWithoutLocales }] = await Promise.all([import('esbuild'), import('../zod-without-locales.mjs')]);
  await build({
    absWorkingDir: root,
    entryPoints: ['zod'],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    legalComments: 'inline',
    logLevel: 'warning',
    plugins: [zodWithoutLocales(root)],
  });
}

/**
 * After tsc, when the program read zod (its inputs name zod's type files): writes the bundle and points the emitted
 * modules' zod imports at it (tsc re-emits only changed modules; those it left alone point there already). Returns
 * the bundle's path (an output of the step), or undefined for a program without zod.
 */
export async function useZodBundle(root: string, inputs: readonly string[], emitted: readonly string[]): Promise<string | undefined> {
  const zodDir = `${path.sep}node_modules${path.sep}zod${path.sep}`;
  if (!inputs.some((f) => path.resolve(f).includes(zodDir))) return undefined;
  const bundle = zodBundleFile(root);
  await bundleZodWithoutLocales(root, bundle);
  for (const file of emitted) {
    if (!file.endsWith('.js')) continue;
    const code = readFileSync(file, 'utf8');
    if (importsZod(code)) writeFileSync(file, pointZodImports(code, file, bundle));
  }
  return bundle;
}
