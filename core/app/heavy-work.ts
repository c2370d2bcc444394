/**
 * The service's side of surviving a hostile message: before heavy work on a message (an export, the acceptance
 * record, reading a message's content for display, a fetch) the operation and the message are written to the
 * in-progress file of the data folder, and removed afterwards; a message whose operation brought the service down
 * before is refused that operation (service-incidents.ts: the host records the quarantine after a crash).
 */
import type { HeavyOperation, OperationInProgress, QuarantineEntry } from '../api/service-incidents.js';
import { quarantinedError, quarantineOf, writeInProgress } from '../api/service-incidents.js';

/** What heavy work is about: the message's store id and OSCI message id, where known. */
export interface WorkSubject {
  readonly storeId?: number;
  readonly messageId?: string;
}

/**
 * Called inside heavy work, once it is recorded as in progress. Test-only: tests inject one (through the service's
 * handler factory) to force a crash at that moment; the product never sets it.
 */
export type InsideHeavyWorkHook = (operation: HeavyOperation, subject: WorkSubject) => void | Promise<void>;

export class HeavyWork {
  private readonly running = new Map<number, OperationInProgress>();
  private next = 0;

  constructor(
    private readonly dataDir: string,
    private readonly hook?: InsideHeavyWorkHook,
  ) {}

  /** The quarantine entry that refuses `operation` on the message, if any. */
  quarantined(messageId: string, operation: HeavyOperation): QuarantineEntry | undefined {
    return quarantineOf(this.dataDir, messageId, operation);
  }

  /** Runs `work` recorded as in progress; refused with `work-quarantined` where the operation is quarantined for the message. */
  async run<T>(operation: HeavyOperation, subject: WorkSubject, work: () => Promise<T>): Promise<T> {
    if (subject.messageId !== undefined) {
      const entry = this.quarantined(subject.messageId, operation);
      if (entry !== undefined) throw quarantinedError(entry);
    }
    const key = this.next++;
    this.running.set(key, {
      operation,
      ...(subject.storeId === undefined ? {} : { storeId: subject.storeId }),
      ...(subject.messageId === undefined ? {} : { messageId: subject.messageId }),
      startedAt: new Date().toISOString(),
    });
    this.flush();
    try {
      await this.hook?.(operation, subject);
      return await work();
    } finally {
      this.running.delete(key);
      this.flush();
    }
  }

  private flush(): void {
    try {
      writeInProgress(this.dataDir, [...this.running.values()]);
    } catch {
      // a marker that cannot be written (full disk) must not stop the work: a crash then names no message
    }
  }
}
