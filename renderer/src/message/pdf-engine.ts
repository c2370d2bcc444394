/**
 * pdf.js, loaded on first use and kept inside the UI's CSP:
 *  - the worker is the bundled file (no CDN), started by us under the one Trusted Types policy the CSP allows
 *    ("postfach-pdf-worker"), which accepts only that worker's own URL;
 *  - no eval (`isEvalSupported: false`), no XFA, no scripting; fonts and character maps from the UI's own files
 *    (copied into dist/renderer/pdfjs/ by build/vite/pdfjs-assets-plugin.ts).
 */
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

type PdfJs = typeof import('pdfjs-dist');
export type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

interface TrustedTypesLike {
  createPolicy(name: string, rules: { createScriptURL: (input: string) => string }): { createScriptURL(input: string): unknown };
}

let engine: Promise<PdfJs> | undefined;

function workerScriptUrl(): string {
  const factory = (window as unknown as { trustedTypes?: TrustedTypesLike }).trustedTypes;
  const expected = new URL(workerUrl, window.location.href).href;
  if (factory === undefined) return expected;
  const policy = factory.createPolicy('postfach-pdf-worker', {
    createScriptURL: (input) => {
      if (new URL(input, window.location.href).href !== expected) throw new TypeError('only the bundled pdf.js worker may be started');
      return expected;
    },
  });
  // a TrustedScriptURL; Worker accepts it where a string is typed
  return policy.createScriptURL(expected) as string;
}

export function loadPdfEngine(): Promise<PdfJs> {
  engine ??= import('pdfjs-dist').then((pdfjs) => {
    pdfjs.GlobalWorkerOptions.workerPort = new Worker(workerScriptUrl(), { type: 'module', name: 'pdf.js' });
    return pdfjs;
  });
  return engine;
}

export async function openPdf(bytes: Uint8Array<ArrayBuffer>): Promise<PdfDocument> {
  const pdfjs = await loadPdfEngine();
  const base = new URL('./pdfjs/', window.location.href).href;
  return pdfjs.getDocument({
    data: bytes,
    isEvalSupported: false,
    enableXfa: false,
    standardFontDataUrl: `${base}standard_fonts/`,
    cMapUrl: `${base}cmaps/`,
    cMapPacked: true,
    useSystemFonts: false,
    stopAtErrors: false,
  }).promise;
}
