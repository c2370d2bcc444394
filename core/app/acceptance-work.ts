/**
 * The acceptance record of a message (`abnahme.create`, core/mailbox/acceptance.ts writes it): into a folder the
 * settings allow, as heavy work, with the screenshot the front end took — or, where it has none, the reason why.
 */
import type { HandlerInput, HandlerResult } from '../api/contract.js';
import type { ServiceOptions } from '../api/service-protocol.js';
import { assertExportAllowed } from '../config/export-folders.js';
import type { MailboxService } from './mailbox-service.js';

/** Why a record has no screenshot, by the front end that asked for it (the command line has no browser). */
const NO_SCREENSHOT: Readonly<Record<ServiceOptions['host'], string>> = {
  desktop: 'kein Bildschirmfoto übergeben',
  browser: 'im Browser-Modus ohne Bildschirmfoto erstellt',
  cli: 'auf der Kommandozeile ohne Browser erstellt',
  serve: 'über den Abrufdienst ohne Bildschirmfoto erstellt',
};

/** `downloads`: the browser mode's download folders, allowed whatever IT's export folders say. */
export async function createAcceptanceRecord(
  mailbox: MailboxService,
  input: HandlerInput<'abnahme.create'>,
  service: Pick<ServiceOptions, 'host' | 'appVersion'> & { readonly downloads: readonly string[] },
): Promise<HandlerResult<'abnahme.create'>> {
  const c = await mailbox.config();
  assertExportAllowed(c, input.target, service.downloads);
  // the PDF stack (pdfkit, pdf-lib, fonts) is loaded when a record is made, not with the service (issue 14)
  const { acceptanceRecord } = await import('../mailbox/acceptance.js');
  // through the store factory: the SQLite store, or the shared store on PostgreSQL
  const store = mailbox.serviceStore();
  const { messageId } = await store.getDelivery(input.id);
  const result = await mailbox.heavy.run('acceptance-record', { storeId: input.id, messageId }, () =>
    acceptanceRecord(store, input.id, {
      out: input.target,
      timeZone: c.values.officeTimeZone,
      // the target comes from the save dialog (which asked before replacing) or is a fresh download file; the
      // command line replaces only with --force
      replace: input.replace ?? true,
      programVersion: service.appVersion,
      log: mailbox.log,
      cache: mailbox.views,
      ...(input.screenshot
        ? {
            screenshot: { png: Buffer.from(input.screenshot, 'base64'), source: input.screenshotSource ?? (service.host === 'desktop' ? 'Desktop-Programm' : 'Browser-Modus') },
          }
        : { noScreenshotReason: NO_SCREENSHOT[service.host] }),
    }),
  );
  return { path: result.path, size: result.size, screenshot: result.screenshot };
}
