/**
 * The acceptance record of a stored Testantrag (core/export/pdf/acceptance-record.ts), with the facts from the
 * store, the view as the program shows it, and the technical log lines of this delivery. Refused for a message that
 * is not a Testantrag: the record is for the rollout's test, never for a real application. Audited as "exportiert".
 */
import path from 'node:path';
import { PostfachError } from '../errors.js';
import { markFromInternet } from '../export/mark-of-the-web.js';
import { exportAcceptanceRecord } from '../export/pdf/acceptance-record.js';
import { logLineText, type TechLog } from '../ops/tech-log.js';
import { receiptFacts } from './export.js';
import { storedView, ViewCache, type DetailStore } from './message-detail.js';
import { signaturesOf } from './message-dto.js';

export interface AcceptanceOptions {
  readonly out: string;
  /** Replace an existing file at `out` (the user chose to, e.g. in the save dialog); otherwise it is refused. */
  readonly replace?: boolean;
  readonly programVersion: string;
  readonly log?: TechLog;
  /** PNG of the rendered application (desktop: webContents.capturePage; browser mode and tests: Playwright). */
  readonly screenshot?: { readonly png: Buffer; readonly source: string };
  readonly noScreenshotReason?: string;
  readonly cache?: ViewCache;
  /** The office time zone the record states every time in (default Europe/Berlin). */
  readonly timeZone?: string;
}

export async function acceptanceRecord(store: DetailStore, id: number, options: AcceptanceOptions): Promise<{ path: string; size: number; screenshot: boolean }> {
  // either backend: the SQLite store answers at once, the shared store on PostgreSQL with a promise
  const record = await store.getDelivery(id);
  if (!record.isTest) {
    throw new PostfachError(
      'abnahme-not-test',
      {
        de: 'Ein Abnahmeprotokoll gibt es nur für Testanträge. Diese Nachricht ist ein echter Antrag.',
        en: 'An acceptance record exists only for test applications. This message is a real application.',
      },
      `message ${id} has no XSozial test attribute`,
    );
  }
  const view = record.unreadableReason === null ? ((await storedView(store, record, options.cache ?? new ViewCache()).catch(() => undefined)) ?? null) : null;
  const intermediary = signaturesOf(record).find((s) => s.role === 'intermediary');
  const logLines = (options.log?.read((line) => line.messageId === record.messageId || line.id === id, 50) ?? []).map(logLineText);
  const result = await exportAcceptanceRecord(
    {
      receipt: receiptFacts(record, options.timeZone),
      fetchedAt: record.times.fetchedAt,
      isTest: record.isTest,
      decryption: {
        transport: intermediary?.result === 'valid' ? 'entschlüsselt; Antwort des Intermediärs signiert und geprüft' : 'entschlüsselt',
        content: record.unreadableReason === null ? 'entschlüsselt und gelesen' : record.unreadableReason,
      },
      view,
      ...(options.screenshot ? { screenshot: options.screenshot } : {}),
      ...(options.noScreenshotReason ? { noScreenshotReason: options.noScreenshotReason } : {}),
      logLines,
      programVersion: options.programVersion,
    },
    path.resolve(options.out),
    new Date(),
    { replace: options.replace === true },
  );
  // it quotes the application (and shows a screenshot of it): marked as coming from outside like every export
  await markFromInternet(result.path);
  await store.recordExported(id, 'abnahmeprotokoll');
  return { ...result, screenshot: options.screenshot !== undefined };
}
