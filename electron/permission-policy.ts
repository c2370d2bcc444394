/**
 * Web permissions (camera, notifications, geolocation, clipboard, HID, ...): all refused, except writing to the
 * clipboard from our own UI — copying values into the case system is the caseworker's main action.
 */
import { isAppOrigin, isAppUrl } from './app-url.js';

const grantedToTheUi: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** For `session.setPermissionRequestHandler` (a URL) and `setPermissionCheckHandler` (an origin). */
export function isPermissionAllowed(permission: string, requestingUrlOrOrigin: string | undefined): boolean {
  if (!grantedToTheUi.has(permission) || requestingUrlOrOrigin === undefined) return false;
  return isAppUrl(requestingUrlOrOrigin) || isAppOrigin(requestingUrlOrOrigin);
}
