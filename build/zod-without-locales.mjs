// zod without its locales, for every bundle of the program that runs zod (build/incremental/zod-for-node.ts for
// dist/, build/build-electron.mjs for the Electron shell, its preload and its service). Each entry of zod 4 re-exports
// `locales`, a namespace of 64 locale modules; the program never selects a locale (it reports zod's issue codes, not
// its messages), and zod's schemas module registers its English messages itself. The plugin answers the imports of
// zod's locales index with an empty module, so `locales` stays an (empty) namespace and every other export is
// zod's own; asking it for a locale fails loudly (`z.locales.de is not a function`).
import path from 'node:path';

/**
 * @param {string} root the project folder (its node_modules/zod is the one bundled)
 * @param {{ bundleZod?: boolean }} [options] bundleZod: resolve `zod` to its ES module entry even where packages
 *   stay external (the Electron service: npm packages load from node_modules at run time, zod is bundled)
 * @returns {import('esbuild').Plugin}
 */
export function zodWithoutLocales(root, options = {}) {
  const zodDir = path.join(root, 'node_modules', 'zod') + path.sep;
  return {
    name: 'zod-without-locales',
    setup(build) {
      if (options.bundleZod === true) build.onResolve({ filter: /^zod$/ }, () => ({ path: path.join(zodDir, 'index.js') }));
      build.onResolve({ filter: /(^|\/)locales\/index\.c?js$/ }, (args) =>
        args.importer.startsWith(zodDir) ? { path: 'zod-locales', namespace: 'zod-without-locales' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'zod-without-locales' }, () => ({
        contents: '// the locales are left out: the program never selects one (build/zod-without-locales.mjs)\nexport {};\n',
        loader: 'js',
      }));
    },
  };
}
