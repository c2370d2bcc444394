/**
 * The office's trusted sender CAs (migration 009) and the re-evaluation of stored deliveries when that set changes.
 *
 * The store keeps the CAs as facts (DER, fingerprint, an origin code, a time); it does not judge certificates. What
 * a stored signature result becomes under another set of CAs is decided by the mailbox engine, which hands in an
 * `evaluate` function (core/mailbox/trust-reevaluation.ts); the store walks its deliveries in batches inside the
 * caller's transaction and writes back what changed — into `delivery_trust` beside the fetch's own result, which
 * stays as it was (and whose row, carrying the content, is not rewritten) — and the list status. Batches run in
 * transactions of their own (store.ts `reevaluateTrust`), so a fetch in another process is never held up for long;
 * the set's digest is recorded only after the last batch, so a run cut short is done again on the next open. The set the results were last judged with is remembered as a
 * digest (`settings` key `trust.evaluatedWith`), so a change made elsewhere (IT's policy) is found on the next open.
 */
import { createHash } from 'node:crypto';
import type { Db } from './database.js';
import { storeError } from './errors.js';
import type { JsonValue } from './records.js';
import { stmt } from './statements.js';

export const TRUSTED_CA_ORIGINS = ['import', 'setup', 'fetch', 'demo', 'migrated'] as const;
/** import: Settings or `postfach trust add` · setup: the set-up · fetch: `fetch --trusted-ca` · demo: Übungsmodus · migrated: from an older version's identity. */
export type TrustedCaOrigin = (typeof TRUSTED_CA_ORIGINS)[number];

export interface TrustedCaRecord {
  /** SHA-256 of the DER, lower-case hex. */
  readonly fingerprint: string;
  readonly certificate: Buffer;
  readonly origin: TrustedCaOrigin;
  /** ISO 8601, UTC. */
  readonly addedAt: string;
}

/** What the engine sees of one stored delivery when judging its signature results again. */
export interface StoredTrustRow {
  readonly id: number;
  readonly signatureResult: JsonValue | null;
  readonly senderCertificate: Buffer | null;
  readonly unreadable: boolean;
  /** What the signatures cover of the stored content (the engine's coverage record; null before it was kept). */
  readonly contentCoverage: JsonValue | null;
}

/** A stored delivery's new signature result and list status (both as the engine stores them). */
export interface TrustUpdate {
  readonly signatureResult: JsonValue;
  readonly signatureStatus: string;
}

/** The engine's judgement under a set of CAs: the set's digest, and per delivery the new result or undefined (unchanged). */
export interface TrustEvaluation {
  readonly digest: string;
  readonly evaluate: (row: StoredTrustRow) => TrustUpdate | undefined;
}

export interface ReevaluationCount {
  /** Deliveries with a signer's certificate in their signature result that were judged again. */
  readonly checked: number;
  /** Of those, whose result or status changed. */
  readonly changed: number;
}

/** The `settings` key of that digest (both store backends). */
export const EVALUATED_WITH = 'trust.evaluatedWith';
const BATCH = 500;

export const fingerprintOf = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex');

/** The digest that names a set of CAs (order does not matter): what `trust.evaluatedWith` records. */
export function caSetDigest(fingerprints: readonly string[]): string {
  const unique = [...new Set(fingerprints.map((f) => f.replace(/:/g, '').toLowerCase()))].sort();
  return createHash('sha256').update(unique.join(',')).digest('hex');
}

interface Row {
  fingerprint: string;
  certificate: Buffer;
  origin: string;
  added_at: number;
}

export function readTrustedCas(db: Db): TrustedCaRecord[] {
  const rows = stmt(db, 'SELECT fingerprint, certificate, origin, added_at FROM trusted_cas ORDER BY id').all() as Row[];
  return rows.map((r) => ({
    fingerprint: r.fingerprint,
    certificate: Buffer.from(r.certificate),
    origin: r.origin as TrustedCaOrigin,
    addedAt: new Date(r.added_at).toISOString(),
  }));
}

/** A new store has judged nothing, with no CA: recorded so that its first open has nothing to do again. */
export function recordEvaluatedWith(db: Db, digest: string): void {
  stmt(db, 'INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(EVALUATED_WITH, JSON.stringify(digest));
}

/** Adds the certificates not there yet; returns the fingerprints added. */
export function insertTrustedCas(db: Db, certificates: readonly Uint8Array[], origin: TrustedCaOrigin, at: number): string[] {
  if (!TRUSTED_CA_ORIGINS.includes(origin)) throw storeError('store-invalid-input', `trusted CA: unknown origin ${String(origin).slice(0, 20)}`);
  const added: string[] = [];
  for (const der of certificates) {
    if (der.length === 0 || der.length > 64 * 1024) throw storeError('store-invalid-input', `trusted CA: certificate of ${der.length} bytes`);
    const fingerprint = fingerprintOf(der);
    const inserted = stmt(db, 'INSERT OR IGNORE INTO trusted_cas(fingerprint, certificate, origin, added_at) VALUES (?, ?, ?, ?)').run(fingerprint, Buffer.from(der), origin, at);
    if (inserted.changes > 0) added.push(fingerprint);
  }
  return added;
}

export function deleteTrustedCa(db: Db, fingerprint: string): boolean {
  return stmt(db, 'DELETE FROM trusted_cas WHERE fingerprint = ?').run(fingerprint.toLowerCase()).changes > 0;
}

/** The digest of the CA set the stored results were last judged with (null: never judged by this version). */
export function evaluatedWith(db: Db): string | null {
  const row = stmt(db, 'SELECT value FROM settings WHERE key = ?').get(EVALUATED_WITH) as { value: string } | undefined;
  return evaluatedWithValue(row?.value);
}

/** The digest from its stored settings value (JSON text); null when absent or not a string. */
export function evaluatedWithValue(stored: string | undefined): string | null {
  if (stored === undefined) return null;
  try {
    const value = JSON.parse(stored) as unknown;
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

/**
 * Judges one batch of stored deliveries (ids above `after`, in id order) again, inside the caller's transaction, and
 * writes back what changed; `last` is the id to go on after, undefined when there were none left.
 */
export function reevaluateBatch(db: Db, evaluation: TrustEvaluation, after: number, limit = BATCH): ReevaluationCount & { readonly last: number | undefined } {
  const now = Date.now();
  const rows = stmt(
    db,
    `SELECT d.id, d.unreadable_reason, coalesce(t.signature_result, x.signature_result) AS signature_result, x.sender_cert, x.content_coverage
     FROM deliveries d JOIN delivery_details x ON x.delivery_id = d.id LEFT JOIN delivery_trust t ON t.delivery_id = d.id
     WHERE d.id > ? AND instr(x.signature_result, '"signer"') > 0 ORDER BY d.id LIMIT ?`,
  ).all(after, limit) as Array<{ id: number; unreadable_reason: string | null; signature_result: string; sender_cert: Buffer | null; content_coverage: string | null }>;
  let checked = 0;
  let changed = 0;
  for (const row of rows) {
    let signatureResult: JsonValue | null;
    try {
      signatureResult = JSON.parse(row.signature_result) as JsonValue;
    } catch {
      continue;
    }
    checked++;
    let contentCoverage: JsonValue | null = null;
    try {
      contentCoverage = row.content_coverage === null ? null : (JSON.parse(row.content_coverage) as JsonValue);
    } catch {
      // a damaged record reads as "not known" (coverageOf), as everywhere else
    }
    const update = evaluation.evaluate({
      id: row.id,
      signatureResult,
      senderCertificate: row.sender_cert === null ? null : Buffer.from(row.sender_cert),
      unreadable: row.unreadable_reason !== null,
      contentCoverage,
    });
    if (update === undefined) continue;
    // beside the fetch's own result (delivery_details keeps it, and its row carries the content: not rewritten)
    stmt(
      db,
      'INSERT INTO delivery_trust(delivery_id, signature_result, judged_at) VALUES (?, ?, ?) ON CONFLICT(delivery_id) DO UPDATE SET signature_result = excluded.signature_result, judged_at = excluded.judged_at',
    ).run(row.id, JSON.stringify(update.signatureResult), now);
    stmt(db, 'UPDATE deliveries SET signature_status = ? WHERE id = ?').run(update.signatureStatus.slice(0, 64), row.id);
    changed++;
  }
  return { checked, changed, last: rows.at(-1)?.id };
}
