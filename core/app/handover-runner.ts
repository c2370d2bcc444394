/**
 * The service's side of the hand-over folder (core/handover/, contract area "handover"), on either store backend: runs
 * one at a time (in this process; across programs on one shared store the store's hand-over lock) (after each fetch, at the opening of a store in the desktop app to resume what a stopped run left pending, and on
 * request), only for the real mailbox (never the Übungsmodus: its invented applications must not reach a case
 * system), each delivery as heavy work (a crash quarantines that delivery's hand-over: the next run writes its
 * `.error` marker), every run in the technical log.
 */
import type { HandlerInput } from '../api/contract.js';
import { toPostfachError } from '../errors.js';
import type { HandoverRunDto } from '../api/contract/handover.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { handOverAgain, handOverPending, type HandoverOptions } from '../handover/hand-over.js';
import { notConfigured } from '../handover/errors.js';
import type { ViewCache } from '../mailbox/message-detail.js';
import type { TechLog } from '../ops/tech-log.js';
import type { ServiceStore } from '../store/index.js';
import type { HeavyWork } from './heavy-work.js';

export interface HandoverDeps {
  readonly config: () => Promise<ResolvedConfig>;
  /** The open store of either backend (the service's store factory). */
  readonly store: () => ServiceStore;
  readonly inTraining: () => boolean;
  readonly views: ViewCache;
  readonly heavy: HeavyWork;
  readonly log: TechLog;
  readonly appVersion: string;
  /**
   * Resume at the opening of a store (the desktop app, the browser mode): a command line process ends after its one
   * command, which would cut a background hand-over short — there `fetch` and `handover` hand over themselves.
   */
  readonly resumeAtOpen: boolean;
}

export type HandoverService = ReturnType<typeof handoverService>;

export function handoverService(deps: HandoverDeps) {
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const optionsFor = (c: ResolvedConfig, folder: string): HandoverOptions => ({
    store: deps.store(),
    folder,
    cache: deps.views,
    timeZone: c.values.officeTimeZone,
    appVersion: deps.appVersion,
    // the PDF export that brought the service down would do it again inside the hand-over
    refused: (messageId) => ((deps.heavy.quarantined(messageId, 'handover') ?? deps.heavy.quarantined(messageId, 'export-pdf')) ? 'quarantined' : undefined),
    around: (subject, work) => deps.heavy.run('handover', subject, work),
  });

  /**
   * Switches the hand-over on in the store (once) when a folder is set: from then on every delivery stored is pending.
   * Called before each fetch and at opening, so the switch-on point always lies before what the fetch stores.
   */
  const prepare = async (): Promise<void> => {
    const c = await deps.config();
    if (c.values.handoverFolder === undefined || deps.inTraining()) return;
    try {
      await deps.store().startHandover();
    } catch (error) {
      // never a reason to fail the fetch; the run after it reports what is wrong with the store
      deps.log.write('error', 'handover.start-failed', { errorKind: toPostfachError(error).kind });
    }
  };

  /** Hands every pending delivery over; undefined when no folder is set (or in the Übungsmodus). Never throws. */
  const runPending = async (): Promise<HandoverRunDto | undefined> => {
    const c = await deps.config();
    const folder = c.values.handoverFolder;
    if (folder === undefined || deps.inTraining()) return undefined;
    const run = await serialized(() => handOverPending(optionsFor(c, folder)));
    deps.log.write(run.error ? 'error' : 'info', 'handover.finished', {
      handedOver: run.handedOver,
      refused: run.refused,
      pending: run.pending,
      errorKind: run.error?.kind ?? null,
      errorDetail: run.error?.detail ?? null,
    });
    return { handedOver: run.handedOver, refused: run.refused, pending: run.pending, ...(run.error ? { error: run.error.toJSON() } : {}) };
  };

  // the run started when the store opened (resuming what a stopped run left): `handover.run` reports it too
  let resumed: Promise<HandoverRunDto | undefined> = Promise.resolve(undefined);
  const add = (a: HandoverRunDto | undefined, b: HandoverRunDto): HandoverRunDto =>
    a === undefined ? b : { ...b, handedOver: a.handedOver + b.handedOver, refused: a.refused + b.refused };

  return {
    prepare,
    runPending,
    /** At the opening of a store: what a stopped run left pending, in the background. */
    resume: (): void => {
      resumed = prepare()
        .then(() => (deps.resumeAtOpen ? runPending() : undefined))
        .catch(() => undefined);
    },
    handlers: {
      'handover.run': async () => {
        const before = await resumed;
        resumed = Promise.resolve(undefined);
        const now = await runPending();
        if (now === undefined) throw notConfigured();
        return add(before, now);
      },
      'handover.again': async (input: HandlerInput<'handover.again'>) => {
        const c = await deps.config();
        const folder = c.values.handoverFolder;
        if (folder === undefined || deps.inTraining()) throw notConfigured();
        const done = await serialized(() => handOverAgain(optionsFor(c, folder), input.id));
        deps.log.write('info', 'handover.again', { id: input.id, state: done.state });
        return done;
      },
    },
  };
}
