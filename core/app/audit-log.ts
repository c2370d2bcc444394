/**
 * The store's audit log as the contract asks for it (`audit.*`): entries by the query's filters with its ISO times
 * as the store's milliseconds, the CSV export into a folder the settings allow (times in the office time zone), and
 * the check of the hash chain — on either backend (the store factory: SQLite, or the shared store on PostgreSQL).
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { HandlerInput, HandlerResult } from '../api/contract.js';
import { assertExportAllowed } from '../config/export-folders.js';
import { writeFileDurably } from '../io/durable-file.js';
import { fromFsError } from '../store/errors.js';
import { auditCsvOf, type AuditEntry } from '../store/index.js';
import type { MailboxService } from './mailbox-service.js';

/** The entries the query asks for (`from`/`to` parse: the contract checked them). */
export async function auditEntries(mailbox: MailboxService, input: HandlerInput<'audit.list'>): Promise<AuditEntry[]> {
  const { from, to, ...rest } = input;
  return mailbox.serviceStore().auditEntries({ ...rest, ...(from === undefined ? {} : { from: Date.parse(from) }), ...(to === undefined ? {} : { to: Date.parse(to) }) });
}

/** `downloads`: the browser mode's download folders, allowed whatever IT's export folders say. */
export async function exportAuditCsv(mailbox: MailboxService, input: HandlerInput<'audit.exportCsv'>, downloads: readonly string[]): Promise<HandlerResult<'audit.exportCsv'>> {
  const target = path.resolve(input.target);
  const c = await mailbox.config();
  assertExportAllowed(c, target, downloads);
  const s = mailbox.serviceStore();
  let entries = 0;
  const pieces = auditCsvOf(
    async (afterSeq, limit) => {
      const page = await s.auditEntries({ afterSeq, limit });
      entries += page.length;
      return page;
    },
    input.delimiter ?? ',',
    c.values.officeTimeZone,
  );
  // written piece by piece (a long log is never held whole; the store answers between pieces), then put in place
  // whole and durably, as every export
  await writeFileDurably(target, (out) => pipeline(Readable.from(pieces), out)).catch((error: unknown) => {
    throw fromFsError(error, 'audit CSV file');
  });
  return { path: target, entries };
}

/** Whether the chain is whole, and where it breaks first. */
export async function verifyAudit(mailbox: MailboxService): Promise<HandlerResult<'audit.verify'>> {
  const v = await mailbox.serviceStore().verifyAuditLog();
  return v.ok ? { ok: true, entries: v.entries } : { ok: false, entries: v.entries, firstBadSeq: v.firstBadSeq, problem: v.problem };
}
