/**
 * The UI's address in the desktop app: a privileged `app://postfach/` scheme served from the packaged files (not
 * file://, whose extra privileges the fuses switch off, and not http://localhost, which other programs could
 * reach). Everything that decides "is this our UI?" uses these functions.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'postfach';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for `app://postfach/...` exactly: no other host, port or credentials. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.hostname === APP_HOST && u.port === '' && u.username === '' && u.password === '';
}

/** True for the origin string Chromium reports for our pages (`app://postfach`, with or without a slash). */
export function isAppOrigin(origin: string): boolean {
  return origin === APP_ORIGIN || origin === `${APP_ORIGIN}/`;
}

/** The UI showing one message in a window of its own (the renderer reads `#message=<id>`). */
export function messageWindowUrl(id: number): string {
  if (!Number.isSafeInteger(id) || id <= 0) throw new RangeError('message id must be a positive integer');
  return `${APP_ENTRY_URL}#message=${id}`;
}

/** One document of a message in a window of its own: `#message=<id>&document=<key>` (key `i<ordinal>` or `a<attachment id>`). */
export function documentWindowUrl(id: number, documentKey: string): string {
  if (!/^[ia]\d{1,16}$/.test(documentKey)) throw new RangeError('document key must be i<ordinal> or a<attachment id>');
  return `${messageWindowUrl(id)}&document=${documentKey}`;
}
