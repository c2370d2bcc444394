/**
 * Explicit dialogs of the local intermediary (PROTOCOL.md §2.2, §8.3): ConversationId, the Challenge the last
 * response carried, the SequenceNumber the next request must carry, the client's cipher certificate remembered
 * from InitDialog (FetchDelivery, FetchProcessCard and ExitDialog do not carry it), the delivery that waits for
 * its receipt, and a chunked transfer in progress. Dialogs live in memory only (a restart ends them, as an idle
 * timeout does); a dialog idle for longer than the timeout (15 minutes by default) ends.
 */
import { randomInt, type X509Certificate } from 'node:crypto';
import type { ByteSource } from '../core/io/byte-source.js';
import { certificateKey } from './mailbox-store.js';

export const DEFAULT_DIALOG_TIMEOUT_MS = 15 * 60 * 1000;

/** A ResponseToFetchDelivery being handed out in chunks (PartialFetchDelivery). */
export interface PartialTransfer {
  readonly seq: number;
  readonly messageId: string;
  /** The complete unencrypted, signed ResponseToFetchDelivery the chunks are cut from. */
  readonly message: ByteSource;
  readonly chunkBytes: number;
  readonly totalChunks: number;
  readonly served: Set<number>;
  release(): Promise<void>;
}

export interface Dialog {
  readonly id: string;
  readonly clientCipher: X509Certificate;
  /** Mailbox key of the client (SHA-256 of its cipher certificate). */
  readonly mailbox: string;
  lastChallenge: string;
  nextSequence: number;
  lastActivity: number;
  /** seq of a delivery handed out whose receipt (the next request) is pending. */
  handedOut: number | undefined;
  partial: PartialTransfer | undefined;
}

export class DialogRegistry {
  private readonly dialogs = new Map<string, Dialog>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly timeoutMs = DEFAULT_DIALOG_TIMEOUT_MS,
    private readonly newConversationId: () => string = () => String(randomInt(100_000_000, 999_999_999)),
    private readonly clock: () => number = Date.now,
  ) {
    this.timer = setInterval(() => void this.sweep().catch(() => undefined), Math.max(50, Math.min(timeoutMs, 60_000)));
    this.timer.unref();
  }

  get size(): number {
    return this.dialogs.size;
  }

  /** A fresh ConversationId not used by any live dialog. */
  allocateId(): string {
    for (let i = 0; i < 1000; i++) {
      const id = this.newConversationId();
      if (!this.dialogs.has(id)) return id;
    }
    throw new Error('no free ConversationId');
  }

  open(id: string, clientCipher: X509Certificate, challenge: string): Dialog {
    const dialog: Dialog = {
      id,
      clientCipher,
      mailbox: certificateKey(clientCipher.raw),
      lastChallenge: challenge,
      nextSequence: 0,
      lastActivity: this.clock(),
      handedOut: undefined,
      partial: undefined,
    };
    this.dialogs.set(id, dialog);
    return dialog;
  }

  /** The live dialog with this id; a dialog idle beyond the timeout is ended here and not returned. */
  get(id: string): Dialog | undefined {
    const dialog = this.dialogs.get(id);
    if (!dialog) return undefined;
    if (this.clock() - dialog.lastActivity > this.timeoutMs) {
      void this.end(id).catch(() => undefined);
      return undefined;
    }
    return dialog;
  }

  touch(dialog: Dialog): void {
    dialog.lastActivity = this.clock();
  }

  async end(id: string): Promise<void> {
    const dialog = this.dialogs.get(id);
    if (!dialog) return;
    this.dialogs.delete(id);
    const partial = dialog.partial;
    dialog.partial = undefined;
    await partial?.release();
  }

  /** Ends every dialog idle beyond the timeout (their pending deliveries stay unreceived). */
  async sweep(): Promise<void> {
    const now = this.clock();
    const idle = [...this.dialogs.values()].filter((d) => now - d.lastActivity > this.timeoutMs).map((d) => d.id);
    await Promise.all(idle.map((id) => this.end(id)));
  }

  async closeAll(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.dialogs.keys()].map((id) => this.end(id)));
  }
}
