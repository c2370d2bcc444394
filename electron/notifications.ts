/**
 * The desktop notifications the service's events lead to: "new applications" (counts only) after every fetch that
 * brought some, and the certificate warning at most once a day while the program runs (every fetch reports the
 * expiry). The texts come from tray.ts; showing one is an adapter main.ts passes in (Electron's Notification).
 */
import { certificateNotice, newApplicationsNotice, type CertificateExpiry } from './tray.js';

export interface Notice {
  readonly title: string;
  readonly body: string;
}

export interface NotifierDeps {
  /** Electron's `Notification.isSupported()`. */
  readonly isSupported: () => boolean;
  /** Shows one notification (a click brings the main window to the front). */
  readonly show: (notice: Notice) => void;
  readonly now?: () => number;
}

export const CERTIFICATE_NOTICE_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface Notifier {
  newApplications(count: number): void;
  certificate(expiry: CertificateExpiry | undefined): void;
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const now = deps.now ?? Date.now;
  let certificateShownAt: number | undefined;
  return {
    newApplications(count) {
      if (!deps.isSupported()) return;
      deps.show(newApplicationsNotice(count));
    },
    certificate(expiry) {
      const notice = certificateNotice(expiry);
      if (notice === null || !deps.isSupported()) return;
      if (certificateShownAt !== undefined && now() - certificateShownAt < CERTIFICATE_NOTICE_INTERVAL_MS) return;
      certificateShownAt = now();
      deps.show(notice);
    },
  };
}
