/**
 * What the service keeps on PostgreSQL besides the deliveries (schema version 3): the mailbox identity, the
 * office's trusted sender CAs, IT's code lists — and the fetch lock, a session-level advisory lock so that exactly
 * one program fetches a mailbox at a time.
 *
 * - The identity row is sealed as a whole under the field key (sealing.ts) with the row named in the additional
 *   data: PostgreSQL stores in clear, so neither a dump nor a DB administrator sees the private keys (nor the
 *   connection). Only the cipher certificate's SHA-256 stays readable, for IT to tell which key is set up.
 * - Trusted CAs and code lists are public data and kept readable, by the same rules as the SQLite store
 *   (core/store/trusted-cas.ts, code-lists.ts): the same origins, bounds, audit actions and parameters.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { PostfachError } from '../errors.js';
import type { NewAuditEntry } from '../store/audit-log.js';
import { auditDetail } from '../store/audit-words.js';
import { checkNewCodeList, type CodeListSaveResult, type NewCodeList, type StoredCodeList } from '../store/code-lists.js';
import { storeError } from '../store/errors.js';
import type { MailboxIdentityRecord } from '../store/mailbox-identity.js';
import type { JsonValue } from '../store/records.js';
import type { FetchLock } from '../store/service-store.js';
import { fingerprintOf, TRUSTED_CA_ORIGINS, type TrustedCaOrigin, type TrustedCaRecord } from '../store/trusted-cas.js';
import type { Queryable } from './pg-queries.js';
import { sealText, unsealText } from './sealing.js';

type Audit = (db: Queryable, entry: NewAuditEntry) => Promise<number>;

const IDENTITY_AAD = 'mailbox_identity:1';

interface SealedIdentity {
  v: 1;
  cipherKey: string;
  cipherCertificate: string;
  signatureKey: string | null;
  signatureCertificate: string | null;
  chain: string[];
  connection: JsonValue;
}

export async function pgSaveIdentity(db: Queryable, fieldKey: Buffer, audit: Audit, record: MailboxIdentityRecord, at = Date.now()): Promise<void> {
  const fingerprint = await pgWriteIdentity(db, fieldKey, record, at);
  await audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'identity-set', sha256: fingerprint }) });
}

/** Writes the sealed identity row without an audit entry (the caller audits: set-up, or a key rotation's switch). */
export async function pgWriteIdentity(db: Queryable, fieldKey: Buffer, record: MailboxIdentityRecord, at: number): Promise<string> {
  if ((record.signatureKeyPkcs8 === null) !== (record.signatureCertificate === null)) {
    throw storeError('store-invalid-input', 'mailbox identity: signature key and certificate go together');
  }
  const plain: SealedIdentity = {
    v: 1,
    cipherKey: record.cipherKeyPkcs8.toString('base64'),
    cipherCertificate: record.cipherCertificate.toString('base64'),
    signatureKey: record.signatureKeyPkcs8?.toString('base64') ?? null,
    signatureCertificate: record.signatureCertificate?.toString('base64') ?? null,
    chain: record.chainCertificates.map((c) => c.toString('base64')),
    connection: record.connection,
  };
  const fingerprint = createHash('sha256').update(record.cipherCertificate).digest('hex');
  await db.query(
    `INSERT INTO mailbox_identity(id, sealed, cipher_cert_sha256, configured_at) VALUES (1, $1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed, cipher_cert_sha256 = excluded.cipher_cert_sha256, configured_at = excluded.configured_at`,
    [sealText(fieldKey, IDENTITY_AAD, JSON.stringify(plain)), fingerprint, at],
  );
  return fingerprint;
}

function unsealIdentity(fieldKey: Buffer, sealed: Buffer): SealedIdentity {
  let plain: SealedIdentity;
  try {
    plain = JSON.parse(unsealText(fieldKey, IDENTITY_AAD, sealed, 'mailbox identity')) as SealedIdentity;
  } catch (error) {
    if (error instanceof PostfachError) throw error;
    throw storeError('store-corrupt', 'mailbox identity: sealed JSON unreadable', error);
  }
  if (plain.v !== 1) throw storeError('store-corrupt', 'mailbox identity: unknown sealed version');
  return plain;
}

export async function pgHasIdentity(db: Queryable): Promise<boolean> {
  return (await db.query('SELECT 1 FROM mailbox_identity WHERE id = 1')).rows.length > 0;
}

export async function pgReadIdentity(db: Queryable, fieldKey: Buffer): Promise<MailboxIdentityRecord | undefined> {
  const row = (await db.query<{ sealed: Buffer; configured_at: number }>('SELECT sealed, configured_at FROM mailbox_identity WHERE id = 1')).rows[0];
  if (row === undefined) return undefined;
  const plain = unsealIdentity(fieldKey, row.sealed);
  const b = (s: string) => Buffer.from(s, 'base64');
  return {
    cipherKeyPkcs8: b(plain.cipherKey),
    cipherCertificate: b(plain.cipherCertificate),
    signatureKeyPkcs8: plain.signatureKey === null ? null : b(plain.signatureKey),
    signatureCertificate: plain.signatureCertificate === null ? null : b(plain.signatureCertificate),
    chainCertificates: plain.chain.map(b),
    connection: plain.connection,
    configuredAt: new Date(row.configured_at).toISOString(),
  };
}

/**
 * Replaces the identity's connection (audited as the SQLite store does); false when none is set up. The row is
 * read FOR UPDATE, unsealed, changed and sealed again as a whole: the connection is sealed with the keys.
 */
export async function pgUpdateConnection(db: Queryable, fieldKey: Buffer, audit: Audit, connection: JsonValue, at = Date.now()): Promise<boolean> {
  const row = (await db.query<{ sealed: Buffer }>('SELECT sealed FROM mailbox_identity WHERE id = 1 FOR UPDATE')).rows[0];
  if (row === undefined) return false;
  const next: SealedIdentity = { ...unsealIdentity(fieldKey, row.sealed), connection: JSON.parse(JSON.stringify(connection)) as JsonValue };
  await db.query('UPDATE mailbox_identity SET sealed = $1, configured_at = $2 WHERE id = 1', [sealText(fieldKey, IDENTITY_AAD, JSON.stringify(next)), at]);
  await audit(db, { action: 'settings-changed', detail: auditDetail({ event: 'connection-changed' }) });
  return true;
}

/** Removes one of the office's CAs (audited as the SQLite store does); false when it was not in the list. */
export async function pgRemoveTrustedCa(db: Queryable, audit: Audit, fingerprint: string): Promise<boolean> {
  const normalized = fingerprint.toLowerCase();
  const removed = await db.query('DELETE FROM trusted_cas WHERE fingerprint = $1', [normalized]);
  if ((removed.rowCount ?? 0) === 0) return false;
  await audit(db, { action: 'trusted-ca-removed', detail: auditDetail({ sha256: normalized }) });
  return true;
}

export async function pgTrustedCas(db: Queryable): Promise<TrustedCaRecord[]> {
  const { rows } = await db.query<{ fingerprint: string; certificate: Buffer; origin: string; added_at: number }>(
    'SELECT fingerprint, certificate, origin, added_at FROM trusted_cas ORDER BY id',
  );
  return rows.map((r) => ({
    fingerprint: r.fingerprint,
    certificate: Buffer.from(r.certificate),
    origin: r.origin as TrustedCaOrigin,
    addedAt: new Date(r.added_at).toISOString(),
  }));
}

export async function pgAddTrustedCas(db: Queryable, audit: Audit, certificates: readonly Uint8Array[], origin: TrustedCaOrigin, at = Date.now()): Promise<string[]> {
  if (!TRUSTED_CA_ORIGINS.includes(origin)) throw storeError('store-invalid-input', `trusted CA: unknown origin ${String(origin).slice(0, 20)}`);
  const added: string[] = [];
  for (const der of certificates) {
    if (der.length === 0 || der.length > 64 * 1024) throw storeError('store-invalid-input', `trusted CA: certificate of ${der.length} bytes`);
    const fingerprint = fingerprintOf(der);
    const inserted = await db.query('INSERT INTO trusted_cas(fingerprint, certificate, origin, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT (fingerprint) DO NOTHING', [
      fingerprint,
      Buffer.from(der),
      origin,
      at,
    ]);
    if ((inserted.rowCount ?? 0) > 0) {
      added.push(fingerprint);
      await audit(db, { action: 'trusted-ca-added', detail: auditDetail({ sha256: fingerprint, origin }) });
    }
  }
  return added;
}

export async function pgSaveCodeList(db: Queryable, audit: Audit, list: NewCodeList, now = Date.now()): Promise<CodeListSaveResult> {
  checkNewCodeList(list);
  const existing = (await db.query<{ sha256: string }>('SELECT sha256 FROM code_lists WHERE list_uri = $1 AND version = $2 FOR UPDATE', [list.listURI, list.listVersionID]))
    .rows[0];
  if (existing?.sha256 === list.sha256) return 'unchanged';
  const values = [list.listURI, list.listVersionID, list.canonicalVersionUri, list.name, list.origin, list.fileName, list.sha256, now, JSON.stringify({ v: 1, codes: list.codes })];
  await db.query(
    `INSERT INTO code_lists(list_uri, version, canonical_version_uri, name, origin, file_name, sha256, imported_at, codes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (list_uri, version) DO UPDATE SET canonical_version_uri = excluded.canonical_version_uri, name = excluded.name,
       origin = excluded.origin, file_name = excluded.file_name, sha256 = excluded.sha256, imported_at = excluded.imported_at, codes = excluded.codes`,
    values,
  );
  const result: CodeListSaveResult = existing ? 'replaced' : 'created';
  await audit(db, { action: 'codelist-imported', detail: auditDetail({ list: list.listURI, version: list.listVersionID, sha256: list.sha256, origin: list.origin, result }) });
  return result;
}

export async function pgCodeLists(db: Queryable): Promise<StoredCodeList[]> {
  const { rows } = await db.query<{
    list_uri: string;
    version: string;
    canonical_version_uri: string;
    name: string;
    origin: string;
    file_name: string;
    sha256: string;
    imported_at: number;
    codes: string;
  }>('SELECT list_uri, version, canonical_version_uri, name, origin, file_name, sha256, imported_at, codes FROM code_lists ORDER BY list_uri, version');
  return rows.map((r) => {
    const parsed = JSON.parse(r.codes) as { v?: number; codes?: Record<string, string> };
    return {
      listURI: r.list_uri,
      listVersionID: r.version,
      canonicalVersionUri: r.canonical_version_uri,
      name: r.name,
      origin: r.origin === 'folder' ? 'folder' : 'import',
      fileName: r.file_name,
      sha256: r.sha256,
      importedAt: new Date(r.imported_at).toISOString(),
      codes: parsed.v === 1 && parsed.codes ? parsed.codes : {},
    };
  });
}

export async function pgCodeListsStamp(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ n: number; at: number; id: number }>(
    'SELECT count(*)::bigint AS n, coalesce(max(imported_at), 0) AS at, coalesce(max(id), 0) AS id FROM code_lists',
  );
  const r = rows[0];
  return `${r?.n ?? 0}:${r?.at ?? 0}:${r?.id ?? 0}`;
}

/** The error of a second fetcher: another program holds the mailbox's fetch lock now. */
export function fetchRunningElsewhere(detail: string): PostfachError {
  return new PostfachError(
    'fetch-running',
    {
      de: 'Dieses Postfach wird gerade von einem anderen Programm abgerufen (einem anderen Abrufdienst oder Arbeitsplatz). Es ruft immer nur eines ab; die Anträge erscheinen über den laufenden Abruf. Bitte später erneut versuchen.',
      en: 'Another program (another fetch service or workstation) is fetching this mailbox right now. Only one fetches at a time; the applications arrive through the running fetch. Please try again later.',
    },
    detail,
  );
}

/** How long the lock's connection may take to answer the check before an acknowledge before it counts as lost. */
const LOCK_CHECK_TIMEOUT_MS = 10_000;

/** A connection holding the lock; `broken` once it emitted 'error' (it died between queries). */
interface LockConnection {
  readonly client: pg.PoolClient;
  readonly state: { broken: boolean };
  readonly onError: () => void;
}

/**
 * Takes the advisory lock on a connection of its own, or refuses with `fetch-running` naming the holder.
 * A checked-out connection that dies (server restart, pg_terminate_backend, network) emits 'error' between queries:
 * without a listener that would end the whole service; the listener marks it broken instead.
 */
async function takeOn(pool: pg.Pool, key: string, mailboxKey: string, context: string): Promise<LockConnection> {
  const client = await pool.connect();
  const state = { broken: false };
  const onError = (): void => {
    state.broken = true;
  };
  client.on('error', onError);
  let taken: boolean;
  try {
    taken = (await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS taken', [key])).rows[0]?.taken === true;
  } catch (error) {
    client.off('error', onError);
    client.release(true);
    throw error;
  }
  if (!taken) {
    // for IT: which server process holds it (no personal data: a process id and the program's name)
    let holder = 'another session';
    try {
      const { rows } = await client.query<{ pid: number; application_name: string | null }>(
        `SELECT l.pid, a.application_name FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND (l.classid::bigint << 32 | l.objid::bigint) = hashtextextended($1, 0) LIMIT 1`,
        [key],
      );
      if (rows[0] !== undefined) holder = `backend pid ${rows[0].pid}${rows[0].application_name ? ` (${rows[0].application_name.slice(0, 60)})` : ''}`;
    } catch {
      // the holder is only a detail
    }
    client.off('error', onError);
    client.release();
    throw fetchRunningElsewhere(`PostgreSQL advisory fetch lock of mailbox ${mailboxKey.slice(0, 16)} ${context}held by ${holder}`);
  }
  return { client, state, onError };
}

/** Drops a lock connection for good: ending the session ends its lock. */
function drop(held: LockConnection): void {
  held.client.off('error', held.onError);
  held.client.release(true);
}

/** Whether the lock's session still answers (a session-level advisory lock lives exactly as long as its session). */
async function stillHeld(held: LockConnection): Promise<boolean> {
  if (held.state.broken) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const answered = await Promise.race([
      held.client.query('SELECT 1').then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), LOCK_CHECK_TIMEOUT_MS);
      }),
    ]);
    return answered && !held.state.broken;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Takes the session-level advisory lock of the mailbox on a connection of its own, held until release() (or until
 * the connection ends: a killed process's lock goes with its connection, so nothing has to be cleaned up).
 * `pg_try_advisory_lock` never waits: a second fetcher is refused at once.
 *
 * confirm() runs before every acknowledge of the fetch: the lock dies with its connection (a terminated backend, a
 * server restart, a network cut), and from then on a second fetcher may take it. confirm() asks the lock's session;
 * if it is gone, the lock is taken again on a fresh connection — possible only when no other program took it in
 * between — else confirm() throws `fetch-running` and the fetch stops before the acknowledge (the delivery in hand
 * is committed already and is offered again, then recognised as stored).
 */
export async function pgTakeFetchLock(pool: pg.Pool, mailboxKey: string): Promise<FetchLock> {
  const key = `osci-postfach fetch ${mailboxKey}`;
  let held: LockConnection | undefined = await takeOn(pool, key, mailboxKey, '');
  return {
    confirm: async () => {
      if (held === undefined) throw fetchRunningElsewhere(`PostgreSQL advisory fetch lock of mailbox ${mailboxKey.slice(0, 16)} already released`);
      if (await stillHeld(held)) return;
      drop(held);
      held = undefined;
      held = await takeOn(pool, key, mailboxKey, 'lost with its connection during the fetch; now ');
    },
    release: async () => {
      const h = held;
      if (h === undefined) return;
      held = undefined;
      try {
        if (h.state.broken) throw new Error('connection broken');
        await h.client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
        h.client.off('error', h.onError);
        h.client.release();
      } catch {
        // a broken connection: dropping it ends the session and with it the lock
        drop(h);
      }
    },
  };
}
