#!/usr/bin/env node
// Bundles the Electron shell with esbuild into dist/electron/:
//   main.cjs     the main process (everything bundled but `electron`)
//   preload.cjs  the preload, CommonJS because sandboxed preloads cannot be ES modules; no Node built-ins
//   service.cjs  the service for the utility process (electron/service-entry.ts: core/api's service with Electron's
//                net for the fetch engine); npm packages stay external and
//                are loaded from node_modules at run time (native SQLite, pdfkit's font files)
//   fuses.cjs    the fuse decisions (electron/fuses.ts) for the packaging step (build/after-pack.cjs)
// Type checking is separate (tsc -p electron/tsconfig.json), as esbuild only strips types.
// --inputs FILE: also write the list of source files the bundles were made from (esbuild's metafile) as JSON, for the
// incremental build (build/incremental/steps.ts), which rebuilds only when one of them changed.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zodWithoutLocales } from './zod-without-locales.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// --outdir DIR: bundle elsewhere (tests inspect fresh bundles without touching dist/)
const outdirArg = process.argv.indexOf('--outdir');
const outdir = outdirArg >= 0 ? process.argv[outdirArg + 1] : 'dist/electron';
const inputsArg = process.argv.indexOf('--inputs');
const inputsFile = inputsArg >= 0 ? process.argv[inputsArg + 1] : undefined;
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  metafile: inputsFile !== undefined,
  plugins: [zodWithoutLocales(root)],
};
// core/ is written as ES modules and finds its files from import.meta.url (resources/, the PAC sandbox's wasm);
// in a CommonJS bundle import.meta is empty, so the Node bundles get the bundle file's own URL instead.
const nodeBundle = {
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

const results = await Promise.all([
  build({ ...common, ...nodeBundle, entryPoints: ['electron/main.ts'], outfile: `${outdir}/main.cjs`, platform: 'node', target: 'node22', external: ['electron'] }),
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: `${outdir}/preload.cjs`, platform: 'browser', target: 'chrome140', external: ['electron'] }),
  // the desktop service: core/api's service with Electron's net handed to the fetch engine (electron/service-entry.ts)
  build({
    ...common,
    ...nodeBundle,
    entryPoints: ['electron/service-entry.ts'],
    outfile: `${outdir}/service.cjs`,
    platform: 'node',
    target: 'node22',
    packages: 'external',
    external: ['electron'],
    // zod is bundled (without its 64 locale modules, which its package entry loads in Node): issue 14, app start
    plugins: [zodWithoutLocales(root, { bundleZod: true })],
  }),
  build({ ...common, entryPoints: ['electron/fuses.ts'], outfile: `${outdir}/fuses.cjs`, platform: 'node', target: 'node20', packages: 'external', sourcemap: false }),
]);
if (inputsFile !== undefined) {
  const inputs = new Set(results.flatMap((result) => Object.keys(result.metafile?.inputs ?? {})));
  writeFileSync(inputsFile, JSON.stringify([...inputs].sort()));
}
