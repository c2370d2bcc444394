/**
 * The backup file format (`.pfbak`), one file for the whole mailbox, encrypted and password-protected:
 *
 *   file      = magic "OPFBAK\0\1" (8 bytes) · header length (uint32 BE) · header (JSON, UTF-8) · chunk* (last one flagged)
 *   header    = { format: "osci-postfach-backup", version: 1, createdAt, appVersion,
 *                 kdf: { name: "scrypt", N, r, p, salt (base64, 16 bytes) }, cipher: "aes-256-gcm",
 *                 chunkBytes, noncePrefix (base64, 7 bytes), keyCheck (base64) }
 *   key       = scrypt(password, salt, N, r, p) → 32 bytes;  keyCheck = HMAC-SHA256(key, "osci-postfach-backup key check v1")
 *   chunk     = ciphertext length (uint32 BE) · AES-256-GCM ciphertext · tag (16 bytes)
 *               nonce = noncePrefix (7) · chunk number (uint32 BE) · last flag (1 byte: 1 for the final chunk, else 0)
 *               AAD   = SHA-256 of magic, header length and header — so header, order, truncation and appended data
 *                       are all detected (the "STREAM" construction)
 *   plaintext = record*:  type (1 byte: "F" file, "M" manifest, "E" end) · meta length (uint32 BE) · meta (JSON) · data
 *               F: meta { name, size } then `size` bytes;  M: { entries: [{ name, size, sha256 }], summary };  E: end
 *
 * The header's N, r and p are bounded before any key is derived (core/store/scrypt-cost.ts, the same bound as the
 * store's key file): a crafted header cannot make the program work for minutes before it says "wrong password".
 * A wrong password is told from a damaged file by keyCheck; a damaged or altered file fails a GCM tag, the chunk
 * order, the final flag, or a SHA-256 of the manifest. Nothing of a backup is used before it has been read to its
 * authenticated end.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { PostfachError } from '../errors.js';
import { DEFAULT_SCRYPT, scryptCostProblem, scryptOptions, type ScryptParams } from '../store/scrypt-cost.js';

export const MAGIC = Buffer.from('OPFBAK\x00\x01', 'latin1');
export const FORMAT = 'osci-postfach-backup';
export const FORMAT_VERSION = 1;
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
export const TAG_BYTES = 16;
const NONCE_PREFIX_BYTES = 7;
const KEY_CHECK_LABEL = 'osci-postfach-backup key check v1';
const MAX_HEADER_BYTES = 64 * 1024;
const MAX_META_BYTES = 16 * 1024 * 1024;

export type ScryptCost = ScryptParams;
/** The same cost as the store's password wrapper: about a second on a current PC. */
export const DEFAULT_BACKUP_SCRYPT: ScryptCost = DEFAULT_SCRYPT;
export const MIN_BACKUP_PASSWORD = 8;

export interface BackupHeader {
  readonly format: typeof FORMAT;
  readonly version: number;
  readonly createdAt: string;
  readonly appVersion: string;
  readonly kdf: { readonly name: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: string };
  readonly cipher: 'aes-256-gcm';
  readonly chunkBytes: number;
  readonly noncePrefix: string;
  readonly keyCheck: string;
}

export interface ManifestEntry {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

export function backupError(
  kind: 'backup-wrong-password' | 'backup-corrupt' | 'backup-too-new' | 'backup-weak-password' | 'backup-target-exists' | 'backup-io',
  detail: string,
  cause?: unknown,
): PostfachError {
  const texts = {
    'backup-wrong-password': {
      de: 'Das Passwort der Sicherung ist falsch.',
      en: 'The backup password is wrong.',
    },
    'backup-corrupt': {
      de: 'Die Sicherungsdatei ist beschädigt oder wurde verändert. Sie wird nicht verwendet; bitte eine andere Sicherung nehmen.',
      en: 'The backup file is damaged or was altered. It is not used; please take another backup.',
    },
    'backup-too-new': {
      de: 'Die Sicherung wurde mit einer neueren Programmversion erstellt. Bitte das Programm aktualisieren.',
      en: 'The backup was made by a newer version of the program. Please update the program.',
    },
    'backup-weak-password': {
      de: `Das Passwort der Sicherung ist zu kurz. Bitte mindestens ${MIN_BACKUP_PASSWORD} Zeichen verwenden.`,
      en: `The backup password is too short. Please use at least ${MIN_BACKUP_PASSWORD} characters.`,
    },
    'backup-target-exists': {
      de: 'Am Zielort gibt es schon einen Datenspeicher. Eine Sicherung wird nur in einen leeren Ort zurückgespielt; bitte einen anderen Ort wählen oder den vorhandenen Speicher zuerst wegsichern.',
      en: 'There is already a data store at the target. A backup is only restored into an empty place; please choose another place or move the existing store away first.',
    },
    'backup-io': {
      de: 'Die Sicherungsdatei konnte nicht gelesen oder geschrieben werden.',
      en: 'The backup file could not be read or written.',
    },
  }[kind];
  return new PostfachError(kind, texts, detail, cause === undefined ? {} : { cause });
}

/** The key for a password; the cost must have passed `scryptCostProblem` (callers check before, with their own error). */
export function deriveKey(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(password.normalize('NFC'), salt, 32, scryptOptions(cost), (error, key) => (error ? reject(error) : resolve(key))));
}

export function keyCheckOf(key: Buffer): Buffer {
  return createHmac('sha256', key).update(KEY_CHECK_LABEL).digest();
}

function nonce(prefix: Buffer, index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  n[11] = last ? 1 : 0;
  return n;
}

/** magic · length · header, and the AAD of every chunk (its SHA-256). */
function headerBlock(header: BackupHeader): { bytes: Buffer; aad: Buffer } {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  const bytes = Buffer.concat([MAGIC, length, json]);
  return { bytes, aad: createHash('sha256').update(bytes).digest() };
}

/** Writes the encrypted stream: records in, chunks out (to a file handle, in order). */
export class BackupWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  private finished = false;

  private constructor(
    private readonly out: FileHandle,
    private readonly key: Buffer,
    private readonly prefix: Buffer,
    private readonly aad: Buffer,
    private readonly chunkBytes: number,
  ) {}

  static async start(out: FileHandle, password: string, options: { appVersion: string; cost?: ScryptCost; chunkBytes?: number; now?: Date }): Promise<BackupWriter> {
    if (password.length < MIN_BACKUP_PASSWORD)
      throw backupError('backup-weak-password', `backup password has ${password.length} characters, at least ${MIN_BACKUP_PASSWORD} needed`);
    const cost = options.cost ?? DEFAULT_BACKUP_SCRYPT;
    // never write a header this program would refuse to read
    const problem = scryptCostProblem(cost);
    if (problem !== undefined) throw new RangeError(problem);
    const salt = randomBytes(16);
    const key = await deriveKey(password, salt, cost);
    const prefix = randomBytes(NONCE_PREFIX_BYTES);
    const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    const header: BackupHeader = {
      format: FORMAT,
      version: FORMAT_VERSION,
      createdAt: (options.now ?? new Date()).toISOString(),
      appVersion: options.appVersion,
      kdf: { name: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: salt.toString('base64') },
      cipher: 'aes-256-gcm',
      chunkBytes,
      noncePrefix: prefix.toString('base64'),
      keyCheck: keyCheckOf(key).toString('base64'),
    };
    const { bytes, aad } = headerBlock(header);
    await out.write(bytes);
    return new BackupWriter(out, key, prefix, aad, chunkBytes);
  }

  private async seal(plain: Buffer, last: boolean): Promise<void> {
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce(this.prefix, this.index++, last));
    cipher.setAAD(this.aad);
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(ciphertext.length);
    await this.out.write(Buffer.concat([length, ciphertext]));
  }

  private async push(bytes: Buffer): Promise<void> {
    let rest = bytes;
    while (rest.length > 0) {
      const take = Math.min(rest.length, this.chunkBytes - this.pendingBytes);
      this.pending.push(rest.subarray(0, take));
      this.pendingBytes += take;
      rest = rest.subarray(take);
      if (this.pendingBytes === this.chunkBytes) {
        const full = Buffer.concat(this.pending, this.pendingBytes);
        this.pending = [];
        this.pendingBytes = 0;
        await this.seal(full, false);
      }
    }
  }

  private async record(type: 'F' | 'M' | 'E', meta: unknown): Promise<void> {
    const json = Buffer.from(JSON.stringify(meta), 'utf8');
    const head = Buffer.alloc(5);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(json.length, 1);
    await this.push(Buffer.concat([head, json]));
  }

  /** One file: its bytes from the stream; returns its manifest entry (size and SHA-256 as written). */
  async file(name: string, size: number, data: AsyncIterable<Buffer | Uint8Array>): Promise<ManifestEntry> {
    await this.record('F', { name, size });
    const hash = createHash('sha256');
    let written = 0;
    for await (const chunk of data) {
      const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      written += b.length;
      if (written > size) throw backupError('backup-io', `${name} grew while it was read (${written} > ${size} bytes)`);
      hash.update(b);
      await this.push(b);
    }
    if (written !== size) throw backupError('backup-io', `${name} changed while it was read (${written} of ${size} bytes)`);
    return { name, size, sha256: hash.digest('hex') };
  }

  async finish(manifest: unknown): Promise<void> {
    if (this.finished) return;
    await this.record('M', manifest);
    await this.record('E', {});
    const rest = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.seal(rest, true);
    this.finished = true;
    this.key.fill(0);
  }
}

// ---- reading ----

async function readExactly(file: FileHandle, position: number, length: number, what: string): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await file.read(buffer, got, length - got, position + got);
    if (bytesRead === 0) throw backupError('backup-corrupt', `${what}: file ends after ${got} of ${length} bytes at offset ${position}`);
    got += bytesRead;
  }
  return buffer;
}

export interface OpenedBackup {
  readonly header: BackupHeader;
  /** The authenticated plaintext, chunk by chunk; throws backup-corrupt on any tampering or truncation. */
  plaintext(): AsyncGenerator<Buffer>;
}

export async function openBackup(file: FileHandle, password: string): Promise<OpenedBackup> {
  const magic = await readExactly(file, 0, 12, 'header').catch(() => Buffer.alloc(0));
  if (magic.length < 12 || !magic.subarray(0, 8).equals(MAGIC)) throw backupError('backup-corrupt', 'not an OSCI-Postfach backup (magic bytes)');
  const headerLength = magic.readUInt32BE(8);
  if (headerLength > MAX_HEADER_BYTES) throw backupError('backup-corrupt', `header length ${headerLength}`);
  const headerJson = await readExactly(file, 12, headerLength, 'header');
  let header: BackupHeader;
  try {
    header = JSON.parse(headerJson.toString('utf8')) as BackupHeader;
  } catch (error) {
    throw backupError('backup-corrupt', 'header is not JSON', error);
  }
  if (header.format !== FORMAT) throw backupError('backup-corrupt', `format ${String(header.format)}`);
  if (typeof header.version !== 'number' || header.version > FORMAT_VERSION)
    throw backupError('backup-too-new', `format version ${String(header.version)}, this program reads ${FORMAT_VERSION}`);
  const kdf = header.kdf;
  if (kdf?.name !== 'scrypt' || typeof kdf.salt !== 'string' || header.cipher !== 'aes-256-gcm') {
    throw backupError('backup-corrupt', 'unsupported or damaged key derivation parameters');
  }
  // the header chooses the work of the key derivation: bounded like the store's key file, before deriving anything
  const costProblem = scryptCostProblem(kdf);
  if (costProblem !== undefined) throw backupError('backup-corrupt', `key derivation parameters out of range: ${costProblem}`);
  const chunkBytes = header.chunkBytes;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1024 || chunkBytes > 64 * 1024 * 1024) throw backupError('backup-corrupt', `chunk size ${String(chunkBytes)}`);
  const key = await deriveKey(password, Buffer.from(kdf.salt, 'base64'), kdf);
  const check = Buffer.from(header.keyCheck ?? '', 'base64');
  const expected = keyCheckOf(key);
  if (check.length !== expected.length || !timingSafeEqual(check, expected)) {
    key.fill(0);
    throw backupError('backup-wrong-password', 'key check does not match (wrong password, or the salt in the header was altered)');
  }
  const prefix = Buffer.from(header.noncePrefix ?? '', 'base64');
  if (prefix.length !== NONCE_PREFIX_BYTES) throw backupError('backup-corrupt', 'nonce prefix');
  const aad = createHash('sha256')
    .update(Buffer.concat([magic, headerJson]))
    .digest();
  const start = 12 + headerLength;
  const size = (await file.stat()).size;

  return {
    header,
    async *plaintext() {
      let position = start;
      let index = 0;
      try {
        for (;;) {
          if (position >= size) throw backupError('backup-corrupt', `file ends after chunk ${index} without the final chunk (truncated)`);
          const length = (await readExactly(file, position, 4, `chunk ${index}`)).readUInt32BE(0);
          if (length < TAG_BYTES || length > chunkBytes + TAG_BYTES) throw backupError('backup-corrupt', `chunk ${index}: length ${length}`);
          const sealed = await readExactly(file, position + 4, length, `chunk ${index}`);
          position += 4 + length;
          const last = position >= size;
          const decipher = createDecipheriv('aes-256-gcm', key, nonce(prefix, index, last));
          decipher.setAAD(aad);
          decipher.setAuthTag(sealed.subarray(length - TAG_BYTES));
          let plain: Buffer;
          try {
            plain = Buffer.concat([decipher.update(sealed.subarray(0, length - TAG_BYTES)), decipher.final()]);
          } catch (error) {
            throw backupError(
              'backup-corrupt',
              `chunk ${index} at offset ${position - 4 - length} does not authenticate${last ? ' as the final chunk (truncated or appended data?)' : ''}`,
              error,
            );
          }
          index++;
          yield plain;
          if (last) return;
        }
      } finally {
        key.fill(0);
      }
    },
  };
}

/** Splits the authenticated plaintext into records; file data is handed on in pieces. */
export async function readRecords(
  chunks: AsyncGenerator<Buffer>,
  handlers: { file(name: string, size: number, data: AsyncGenerator<Buffer>): Promise<void>; manifest(meta: unknown): void },
): Promise<void> {
  let buffer: Buffer = Buffer.alloc(0);
  let done = false;
  const fill = async (n: number): Promise<boolean> => {
    while (buffer.length < n) {
      if (done) return false;
      const next = await chunks.next();
      if (next.done) {
        done = true;
        return buffer.length >= n;
      }
      buffer = buffer.length === 0 ? next.value : Buffer.concat([buffer, next.value]);
    }
    return true;
  };
  const take = (n: number): Buffer => {
    const out = buffer.subarray(0, n);
    buffer = buffer.subarray(n);
    return out;
  };
  let sawManifest = false;
  for (;;) {
    if (!(await fill(5))) throw backupError('backup-corrupt', 'stream ends inside a record header');
    const head = take(5);
    const type = String.fromCharCode(head[0] as number);
    const metaLength = head.readUInt32BE(1);
    if (metaLength > MAX_META_BYTES) throw backupError('backup-corrupt', `record meta length ${metaLength}`);
    if (!(await fill(metaLength))) throw backupError('backup-corrupt', 'stream ends inside a record');
    let meta: Record<string, unknown>;
    try {
      meta = JSON.parse(take(metaLength).toString('utf8')) as Record<string, unknown>;
    } catch (error) {
      throw backupError('backup-corrupt', 'record meta is not JSON', error);
    }
    if (type === 'E') {
      if (!sawManifest) throw backupError('backup-corrupt', 'end without manifest');
      if (buffer.length > 0 || !(await chunks.next()).done) throw backupError('backup-corrupt', 'data after the end record');
      return;
    }
    if (type === 'M') {
      sawManifest = true;
      handlers.manifest(meta);
      continue;
    }
    if (type !== 'F' || typeof meta.name !== 'string' || !Number.isSafeInteger(meta.size) || (meta.size as number) < 0)
      throw backupError('backup-corrupt', `unknown record ${type}`);
    let remaining = meta.size as number;
    async function* data(): AsyncGenerator<Buffer> {
      while (remaining > 0) {
        if (buffer.length === 0 && !(await fill(1))) throw backupError('backup-corrupt', `stream ends inside ${String(meta.name)}`);
        const piece = take(Math.min(remaining, buffer.length));
        remaining -= piece.length;
        yield piece;
      }
    }
    await handlers.file(meta.name, meta.size as number, data());
    // a handler that did not read everything: skip the rest
    for await (const _ of data()) void _;
  }
}
