import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { openFileDialogOptions, safeFileName, saveFileDialogOptions } from '../../electron/dialog-options.js';
import { applicationMenuTemplate, type UiCommand } from '../../electron/menu.js';
import { newApplicationsNotice, trayMenuTemplate } from '../../electron/tray.js';

const items = (template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);

describe('application menu', () => {
  it('is German and sends UI commands with the agreed shortcuts', () => {
    const sent: UiCommand[] = [];
    const template = applicationMenuTemplate({ command: (c) => sent.push(c), devTools: false, isMac: false });
    expect(template.map((m) => m.label)).toEqual(['Datei', 'Bearbeiten', 'Ansicht', 'Hilfe']);
    const all = items(template);
    const byLabel = (label: string) => all.find((i) => i.label === label);
    expect(byLabel('Abrufen')?.accelerator).toBe('F5');
    expect(byLabel('Suchen')?.accelerator).toBe('CmdOrCtrl+F');
    expect(byLabel('Als PDF exportieren …')?.accelerator).toBe('CmdOrCtrl+E');
    expect(byLabel('Drucken …')?.accelerator).toBe('CmdOrCtrl+P');
    for (const label of ['Abrufen', 'Suchen', 'Als PDF exportieren …', 'Drucken …', 'Einstellungen …', 'Über OSCI-Postfach']) {
      (byLabel(label)?.click as () => void)();
    }
    expect(sent).toEqual(['fetch', 'search', 'export', 'print', 'settings', 'about']);
    // every visible item has a German label; no reload, no developer tools in the shipped app
    expect(all.filter((i) => i.type !== 'separator' && (i.label ?? '') === '')).toEqual([]);
    expect(all.some((i) => i.role === 'reload' || i.role === 'forceReload' || i.role === 'toggleDevTools')).toBe(false);
    expect(items(applicationMenuTemplate({ command: () => undefined, devTools: true, isMac: false })).some((i) => i.role === 'toggleDevTools')).toBe(true);
    expect(applicationMenuTemplate({ command: () => undefined, devTools: false, isMac: true })[0]?.role).toBe('appMenu');
  });
});

describe('tray and notification', () => {
  it('announces counts only, in German', () => {
    expect(newApplicationsNotice(1)).toEqual({ title: '1 neuer Antrag', body: 'Im OSCI-Postfach eingegangen. Zum Anzeigen hier klicken.' });
    expect(newApplicationsNotice(12).title).toBe('12 neue Anträge');
    const calls: string[] = [];
    const menu = trayMenuTemplate({ show: () => calls.push('show'), fetch: () => calls.push('fetch'), quit: () => calls.push('quit') });
    for (const item of menu) (item.click as (() => void) | undefined)?.();
    expect(calls).toEqual(['show', 'fetch', 'quit']);
    expect(menu.map((m) => m.label)).toEqual(['OSCI-Postfach öffnen', 'Jetzt abrufen', undefined, 'Beenden']);
  });
});

describe('native dialogs', () => {
  it('offers the right filters in German', () => {
    const p12 = openFileDialogOptions('p12');
    expect(p12.title).toBe('Schlüsseldatei des Postfachs öffnen');
    expect(p12.filters?.[0]).toEqual({ name: 'Schlüsseldatei (PKCS#12)', extensions: ['p12', 'pfx'] });
    expect(p12.properties).toContain('openFile');
    // a code list (Genericode) for Settings › Codelisten
    expect(openFileDialogOptions('codelist')).toMatchObject({
      title: 'Codeliste (Genericode) öffnen',
      filters: [
        { name: 'Codeliste (Genericode, XML)', extensions: ['xml'] },
        { name: 'Alle Dateien', extensions: ['*'] },
      ],
    });
    const pdf = saveFileDialogOptions('pdf', 'Antrag 2026-11-28.pdf', 'C:\\Users\\sb\\Documents\\');
    expect(pdf.defaultPath).toBe('C:\\Users\\sb\\Documents/Antrag 2026-11-28.pdf');
    expect(pdf.properties).toContain('showOverwriteConfirmation');
    const csv = saveFileDialogOptions('csv', 'Protokoll_2026-11-28.csv', '/home/sb/Dokumente');
    expect(csv.filters).toEqual([{ name: 'CSV-Tabelle', extensions: ['csv'] }]);
    expect(csv.defaultPath).toBe('/home/sb/Dokumente/Protokoll_2026-11-28.csv');
  });

  it('reduces a suggested name to a plain file name', () => {
    expect(safeFileName('..\\..\\Windows\\evil.pdf')).toBe('evil.pdf');
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('a:b*c?.xml')).toBe('a_b_c_.xml');
    expect(safeFileName('...')).toBe('Export');
    expect(safeFileName('x'.repeat(300))).toHaveLength(200);
  });
});
