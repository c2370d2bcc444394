/**
 * Where a stream of bytes is written when its size is not known to be small: in memory up to a threshold, in a
 * SecureSpool beyond it. The decoded message keeps the resulting sources; `SpoolScope.release()` deletes every
 * spool created for it.
 */
import { bufferSource, type ByteSource } from './byte-source.js';
import { SecureSpool } from './secure-spool.js';

/** Data up to this size stays in memory; larger data goes to an encrypted spool file. */
export const MEMORY_THRESHOLD = 4 * 1024 * 1024;

export class SpoolScope {
  private readonly spools: SecureSpool[] = [];
  /** @param threshold data up to this size stays in memory (default MEMORY_THRESHOLD). */
  constructor(readonly threshold = MEMORY_THRESHOLD) {}
  /** Counts spools created (tests assert that large data took the spool path). */
  spoolCount = 0;

  async newSpool(): Promise<SecureSpool> {
    const s = await SecureSpool.create();
    this.spools.push(s);
    this.spoolCount++;
    return s;
  }

  /**
   * Writes the chunks into memory or a spool, chosen by the expected size (an upper bound, e.g. the ciphertext
   * length for a decryption).
   */
  async sink(expectedSize: number, chunks: AsyncIterable<Buffer>, threshold = this.threshold): Promise<ByteSource> {
    if (expectedSize <= threshold) {
      const parts: Buffer[] = [];
      let total = 0;
      for await (const c of chunks) {
        parts.push(c);
        total += c.length;
      }
      // one piece (a decryption of an in-memory ciphertext) is kept as it is: no second copy
      return bufferSource(parts.length === 1 ? parts[0]! : Buffer.concat(parts, total));
    }
    const spool = await this.newSpool();
    for await (const c of chunks) await spool.write(c);
    return spool.finish();
  }

  /**
   * Receives a stream of unknown length (an HTTP body): in memory while it stays under the threshold, moved to a
   * spool as soon as it grows beyond it.
   */
  async receive(chunks: AsyncIterable<Buffer | Uint8Array>, threshold = this.threshold, maxBytes = Number.MAX_SAFE_INTEGER): Promise<ByteSource> {
    let parts: Buffer[] = [];
    let total = 0;
    let spool: SecureSpool | undefined;
    for await (const c of chunks) {
      const b = Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      total += b.length;
      if (total > maxBytes) throw new RangeError(`response larger than ${maxBytes} bytes`);
      if (spool) {
        await spool.write(b);
        continue;
      }
      parts.push(b);
      if (total > threshold) {
        spool = await this.newSpool();
        for (const p of parts) await spool.write(p);
        parts = [];
      }
    }
    if (spool) return spool.finish();
    return bufferSource(parts.length === 1 ? parts[0]! : Buffer.concat(parts, total));
  }

  async release(): Promise<void> {
    const all = this.spools.splice(0);
    await Promise.all(all.map((s) => s.release()));
  }
}
