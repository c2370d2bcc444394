/**
 * The IPC wiring with the real service (a worker thread) behind it. Electron's ipcMain and WebContents are
 * replaced by minimal stand-ins that record what the wiring registers and sends; the sender check, dispatch,
 * validation and event routing under test are the real code.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShellHandlers } from '../../core/api/api-types.js';
import type { ServiceHost } from '../../core/api/service-host.js';
import { startWorkerService } from '../../core/api/worker-service.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../electron/ipc-channels.js';
import { wireIpc, type IpcWiring } from '../../electron/ipc.js';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

function fakeContents(url: string) {
  const sent: unknown[][] = [];
  const contents = { isDestroyed: () => false, getURL: () => url, send: (...args: unknown[]) => void sent.push(args) };
  return { contents: contents as unknown as WebContents, sent };
}

const from = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent;

describe('IPC wiring', () => {
  let service: ServiceHost;
  let wiring: IpcWiring;
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: (channel: string, handler: Handler) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  } as unknown as IpcMain;
  const ui = fakeContents('app://postfach/index.html');
  const foreign = fakeContents('https://evil.example/');
  const shellCalls: unknown[] = [];
  const shell = {
    'dialog.openFile': async (input) => {
      shellCalls.push(input);
      return { path: '/home/sb/Schlüssel.p12' };
    },
    'dialog.saveFile': async () => ({ path: null }),
    'window.openMessage': async () => ({ opened: false }),
    'window.capture': async () => ({ png: '' }),
    'window.openDocument': async () => ({ opened: false }),
    'document.openExternally': async () => ({ opened: false, findings: [] }),
  } satisfies ShellHandlers;

  beforeAll(async () => {
    service = await startWorkerService({ dataDir: mkdtempSync(path.join(tmpdir(), 'postfach-ipc-test-')), appVersion: '2.0.0', host: 'desktop' });
    wiring = wireIpc({ ipcMain, service, shell, targets: () => [ui.contents, foreign.contents] });
  });
  afterAll(async () => {
    wiring.dispose();
    await service.close();
  });

  const call = (event: IpcMainInvokeEvent, method: unknown, input: unknown) => (handlers.get(CALL_CHANNEL) as Handler)(event, method, input);

  it('registers one invoke channel and answers our UI from the service', async () => {
    expect([...handlers.keys()]).toEqual([CALL_CHANNEL]);
    expect(await call(from('app://postfach/index.html'), 'app.info', {})).toMatchObject({ ok: true, value: { version: '2.0.0', host: 'desktop' } });
  });

  it('refuses senders that are not the top frame of app://postfach, before looking at the message', async () => {
    for (const event of [
      from('https://evil.example/'),
      from('app://postfach/index.html', { url: 'app://postfach/index.html' }),
      from('file:///tmp/x.html'),
      { senderFrame: null } as unknown as IpcMainInvokeEvent,
    ]) {
      expect(await call(event, 'app.info', {})).toMatchObject({ ok: false, error: { kind: 'ipc-untrusted-sender' } });
    }
  });

  it('validates method and input, and answers shell methods in the main process', async () => {
    const trusted = from('app://postfach/index.html');
    expect(await call(trusted, 'require', 'child_process')).toMatchObject({ ok: false, error: { kind: 'api-unknown-method' } });
    expect(await call(trusted, 'settings.set', { language: 'fr' })).toMatchObject({ ok: false, error: { kind: 'api-invalid-input' } });
    expect(await call(trusted, 'dialog.openFile', { kind: 'exe' })).toMatchObject({ ok: false, error: { kind: 'api-invalid-input' } });
    expect(shellCalls).toEqual([]);
    expect(await call(trusted, 'dialog.openFile', { kind: 'p12' })).toEqual({ ok: true, value: { path: '/home/sb/Schlüssel.p12' } });
    expect(shellCalls).toEqual([{ kind: 'p12' }]);
  });

  it('sends service events and shell events to our UI only, validated', async () => {
    await call(from('app://postfach/index.html'), 'settings.set', { language: 'en' });
    await expect.poll(() => ui.sent.length).toBe(1);
    expect(ui.sent[0]).toEqual([EVENT_CHANNEL, 'settings.changed', { language: 'en', fetchIntervalMinutes: 15, familyNameFirst: true }]);
    wiring.emitShellEvent('ui.command', { command: 'fetch' });
    expect(ui.sent[1]).toEqual([EVENT_CHANNEL, 'ui.command', { command: 'fetch' }]);
    expect(() => wiring.emitShellEvent('ui.command', { command: 'format-disk' } as never)).toThrow(expect.objectContaining({ kind: 'api-invalid-event' }));
    expect(foreign.sent).toEqual([]);
  });
});
