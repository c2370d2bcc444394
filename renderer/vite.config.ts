/**
 * Builds the UI into dist/renderer with relative asset paths, so the same files are served by the Electron app://
 * protocol and by the loopback bridge. No inlined data: URIs (the CSP allows no data: sources) and no source maps
 * in the shipped files. pdf.js's worker is a file of its own (started under the CSP's one Trusted Types policy),
 * its fonts and character maps are copied alongside, and the bundled packages' licences are listed.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { bundledLicenses } from '../build/vite/licenses-plugin.js';
import { pdfjsAssets } from '../build/vite/pdfjs-assets-plugin.js';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react(), pdfjsAssets(), bundledLicenses()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'chrome120',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2048,
  },
  worker: { format: 'es' },
  logLevel: 'warn',
});
