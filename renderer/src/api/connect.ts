/**
 * Finds the way to the program: in the desktop app the preload's `window.postfach`; in a browser the loopback
 * bridge, with the per-run token from the URL fragment (`#token=…`). The token is moved into sessionStorage and
 * removed from the address bar, so it is not shown, bookmarked or copied along with the address; a reload in the
 * same tab still finds it. Served by `postfach serve`, the page carries a marker instead and the session cookie
 * (HttpOnly, never seen by script) authorises each call.
 */
import type { PostfachBridge } from '../../../core/api/api-types.js';
import { createHttpBridge, type HttpBridge } from '../../../core/api/bridge-client.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload (electron/preload.ts); absent in a browser. */
    readonly postfach?: PostfachBridge;
  }
}

const TOKEN_KEY = 'postfach.bridgeToken';

export interface Connection {
  readonly bridge: PostfachBridge;
  /** Settles once events reach the window (the loopback bridge's event stream connected; the preload at once). */
  readonly listening: Promise<void>;
}

const over = (bridge: HttpBridge): Connection => ({ bridge, listening: bridge.listening });

export function connectBridge(): Connection | null {
  if (window.postfach !== undefined) return { bridge: window.postfach, listening: Promise.resolve() };
  const fromFragment = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromFragment !== null && /^[A-Za-z0-9_-]{32,}$/.test(fromFragment)) {
    window.sessionStorage.setItem(TOKEN_KEY, fromFragment);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  const token = window.sessionStorage.getItem(TOKEN_KEY);
  if (token !== null) return over(createHttpBridge({ origin: '', token }));
  // served by `postfach serve` (its index.html says so): the person's session cookie goes along, no token
  if (servedByService()) return over(createHttpBridge({ origin: '', onSignedOut: () => toSignIn('abgelaufen') }));
  return null;
}

/** Served by `postfach serve` (its index.html carries the marker): a person signed in with a session cookie. */
export function servedByService(): boolean {
  return document.querySelector('meta[name="postfach-session"][content="cookie"]') !== null;
}

let leaving = false;

/** To the service's sign-in page, once: "abgelaufen" (the session ended) or "abgemeldet" (the person signed out). */
function toSignIn(notice: 'abgelaufen' | 'abgemeldet'): void {
  if (leaving) return;
  leaving = true;
  window.location.assign(`/anmelden?hinweis=${notice}`);
}

/** "Abmelden": ends the session at the service (POST /abmelden, same origin) and shows the sign-in page. */
export async function signOutOfService(): Promise<void> {
  leaving = true;
  try {
    await fetch('/abmelden', { method: 'POST', cache: 'no-store', redirect: 'manual' });
  } finally {
    window.location.assign('/anmelden?hinweis=abgemeldet');
  }
}
