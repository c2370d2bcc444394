/**
 * The tray icon and the "new applications" notification. Texts are built by pure functions (tested); the
 * notification carries counts only, never names: it can appear on a locked or shared screen.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { plural } from '../core/words/plural.js';

export function newApplicationsNotice(count: number): { title: string; body: string } {
  const title = `${count} ${plural('de', count, 'neuer Antrag', 'neue Anträge')}`;
  return { title, body: 'Im OSCI-Postfach eingegangen. Zum Anzeigen hier klicken.' };
}

/** What `fetch.finished` reports of the mailbox certificate's expiry (the parts the warning uses). */
export interface CertificateExpiry {
  readonly status: 'ok' | 'expires-soon' | 'expired';
  readonly daysLeft: number;
  readonly text: { readonly de: string };
}

/**
 * The tray's certificate warning after a fetch (from 60 days before expiry, and once expired): the date and days only,
 * no personal data. Null when all is well.
 */
export function certificateNotice(expiry: CertificateExpiry | undefined): { title: string; body: string } | null {
  if (expiry === undefined || expiry.status === 'ok') return null;
  return {
    title:
      expiry.status === 'expired'
        ? 'Zertifikat des Postfachs abgelaufen'
        : `Zertifikat des Postfachs läuft in ${expiry.daysLeft} ${plural('de', expiry.daysLeft, 'Tag', 'Tagen')} ab`,
    body: expiry.text.de,
  };
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
