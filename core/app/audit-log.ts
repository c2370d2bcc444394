/**
 * The store's audit log as the contract asks for it (`audit.*`): entries by the query's filters with its ISO times
 * as the store's milliseconds, the CSV export into a folder the settings allow (times in the office time zone), and
 * the check of the hash chain.
 */
import path from 'node:path';
import type { HandlerInput, HandlerResult } from '../api/contract.js';
import { assertExportAllowed } from '../config/export-folders.js';
import type { AuditEntry } from '../store/index.js';
import type { MailboxService } from './mailbox-service.js';

/** The entries the query asks for (`from`/`to` parse: the contract checked them). */
export function auditEntries(mailbox: MailboxService, input: HandlerInput<'audit.list'>): AuditEntry[] {
  const { from, to, ...rest } = input;
  return mailbox.store().auditEntries({ ...rest, ...(from === undefined ? {} : { from: Date.parse(from) }), ...(to === undefined ? {} : { to: Date.parse(to) }) });
}

/** `downloads`: the browser mode's download folders, allowed whatever IT's export folders say. */
export async function exportAuditCsv(mailbox: MailboxService, input: HandlerInput<'audit.exportCsv'>, downloads: readonly string[]): Promise<HandlerResult<'audit.exportCsv'>> {
  const target = path.resolve(input.target);
  const c = await mailbox.config();
  assertExportAllowed(c, target, downloads);
  const s = mailbox.store();
  await s.exportAuditCsv(target, input.delimiter ?? ',', c.values.officeTimeZone);
  return { path: target, entries: s.verifyAuditLog().entries };
}

/** Whether the chain is whole, and where it breaks first. */
export function verifyAudit(mailbox: MailboxService): HandlerResult<'audit.verify'> {
  const v = mailbox.store().verifyAuditLog();
  return v.ok ? { ok: true, entries: v.entries } : { ok: false, entries: v.entries, firstBadSeq: v.firstBadSeq, problem: v.problem };
}
