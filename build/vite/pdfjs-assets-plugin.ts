/**
 * Copies pdf.js's standard fonts and character maps into the built UI (dist/renderer/pdfjs/), so PDFs that use the
 * 14 standard fonts or CJK encodings render without any request leaving the program (no CDN).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

export function pdfjsAssets(): Plugin {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
  return {
    name: 'postfach-pdfjs-assets',
    apply: 'build',
    generateBundle() {
      for (const folder of ['standard_fonts', 'cmaps']) {
        for (const file of readdirSync(path.join(root, folder))) {
          this.emitFile({ type: 'asset', fileName: `pdfjs/${folder}/${file}`, source: readFileSync(path.join(root, folder, file)) });
        }
      }
    },
  };
}
