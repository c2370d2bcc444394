/**
 * The desktop shell's main process. Thin: one window, the app:// protocol, the security policy, the service in a
 * utility process, the IPC wiring of the contract, menu, tray and notifications. Every decision lives in a small
 * tested module beside this file; this file only connects them to Electron.
 *
 * Bundled by esbuild to dist/electron/main.cjs (package.json "main"); the built UI is dist/renderer.
 */
import os from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, protocol, safeStorage, session, Tray, type WebContents } from 'electron';
import type { HostServices } from '../core/api/service-host.js';
import type { ServiceHandle } from '../core/api/supervised-service.js';
import { toPostfachError } from '../core/errors.js';
import { APP_ENTRY_URL, APP_SCHEME, messageWindowUrl } from './app-url.js';
import { wireIpc, type IpcWiring } from './ipc.js';
import { applicationMenuTemplate, type UiCommand } from './menu.js';
import { isAllowedNavigation, isAllowedRequest, windowOpenDecision } from './navigation-policy.js';
import { safeStorageKeyProtector } from './key-protector.js';
import { isPermissionAllowed } from './permission-policy.js';
import { createAppProtocolHandler } from './protocol.js';
import { startSupervisedUtilityService } from './service-process.js';
import { createShellHandlers } from './shell-handlers.js';
import { certificateNotice, newApplicationsNotice, TRAY_TOOLTIP, trayMenuTemplate } from './tray.js';
import { mainWindowOptions } from './window-options.js';

const appRoot = path.join(__dirname, '..', '..');
const rendererDir = path.join(appRoot, 'dist', 'renderer');
const iconPath = path.join(appRoot, 'resources', 'icons', 'postfach-256.png');
const trayIconPath = path.join(appRoot, 'resources', 'icons', 'postfach-32.png');
const devTools = !app.isPackaged;

let mainWindow: BrowserWindow | undefined;
/** Messages opened in windows of their own, by store id (one window per message). */
const messageWindows = new Map<number, BrowserWindow>();
let tray: Tray | undefined;
let service: ServiceHandle | undefined;
let ipc: IpcWiring | undefined;
let quitting = false;

// Before `ready`: our scheme is a standard, secure origin (like https), without CORS, service workers or CSP bypass.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
app.enableSandbox();

function showMainWindow(): void {
  if (mainWindow === undefined || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** A menu or tray command goes to the window the caseworker works in (a message window, or the main window). */
function uiCommand(command: UiCommand): void {
  const focused = BrowserWindow.getFocusedWindow();
  const target = focused !== null && !focused.isDestroyed() && (focused === mainWindow || [...messageWindows.values()].includes(focused)) ? focused : mainWindow;
  if (target === mainWindow) showMainWindow();
  if (target !== undefined && !target.isDestroyed()) ipc?.emitShellEvent('ui.command', { command }, target.webContents);
}

function openMessageWindow(id: number): void {
  const existing = messageWindows.get(id);
  if (existing !== undefined && !existing.isDestroyed()) {
    existing.show();
    existing.focus();
    return;
  }
  const win = new BrowserWindow(mainWindowOptions({ preloadPath: path.join(__dirname, 'preload.cjs'), devTools, iconPath }));
  messageWindows.set(id, win);
  win.on('closed', () => messageWindows.delete(id));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(messageWindowUrl(id));
}

/**
 * The OS key store for the store's data key (DPAPI on Windows). Where it offers no protection (Linux without a
 * secret service) the store is opened with its password or the recovery key instead.
 */
function osKeyStore(): HostServices {
  try {
    return { protector: safeStorageKeyProtector(safeStorage, os.userInfo().username) };
  } catch {
    return {};
  }
}

function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(windowOpenDecision);
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isPermissionAllowed(permission, details.requestingUrl)));
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  ses.on('will-download', (event) => event.preventDefault());
}

function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions({ preloadPath: path.join(__dirname, 'preload.cjs'), devTools, iconPath }));
  win.once('ready-to-show', () => win.show());
  // message windows belong to the main window: closing it ends the program
  win.on('closed', () => {
    for (const other of messageWindows.values()) if (!other.isDestroyed()) other.close();
  });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

function createTray(): Tray {
  const icon = new Tray(nativeImage.createFromPath(trayIconPath));
  icon.setToolTip(TRAY_TOOLTIP);
  icon.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate({ show: showMainWindow, fetch: () => uiCommand('fetch'), quit: () => app.quit() })));
  icon.on('click', showMainWindow);
  return icon;
}

/** The notification hook: the service reports new applications (counts only). */
function notifyNewApplications(count: number): void {
  if (!Notification.isSupported()) return;
  const notice = newApplicationsNotice(count);
  const notification = new Notification({ ...notice, icon: iconPath, silent: false });
  notification.on('click', showMainWindow);
  notification.show();
}

/** The certificate warning, at most once a day while the program runs (every fetch reports the expiry). */
let certificateNoticeShownAt = 0;
function notifyCertificate(expiry: Parameters<typeof certificateNotice>[0]): void {
  const notice = certificateNotice(expiry);
  if (notice === null || !Notification.isSupported() || Date.now() - certificateNoticeShownAt < 24 * 60 * 60 * 1000) return;
  certificateNoticeShownAt = Date.now();
  const notification = new Notification({ ...notice, icon: iconPath, silent: false });
  notification.on('click', showMainWindow);
  notification.show();
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession();
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));

  // the service is started again when it dies; the windows hear `service.restarted` and say what happened
  service = await startSupervisedUtilityService(
    path.join(__dirname, 'service.cjs'),
    { dataDir: path.join(app.getPath('userData'), 'Postfach'), appVersion: app.getVersion(), host: 'desktop' },
    osKeyStore(),
    () => showMainWindow(),
  );
  service.onExit(() => {
    if (quitting) return;
    // only after too many restarts in a short time (or a service that no longer starts)
    dialog.showErrorBox('OSCI-Postfach', 'Der Hintergrunddienst wurde wiederholt unerwartet beendet. Bitte starten Sie das Programm neu; gespeicherte Nachrichten sind erhalten.');
  });
  service.on('mailbox.newApplications', (payload) => notifyNewApplications((payload as { count: number }).count));
  service.on('fetch.finished', (payload) => notifyCertificate((payload as { expiry?: Parameters<typeof certificateNotice>[0] }).expiry));

  ipc = wireIpc({
    ipcMain,
    service,
    shell: createShellHandlers({ parent: () => BrowserWindow.getFocusedWindow() ?? mainWindow, openMessage: openMessageWindow }),
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenuTemplate({ command: uiCommand, devTools, isMac: process.platform === 'darwin' })));
  tray = createTray();
  mainWindow = createMainWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showMainWindow);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    quitting = true;
    ipc?.dispose();
    tray?.destroy();
    void service?.close();
  });
  start().catch((error: unknown) => {
    const e = toPostfachError(error);
    dialog.showErrorBox('OSCI-Postfach', `${e.text.de}\n\nTechnische Angabe: ${e.detail}`);
    app.exit(1);
  });
}
