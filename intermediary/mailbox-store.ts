/**
 * What the local intermediary keeps between restarts: issued message ids, and the deliveries of every mailbox with
 * their process-card timestamps. The mailbox key is the SHA-256 of the addressee's cipher certificate (DER).
 *
 * Layout of the data folder:
 *   intermediary.sqlite       ids, deliveries, timestamps, certificates, inspections (WAL, synchronous=FULL; the
 *                             fetch's stamp commit fsyncs its WAL beside the response: `commitStamps`)
 *   deliveries/<uuid>/        package.xml (the ContentPackage, canonical, byte-exact for the author signatures;
 *                             streamed in and out, never held as one string)
 *                             att-<n>.bin (attachments as transported: content ciphertext or plain bytes)
 *                             digests.json (SHA-256 of each attachment and of the response Body around the package,
 *                             computed once at intake: they do not change, so a hand-out does not hash them again)
 *   incoming/<uuid>/          a delivery being written (moved to deliveries/ when complete)
 *
 * Why SQLite and files: the small, often updated facts (a Reception stamp, an id consumed together with the
 * delivery that uses it) need atomic multi-row updates, which SQLite's journal gives; the large payloads are
 * streamed to files that are fsynced and renamed into place before the one transaction that references them.
 * A crash leaves either a complete delivery or nothing visible: on opening, `incoming/` is emptied and folders no
 * row refers to are removed. Not encrypted at rest: this is the test and training intermediary (Übungsmodus),
 * and its contents are content-encrypted by the sender anyway.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { fileSource, type ByteSource } from '../core/io/byte-source.js';
import { RESPONSE_BODY_FORM, responseBodySha256 } from '../core/osci/messages/build.js';
import { PostfachError } from '../core/errors.js';
import type { CertificateRole, Inspection } from '../core/osci/messages/model.js';

export interface StoredCertificate {
  readonly role: CertificateRole;
  readonly id: string | undefined;
  readonly der: Buffer;
}

export interface StoredAttachment {
  readonly contentId: string;
  readonly file: string;
  readonly size: number;
}

export interface DeliveryRecord {
  readonly seq: number;
  readonly messageId: string;
  /** SHA-256 (hex) of the addressee's cipher certificate. */
  readonly mailbox: string;
  /** SHA-256 (hex) of the originator's cipher certificate, if the StoreDelivery named one. */
  readonly originator: string | undefined;
  readonly subject: string | undefined;
  readonly creation: string;
  readonly forwarding: string | undefined;
  readonly reception: string | undefined;
  readonly recentModification: string;
  readonly folder: string;
  readonly certificates: readonly StoredCertificate[];
  readonly inspections: readonly Inspection[];
  readonly attachments: readonly StoredAttachment[];
  readonly packageSize: number;
}

export interface NewDelivery {
  readonly messageId: string;
  readonly subject: string | undefined;
  readonly addresseeCertificate: Buffer;
  readonly originatorCertificate: Buffer | undefined;
  readonly certificates: readonly StoredCertificate[];
  readonly inspections: readonly Inspection[];
  /** The ContentPackage in canonical form, streamed into package.xml (never held whole). */
  readonly contentPackage: ByteSource;
  readonly attachments: ReadonlyArray<{ readonly contentId: string; readonly data: ByteSource }>;
  readonly creation: string;
}

export type MessageIdState = 'issued' | 'used' | 'unknown';

interface Row {
  seq: number;
  message_id: string;
  mailbox: string;
  originator: string | null;
  subject: string | null;
  creation: string;
  forwarding: string | null;
  reception: string | null;
  recent_modification: string;
  folder: string;
  certificates: string;
  inspections: string;
  attachments: string;
  package_size: number;
}

const SCHEMA_VERSION = 1;

export function certificateKey(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

function dataError(detail: string, cause?: unknown): PostfachError {
  return new PostfachError(
    'intermediary-data',
    { de: 'Der Datenordner des Übungs-Intermediärs ist nicht lesbar oder nicht beschreibbar.', en: 'The data folder of the training intermediary cannot be read or written.' },
    detail,
    cause === undefined ? {} : { cause },
  );
}

/** What digests.json holds (every part optional: a folder without it, or of another form, is hashed at hand-out). */
interface StoredDigests {
  /** RESPONSE_BODY_FORM the body digest was computed for. */
  readonly form?: string;
  /** SHA-256 (base64) of the canonical response Body around package.xml. */
  readonly body?: string;
  /** SHA-256 (hex) of each attachment file, by file name. */
  readonly attachments?: Record<string, string>;
}

/** Digests of a delivery computed at intake, for the SupplierSignature of its hand-out. */
export interface DeliveryDigests {
  readonly bodySha256: Buffer | undefined;
  /** By attachment file name. */
  readonly attachmentSha256: ReadonlyMap<string, Buffer>;
}

const DIGESTS_FILE = 'digests.json';

async function writeDurably(file: string, chunks: AsyncIterable<Buffer> | Iterable<Buffer>, hash?: ReturnType<typeof createHash>): Promise<number> {
  const handle = await open(file, 'wx', 0o600);
  let size = 0;
  try {
    for await (const chunk of chunks) {
      hash?.update(chunk);
      let at = 0;
      while (at < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, at, chunk.length - at);
        at += bytesWritten;
      }
      size += chunk.length;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return size;
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // some file systems refuse fsync on directories; the rename is still atomic
  } finally {
    await handle.close();
  }
}

/** Makes a file's written bytes durable (fsync). The seam where tests make the stamp commit's sync fail. */
export type SyncFile = (file: string) => Promise<void>;

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface MailboxStoreOptions {
  /** How the WAL of a deferred stamp commit is fsynced (default: fsync on the libuv pool). */
  readonly syncFile?: SyncFile;
}

export class MailboxStore {
  private readonly db: Database.Database;
  private readonly deliveriesDir: string;
  private readonly incomingDir: string;
  private readonly walFile: string;
  private readonly syncFile: SyncFile;
  /** The fsync of the WAL behind the latest `commitStamps` (resolved when nothing is pending). */
  private pendingSync: Promise<void> = Promise.resolve();

  private constructor(
    readonly dataDir: string,
    options: MailboxStoreOptions = {},
  ) {
    this.walFile = path.join(dataDir, 'intermediary.sqlite-wal');
    this.syncFile = options.syncFile ?? fsyncFile;
    this.deliveriesDir = path.join(dataDir, 'deliveries');
    this.incomingDir = path.join(dataDir, 'incoming');
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      mkdirSync(this.deliveriesDir, { recursive: true, mode: 0o700 });
      rmSync(this.incomingDir, { recursive: true, force: true });
      mkdirSync(this.incomingDir, { recursive: true, mode: 0o700 });
      this.db = new Database(path.join(dataDir, 'intermediary.sqlite'));
    } catch (error) {
      throw dataError(`cannot open the data folder (${error instanceof Error ? error.message : String(error)})`, error);
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 10000');
    this.migrate();
    this.removeOrphans();
  }

  /** Opens (or creates) the data folder; removes what a crash left half-written. */
  static open(dataDir: string, options: MailboxStoreOptions = {}): MailboxStore {
    return new MailboxStore(path.resolve(dataDir), options);
  }

  private migrate(): void {
    const version = Number(this.db.pragma('user_version', { simple: true }));
    if (version > SCHEMA_VERSION) throw dataError(`data folder written by a newer version (schema ${version})`);
    if (version === SCHEMA_VERSION) return;
    this.db.exec(`
      CREATE TABLE message_ids (
        id TEXT PRIMARY KEY,
        issued_at TEXT NOT NULL,
        used_at TEXT
      );
      CREATE TABLE deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id TEXT NOT NULL UNIQUE,
        mailbox TEXT NOT NULL,
        originator TEXT,
        subject TEXT,
        creation TEXT NOT NULL,
        forwarding TEXT,
        reception TEXT,
        recent_modification TEXT NOT NULL,
        folder TEXT NOT NULL,
        certificates TEXT NOT NULL,
        inspections TEXT NOT NULL,
        attachments TEXT NOT NULL,
        package_size INTEGER NOT NULL
      );
      CREATE INDEX deliveries_mailbox ON deliveries (mailbox, seq);
      CREATE INDEX deliveries_originator ON deliveries (originator, seq);
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
  }

  private removeOrphans(): void {
    const known = new Set((this.db.prepare('SELECT folder FROM deliveries').all() as Array<{ folder: string }>).map((r) => r.folder));
    for (const name of readdirSync(this.deliveriesDir)) {
      if (!known.has(name)) rmSync(path.join(this.deliveriesDir, name), { recursive: true, force: true });
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // -------------------------------------------------------------------------------------------------------------
  // message ids

  issueMessageId(now: string): string {
    const id = randomUUID();
    this.db.prepare('INSERT INTO message_ids (id, issued_at) VALUES (?, ?)').run(id, now);
    return id;
  }

  /** Registers ids as issued (tests that replay requests of another intermediary). */
  preIssue(ids: readonly string[], now: string): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO message_ids (id, issued_at) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const id of ids) insert.run(id, now);
    })();
  }

  messageIdState(id: string): MessageIdState {
    const row = this.db.prepare('SELECT used_at FROM message_ids WHERE id = ?').get(id) as { used_at: string | null } | undefined;
    if (this.db.prepare('SELECT 1 FROM deliveries WHERE message_id = ?').get(id)) return 'used';
    if (!row) return 'unknown';
    return row.used_at === null ? 'issued' : 'used';
  }

  // -------------------------------------------------------------------------------------------------------------
  // deliveries

  /**
   * Writes the delivery's files (streamed, fsynced, renamed into place), then records it and consumes its message
   * id in one transaction. Returns undefined when the id is not (or no longer) usable: 9801.
   */
  async saveDelivery(input: NewDelivery, acceptUnissued: boolean): Promise<DeliveryRecord | undefined> {
    const usable = (state: MessageIdState) => state === 'issued' || (acceptUnissued && state === 'unknown');
    if (!usable(this.messageIdState(input.messageId))) return undefined;
    const folder = randomUUID();
    const staging = path.join(this.incomingDir, folder);
    const final = path.join(this.deliveriesDir, folder);
    const attachments: StoredAttachment[] = [];
    let packageSize: number;
    try {
      await mkdir(staging, { mode: 0o700 });
      packageSize = await writeDurably(path.join(staging, 'package.xml'), input.contentPackage.stream());
      let index = 0;
      const attachmentDigests: Record<string, string> = {};
      for (const a of input.attachments) {
        const file = `att-${index++}.bin`;
        const hash = createHash('sha256');
        const size = await writeDurably(path.join(staging, file), a.data.stream(), hash);
        attachments.push({ contentId: a.contentId, file, size });
        attachmentDigests[file] = hash.digest('hex');
      }
      // a package the response Body cannot be digested around is hashed (and refused) at hand-out as before
      const body = await responseBodySha256(await fileSource(path.join(staging, 'package.xml'))).catch(() => undefined);
      const digests: StoredDigests = { form: RESPONSE_BODY_FORM, ...(body ? { body: body.toString('base64') } : {}), attachments: attachmentDigests };
      await writeDurably(path.join(staging, DIGESTS_FILE), [Buffer.from(JSON.stringify(digests), 'utf8')]);
      await syncDirectory(staging);
      await rename(staging, final);
      await syncDirectory(this.deliveriesDir);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw dataError(`cannot write a delivery (${error instanceof Error ? error.message : String(error)})`, error);
    }
    const commit = this.db.transaction((): number | undefined => {
      // checked again inside the transaction: two requests may have raced for the same id
      if (!usable(this.messageIdState(input.messageId))) return undefined;
      this.db
        .prepare('INSERT INTO message_ids (id, issued_at, used_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET used_at = excluded.used_at')
        .run(input.messageId, input.creation, input.creation);
      const info = this.db
        .prepare(
          `INSERT INTO deliveries (message_id, mailbox, originator, subject, creation, recent_modification, folder, certificates,
             inspections, attachments, package_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.messageId,
          certificateKey(input.addresseeCertificate),
          input.originatorCertificate ? certificateKey(input.originatorCertificate) : null,
          input.subject ?? null,
          input.creation,
          input.creation,
          folder,
          JSON.stringify(input.certificates.map((c) => ({ role: c.role, id: c.id ?? null, der: c.der.toString('base64') }))),
          JSON.stringify(input.inspections),
          JSON.stringify(attachments),
          packageSize,
        );
      return Number(info.lastInsertRowid);
    });
    const seq = commit();
    if (seq === undefined) {
      await rm(final, { recursive: true, force: true });
      return undefined;
    }
    return this.bySeq(seq)!;
  }

  bySeq(seq: number): DeliveryRecord | undefined {
    const row = this.db.prepare('SELECT * FROM deliveries WHERE seq = ?').get(seq) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The deliveries of a mailbox with the given message ids (in the order asked). */
  byMessageIds(mailbox: string, ids: readonly string[]): DeliveryRecord[] {
    const stmt = this.db.prepare('SELECT * FROM deliveries WHERE mailbox = ? AND message_id = ?');
    return ids
      .map((id) => stmt.get(mailbox, id) as Row | undefined)
      .filter((r): r is Row => r !== undefined)
      .map(toRecord);
  }

  /**
   * The oldest deliveries of a mailbox not yet received (optionally created at or after `createdFrom`), at most
   * `limit`, oldest first.
   */
  unreceived(mailbox: string, createdFrom: string | undefined, limit: number): DeliveryRecord[] {
    const rows = (
      createdFrom === undefined
        ? this.db.prepare('SELECT * FROM deliveries WHERE mailbox = ? AND reception IS NULL ORDER BY seq LIMIT ?').all(mailbox, limit)
        : this.db.prepare('SELECT * FROM deliveries WHERE mailbox = ? AND reception IS NULL AND creation >= ? ORDER BY seq LIMIT ?').all(mailbox, createdFrom, limit)
    ) as Row[];
    return rows.map(toRecord);
  }

  /** Process-card candidates: deliveries to (`addressee`) and/or from (`originator`) a client, oldest first. */
  cards(filter: {
    readonly addressee?: string;
    readonly originator?: string;
    readonly messageIds?: readonly string[];
    readonly createdFrom?: string;
    readonly modifiedFrom?: string;
    readonly noReception?: boolean;
    readonly limit: number;
  }): DeliveryRecord[] {
    const who: string[] = [];
    const params: Array<string | number> = [];
    if (filter.addressee !== undefined) {
      who.push('mailbox = ?');
      params.push(filter.addressee);
    }
    if (filter.originator !== undefined) {
      who.push('originator = ?');
      params.push(filter.originator);
    }
    if (who.length === 0) return [];
    const where = [`(${who.join(' OR ')})`];
    if (filter.messageIds) {
      if (filter.messageIds.length === 0) return [];
      where.push(`message_id IN (${filter.messageIds.map(() => '?').join(', ')})`);
      params.push(...filter.messageIds);
    }
    if (filter.createdFrom !== undefined) {
      where.push('creation >= ?');
      params.push(filter.createdFrom);
    }
    if (filter.modifiedFrom !== undefined) {
      where.push('recent_modification >= ?');
      params.push(filter.modifiedFrom);
    }
    if (filter.noReception) where.push('reception IS NULL');
    params.push(filter.limit);
    const rows = this.db.prepare(`SELECT * FROM deliveries WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`).all(...params) as Row[];
    return rows.map(toRecord);
  }

  /** Runs `work` (synchronous store calls) as one transaction: one commit, one fsync. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /**
   * Runs `work` as one transaction whose fsync does not block the thread: committed into the WAL without the
   * synchronous fsync (synchronous=NORMAL for this commit; a checkpoint still syncs WAL and database itself), then
   * the WAL file is fsynced on the libuv pool while the caller builds its response. What was committed is durable
   * once `durable()` resolves: every answer of the intermediary waits for it (Supplier.handle), so no stamp is
   * reported — to this client or any other — before it would survive a power cut, as with synchronous=FULL.
   */
  commitStamps<T>(work: () => T): T {
    this.db.pragma('synchronous = NORMAL');
    let result: T;
    try {
      result = this.db.transaction(work)();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
    // awaited by durable() before any answer; its failure is handled there
    void this.startWalSync();
    return result;
  }

  private startWalSync(): Promise<void> {
    const previous = this.pendingSync;
    // one after the other: a later sync never resolves before an earlier one (each covers all the WAL's bytes)
    const next = previous.catch(() => undefined).then(() => this.syncFile(this.walFile));
    next.catch(() => undefined); // awaited by durable(); never an unhandled rejection meanwhile
    this.pendingSync = next;
    return next;
  }

  /**
   * Resolves when every deferred stamp commit so far is on disk. A failed fsync is tried once more (it covers the
   * same bytes); failing again, this rejects, and the caller answers with a fault instead of the stamps.
   */
  async durable(): Promise<void> {
    const pending = this.pendingSync;
    try {
      await pending;
    } catch {
      if (this.pendingSync === pending) await this.startWalSync();
      else await this.durable();
    }
  }

  /** Stamps Forwarding (the delivery was handed to the client); the latest hand-out counts. */
  stampForwarding(seq: number, time: string): DeliveryRecord {
    this.db.prepare('UPDATE deliveries SET forwarding = ?, recent_modification = ? WHERE seq = ?').run(time, time, seq);
    return this.bySeq(seq)!;
  }

  /** Stamps Reception (the client acknowledged by its next request); the first receipt counts. */
  stampReception(seq: number, time: string): void {
    this.db.prepare('UPDATE deliveries SET reception = ?, recent_modification = ? WHERE seq = ? AND reception IS NULL').run(time, time, seq);
  }

  async packageXml(record: DeliveryRecord): Promise<string> {
    try {
      return await readFile(path.join(this.deliveriesDir, record.folder, 'package.xml'), 'utf8');
    } catch (error) {
      throw dataError(`delivery files missing (${record.folder})`, error);
    }
  }

  /** The ContentPackage as a source over its file (streamed into the response, never read whole). */
  async packageSource(record: DeliveryRecord): Promise<ByteSource> {
    try {
      return await fileSource(path.join(this.deliveriesDir, record.folder, 'package.xml'));
    } catch (error) {
      throw dataError(`delivery files missing (${record.folder})`, error);
    }
  }

  /** The digests kept at intake; none for a folder written before them or for another Body form. */
  async digests(record: DeliveryRecord): Promise<DeliveryDigests> {
    let stored: StoredDigests = {};
    try {
      stored = JSON.parse(await readFile(path.join(this.deliveriesDir, record.folder, DIGESTS_FILE), 'utf8')) as StoredDigests;
    } catch {
      // absent (written by an earlier version) or unreadable: everything is hashed at hand-out
    }
    const sha256 = (value: unknown, encoding: 'base64' | 'hex'): Buffer | undefined => {
      const bytes = typeof value === 'string' ? Buffer.from(value, encoding) : undefined;
      return bytes?.length === 32 ? bytes : undefined;
    };
    const attachmentSha256 = new Map<string, Buffer>();
    for (const a of record.attachments) {
      const digest = sha256(stored.attachments?.[a.file], 'hex');
      if (digest) attachmentSha256.set(a.file, digest);
    }
    return { bodySha256: stored.form === RESPONSE_BODY_FORM ? sha256(stored.body, 'base64') : undefined, attachmentSha256 };
  }

  async attachmentSources(record: DeliveryRecord): Promise<Array<{ contentId: string; data: ByteSource }>> {
    const out: Array<{ contentId: string; data: ByteSource }> = [];
    for (const a of record.attachments) {
      try {
        out.push({ contentId: a.contentId, data: await fileSource(path.join(this.deliveriesDir, record.folder, a.file)) });
      } catch (error) {
        throw dataError(`delivery files missing (${record.folder})`, error);
      }
    }
    return out;
  }
}

function toRecord(row: Row): DeliveryRecord {
  const certs = JSON.parse(row.certificates) as Array<{ role: CertificateRole; id: string | null; der: string }>;
  return {
    seq: row.seq,
    messageId: row.message_id,
    mailbox: row.mailbox,
    originator: row.originator ?? undefined,
    subject: row.subject ?? undefined,
    creation: row.creation,
    forwarding: row.forwarding ?? undefined,
    reception: row.reception ?? undefined,
    recentModification: row.recent_modification,
    folder: row.folder,
    certificates: certs.map((c) => ({ role: c.role, id: c.id ?? undefined, der: Buffer.from(c.der, 'base64') })),
    inspections: JSON.parse(row.inspections) as Inspection[],
    attachments: JSON.parse(row.attachments) as StoredAttachment[],
    packageSize: row.package_size,
  };
}
