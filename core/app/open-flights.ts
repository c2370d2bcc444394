/**
 * The store's opens under way (issue 14, cold fetch). Each counts from the start of `store.open` (ServiceCore.unlock,
 * before the settings and the password's key derivation) until its second half (MailboxService.storeOpened: IT's
 * retention values, stored deliveries judged again, the code-list folder imported) has ended, or until it failed.
 * A fetch that arrives meanwhile waits for all of them: nothing is read against the store or committed to it before
 * the open's follow-up work is done. Only a fetch's transport layer may go ahead (core/mailbox/fetch-engine.ts
 * `startFirstDelivery`), and it is aborted through `failed` the moment its open fails (a wrong password).
 */

/** One open under way, as a fetch sees it. */
export interface OpenFlight {
  /** The SQLite store file being opened, once known (undefined before the settings are loaded, and on PostgreSQL). */
  readonly file: string | undefined;
  /** Aborted, with the open's error as its reason, the moment this open fails (its unlock or its second half). */
  readonly failed: AbortSignal;
  /** Settles when the open has ended: resolves once its follow-up work is done, rejects with the open's error. */
  readonly ended: Promise<void>;
}

/** What the open itself reports to its flight: each open ends its own, whatever order overlapping opens end in. */
export interface OpenTicket {
  /** The SQLite store file the open resolved. */
  setFile(file: string): void;
  /**
   * The open has ended: its unlock failed, or its second half ran (`error`: it failed), or the store was locked
   * again because the second half could not run. A second call changes nothing.
   */
  end(error?: unknown): void;
}

class Flight implements OpenFlight {
  file: string | undefined;
  readonly abort = new AbortController();
  readonly failed = this.abort.signal;
  readonly ended: Promise<void>;
  settle!: (error?: Error) => void;

  constructor() {
    this.ended = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    // seen by whoever waits on it; none may be waiting
    this.ended.catch(() => undefined);
  }
}

export class OpenFlights {
  private readonly under = new Set<Flight>();

  /** An open begins (synchronously at the start of `store.open`, so that a fetch sent beside it sees it). */
  begin(): OpenTicket {
    const flight = new Flight();
    this.under.add(flight);
    return {
      setFile: (file) => (flight.file = file),
      end: (error) => this.finish(flight, error === undefined ? undefined : asError(error)),
    };
  }

  /** The most recent open under way, or undefined. */
  latest(): OpenFlight | undefined {
    let last: Flight | undefined;
    for (const f of this.under) last = f;
    return last;
  }

  /** Resolves once no open is under way any more (whatever their outcomes). */
  async idle(): Promise<void> {
    while (this.under.size > 0) await Promise.allSettled([...this.under].map((f) => f.ended));
  }

  private finish(flight: Flight, error: Error | undefined): void {
    if (!this.under.delete(flight)) return;
    if (error !== undefined) flight.abort.abort(error);
    flight.settle(error);
  }
}

/** What the open threw, as an Error for its waiters (it is one in practice: a PostfachError). */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(typeof error === 'string' ? error : 'store.open failed');
}
