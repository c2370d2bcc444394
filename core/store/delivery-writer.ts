/**
 * Saving one delivery atomically:
 *  1. the blob ids are registered as pending (a short committed transaction), so a concurrent orphan sweep of
 *     another program leaves the files alone while this process lives;
 *  2. the content (when large) and the attachments are streamed into encrypted blob files side by side, each
 *     fsynced, then the folder is fsynced;
 *  3. one IMMEDIATE transaction inserts the delivery, its details, blobs, attachments, search entry and the
 *     "fetched" audit entry and clears the pending ids; with synchronous=FULL the commit is on disk when it returns.
 * A crash before 3 commits leaves only files no row points to (swept on the next open); after it returns, nothing
 * can be lost. Saving a message id again stores nothing and returns the existing id.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { stmt } from './statements.js';
import type { Db } from './database.js';
import { fromSqliteError, storeError } from './errors.js';
import { appendAudit } from './audit-log.js';
import { auditDetail } from './audit-words.js';
import { deleteBlobFile, newBlobId, writeBlob, type BlobFileIo, type WrittenBlob } from './blob-files.js';
import { chunksOf, discardSource, resolveSource, type ByteChunks } from './store-input.js';
import { syncFolder } from '../io/durable-file.js';
import type { JsonValue, NewAttachment, NewDelivery, SaveResult } from './records.js';
import { applicantSortKey, checkNames, encodeNames, guessNameParts } from './applicant-names.js';
import { contentText, indexText } from './search-text.js';
import { toMillis, toMillisOrNull } from './time.js';

export interface WriterContext {
  readonly db: Db;
  readonly filesDir: string;
  readonly io: BlobFileIo;
  readonly osUser: string;
  /** Contents up to this size are kept inside the database. */
  readonly inlineLimit: number;
  readonly chunkBytes: number;
  /** false only for bulk loading and benchmarks: files and commits are not fsynced (see OpenStoreOptions). */
  readonly durable: boolean;
}

/** Who writes pending blobs: host and process id (the orphan sweep checks whether that process still lives). */
export function pendingOwner(): string {
  return `${os.hostname()}:${process.pid}`;
}

const LIMITS = { messageId: 1024, text: 4096, name: 1024, mimeType: 255, applicants: 50, searchText: 4 * 1024 * 1024 };

function text(value: unknown, field: string, max: number, required = false): string | null {
  if (value === undefined || value === null) {
    if (required) throw storeError('store-invalid-input', `${field}: missing`);
    return null;
  }
  if (typeof value !== 'string') throw storeError('store-invalid-input', `${field}: not a string`);
  if (required && value.length === 0) throw storeError('store-invalid-input', `${field}: empty`);
  if (value.length > max) throw storeError('store-invalid-input', `${field}: longer than ${max} characters`);
  return value;
}

function json(value: JsonValue | undefined, field: string): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw storeError('store-invalid-input', `${field}: not serialisable as JSON`, error);
  }
}

function bytes(value: Uint8Array | null | undefined, field: string): Buffer | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Uint8Array)) throw storeError('store-invalid-input', `${field}: not bytes`);
  return Buffer.from(value);
}

export interface Prepared {
  readonly messageId: string;
  readonly row: Record<string, unknown>;
  readonly details: Record<string, unknown>;
  readonly applicants: readonly string[];
  readonly subject: string | null;
}

/**
 * Checks and converts everything but the byte sources, before anything is written (the PostgreSQL store checks by
 * the same rule, core/store-pg).
 */
export function prepareDelivery(d: NewDelivery): Prepared {
  const messageId = text(d.messageId, 'messageId', LIMITS.messageId, true) as string;
  const summary = d.summary ?? {};
  const listed = summary.applicants ?? [];
  if (!Array.isArray(listed) || listed.length > LIMITS.applicants) throw storeError('store-invalid-input', 'summary.applicants: not a list or too long');
  listed.forEach((a, i) => text(a, `summary.applicants[${i}]`, LIMITS.name, true));
  const applicants: readonly string[] = listed;
  const names = summary.applicantNames ?? applicants.map(guessNameParts);
  if (!Array.isArray(names) || names.length > LIMITS.applicants || !checkNames(names))
    throw storeError('store-invalid-input', 'summary.applicantNames: not a list of names or too long');
  const applicationDate = text(summary.applicationDate, 'summary.applicationDate', 10);
  if (applicationDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(applicationDate)) throw storeError('store-invalid-input', 'summary.applicationDate: not YYYY-MM-DD');
  const card = d.processCard ?? {};
  const subject = text(d.subject, 'subject', LIMITS.text);
  (d.attachments ?? []).forEach((a: NewAttachment, i) => {
    text(a.name, `attachments[${i}].name`, LIMITS.name, true);
    text(a.mimeType, `attachments[${i}].mimeType`, LIMITS.mimeType, true);
    if (a.expectedSha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(a.expectedSha256))
      throw storeError('store-invalid-input', `attachments[${i}].expectedSha256: not 64 hex digits`);
  });
  if (d.searchText !== undefined) text(d.searchText, 'searchText', LIMITS.searchText);
  return {
    messageId,
    applicants,
    subject,
    row: {
      message_id: messageId,
      subject,
      creation_at: toMillisOrNull(card.creation, 'processCard.creation'),
      forwarding_at: toMillisOrNull(card.forwarding, 'processCard.forwarding'),
      reception_at: toMillisOrNull(card.reception, 'processCard.reception'),
      creation_check: json(card.creationCheck, 'processCard.creationCheck'),
      unreadable_reason: text(d.unreadableReason, 'unreadableReason', LIMITS.text),
      unreadable_kind: d.unreadableReason === null || d.unreadableReason === undefined ? null : text(d.unreadableKind, 'unreadableKind', 64),
      fetched_at: d.fetchedAt === undefined ? Date.now() : toMillis(d.fetchedAt, 'fetchedAt'),
      applicants: JSON.stringify(applicants),
      applicant_parts: names.length === 0 ? null : encodeNames(names),
      applicant_sort: applicantSortKey(names),
      benefit_code: text(summary.benefitCode, 'summary.benefitCode', 64),
      benefit_text: text(summary.benefitText, 'summary.benefitText', LIMITS.name),
      application_date: applicationDate,
      is_test: summary.isTest === true ? 1 : 0,
      attachment_count: (d.attachments ?? []).length,
      signature_status: text(summary.signatureStatus, 'summary.signatureStatus', 64),
    },
    details: {
      sender_cert: bytes(d.senderCertificate, 'senderCertificate'),
      addressee_cert: bytes(d.addresseeCertificate, 'addresseeCertificate'),
      inspection_report: json(card.inspectionReport, 'processCard.inspectionReport'),
      signature_result: json(d.signatureResult, 'signatureResult'),
      certificate_result: json(d.certificateResult, 'certificateResult'),
      content_type: text(d.contentType, 'contentType', LIMITS.mimeType),
      content_coverage: json(d.contentCoverage, 'contentCoverage'),
    },
  };
}

type StoredContent = { readonly inline: Buffer; readonly sha256: Buffer } | { readonly blob: WrittenBlob };

/** Small contents stay in memory (inline); beyond the limit the bytes read so far and the rest go to a blob. */
async function storeContent(ctx: WriterContext, blobId: string, source: Uint8Array | ByteChunks, written: WrittenBlob[]): Promise<StoredContent> {
  if (source instanceof Uint8Array && source.length <= ctx.inlineLimit) {
    return { inline: Buffer.from(source), sha256: createHash('sha256').update(source).digest() };
  }
  const iterator = chunksOf(source)[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes <= ctx.inlineLimit) {
    const next = await iterator.next();
    if (next.done === true) {
      const inline = Buffer.concat(head, headBytes);
      return { inline, sha256: createHash('sha256').update(inline).digest() };
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield* head;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  }
  const blob = await writeBlob(ctx.io, ctx.filesDir, blobId, rest(), ctx.chunkBytes, ctx.durable);
  written.push(blob);
  return { blob };
}

function existingId(db: Db, messageId: string): number | undefined {
  return (stmt(db, 'SELECT id FROM deliveries WHERE message_id = ?').get(messageId) as { id: number } | undefined)?.id;
}

function discardAll(d: NewDelivery): void {
  discardSource(d.content);
  for (const a of d.attachments ?? []) discardSource(a.content);
}

async function removeBlobs(ctx: WriterContext, ids: readonly string[]): Promise<void> {
  await Promise.all(ids.map((id) => deleteBlobFile(ctx.filesDir, id).catch(() => undefined)));
  try {
    const del = stmt(ctx.db, 'DELETE FROM pending_blobs WHERE id = ?');
    ctx.db.transaction(() => ids.forEach((id) => del.run(id)))();
  } catch {
    // the disk may still be full: the rows name files that no longer exist, the next sweep drops them
  }
}

/**
 * Registers blob ids as pending. The commit must be visible to other programs before the files exist, but need not
 * survive a power loss: after any crash the files are orphans anyway. So it commits without fsync (WAL + NORMAL).
 */
function reservePending(db: Db, ids: readonly string[]): void {
  const reserve = stmt(db, 'INSERT INTO pending_blobs(id, owner, created_at) VALUES (?, ?, ?)');
  const owner = pendingOwner();
  const previous = db.pragma('synchronous', { simple: true });
  db.pragma('synchronous = NORMAL');
  try {
    db.transaction(() => ids.forEach((id) => reserve.run(id, owner, Date.now())))();
  } finally {
    db.pragma(`synchronous = ${Number(previous)}`);
  }
}

export async function saveDelivery(ctx: WriterContext, delivery: NewDelivery): Promise<SaveResult> {
  const { db } = ctx;
  const prepared = prepareDelivery(delivery);
  const known = existingId(db, prepared.messageId);
  if (known !== undefined) {
    discardAll(delivery);
    return { id: known, created: false };
  }

  const attachments = delivery.attachments ?? [];
  // a small content buffer without attachments writes no file: nothing to reserve
  const writesFiles = attachments.length > 0 || !(delivery.content instanceof Uint8Array) || delivery.content.length > ctx.inlineLimit;
  const reserved = writesFiles ? [newBlobId(), ...attachments.map(() => newBlobId())] : [];
  if (writesFiles) {
    try {
      reservePending(db, reserved);
    } catch (error) {
      discardAll(delivery);
      throw fromSqliteError(error, 'reserve blob ids');
    }
  }

  const written: WrittenBlob[] = [];
  try {
    // the content and every attachment are written side by side: their writes and fsyncs overlap (a delivery
    // with two attachments waited for three fsyncs one after the other); the commit below waits for all of them
    const writes = await Promise.allSettled([
      (async () => storeContent(ctx, reserved[0] ?? newBlobId(), await resolveSource(delivery.content), written))(),
      ...attachments.map(async (attachment, i) => {
        const blob = await writeBlob(ctx.io, ctx.filesDir, reserved[i + 1] as string, await resolveSource(attachment.content), ctx.chunkBytes, ctx.durable);
        written.push(blob);
        if (attachment.expectedSha256 !== undefined && blob.sha256.toString('hex') !== attachment.expectedSha256.toLowerCase()) {
          throw storeError('store-invalid-input', `attachments[${i}]: SHA-256 of the bytes received differs from the expected value`);
        }
        return blob;
      }),
    ]);
    const failed = writes.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    if (failed) throw failed.reason;
    const content = (writes[0] as PromiseFulfilledResult<StoredContent>).value;
    const stored = attachments.map((attachment, i) => ({ attachment, blob: (writes[i + 1] as PromiseFulfilledResult<WrittenBlob>).value }));
    // the folder's fsync (the new files' names) before the commit that refers to them; awaited, not blocking the
    // service's thread, which answers the list and the next response's bytes meanwhile
    if (written.length > 0 && ctx.durable) await syncFolder(ctx.filesDir);

    const body = delivery.searchText ?? ('inline' in content ? contentText(content.inline) : '');
    const result = db
      .transaction((): SaveResult => {
        const raced = existingId(db, prepared.messageId);
        if (raced !== undefined) return { id: raced, created: false };
        const insertBlob = stmt(db, 'INSERT INTO blobs(id, file_key, size, sha256) VALUES (?, ?, ?, ?)');
        for (const b of written) insertBlob.run(b.id, b.key, b.size, b.sha256);
        const r = prepared.row;
        const { lastInsertRowid } = stmt(
          db,
          `INSERT INTO deliveries(message_id, subject, creation_at, forwarding_at, reception_at, creation_check, unreadable_reason, unreadable_kind, fetched_at,
             applicants, applicant_parts, applicant_sort, benefit_code, benefit_text, application_date, is_test, attachment_count, signature_status)
           VALUES (@message_id, @subject, @creation_at, @forwarding_at, @reception_at, @creation_check, @unreadable_reason, @unreadable_kind, @fetched_at,
             @applicants, @applicant_parts, @applicant_sort, @benefit_code, @benefit_text, @application_date, @is_test, @attachment_count, @signature_status)`,
        ).run(r);
        const id = Number(lastInsertRowid);
        stmt(
          db,
          `INSERT INTO delivery_details(delivery_id, sender_cert, addressee_cert, inspection_report, signature_result, certificate_result,
             content_size, content_sha256, content_type, content_blob, content_inline, content_coverage)
           VALUES (@delivery_id, @sender_cert, @addressee_cert, @inspection_report, @signature_result, @certificate_result,
             @content_size, @content_sha256, @content_type, @content_blob, @content_inline, @content_coverage)`,
        ).run({
          ...prepared.details,
          delivery_id: id,
          content_size: 'inline' in content ? content.inline.length : content.blob.size,
          content_sha256: 'inline' in content ? content.sha256 : content.blob.sha256,
          content_blob: 'inline' in content ? null : content.blob.id,
          content_inline: 'inline' in content ? content.inline : null,
        });
        const insertAttachment = stmt(db, 'INSERT INTO attachments(delivery_id, position, name, mime_type, size, sha256, blob_id, coverage) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
        stored.forEach(({ attachment, blob }, position) =>
          insertAttachment.run(id, position, attachment.name, attachment.mimeType, blob.size, blob.sha256, blob.id, json(attachment.coverage, `attachments[${position}].coverage`)),
        );
        stmt(db, 'INSERT INTO delivery_search(rowid, names, ids, subject, body) VALUES (?, ?, ?, ?, ?)').run(
          id,
          indexText(prepared.applicants.join(' ')),
          indexText(`${prepared.messageId} ${id}`),
          indexText(prepared.subject ?? ''),
          indexText(body),
        );
        const detail = auditDetail({
          attachments: stored.length,
          content: 'inline' in content ? 'inline' : 'file',
          ...(prepared.row.unreadable_reason !== null ? { unreadable: true } : {}),
        });
        appendAudit(db, ctx.osUser, { action: 'fetched', deliveryId: id, messageId: prepared.messageId, detail });
        const unpend = stmt(db, 'DELETE FROM pending_blobs WHERE id = ?');
        for (const reservedId of reserved) unpend.run(reservedId);
        return { id, created: true };
      })
      .immediate();
    for (const b of written) b.key.fill(0);
    if (!result.created) await removeBlobs(ctx, reserved);
    return result;
  } catch (error) {
    // nothing committed: take back every file of this delivery
    discardAll(delivery);
    await removeBlobs(ctx, reserved);
    throw fromSqliteError(error, 'save delivery');
  }
}
