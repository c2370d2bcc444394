/**
 * Chunked uploads (PartialStoreDelivery, EFFI, PROTOCOL.md §11): the chunks of one StoreDelivery are collected
 * per sender and order MessageId (the StoreDelivery's id with `_Partial`, quirk Q11) in encrypted spools until all
 * have arrived; then they are concatenated into the complete, unencrypted StoreDelivery, which the supplier
 * executes like any other. Uploads idle for longer than the timeout are dropped.
 */
import { concatSources, type ByteSource } from '../core/io/byte-source.js';
import { SecureSpool } from '../core/io/secure-spool.js';

export interface Upload {
  readonly key: string;
  readonly totalChunks: number;
  readonly chunks: Map<number, SecureSpool>;
  lastActivity: number;
}

export type ChunkOutcome =
  | { readonly kind: 'stored'; readonly upload: Upload }
  | { readonly kind: 'complete'; readonly upload: Upload; readonly message: ByteSource }
  | { readonly kind: 'error'; readonly code: '9900' | '9901' | '9905'; readonly upload: Upload | undefined };

export class UploadRegistry {
  private readonly uploads = new Map<string, Upload>();

  constructor(
    private readonly timeoutMs: number,
    private readonly maxBytes: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get(key: string): Upload | undefined {
    return this.uploads.get(key);
  }

  /** Adds one chunk (its bytes are copied into a spool of the upload). */
  async add(key: string, chunkNumber: number | undefined, totalChunks: number | undefined, blob: ByteSource): Promise<ChunkOutcome> {
    await this.sweep();
    if (!chunkNumber || !totalChunks || chunkNumber < 1 || totalChunks < 1 || totalChunks > 100_000) {
      return { kind: 'error', code: '9905', upload: this.uploads.get(key) };
    }
    let upload = this.uploads.get(key);
    if (upload && upload.totalChunks !== totalChunks) return { kind: 'error', code: '9905', upload };
    if (chunkNumber > totalChunks) return { kind: 'error', code: '9901', upload };
    if (upload?.chunks.has(chunkNumber)) return { kind: 'error', code: '9900', upload };
    const size = [...(upload?.chunks.values() ?? [])].reduce((n, s) => n + s.size, 0) + blob.size;
    if (size > this.maxBytes) return { kind: 'error', code: '9905', upload };
    if (!upload) {
      upload = { key, totalChunks, chunks: new Map(), lastActivity: this.clock() };
      this.uploads.set(key, upload);
    }
    upload.lastActivity = this.clock();
    const spool = await SecureSpool.create();
    try {
      for await (const chunk of blob.stream()) await spool.write(chunk);
      spool.finish();
    } catch (error) {
      await spool.release();
      throw error;
    }
    upload.chunks.set(chunkNumber, spool);
    if (upload.chunks.size < totalChunks) return { kind: 'stored', upload };
    const ordered = [...upload.chunks.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
    return { kind: 'complete', upload, message: concatSources(ordered) };
  }

  /** Removes an upload and deletes its spools. */
  async drop(key: string): Promise<void> {
    const upload = this.uploads.get(key);
    if (!upload) return;
    this.uploads.delete(key);
    await Promise.all([...upload.chunks.values()].map((s) => s.release()));
  }

  async sweep(): Promise<void> {
    const now = this.clock();
    const idle = [...this.uploads.values()].filter((u) => now - u.lastActivity > this.timeoutMs).map((u) => u.key);
    await Promise.all(idle.map((k) => this.drop(k)));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.uploads.keys()].map((k) => this.drop(k)));
  }
}

/** The received chunk numbers, ascending. */
export function receivedChunks(upload: Upload | undefined): number[] {
  return upload ? [...upload.chunks.keys()].sort((a, b) => a - b) : [];
}
