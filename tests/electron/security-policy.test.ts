import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, isAppOrigin, isAppUrl, messageWindowUrl } from '../../electron/app-url.js';
import { isTrustedSender } from '../../electron/ipc-sender.js';
import { isAllowedNavigation, isAllowedRequest, windowOpenDecision } from '../../electron/navigation-policy.js';
import { isPermissionAllowed } from '../../electron/permission-policy.js';

const foreign = [
  'https://example.org/',
  'http://127.0.0.1:8080/index.html',
  'file:///C:/Windows/System32/',
  'app://evil/index.html',
  'app://postfach.evil/index.html',
  'app://postfach:8080/index.html',
  'app://user:pw@postfach/index.html',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'about:blank',
  'not a url',
  '',
];

describe('app:// origin', () => {
  it('recognises exactly our UI', () => {
    expect(APP_ENTRY_URL).toBe('app://postfach/index.html');
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://postfach/assets/index-abc.js')).toBe(true);
    for (const url of foreign) expect(isAppUrl(url), url).toBe(false);
    expect(isAppOrigin(APP_ORIGIN)).toBe(true);
    expect(isAppOrigin('app://evil')).toBe(false);
    expect(isAppOrigin('null')).toBe(false);
  });
});

describe('navigation and requests', () => {
  it('allows only (re)loading the UI’s entry page', () => {
    expect(isAllowedNavigation('app://postfach/index.html')).toBe(true);
    expect(isAllowedNavigation('app://postfach/')).toBe(true);
    expect(isAllowedNavigation('app://postfach/assets/index.js')).toBe(false);
    for (const url of foreign) expect(isAllowedNavigation(url), url).toBe(false);
  });

  it('opens a message window on the entry page with the message in the fragment, and nothing else', () => {
    expect(messageWindowUrl(42)).toBe('app://postfach/index.html#message=42');
    expect(isAllowedNavigation(messageWindowUrl(42))).toBe(true);
    for (const bad of [0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) expect(() => messageWindowUrl(bad), String(bad)).toThrow(RangeError);
  });

  it('never opens new windows', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });

  it('lets pages load only the UI’s files and their own blob: objects', () => {
    expect(isAllowedRequest('app://postfach/assets/index.css')).toBe(true);
    expect(isAllowedRequest('blob:app://postfach/0b5c0b52-3c55-4c4b-9d8f-0d1f6d1e2f3a')).toBe(true);
    expect(isAllowedRequest('blob:https://evil.example/0b5c0b52')).toBe(false);
    expect(isAllowedRequest('wss://evil.example/socket')).toBe(false);
    expect(isAllowedRequest('https://fonts.googleapis.com/css')).toBe(false);
    expect(isAllowedRequest('http://localhost:3000/')).toBe(false);
    for (const url of foreign) expect(isAllowedRequest(url), url).toBe(false);
  });
});

describe('web permissions', () => {
  it('grants only clipboard writing, and only to our UI', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://postfach/index.html')).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://postfach')).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined)).toBe(false);
    for (const permission of [
      'clipboard-read',
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'fullscreen',
      'hid',
      'serial',
      'usb',
      'pointerLock',
      'display-capture',
      'unknown',
    ]) {
      expect(isPermissionAllowed(permission, 'app://postfach/index.html'), permission).toBe(false);
    }
  });
});

describe('IPC sender check', () => {
  it('answers only the top frame of our UI', () => {
    expect(isTrustedSender({ url: 'app://postfach/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://postfach/index.html', parent: { url: 'app://postfach/index.html' } })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    for (const url of foreign) expect(isTrustedSender({ url, parent: null }), url).toBe(false);
  });
});
