/**
 * The desktop shell's main process: wiring only. Every decision — window options, the app:// protocol, navigation
 * and permission guards, which window a command goes to, notifications, dialogs, the OS key store, the start plan
 * and the self-test — lives in a small module beside this file with unit tests (tests/electron/); this file hands
 * Electron's objects to them. What stays untested here and why: README, "Desktop app and browser mode".
 *
 * Bundled by esbuild to dist/electron/main.cjs (package.json "main"); the built UI is dist/renderer.
 */
import os from 'node:os';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, protocol, safeStorage, session, shell, Tray } from 'electron';
import { createApiClient } from '../core/api/client.js';
import type { ServiceHandle } from '../core/api/supervised-service.js';
import { APP_ENTRY_URL, APP_SCHEME, documentWindowUrl, messageWindowUrl } from './app-url.js';
import { contentsGuards, sessionGuards } from './guards.js';
import { wireIpc, type IpcWiring } from './ipc.js';
import { osKeyStoreServices } from './key-protector.js';
import { applicationMenuTemplate, type UiCommand } from './menu.js';
import { windowOpenDecision } from './navigation-policy.js';
import { PrivateCopies } from './open-external.js';
import { createNotifier } from './notifications.js';
import { createAppProtocolHandler } from './protocol.js';
import { parseSelfTestArguments, runSelfTest, type SelfTestRequest } from './self-test.js';
import { startSupervisedUtilityService } from './service-process.js';
import { quitAfterService } from './quit-after-service.js';
import { createShellHandlers } from './shell-handlers.js';
import { APP_SCHEME_REGISTRATION, carryOut, desktopServiceOptions, PRODUCT_TITLE, serviceExitListener, shellPaths, startupPlan } from './shell-setup.js';
import { TRAY_TOOLTIP, trayMenuTemplate } from './tray.js';
import { captureWhenMailboxShown } from './window-capture.js';
import { mainWindowOptions } from './window-options.js';
import { bringToFront, ShellWindows } from './windows.js';

const paths = shellPaths(__dirname);
const devTools = !app.isPackaged;
const windows = new ShellWindows<BrowserWindow>();
let tray: Tray | undefined;
let service: ServiceHandle | undefined;
let ipc: IpcWiring | undefined;
let quitting = false;
/** Private copies handed to the system's programs (open-external.ts); made once the app is ready. */
let copies: PrivateCopies | undefined;

protocol.registerSchemesAsPrivileged(APP_SCHEME_REGISTRATION);
app.enableSandbox();

const showMainWindow = (): void => bringToFront(windows.main);

const uiCommand = (command: UiCommand): void =>
  windows.deliverCommand(BrowserWindow.getFocusedWindow(), (target) => ipc?.emitShellEvent('ui.command', { command }, target.webContents));

function newWindow(url: string): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions({ preloadPath: paths.preload, devTools, iconPath: paths.icon }));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(url);
  return win;
}

const notifier = createNotifier({
  isSupported: () => Notification.isSupported(),
  show: (notice) => {
    const notification = new Notification({ ...notice, icon: paths.icon, silent: false });
    notification.on('click', showMainWindow);
    notification.show();
  },
});

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler(sessionGuards.permissionRequest);
  ses.setPermissionCheckHandler(sessionGuards.permissionCheck);
  ses.setDevicePermissionHandler(sessionGuards.devicePermission);
  ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, sessionGuards.beforeRequest);
  ses.on('will-download', sessionGuards.willDownload);
}

function hardenWebContents(contents: Electron.WebContents): void {
  contents.setWindowOpenHandler(windowOpenDecision);
  contents.on('will-navigate', contentsGuards.willNavigate);
  contents.on('will-frame-navigate', contentsGuards.willFrameNavigate);
  contents.on('will-redirect', contentsGuards.willRedirect);
  contents.on('will-attach-webview', contentsGuards.willAttachWebview);
}

function createTray(): Tray {
  const icon = new Tray(nativeImage.createFromPath(paths.trayIcon));
  icon.setToolTip(TRAY_TOOLTIP);
  icon.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate({ show: showMainWindow, fetch: () => uiCommand('fetch'), quit: () => app.quit() })));
  icon.on('click', showMainWindow);
  return icon;
}

function privateCopies(): PrivateCopies {
  if (copies === undefined) {
    copies = new PrivateCopies(app.getPath('temp'));
    void copies.removeLeftovers();
  }
  return copies;
}

/** Connects a running service to the window world: events, IPC, menu and tray. */
function wire(running: ServiceHandle): ServiceHandle {
  service = running;
  running.onExit(serviceExitListener(() => quitting, showError));
  running.on('mailbox.newApplications', (payload) => notifier.newApplications((payload as { count: number }).count));
  running.on('fetch.finished', (payload) => notifier.certificate((payload as { expiry?: Parameters<typeof notifier.certificate>[0] }).expiry));
  ipc = wireIpc({
    ipcMain,
    service: running,
    shell: createShellHandlers(
      {
        parent: () => windows.dialogParent(BrowserWindow.getFocusedWindow()),
        openMessage: (id) => void windows.openMessage(id, () => newWindow(messageWindowUrl(id))),
        // the same options as every window: sandboxed, no Node, the preload, the app:// CSP
        openDocument: (id, key) => void windows.openDocument(id, key, () => newWindow(documentWindowUrl(id, key))),
      },
      {
        open: (options) => dialog.showOpenDialog(options),
        openFor: (parent, options) => dialog.showOpenDialog(parent, options),
        save: (options) => dialog.showSaveDialog(options),
        saveFor: (parent, options) => dialog.showSaveDialog(parent, options),
        documentsFolder: () => app.getPath('documents'),
      },
      { api: createApiClient(running.asBridge()), privateFolder: () => privateCopies().create(), openPath: (file) => shell.openPath(file) },
    ),
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenuTemplate({ command: uiCommand, devTools, isMac: process.platform === 'darwin' })));
  tray = createTray();
  return running;
}

/** The service is started again when it dies; the windows hear `service.restarted` and say what happened. */
async function startService(): Promise<ServiceHandle> {
  await app.whenReady();
  hardenSession();
  protocol.handle(APP_SCHEME, createAppProtocolHandler(paths.rendererDir));
  return wire(
    await startSupervisedUtilityService(
      paths.serviceEntry,
      desktopServiceOptions(app.getPath('userData'), app.getVersion()),
      osKeyStoreServices(safeStorage, os.userInfo().username),
      showMainWindow,
    ),
  );
}

async function start(): Promise<void> {
  await startService();
  windows.setMain(newWindow(APP_ENTRY_URL));
}

/** The self-test (self-test.ts): its first step starts the service, so a service that cannot start is reported too. */
async function selfTest(request: SelfTestRequest): Promise<void> {
  const { exitCode } = await runSelfTest(request, {
    connect: async () => createApiClient((await startService()).asBridge()),
    program: { electron: process.versions.electron, chrome: process.versions.chrome, platform: process.platform, arch: process.arch, packaged: String(app.isPackaged) },
    captureMainWindow: async () => {
      windows.setMain(newWindow(APP_ENTRY_URL));
      return captureWhenMailboxShown(windows.main);
    },
  });
  quitting = true;
  await service?.close();
  app.exit(exitCode);
}

const plan = startupPlan(parseSelfTestArguments(process.argv), {
  takeSingleInstanceLock: () => app.requestSingleInstanceLock(),
  useProfile: (dir) => app.setPath('userData', dir),
});
/** Failures go to a dialog for the caseworker, to stderr in the self-test (nobody is there to close a dialog). */
const errorOutputs = { dialog: (text: string) => dialog.showErrorBox(PRODUCT_TITLE, text), stderr: (text: string) => void process.stderr.write(`${PRODUCT_TITLE}: ${text}\n`) };
const showError = errorOutputs[plan.errors];

carryOut(plan, {
  exit: (code) => app.exit(code),
  report: showError,
  registerAppEvents: () => {
    // once quitting, IPC is disposed: a window opened now would show a dead app
    app.on('second-instance', () => {
      if (!quitting) showMainWindow();
    });
    app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
    app.on('window-all-closed', () => app.quit());
    // the quit waits for the service's own end (its shutdown finishes the Übungsmodus's application on its way)
    const afterService = quitAfterService(
      () => service?.close(),
      () => app.quit(),
    );
    app.on('will-quit', (event) => {
      if (!quitting) {
        quitting = true;
        ipc?.dispose();
        tray?.destroy();
        copies?.removeAll();
      }
      afterService(event);
    });
  },
  start,
  selfTest,
});
