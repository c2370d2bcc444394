/**
 * The application menu, German. Commands that concern the UI (fetch, search, export, print, settings, about) are
 * sent to the window as `ui.command` events; the rest are Electron's standard roles with German labels. No
 * "reload" item: a reload would drop the caseworker's place for nothing.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { EmittedPayload } from '../core/api/contract.js';

export type UiCommand = EmittedPayload<'ui.command'>['command'];

export interface MenuOptions {
  readonly command: (command: UiCommand) => void;
  readonly devTools: boolean;
  readonly isMac: boolean;
}

export function applicationMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const send = (command: UiCommand) => () => options.command(command);
  const file: MenuItemConstructorOptions = {
    label: 'Datei',
    submenu: [
      { label: 'Abrufen', accelerator: 'F5', click: send('fetch') },
      { type: 'separator' },
      { label: 'Als PDF exportieren …', accelerator: 'CmdOrCtrl+E', click: send('export') },
      { label: 'Drucken …', accelerator: 'CmdOrCtrl+P', click: send('print') },
      { type: 'separator' },
      { label: 'Einstellungen …', accelerator: 'CmdOrCtrl+,', click: send('settings') },
      { type: 'separator' },
      { role: 'quit', label: 'Beenden' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Bearbeiten',
    submenu: [
      { role: 'undo', label: 'Rückgängig' },
      { role: 'redo', label: 'Wiederholen' },
      { type: 'separator' },
      { role: 'cut', label: 'Ausschneiden' },
      { role: 'copy', label: 'Kopieren' },
      { role: 'paste', label: 'Einfügen' },
      { role: 'selectAll', label: 'Alles auswählen' },
      { type: 'separator' },
      { label: 'Suchen', accelerator: 'CmdOrCtrl+F', click: send('search') },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'Ansicht',
    submenu: [
      { role: 'resetZoom', label: 'Originalgröße' },
      { role: 'zoomIn', label: 'Vergrößern' },
      { role: 'zoomOut', label: 'Verkleinern' },
      { type: 'separator' },
      { role: 'togglefullscreen', label: 'Vollbild' },
      ...(options.devTools ? [{ type: 'separator' } as const, { role: 'toggleDevTools', label: 'Entwicklerwerkzeuge' } as const] : []),
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: 'Hilfe',
    submenu: [{ label: 'Über OSCI-Postfach', click: send('about') }],
  };
  const window: MenuItemConstructorOptions = { role: 'windowMenu', label: 'Fenster' };
  return options.isMac ? [{ role: 'appMenu', label: 'OSCI-Postfach' }, file, edit, view, window, help] : [file, edit, view, help];
}
