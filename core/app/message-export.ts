/**
 * A message exported (`messages.export`): the application as PDF, its XML, its attachments (all, or one document)
 * or the receipt, into a folder the settings allow (IT's export folders, or the browser mode's download folder),
 * written with the caseworker's name order and in the office time zone, recorded in the store ("exportiert").
 * PDF, attachments and receipt are heavy work; the XML is a byte copy, never heavy and never refused — the way out
 * for a message whose other exports are refused because they brought the service down before.
 */
import path from 'node:path';
import type { ServiceContext } from '../api/api-types.js';
import type { HandlerInput } from '../api/contract.js';
import type { HeavyOperation } from '../api/service-incidents.js';
import { assertExportAllowed } from '../config/export-folders.js';
import { mailboxError } from '../mailbox/errors.js';
import type { ExportResult } from '../mailbox/export.js';
import type { MailboxService } from './mailbox-service.js';

type ExportInput = HandlerInput<'messages.export'>;

const EXPORT_OPERATIONS: Readonly<Record<ExportInput['format'], HeavyOperation | undefined>> = {
  pdf: 'export-pdf',
  receipt: 'export-receipt',
  attachments: 'export-attachments',
  xml: undefined,
};

/** `downloads`: the browser mode's download folders, allowed whatever IT's export folders say. */
export async function exportMessageFiles(mailbox: MailboxService, input: ExportInput, downloads: readonly string[], context: ServiceContext): Promise<ExportResult> {
  // loaded on first use: the PDF libraries take a while to load and most service starts never export
  const { exportMessage } = await import('../mailbox/export.js');
  const c = await mailbox.config();
  assertExportAllowed(c, input.target, downloads);
  if (input.document !== undefined && input.format !== 'attachments')
    throw mailboxError('document-missing', `a single document is exported with the format attachments, not ${input.format}`);
  await mailbox.applyViewSettings();
  const work = () =>
    exportMessage(mailbox.serviceStore(), input.id, input.format, path.resolve(input.target), mailbox.views, {
      timeZone: c.values.officeTimeZone,
      ...(input.document === undefined ? {} : { only: input.document }),
    });
  const operation = EXPORT_OPERATIONS[input.format];
  const result =
    operation === undefined
      ? await work()
      : await mailbox.heavy.run(operation, { storeId: input.id, messageId: (await mailbox.serviceStore().getDelivery(input.id)).messageId }, work);
  mailbox.changed(context, input.id);
  return result;
}
