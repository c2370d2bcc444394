/**
 * Maps a request path to a file of the built UI (dist/renderer), for the loopback bridge and the Electron app://
 * protocol alike. Refuses anything that could leave the folder (`..`, encoded slashes, backslashes, NUL) and
 * anything that is not a plain file name the build produces.
 */
import path from 'node:path';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  readonly file: string;
  readonly contentType: string;
}

/** `pathname` is the URL's path as it arrived (still percent-encoded). Returns null for anything refused. */
export function resolveStaticFile(rootDir: string, pathname: string): StaticFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || /[\0\\]/.test(decoded) || /%2f|%5c/i.test(pathname)) return null;
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s.startsWith('.'))) return null; // `.`, `..` and hidden files
  if (!segments.every((s) => /^[\w.@~-]*$/.test(s))) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  if (relative.endsWith('/') || relative === '') return null;
  const root = path.resolve(rootDir);
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep)) return null;
  const contentType = contentTypes[path.extname(file).toLowerCase()];
  if (contentType === undefined) return null;
  return { file, contentType };
}
