/**
 * The event handlers that enforce the navigation and permission policies (navigation-policy.ts,
 * permission-policy.ts) on every web contents and on the session. Each handler is a plain function over the few
 * fields it reads, so the tests call them with stand-in events; main.ts only registers them with Electron.
 */
import { isAllowedNavigation, isAllowedRequest } from './navigation-policy.js';
import { isPermissionAllowed } from './permission-policy.js';

export interface PreventableEvent {
  preventDefault(): void;
}

/** Handlers for `webContents.on(...)`: no navigation away from the UI, no webviews. */
export const contentsGuards = {
  willNavigate: (event: PreventableEvent, url: string): void => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  },
  willFrameNavigate: (event: PreventableEvent & { readonly url: string }): void => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  },
  willRedirect: (event: PreventableEvent, url: string): void => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  },
  willAttachWebview: (event: PreventableEvent): void => {
    event.preventDefault();
  },
} as const;

/** Handlers for `session.defaultSession`: web permissions, devices, network requests and downloads. */
export const sessionGuards = {
  permissionRequest: (_contents: unknown, permission: string, callback: (granted: boolean) => void, details: { readonly requestingUrl?: string }): void => {
    callback(isPermissionAllowed(permission, details.requestingUrl));
  },
  permissionCheck: (_contents: unknown, permission: string, requestingOrigin: string): boolean => {
    return isPermissionAllowed(permission, requestingOrigin);
  },
  devicePermission: (): boolean => {
    return false;
  },
  beforeRequest: (details: { readonly url: string }, callback: (response: { cancel: boolean }) => void): void => {
    callback({ cancel: !isAllowedRequest(details.url) });
  },
  /** The UI never downloads: exports go through the service and the native save dialog. */
  willDownload: (event: PreventableEvent): void => {
    event.preventDefault();
  },
} as const;
