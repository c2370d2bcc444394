/**
 * The app:// protocol handler: serves the built UI (dist/renderer) with the strict CSP and the other security
 * headers, to GET requests for our own host only. Uses the same path resolution as the loopback bridge.
 */
import { readFile } from 'node:fs/promises';
import { uiSecurityHeaders } from '../core/api/csp.js';
import { resolveStaticFile } from '../core/api/static-files.js';
import { isAppUrl } from './app-url.js';

export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    if (!isAppUrl(request.url)) return new Response(null, { status: 404 });
    const resolved = resolveStaticFile(rendererDir, new URL(request.url).pathname);
    if (resolved === null) return new Response(null, { status: 404 });
    let body: Buffer;
    try {
      body = await readFile(resolved.file);
    } catch {
      return new Response(null, { status: 404 });
    }
    const headers = { ...uiSecurityHeaders, 'Content-Type': resolved.contentType };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
