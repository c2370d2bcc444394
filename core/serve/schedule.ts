/**
 * The fetch schedule of `postfach serve`: one fetch at start and then every `intervalMs`, each after the last one
 * ended (never two at once; a fetch someone started meanwhile just makes the scheduled one answer `fetch-running`,
 * which is not an error here). The outcome of each run goes to `report` (the service's output for IT), never a
 * person's data.
 */
import type { CallResult } from '../api/wire.js';

export interface ScheduleOptions {
  readonly intervalMs: number;
  /** Runs one fetch (the service's `mailbox.fetch`, as the schedule's actor). */
  readonly fetch: () => Promise<CallResult<unknown>>;
  readonly report: (line: string) => void;
  /**
   * Records how a run ended, for the status bar's "Zuletzt abgerufen" of every person (the service's
   * `workspace.recordFetch`); a run skipped because another fetch was running is not recorded.
   */
  readonly record?: (outcome: FetchOutcome, newMessages: number, errorKind?: string) => Promise<unknown>;
}

export type FetchOutcome = 'complete' | 'cancelled' | 'failed';
const OUTCOMES: readonly string[] = ['complete', 'cancelled', 'failed'] satisfies FetchOutcome[];

export interface FetchSchedule {
  /** Ends the schedule; resolves when a running fetch has returned. */
  stop(): Promise<void>;
}

/** The audit log's name for fetches the schedule starts. */
export const SCHEDULE_ACTOR = 'serve:Zeitplan';

export function startFetchSchedule(options: ScheduleOptions): FetchSchedule {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const runOnce = async (): Promise<void> => {
    const started = Date.now();
    const result = await options.fetch();
    if (result.ok) {
      const value = result.value as { outcome?: unknown; newIds?: unknown; newMessages?: unknown; error?: { kind?: unknown } };
      const count = typeof value.newMessages === 'number' ? value.newMessages : Array.isArray(value.newIds) ? value.newIds.length : 0;
      options.report(`Abruf / fetch: ${String(value.outcome)}, ${count} neu / new, ${Date.now() - started} ms`);
      const outcome = typeof value.outcome === 'string' && OUTCOMES.includes(value.outcome) ? (value.outcome as FetchOutcome) : 'failed';
      await record(outcome, count, typeof value.error?.kind === 'string' ? value.error.kind : undefined);
    } else if (result.error.kind === 'fetch-running') {
      options.report('Abruf läuft schon / fetch already running: scheduled run skipped');
    } else {
      options.report(`Abruf fehlgeschlagen / fetch failed: ${result.error.kind}: ${result.error.detail}`);
      await record('failed', 0, result.error.kind);
    }
  };

  const record = async (outcome: FetchOutcome, newMessages: number, errorKind: string | undefined): Promise<void> => {
    try {
      await options.record?.(outcome, newMessages, errorKind);
    } catch (error) {
      options.report(`Abrufstand nicht vermerkt / fetch status not recorded: ${error instanceof Error ? error.name : 'error'}`);
    }
  };

  const tick = (): void => {
    if (stopped) return;
    current = runOnce()
      .catch((error: unknown) => options.report(`Abruf fehlgeschlagen / fetch failed: ${error instanceof Error ? error.name : 'error'}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  tick();

  return {
    stop: async () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await current;
    },
  };
}
