/**
 * The desktop shell's fixed facts, decided here rather than in main.ts so they are unit-tested: where the bundles,
 * the UI and the icons are relative to the main bundle, which options the service starts with, how the app://
 * scheme is registered, and what the caseworker reads when the service or the start fails.
 */
import path from 'node:path';
import type { ServiceOptions } from '../core/api/service-protocol.js';
import { toPostfachError } from '../core/errors.js';
import { APP_SCHEME } from './app-url.js';
import type { SelfTestArguments, SelfTestRequest } from './self-test.js';

export interface ShellPaths {
  /** The packaged app's root (app.asar, or the project folder in development). */
  readonly appRoot: string;
  readonly rendererDir: string;
  readonly preload: string;
  readonly serviceEntry: string;
  readonly icon: string;
  readonly trayIcon: string;
}

/** `bundleDir` is the folder of main.cjs (dist/electron), i.e. `__dirname` of the main bundle. */
export function shellPaths(bundleDir: string): ShellPaths {
  const appRoot = path.join(bundleDir, '..', '..');
  return {
    appRoot,
    rendererDir: path.join(appRoot, 'dist', 'renderer'),
    preload: path.join(bundleDir, 'preload.cjs'),
    serviceEntry: path.join(bundleDir, 'service.cjs'),
    icon: path.join(appRoot, 'resources', 'icons', 'postfach-256.png'),
    trayIcon: path.join(appRoot, 'resources', 'icons', 'postfach-32.png'),
  };
}

/** The data folder is `<userData>\Postfach` (%APPDATA%\OSCI-Postfach\Postfach, docs/betrieb.md). */
export function desktopServiceOptions(userData: string, appVersion: string): ServiceOptions {
  return { dataDir: path.join(userData, 'Postfach'), appVersion, host: 'desktop' };
}

/**
 * Registered before `ready`: our scheme is a standard, secure origin (like https), with fetch and code cache —
 * without CORS, service workers or a CSP bypass.
 */
export const APP_SCHEME_REGISTRATION = [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }];

export const PRODUCT_TITLE = 'OSCI-Postfach';

// the service is restarted when it dies (core/api/supervised-service.ts): this is said only once it gave up
export const SERVICE_STOPPED_TEXT = 'Der Hintergrunddienst wurde wiederholt unerwartet beendet. Bitte starten Sie das Programm neu; gespeicherte Nachrichten sind erhalten.';

/** The error box when the program cannot start: German text and the technical detail for IT. */
export function startFailureText(error: unknown): string {
  const e = toPostfachError(error);
  return `${e.text.de}\n\nTechnische Angabe: ${e.detail}`;
}

/** What this process does, from its arguments and the single-instance lock (taken only where it matters). */
export type StartupPlan = (
  { readonly kind: 'normal' } | { readonly kind: 'self-test'; readonly request: SelfTestRequest } | { readonly kind: 'exit'; readonly code: number; readonly message?: string }
) & {
  /** Where failures are shown: a dialog for the caseworker; stderr for a self-test or a usage error (no one to click). */
  readonly errors: 'dialog' | 'stderr';
};

export interface StartupHooks {
  /** `app.requestSingleInstanceLock()`: one program per profile. */
  readonly takeSingleInstanceLock: () => boolean;
  /** `app.setPath('userData', dir)`: the self-test's temporary profile, set before the lock is taken. */
  readonly useProfile: (dir: string) => void;
}

export function startupPlan(args: SelfTestArguments, hooks: StartupHooks): StartupPlan {
  if (args.kind === 'invalid') return { kind: 'exit', code: 2, message: args.message, errors: 'stderr' };
  if (args.kind === 'self-test') hooks.useProfile(args.request.profileDir);
  const locked = hooks.takeSingleInstanceLock();
  if (args.kind === 'self-test') {
    return locked
      ? { kind: 'self-test', request: args.request, errors: 'stderr' }
      : { kind: 'exit', code: 3, message: 'another instance uses this --user-data-dir; the self-test needs a profile of its own', errors: 'stderr' };
  }
  // a second start hands over to the first instance (its window comes to the front) and ends
  return locked ? { kind: 'normal', errors: 'dialog' } : { kind: 'exit', code: 0, errors: 'dialog' };
}

/** What main.ts does for each plan; the choice between them is made here (tested), main.ts only supplies them. */
export interface StartupActions {
  /** `app.exit(code)`. */
  readonly exit: (code: number) => void;
  /** Shows a failure where the plan says (`errors`: dialog or stderr). */
  readonly report: (text: string) => void;
  /** Registers the app's event handlers (second instance, web contents, window closing, quitting). */
  readonly registerAppEvents: () => void;
  readonly start: () => Promise<void>;
  readonly selfTest: (request: SelfTestRequest) => Promise<void>;
}

export function carryOut(plan: StartupPlan, actions: StartupActions): void {
  if (plan.kind === 'exit') {
    if (plan.message !== undefined) actions.report(plan.message);
    actions.exit(plan.code);
    return;
  }
  actions.registerAppEvents();
  (plan.kind === 'self-test' ? actions.selfTest(plan.request) : actions.start()).catch((error: unknown) => {
    actions.report(startFailureText(error));
    actions.exit(1);
  });
}

/** The service ended: an error for the caseworker, unless the program is quitting anyway. */
export function serviceExitListener(isQuitting: () => boolean, report: (text: string) => void): () => void {
  return () => {
    if (!isQuitting()) report(SERVICE_STOPPED_TEXT);
  };
}
