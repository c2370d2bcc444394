/**
 * The shell's decisions that used to sit in main.ts, tested in Node with stand-ins for the Electron objects they
 * touch (windows, events, dialogs, notifications, the utility process, the parent port, Electron's net): which
 * window a command goes to, message windows, the notification throttle, the navigation and permission guards,
 * dialogs and window capture, the utility-process channel, the transport choice, the start plan and fixed paths.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PostfachError } from '../../core/errors.js';
import { contentsGuards, sessionGuards } from '../../electron/guards.js';
import { osKeyStoreServices, type SafeStorageLike } from '../../electron/key-protector.js';
import { CERTIFICATE_NOTICE_INTERVAL_MS, createNotifier, type Notice } from '../../electron/notifications.js';
import { desktopTransport, parentPortChannel } from '../../electron/service-wiring.js';
import { documentWindowUrl } from '../../electron/app-url.js';
import type { ExternalOpening } from '../../electron/open-external.js';
import { createShellHandlers, type NativeDialogs } from '../../electron/shell-handlers.js';
import {
  APP_SCHEME_REGISTRATION,
  carryOut,
  desktopServiceOptions,
  SERVICE_STOPPED_TEXT,
  serviceExitListener,
  shellPaths,
  startFailureText,
  startupPlan,
  type StartupActions,
} from '../../electron/shell-setup.js';
import { certificateNotice } from '../../electron/tray.js';
import { utilityChannel, type UtilityChild } from '../../electron/utility-channel.js';
import { bringToFront, ShellWindows, type ShellWindow } from '../../electron/windows.js';

/** The dialog and window tests never open a document in the system's program (open-external.test.ts does). */
const unusedExternal: ExternalOpening = {
  api: { call: () => Promise.reject(new Error('no service in this test')) },
  privateFolder: () => Promise.reject(new Error('no folder in this test')),
  openPath: () => Promise.reject(new Error('nothing is opened in this test')),
};

class FakeWindow extends EventEmitter implements ShellWindow {
  readonly calls: string[] = [];
  destroyed = false;
  minimized = false;
  constructor(readonly name: string) {
    super();
  }
  isDestroyed = () => this.destroyed;
  isMinimized = () => this.minimized;
  restore = () => void this.calls.push('restore');
  show = () => void this.calls.push('show');
  focus = () => void this.calls.push('focus');
  close = () => {
    this.calls.push('close');
    this.destroyed = true;
    this.emit('closed');
  };
}

describe('windows: main window, message windows, where commands go', () => {
  it('brings a minimised main window back, and ignores a missing or destroyed one', () => {
    const main = new FakeWindow('main');
    main.minimized = true;
    bringToFront(main);
    expect(main.calls).toEqual(['restore', 'show', 'focus']);
    bringToFront(undefined);
    main.destroyed = true;
    bringToFront(main);
    expect(main.calls).toHaveLength(3);
  });

  it('opens one window per message, shows the open one again, forgets closed ones', () => {
    const windows = new ShellWindows<FakeWindow>();
    let made = 0;
    const create = () => new FakeWindow(`message-${++made}`);
    const first = windows.openMessage(7, create);
    expect(windows.openMessage(7, create)).toBe(first);
    expect(made).toBe(1);
    expect(first.calls).toEqual(['show', 'focus']);
    windows.openMessage(8, create);
    expect(windows.openMessageIds).toEqual([7, 8]);
    first.close();
    expect(windows.openMessageIds).toEqual([8]);
    expect(windows.openMessage(7, create)).not.toBe(first);
    expect(made).toBe(3);
  });

  it('closes the message windows with the main window', () => {
    const windows = new ShellWindows<FakeWindow>();
    const main = new FakeWindow('main');
    windows.setMain(main);
    const a = windows.openMessage(1, () => new FakeWindow('a'));
    const b = windows.openMessage(2, () => new FakeWindow('b'));
    b.destroyed = true; // already gone: not closed twice
    main.close();
    expect(a.calls).toContain('close');
    expect(b.calls).not.toContain('close');
  });

  it('opens one window per document of a message, shows the open one again, closes them with the main window', () => {
    const windows = new ShellWindows<FakeWindow>();
    const main = new FakeWindow('main');
    windows.setMain(main);
    let made = 0;
    const create = () => new FakeWindow(`doc${++made}`);
    const first = windows.openDocument(4, 'a9', create);
    expect(windows.openDocument(4, 'a9', create)).toBe(first);
    expect(first.calls).toEqual(['show', 'focus']);
    // another document of the same message, the same document of another message: windows of their own
    const second = windows.openDocument(4, 'i0', create);
    const third = windows.openDocument(5, 'a9', create);
    expect(new Set([first, second, third]).size).toBe(3);
    expect(windows.openDocumentKeys).toEqual(['4:a9', '4:i0', '5:a9']);
    second.close();
    expect(windows.openDocumentKeys).toEqual(['4:a9', '5:a9']);
    // a document window is not where menu commands go: the main window is
    expect(windows.commandTarget(first)).toBe(main);
    main.close();
    expect(first.calls).toContain('close');
    expect(third.calls).toContain('close');
  });

  it('sends a command to the focused window when it is ours, else to the main window brought to front', () => {
    const windows = new ShellWindows<FakeWindow>();
    const main = new FakeWindow('main');
    windows.setMain(main);
    const message = windows.openMessage(3, () => new FakeWindow('message'));
    const stranger = new FakeWindow('devtools');
    const sent: string[] = [];
    const send = (w: FakeWindow) => void sent.push(w.name);
    windows.deliverCommand(message, send);
    windows.deliverCommand(main, send);
    windows.deliverCommand(stranger, send);
    windows.deliverCommand(null, send);
    expect(sent).toEqual(['message', 'main', 'main', 'main']);
    expect(main.calls.filter((c) => c === 'show')).toHaveLength(3);
    expect(message.calls).toEqual([]); // a focused message window gets the command where it is
    main.destroyed = true;
    windows.deliverCommand(null, send);
    expect(sent).toHaveLength(4);
    expect(windows.dialogParent(undefined)).toBe(main);
    expect(windows.dialogParent(message)).toBe(message);
  });
});

describe('notifications', () => {
  const expiring = { status: 'expires-soon' as const, daysLeft: 12, text: { de: 'Gültig bis 17.12.2026.' } };

  it('announces new applications by count only, where notifications are supported', () => {
    const shown: Notice[] = [];
    let supported = true;
    const notifier = createNotifier({ isSupported: () => supported, show: (n) => void shown.push(n) });
    notifier.newApplications(3);
    supported = false;
    notifier.newApplications(1);
    expect(shown).toEqual([{ title: '3 neue Anträge', body: 'Im OSCI-Postfach eingegangen. Zum Anzeigen hier klicken.' }]);
  });

  it('warns about the certificate at most once a day, never when all is well', () => {
    const shown: Notice[] = [];
    let now = 1_000_000;
    const notifier = createNotifier({ isSupported: () => true, show: (n) => void shown.push(n), now: () => now });
    notifier.certificate(undefined);
    notifier.certificate({ ...expiring, status: 'ok' });
    expect(shown).toEqual([]);
    notifier.certificate(expiring);
    now += CERTIFICATE_NOTICE_INTERVAL_MS - 1;
    notifier.certificate(expiring);
    expect(shown).toHaveLength(1);
    now += 1;
    notifier.certificate({ status: 'expired', daysLeft: 0, text: { de: 'Abgelaufen am 01.12.2026.' } });
    expect(shown.map((n) => n.title)).toEqual(['Zertifikat des Postfachs läuft in 12 Tagen ab', 'Zertifikat des Postfachs abgelaufen']);
    expect(certificateNotice({ ...expiring, daysLeft: 1 })?.title).toBe('Zertifikat des Postfachs läuft in 1 Tag ab');
  });
});

describe('guards: navigation, webviews, permissions, requests, downloads', () => {
  const event = () => {
    const e = { prevented: false, preventDefault: () => void (e.prevented = true) };
    return e;
  };

  it('prevents navigation and redirects away from the UI, and every webview', () => {
    for (const [url, prevented] of [
      ['app://postfach/index.html', false],
      ['app://postfach/', false],
      ['app://postfach/assets/x.js', true],
      ['https://evil.example/', true],
      ['file:///C:/Windows/win.ini', true],
    ] as const) {
      const a = event();
      contentsGuards.willNavigate(a, url);
      const b = event();
      contentsGuards.willRedirect(b, url);
      const c = Object.assign(event(), { url });
      contentsGuards.willFrameNavigate(c);
      expect([a.prevented, b.prevented, c.prevented], url).toEqual([prevented, prevented, prevented]);
    }
    const webview = event();
    contentsGuards.willAttachWebview(webview);
    expect(webview.prevented).toBe(true);
  });

  it('answers permission requests and checks by the policy, refuses devices and downloads, cancels foreign requests', () => {
    const answers: boolean[] = [];
    sessionGuards.permissionRequest(null, 'clipboard-sanitized-write', (g) => answers.push(g), { requestingUrl: 'app://postfach/index.html' });
    sessionGuards.permissionRequest(null, 'media', (g) => answers.push(g), { requestingUrl: 'app://postfach/index.html' });
    sessionGuards.permissionRequest(null, 'clipboard-sanitized-write', (g) => answers.push(g), {});
    expect(answers).toEqual([true, false, false]);
    expect(sessionGuards.permissionCheck(null, 'clipboard-sanitized-write', 'app://postfach')).toBe(true);
    expect(sessionGuards.permissionCheck(null, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    expect(sessionGuards.devicePermission()).toBe(false);
    const responses: Array<{ cancel: boolean }> = [];
    sessionGuards.beforeRequest({ url: 'app://postfach/index.html' }, (r) => void responses.push(r));
    sessionGuards.beforeRequest({ url: 'https://example.org/' }, (r) => void responses.push(r));
    expect(responses).toEqual([{ cancel: false }, { cancel: true }]);
    const download = event();
    sessionGuards.willDownload(download);
    expect(download.prevented).toBe(true);
  });
});

describe('shell handlers over native dialogs', () => {
  interface Win {
    readonly name: string;
    readonly webContents: { capturePage(): Promise<{ toPNG(): Uint8Array }> };
  }
  const png = Buffer.from('89504e470d0a1a0a0000', 'hex');
  const win: Win = { name: 'main', webContents: { capturePage: async () => ({ toPNG: () => png }) } };

  function fakeDialogs(answer: { canceled: boolean; filePaths?: string[]; filePath?: string }) {
    const calls: Array<{ kind: string; parent?: string; title?: string; defaultPath?: string }> = [];
    const dialogs: NativeDialogs<Win> = {
      open: async (o) => (calls.push({ kind: 'open', title: o.title, defaultPath: o.defaultPath }), { canceled: answer.canceled, filePaths: answer.filePaths ?? [] }),
      openFor: async (p, o) => (
        calls.push({ kind: 'open', parent: p.name, title: o.title, defaultPath: o.defaultPath }),
        { canceled: answer.canceled, filePaths: answer.filePaths ?? [] }
      ),
      save: async (o) => (
        calls.push({ kind: 'save', title: o.title, defaultPath: o.defaultPath }),
        { canceled: answer.canceled, ...(answer.filePath === undefined ? {} : { filePath: answer.filePath }) }
      ),
      saveFor: async (p, o) => (
        calls.push({ kind: 'save', parent: p.name, title: o.title, defaultPath: o.defaultPath }),
        { canceled: answer.canceled, ...(answer.filePath === undefined ? {} : { filePath: answer.filePath }) }
      ),
      documentsFolder: () => 'C:\\Users\\sb\\Documents',
    };
    return { dialogs, calls };
  }

  it('attaches dialogs to the asking window, or opens them free-standing without one', async () => {
    const { dialogs, calls } = fakeDialogs({ canceled: false, filePaths: ['C:\\Schlüssel\\amt.p12'] });
    let parent: Win | undefined = win;
    const handlers = createShellHandlers({ parent: () => parent, openMessage: () => undefined, openDocument: () => undefined }, dialogs, unusedExternal);
    expect(await handlers['dialog.openFile']({ kind: 'p12' })).toEqual({ path: 'C:\\Schlüssel\\amt.p12' });
    parent = undefined;
    expect(await handlers['dialog.saveFile']({ kind: 'folder', suggestedName: 'x' })).toEqual({ path: 'C:\\Schlüssel\\amt.p12' });
    expect(calls).toEqual([
      { kind: 'open', parent: 'main', title: 'Schlüsseldatei des Postfachs öffnen', defaultPath: undefined },
      { kind: 'open', title: 'Ordner für die Anhänge wählen', defaultPath: 'C:\\Users\\sb\\Documents' },
    ]);
  });

  it('answers null for a cancelled or empty choice, and a save path otherwise', async () => {
    const cancelled = createShellHandlers(
      { parent: () => win, openMessage: () => undefined, openDocument: () => undefined },
      fakeDialogs({ canceled: true, filePaths: ['x'], filePath: 'y' }).dialogs,
      unusedExternal,
    );
    expect(await cancelled['dialog.openFile']({ kind: 'certificate' })).toEqual({ path: null });
    expect(await cancelled['dialog.saveFile']({ kind: 'pdf', suggestedName: 'a.pdf' })).toEqual({ path: null });
    const empty = createShellHandlers(
      { parent: () => undefined, openMessage: () => undefined, openDocument: () => undefined },
      fakeDialogs({ canceled: false, filePath: '' }).dialogs,
      unusedExternal,
    );
    expect(await empty['dialog.openFile']({ kind: 'backup' })).toEqual({ path: null });
    expect(await empty['dialog.saveFile']({ kind: 'csv', suggestedName: 'p.csv' })).toEqual({ path: null });
    const { dialogs, calls } = fakeDialogs({ canceled: false, filePath: 'C:\\Users\\sb\\Documents\\Antrag.pdf' });
    const chosen = createShellHandlers({ parent: () => win, openMessage: () => undefined, openDocument: () => undefined }, dialogs, unusedExternal);
    expect(await chosen['dialog.saveFile']({ kind: 'pdf', suggestedName: '..\\Antrag.pdf' })).toEqual({ path: 'C:\\Users\\sb\\Documents\\Antrag.pdf' });
    expect(calls[0]).toEqual({ kind: 'save', parent: 'main', title: 'Speichern unter', defaultPath: 'C:\\Users\\sb\\Documents/Antrag.pdf' });
  });

  it('opens message windows and captures the asking window as PNG', async () => {
    const opened: number[] = [];
    let parent: Win | undefined = win;
    const documents: string[] = [];
    const handlers = createShellHandlers(
      { parent: () => parent, openMessage: (id) => void opened.push(id), openDocument: (id, key) => void documents.push(`${id}:${key}`) },
      fakeDialogs({ canceled: true }).dialogs,
      unusedExternal,
    );
    expect(await handlers['window.openMessage']({ id: 5 })).toEqual({ opened: true });
    expect(opened).toEqual([5]);
    // a document in a window of its own: its key in the window's address (app-url.ts documentWindowUrl)
    expect(await handlers['window.openDocument']({ id: 5, document: { source: 'attachment', attachmentId: 12 } })).toEqual({ opened: true });
    expect(await handlers['window.openDocument']({ id: 5, document: { source: 'inline', ordinal: 0 } })).toEqual({ opened: true });
    expect(documents).toEqual(['5:a12', '5:i0']);
    expect(documentWindowUrl(5, 'a12')).toBe('app://postfach/index.html#message=5&document=a12');
    expect(() => documentWindowUrl(5, 'x1')).toThrow(RangeError);
    expect(await handlers['window.capture']()).toEqual({ png: png.toString('base64') });
    parent = undefined;
    expect(await handlers['window.capture']()).toEqual({ png: '' });
  });
});

describe('the utility process channel and the service side of it', () => {
  class FakeChild extends EventEmitter implements UtilityChild {
    readonly posted: unknown[] = [];
    killed = 0;
    postMessage = (message: unknown) => void this.posted.push(message);
    kill = () => (this.killed++, true);
  }

  it('posts, receives, reports the exit code once, and kills', () => {
    const child = new FakeChild();
    const channel = utilityChannel(child);
    const received: unknown[] = [];
    const exits: string[] = [];
    channel.onMessage((m) => received.push(m));
    channel.onExit((r) => exits.push(r));
    channel.post({ type: 'shutdown' });
    child.emit('message', { type: 'ready' });
    channel.kill();
    child.emit('exit', 3);
    child.emit('exit', 4);
    // once it has exited its pid may be another process's: no kill any more
    channel.kill();
    expect(child.posted).toEqual([{ type: 'shutdown' }]);
    expect(received).toEqual([{ type: 'ready' }]);
    expect(exits).toEqual(['utility process exited with code 3']);
    expect(child.killed).toBe(1);
  });

  it('the service reads messages from the parent port’s event.data and refuses to run outside a utility process', () => {
    const port = new EventEmitter() as EventEmitter & { postMessage(message: unknown): void; posted: unknown[] };
    port.posted = [];
    port.postMessage = (m) => void port.posted.push(m);
    const servicePort = parentPortChannel(port);
    const seen: unknown[] = [];
    servicePort.onMessage((m) => seen.push(m));
    port.emit('message', { data: { type: 'init' } });
    servicePort.post({ type: 'ready' });
    expect(seen).toEqual([{ type: 'init' }]);
    expect(port.posted).toEqual([{ type: 'ready' }]);
    expect(() => parentPortChannel(undefined)).toThrow(/utility process/);
  });

  it('fetches through Chromium’s net only with the system proxy and no extra TLS CAs', () => {
    const net = {
      request: () => {
        throw new Error('not called while choosing');
      },
    } as unknown as Parameters<typeof desktopTransport>[0];
    const choose = desktopTransport(net);
    const base = { url: 'https://intermediaer.example/osci', timeoutMs: 1000, tlsCas: [], proxyMode: 'system' };
    expect(typeof choose(base)).toBe('function');
    for (const proxyMode of ['direct', 'fixed', 'pac']) expect(choose({ ...base, proxyMode }), proxyMode).toBeUndefined();
    expect(choose({ ...base, tlsCas: [{} as never] })).toBeUndefined();
  });
});

describe('fixed facts and the start plan', () => {
  it('finds the bundles, the UI and the icons from the main bundle’s folder', () => {
    const bundleDir = path.join('C:', 'Program Files', 'OSCI-Postfach', 'resources', 'app.asar', 'dist', 'electron');
    const p = shellPaths(bundleDir);
    const asar = path.join('C:', 'Program Files', 'OSCI-Postfach', 'resources', 'app.asar');
    expect(p).toEqual({
      appRoot: asar,
      rendererDir: path.join(asar, 'dist', 'renderer'),
      preload: path.join(bundleDir, 'preload.cjs'),
      serviceEntry: path.join(bundleDir, 'service.cjs'),
      icon: path.join(asar, 'resources', 'icons', 'postfach-256.png'),
      trayIcon: path.join(asar, 'resources', 'icons', 'postfach-32.png'),
    });
    expect(desktopServiceOptions(path.join('C:', 'AppData', 'OSCI-Postfach'), '1.2.3')).toEqual({
      dataDir: path.join('C:', 'AppData', 'OSCI-Postfach', 'Postfach'),
      appVersion: '1.2.3',
      host: 'desktop',
    });
  });

  it('registers app:// as a standard secure scheme without CORS, service workers or CSP bypass', () => {
    expect(APP_SCHEME_REGISTRATION).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
  });

  it('plans the start: normal, second instance, self-test (in its own profile), usage error', () => {
    const events: string[] = [];
    const hooks = (got: boolean) => ({ takeSingleInstanceLock: () => (events.push('lock'), got), useProfile: (dir: string) => void events.push(`profile ${dir}`) });
    expect(startupPlan({ kind: 'none' }, hooks(true))).toEqual({ kind: 'normal', errors: 'dialog' });
    expect(startupPlan({ kind: 'none' }, hooks(false))).toEqual({ kind: 'exit', code: 0, errors: 'dialog' });
    expect(events).toEqual(['lock', 'lock']);
    const request = { mode: 'store' as const, reportDir: '/tmp/r', profileDir: '/tmp/p' };
    expect(startupPlan({ kind: 'self-test', request }, hooks(true))).toEqual({ kind: 'self-test', request, errors: 'stderr' });
    expect(startupPlan({ kind: 'self-test', request }, hooks(false))).toMatchObject({ kind: 'exit', code: 3, errors: 'stderr' });
    // the profile is set before the lock, which belongs to the profile
    expect(events.slice(2)).toEqual(['profile /tmp/p', 'lock', 'profile /tmp/p', 'lock']);
    expect(startupPlan({ kind: 'invalid', message: 'bad' }, hooks(true))).toEqual({ kind: 'exit', code: 2, message: 'bad', errors: 'stderr' });
    expect(events).toHaveLength(6); // a usage error neither sets a profile nor takes the lock
  });

  it('carries the plan out: exit with or without a word, start normally, run the self-test, report a failed start', async () => {
    const log: string[] = [];
    const actions = (outcome: Promise<void> = Promise.resolve()): StartupActions => ({
      exit: (code) => void log.push(`exit ${code}`),
      report: (text) => void log.push(`report ${text.split('\n')[0]}`),
      registerAppEvents: () => void log.push('events'),
      start: () => (log.push('start'), outcome),
      selfTest: (request) => (log.push(`self-test ${request.mode}`), outcome),
    });
    carryOut({ kind: 'exit', code: 0, errors: 'dialog' }, actions());
    carryOut({ kind: 'exit', code: 2, message: '--self-test needs …', errors: 'stderr' }, actions());
    expect(log.splice(0)).toEqual(['exit 0', 'report --self-test needs …', 'exit 2']);
    carryOut({ kind: 'normal', errors: 'dialog' }, actions());
    carryOut({ kind: 'self-test', request: { mode: 'full', reportDir: '/r', profileDir: '/p' }, errors: 'stderr' }, actions());
    await Promise.resolve();
    expect(log.splice(0)).toEqual(['events', 'start', 'events', 'self-test full']);
    carryOut({ kind: 'normal', errors: 'dialog' }, actions(Promise.reject(new PostfachError('service-stopped', { de: 'Der Hintergrunddienst fehlt.', en: 'x' }, 'no ready'))));
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(['events', 'start', 'report Der Hintergrunddienst fehlt.', 'exit 1']);
  });

  it('reports a service that ends while the program runs, not while it quits', () => {
    const reported: string[] = [];
    let quitting = false;
    const listener = serviceExitListener(
      () => quitting,
      (t) => void reported.push(t),
    );
    listener();
    quitting = true;
    listener();
    expect(reported).toEqual([SERVICE_STOPPED_TEXT]);
  });

  it('says why the program cannot start, in German with the technical detail', () => {
    const text = startFailureText(new PostfachError('store-busy', { de: 'Der Datenspeicher ist gesperrt.', en: 'The store is locked.' }, 'SQLITE_BUSY'));
    expect(text).toBe('Der Datenspeicher ist gesperrt.\n\nTechnische Angabe: SQLITE_BUSY');
    expect(startFailureText(new Error('boom'))).toContain('Technische Angabe:');
  });

  it('offers the OS key store to the service only where it protects anything', () => {
    const store = (available: boolean, backend = 'gnome_libsecret'): SafeStorageLike => ({
      isEncryptionAvailable: () => available,
      getSelectedStorageBackend: () => backend,
      encryptString: (t) => Buffer.from(t),
      decryptString: (b) => b.toString(),
    });
    expect(osKeyStoreServices(store(true), 'mmuster', 'win32').protector?.id).toBe('safestorage:mmuster');
    expect(osKeyStoreServices(store(false), 'mmuster', 'win32')).toEqual({});
    expect(osKeyStoreServices(store(true, 'basic_text'), 'mmuster', 'linux')).toEqual({});
  });
});
