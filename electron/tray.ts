/**
 * The tray icon and the "new applications" notification. Texts are built by pure functions (tested); the
 * notification carries counts only, never names: it can appear on a locked or shared screen.
 */
import type { MenuItemConstructorOptions } from 'electron';

export function newApplicationsNotice(count: number): { title: string; body: string } {
  const title = count === 1 ? '1 neuer Antrag' : `${count} neue Anträge`;
  return { title, body: 'Im OSCI-Postfach eingegangen. Zum Anzeigen hier klicken.' };
}

export interface TrayActions {
  readonly show: () => void;
  readonly fetch: () => void;
  readonly quit: () => void;
}

export const TRAY_TOOLTIP = 'OSCI-Postfach';

export function trayMenuTemplate(actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { label: 'OSCI-Postfach öffnen', click: actions.show },
    { label: 'Jetzt abrufen', click: actions.fetch },
    { type: 'separator' },
    { label: 'Beenden', click: actions.quit },
  ];
}
