/**
 * Where the app's pages may go and what they may load. The UI is one page: it never navigates, opens windows or
 * loads anything from outside its own app:// files. (Actual Budget keeps the same decisions in a small, tested
 * allow-list module; this is ours.)
 */
import { isAppUrl } from './app-url.js';

/** A navigation of a window or frame: only (re)loading the UI's own entry page. */
export function isAllowedNavigation(url: string): boolean {
  if (!isAppUrl(url)) return false;
  const { pathname } = new URL(url);
  return pathname === '/' || pathname === '/index.html';
}

/** `window.open`, target=_blank links: never a new window. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/**
 * A network request of any page: the UI's own files and `blob:` objects it created (documents in the viewer);
 * devtools pages in development. Everything else (http, https, ws, file, data, ftp, ...) is cancelled.
 */
export function isAllowedRequest(url: string): boolean {
  if (isAppUrl(url)) return true;
  if (url.startsWith('blob:')) return isAppUrl(url.slice('blob:'.length));
  return url.startsWith('devtools://');
}
