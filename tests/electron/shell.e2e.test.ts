/**
 * The desktop shell itself, driven by Playwright's `_electron`: window, app:// UI under the CSP, the preload's
 * typed API and nothing else, denied navigation and new windows, the German menu, single instance.
 * Skipped with a visible notice where the Electron runtime is missing (machines that reach only package
 * registries); the static checks beside this file cover the shell's settings everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectAxeClean } from '../ui/helpers/axe.js';
import { saveScreenshot } from '../ui/helpers/screenshots.js';
import { announceSkip, electronRuntime, launchDesktopApp, stopDisplay, type LaunchedApp } from './helpers/electron-app.js';

announceSkip('tests/electron/shell.e2e');

describe.skipIf(!electronRuntime.available)('desktop shell (Electron)', () => {
  let launched: LaunchedApp;
  let page: Page;

  beforeAll(async () => {
    launched = await launchDesktopApp();
    page = await launched.app.firstWindow();
    await page.getByRole('heading', { level: 1, name: 'Willkommen im OSCI-Postfach' }).waitFor({ timeout: 30_000 });
  });
  afterAll(async () => {
    await launched?.close();
    stopDisplay();
  });

  it('shows the UI from app:// with app.info answered by the utility process', async () => {
    expect(page.url()).toBe('app://postfach/index.html');
    await expect.poll(() => page.title()).toBe('OSCI-Postfach');
    const electronVersion = await launched.app.evaluate(() => process.versions.electron);
    // the host is said once app.info has answered (after the first paint): waited for, not read once
    await page.getByText('Desktop-Programm').waitFor();
    const info = await page.evaluate(() =>
      (window as unknown as { postfach: { call(m: string, i: unknown): Promise<{ ok: boolean; value: { host: string; versions: { electron?: string } } }> } }).postfach.call(
        'app.info',
        {},
      ),
    );
    expect(info.value.host).toBe('desktop');
    expect(info.value.versions.electron).toBe(electronVersion);
    // the OS key store is offered to the service where it protects anything (not Linux "basic_text")
    const status = await page.evaluate(() =>
      (window as unknown as { postfach: { call(m: string, i: unknown): Promise<{ ok: boolean; value: { protectorAvailable: boolean } }> } }).postfach.call('store.status', {}),
    );
    expect(typeof status.value.protectorAvailable).toBe('boolean');
    await saveScreenshot(page, 'electron-first-start-de');
    await expectAxeClean(page, 'Erster Start (Electron)');
  });

  it('opens a message in a window of its own (app://…#message=<id>), once per message', async () => {
    const open = () => page.evaluate(() => (window as unknown as { postfach: { call(m: string, i: unknown): Promise<unknown> } }).postfach.call('window.openMessage', { id: 7 }));
    // listening before the call: the window may open before the call's answer is read
    const [second, opened] = await Promise.all([launched.app.waitForEvent('window'), open()]);
    expect(opened).toMatchObject({ ok: true, value: { opened: true } });
    expect(second.url()).toBe('app://postfach/index.html#message=7');
    await open();
    expect(launched.app.windows()).toHaveLength(2);
    await second.close();
  });

  it('opens a document in a window of its own (…#message=<id>&document=<key>), sandboxed, once per document', async () => {
    const open = () =>
      page.evaluate(() =>
        (window as unknown as { postfach: { call(m: string, i: unknown): Promise<unknown> } }).postfach.call('window.openDocument', {
          id: 7,
          document: { source: 'attachment', attachmentId: 3 },
        }),
      );
    const [win, opened] = await Promise.all([launched.app.waitForEvent('window'), open()]);
    expect(opened).toMatchObject({ ok: true, value: { opened: true } });
    expect(win.url()).toBe('app://postfach/index.html#message=7&document=a3');
    await open();
    expect(launched.app.windows()).toHaveLength(2);
    // the same page rules as the main window: no Node, only the typed API
    const globals = await win.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      api: Object.keys((window as unknown as { postfach?: object }).postfach ?? {}).sort(),
    }));
    expect(globals).toEqual({ require: 'undefined', api: ['call', 'on'] });
    // "open in the system program" answers through the shell (no store open here: the service's error, not a crash)
    const external = await page.evaluate(() =>
      (window as unknown as { postfach: { call(m: string, i: unknown): Promise<unknown> } }).postfach.call('document.openExternally', {
        id: 7,
        document: { source: 'attachment', attachmentId: 3 },
        acceptActive: false,
      }),
    );
    expect(external).toMatchObject({ ok: false, error: { kind: 'store-not-open' } });
    await win.close();
  });

  it('runs the page without Node and with only the typed API (options pinned by window-options.test.ts)', async () => {
    const globals = await page.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      ipc: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
      api: Object.keys((window as unknown as { postfach?: object }).postfach ?? {}).sort(),
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipc: 'undefined', api: ['call', 'on'] });
    const postfachCall = () => (window as unknown as { postfach: { call(m: string, i: unknown): Promise<unknown> } }).postfach.call('fs.readFile', {});
    expect(await page.evaluate(postfachCall)).toMatchObject({ ok: false, error: { kind: 'api-unknown-method' } });
  });

  it('applies the CSP: no markup injection (Trusted Types), no outside requests', async () => {
    const injection = await page.evaluate(() => {
      try {
        document.body.insertAdjacentHTML('beforeend', '<img src="x" onerror="alert(1)">');
        return 'allowed';
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(injection).toBe('TypeError');
    const outside = await page.evaluate(() =>
      fetch('https://example.org/').then(
        () => 'loaded',
        () => 'blocked',
      ),
    );
    expect(outside).toBe('blocked');
  });

  it('denies new windows and navigation away from the UI', async () => {
    expect(await page.evaluate(() => window.open('https://example.org/') === null)).toBe(true);
    await page.evaluate(() => {
      window.location.href = 'https://example.org/';
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(page.url()).toBe('app://postfach/index.html');
    expect(launched.app.windows()).toHaveLength(1);
  });

  it('has the German application menu', async () => {
    const labels = await launched.app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((i) => i.label));
    expect(labels?.slice(0, 3)).toEqual(process.platform === 'darwin' ? ['OSCI-Postfach', 'Datei', 'Bearbeiten'] : ['Datei', 'Bearbeiten', 'Ansicht']);
  });

  it('keeps a single instance', async () => {
    const second: LaunchedApp | Error = await launchDesktopApp(launched.userDataDir).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    // the second process quits at once (it hands over to the first) and never shows a window
    if (!(second instanceof Error)) {
      const windows = second.app.windows().length;
      await second.app.close().catch(() => undefined);
      expect(windows).toBe(0);
    }
    expect(launched.app.windows()).toHaveLength(1);
  });
});
