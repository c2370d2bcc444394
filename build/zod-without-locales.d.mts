import type { Plugin } from 'esbuild';

/** See build/zod-without-locales.mjs. */
export function zodWithoutLocales(root: string, options?: { readonly bundleZod?: boolean }): Plugin;
