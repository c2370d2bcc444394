/**
 * SecureSpool: a temporary file for large data (HTTP bodies, decrypted transport layers, attachments) that is
 * never readable on disk. Every spool has its own random AES-256 key that lives only in memory; the file holds
 * AES-256-CTR ciphertext, so any byte range can be read back without reading from the start. Spools are deleted
 * when released and, as a last resort, when the process exits. They live in a private folder made by mkdtemp (0700),
 * never in a folder of a predictable name another user could have created first.
 */
import { createCipheriv, createDecipheriv, randomBytes, type Cipher } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ByteRange, ByteSource } from './byte-source.js';

const READ_CHUNK = 256 * 1024;
const live = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const file of live) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  });
}

let spoolDir: string | undefined;

/**
 * A folder of its own for this process's spool files, made by mkdtemp (a random name, created by this call, mode
 * 0700 on POSIX) inside `parent`. Never a fixed name: in a shared temporary folder another user could create
 * "postfach-spool-<pid>" first, own it, and swap or change the (unauthenticated CTR) spool files under us.
 */
function privateFolder(parent: string): string {
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(path.join(parent, 'postfach-spool-'));
  // mkdtemp creates 0700 already on POSIX; said once more so a umask or platform default cannot widen it
  chmodSync(dir, 0o700);
  process.on('exit', () => {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  });
  return dir;
}

/** Spool files go into a private folder made inside `parent` (default: the OS temp folder), e.g. the data folder. */
export function setSpoolDirectory(parent: string): void {
  spoolDir = privateFolder(parent);
}

/** The folder spool files of this process go into (made on first use). */
export function spoolDirectory(): string {
  spoolDir ??= privateFolder(os.tmpdir());
  return spoolDir;
}

/** IV of the block at `blockIndex` (128-bit big-endian counter addition). */
function counterAt(iv: Buffer, blockIndex: number): Buffer {
  const out = Buffer.from(iv);
  let carry = blockIndex;
  for (let i = 15; i >= 0 && carry > 0; i--) {
    const sum = out[i]! + (carry % 256);
    out[i] = sum & 0xff;
    carry = Math.floor(carry / 256) + (sum > 0xff ? 1 : 0);
  }
  return out;
}

export class SecureSpool implements ByteSource {
  private readonly key = randomBytes(32);
  private readonly iv = randomBytes(16);
  private cipher: Cipher | undefined;
  private written = 0;
  private finished = false;
  private released = false;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(): Promise<SecureSpool> {
    installExitHook();
    const file = path.join(spoolDirectory(), `${randomBytes(12).toString('hex')}.spool`);
    const handle = await open(file, 'wx+', 0o600);
    live.add(file);
    const spool = new SecureSpool(file, handle);
    spool.cipher = createCipheriv('aes-256-ctr', spool.key, spool.iv);
    return spool;
  }

  get size(): number {
    return this.written;
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.finished || !this.cipher) throw new Error('spool already finished');
    if (chunk.length === 0) return;
    const enc = this.cipher.update(chunk);
    let at = 0;
    while (at < enc.length) {
      const { bytesWritten } = await this.handle.write(enc, at, enc.length - at, this.written + at);
      at += bytesWritten;
    }
    this.written += enc.length;
  }

  /** Ends writing; the spool is then a re-readable ByteSource. */
  finish(): this {
    if (this.cipher) this.cipher.final();
    this.cipher = undefined;
    this.finished = true;
    return this;
  }

  async *stream(range?: ByteRange): AsyncIterable<Buffer> {
    if (this.released) throw new Error('spool already released');
    const r = range ?? { start: 0, end: this.written };
    if (r.start < 0 || r.end < r.start || r.end > this.written) {
      throw new RangeError(`byte range ${r.start}-${r.end} outside spool of ${this.written} bytes`);
    }
    if (r.end === r.start) return;
    const block = Math.floor(r.start / 16);
    const skip = r.start % 16;
    const decipher = createDecipheriv('aes-256-ctr', this.key, counterAt(this.iv, block));
    if (skip > 0) decipher.update(Buffer.alloc(skip));
    let pos = r.start;
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    while (pos < r.end) {
      const want = Math.min(READ_CHUNK, r.end - pos);
      const { bytesRead } = await this.handle.read(buf, 0, want, pos);
      if (bytesRead === 0) throw new Error('spool file shorter than expected');
      pos += bytesRead;
      yield decipher.update(buf.subarray(0, bytesRead));
    }
  }

  /** Closes and deletes the file; the key is dropped with the object. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    live.delete(this.file);
    try {
      await this.handle.close();
    } finally {
      await unlink(this.file).catch(() => undefined);
    }
  }
}

/** Number of spool files currently on disk (for tests and diagnostics). */
export function liveSpoolCount(): number {
  return live.size;
}
