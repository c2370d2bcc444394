/**
 * A service that comes back: the host's handle on the background service (worker thread or Electron utility
 * process) that starts a new one when it dies, instead of answering `service-stopped` to everything until the
 * program is restarted.
 *
 * When the service ends unexpectedly (its memory limit, a crash, ended from outside):
 *  - the calls it was answering fail with `service-restarted`, whose words say what happened and which message
 *    was being worked on (read from the in-progress file the service writes before heavy work);
 *  - the incident is recorded in the data folder and the operation on that message goes into quarantine, so the
 *    same message cannot bring the service down again and again (service-incidents.ts, heavy-work.ts);
 *  - a new service is started after a pause that grows with each restart; calls made meanwhile wait for it. After
 *    too many restarts in a short time the host gives up: then every call answers `service-stopped`;
 *  - `service.restarted` goes to the UI, which opens the store again (or asks for its password: the new service
 *    holds no key, and the host never held the password) and tells the caseworker in words.
 *
 * The store loses nothing: every delivery is committed before the intermediary is told it arrived
 * (commit-before-acknowledge), so a fetch cut off by the crash leaves it at the intermediary to be fetched again.
 */
import { PostfachError, serviceStopped } from '../errors.js';
import type { PostfachBridge, Unsubscribe } from './api-types.js';
import { contract, type EventName } from './contract.js';
import type { ServiceRestarted } from './contract/app.js';
import { notStoppedError, readInProgress, recordIncident, OPERATION_WORDS, type OperationInProgress } from './service-incidents.js';
import type { ServiceHost } from './service-host.js';
import { parseEventPayload } from './validate.js';
import { bridgeOf, ServiceListeners } from './service-listeners.js';
import { failure, type CallResult } from './wire.js';

/** What front ends use of a service (a ServiceHost fits, and so does this supervisor). */
export interface ServiceHandle {
  /** `actor`: the person the call works for (postfach serve), named in the audit log. */
  invoke(method: string, input: unknown, actor?: string): Promise<CallResult<unknown>>;
  on(event: EventName, listener: (payload: unknown) => void): Unsubscribe;
  /** Called when the service has ended for good (closed, or given up after too many restarts). */
  onExit(listener: (reason: string) => void): Unsubscribe;
  readonly running: boolean;
  asBridge(): PostfachBridge;
  close(graceMs?: number): Promise<void>;
}

export interface SupervisorOptions {
  /** Starts a fresh service (worker thread or utility process); resolves once it is ready. */
  readonly start: () => Promise<ServiceHost>;
  /** The service's data folder (the in-progress and incident files). */
  readonly dataDir: string;
  /** Restarts allowed within `windowMs` (default 3 in 10 minutes); 0: record the incident, never restart (command line). */
  readonly maxRestarts?: number;
  readonly windowMs?: number;
  /** Pause before the n-th restart within the window (default 0.5 s, 2 s, 8 s; the last value repeats). */
  readonly backoffMs?: readonly number[];
  /** Called with each incident (e.g. the desktop shell's notification); the UI gets `service.restarted` anyway. */
  readonly onIncident?: (incident: ServiceRestarted) => void;
}

const SERVICE_EVENTS = (Object.keys(contract.events) as EventName[]).filter((e) => contract.events[e].emittedBy === 'service');

/** Why the service ended, from what the channel reported (a worker names its memory limit; a process does not). */
export function incidentReasonOf(exitReason: string): ServiceRestarted['reason'] {
  return /ERR_WORKER_OUT_OF_MEMORY|memory limit|out of memory|heap/i.test(exitReason) ? 'memory' : 'crashed';
}

/** The words for a call that the ending service could not answer, naming the message it was working on. */
export function restartedError(incident: ServiceRestarted, exitReason: string): PostfachError {
  const why =
    incident.reason === 'memory'
      ? { de: 'beendet, weil sein Arbeitsspeicher nicht reichte', en: 'because it ran out of memory' }
      : { de: 'unerwartet beendet', en: 'unexpectedly' };
  const on = incident.operations.find((o) => o.messageId !== undefined);
  const what = on
    ? {
        de: ` beim ${OPERATION_WORDS[on.operation].de} der Nachricht ${on.storeId === undefined ? '' : `Nr. ${on.storeId} `}(${on.messageId})`,
        en: ` during the ${OPERATION_WORDS[on.operation].en} of message ${on.storeId === undefined ? '' : `no. ${on.storeId} `}(${on.messageId})`,
      }
    : { de: '', en: '' };
  const next = incident.restarted
    ? {
        de: 'Er wurde neu gestartet; gespeicherte Nachrichten und der Abrufstand sind erhalten. Bitte die Aktion erneut versuchen.',
        en: 'It was restarted; stored messages and the fetch state are kept. Please try the action again.',
      }
    : { de: 'Bitte starten Sie das Programm neu; gespeicherte Nachrichten sind erhalten.', en: 'Please restart the program; stored messages are kept.' };
  return new PostfachError(
    'service-restarted',
    { de: `Der Hintergrunddienst wurde${what.de} ${why.de}. ${next.de}`, en: `The background service ended${what.en} ${why.en}. ${next.en}` },
    `${exitReason.slice(0, 300)}; running: ${incident.operations.map((o) => `${o.operation}${o.messageId ? ` ${o.messageId}` : ''}`).join(', ') || 'nothing recorded'}`,
  );
}

export class SupervisedService implements ServiceHandle {
  private current: Promise<ServiceHost>;
  /** The services that died, with the error their unanswered calls get. */
  private readonly crashed = new WeakMap<ServiceHost, PostfachError>();
  private readonly listeners = new ServiceListeners();
  private readonly restarts: number[] = [];
  private closing = false;
  private ended: string | undefined;
  /** Set while a restart is pending (its pause or the new service's start); ends the pause early at close. */
  private restarting: { cancelPause(): void } | undefined;
  private notStopped: PostfachError | undefined;

  private constructor(
    private readonly options: SupervisorOptions,
    first: ServiceHost,
  ) {
    this.current = Promise.resolve(first);
    this.attach(first);
  }

  /** Starts the first service; its failure to start is the caller's (as with ServiceHost.start). */
  static async start(options: SupervisorOptions): Promise<SupervisedService> {
    return new SupervisedService(options, await options.start());
  }

  get running(): boolean {
    return this.ended === undefined;
  }

  async invoke(method: string, input: unknown, actor?: string): Promise<CallResult<unknown>> {
    if (this.ended !== undefined) return failure(serviceStopped(this.ended));
    let host: ServiceHost;
    try {
      host = await this.current;
    } catch {
      return failure(serviceStopped(this.ended ?? 'the service could not be started again'));
    }
    const result = await host.invoke(method, input, actor);
    if (!result.ok && result.error.kind === 'service-stopped') {
      const crash = this.crashed.get(host);
      if (crash !== undefined) return failure(crash);
    }
    return result;
  }

  on(event: EventName, listener: (payload: unknown) => void): Unsubscribe {
    return this.listeners.on(event, listener);
  }

  onExit(listener: (reason: string) => void): Unsubscribe {
    return this.listeners.onExit(listener);
  }

  asBridge(): PostfachBridge {
    return bridgeOf((method, input) => this.invoke(method, input), this.listeners);
  }

  /**
   * Closes the service. During a restart it returns at once: the dead service has nothing to close, no new one is
   * started after the pause, and one already starting is closed when it is ready (the restart's own handler) — a
   * quit must not wait up to the pause plus the new service's ready timeout.
   */
  async close(graceMs = 2_000): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.restarting !== undefined) {
      this.restarting.cancelPause();
      this.end('closed');
      return;
    }
    let host: ServiceHost | undefined;
    try {
      host = await this.current;
    } catch {
      // a service that never came back has nothing to close
    }
    // ServiceHost.close rejects when the service showed no exit after its kill: the caller (a quit, a command's end)
    // can do nothing about it, so the close still resolves, but the incident file and `closeFailure` say so
    await host?.close(graceMs).catch((error: unknown) => this.recordNotStopped(error));
    this.end('closed');
  }

  /** Set when a close did not end a service (no exit after its kill): the caseworker's words, the detail for IT. */
  get closeFailure(): PostfachError | undefined {
    return this.notStopped;
  }

  private recordNotStopped(error: unknown): void {
    const detail = error instanceof PostfachError ? error.detail : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.notStopped ??= notStoppedError(detail);
    try {
      // the operations running are named as suspects; a close that does not take proves nothing against a message
      recordIncident(this.options.dataDir, 'not-stopped', readInProgress(this.options.dataDir), new Date(), { detail, quarantine: false });
    } catch {
      // the data folder cannot be written: `closeFailure` still says it
    }
  }

  private attach(host: ServiceHost): void {
    for (const event of SERVICE_EVENTS) host.on(event, (payload) => this.emit(event, payload));
    host.onExit((reason) => this.died(host, reason));
  }

  private emit(event: EventName, payload: unknown): void {
    this.listeners.emit(event, payload);
  }

  /** The supervisor's own event, checked against the contract like every event from a service. */
  private announce(incident: ServiceRestarted): void {
    this.options.onIncident?.(incident);
    this.emit('service.restarted', parseEventPayload('service.restarted', incident));
  }

  private end(reason: string): void {
    if (this.ended !== undefined) return;
    this.ended = reason;
    this.listeners.exited(reason);
  }

  /** Runs synchronously inside the dead host's exit report, before its unanswered calls resume (they read `crashed`). */
  private died(host: ServiceHost, exitReason: string): void {
    if (this.closing || this.ended !== undefined) return;
    const reason = incidentReasonOf(exitReason);
    let operations: OperationInProgress[] = [];
    try {
      operations = readInProgress(this.options.dataDir);
      recordIncident(this.options.dataDir, reason, operations);
    } catch {
      // the data folder cannot be written: the incident is still reported, the quarantine is not kept
    }
    const now = Date.now();
    const windowMs = this.options.windowMs ?? 10 * 60_000;
    while (this.restarts.length > 0 && this.restarts[0]! < now - windowMs) this.restarts.shift();
    const restart = this.restarts.length < (this.options.maxRestarts ?? 3);
    const incident: ServiceRestarted = {
      at: new Date(now).toISOString(),
      reason,
      operations: operations
        .slice(0, 20)
        .map((o) => ({ operation: o.operation, ...(o.storeId === undefined ? {} : { storeId: o.storeId }), ...(o.messageId === undefined ? {} : { messageId: o.messageId }) })),
      quarantined: operations.some((o) => o.messageId !== undefined && o.operation !== 'fetch'),
      restarted: restart,
    };
    this.crashed.set(host, restartedError(incident, exitReason));
    if (!restart) {
      this.announce(incident);
      this.end(`service ended (${exitReason.slice(0, 200)}); not restarted`);
      return;
    }
    this.restarts.push(now);
    const backoff = this.options.backoffMs ?? [500, 2_000, 8_000];
    const pause = backoff[Math.min(this.restarts.length - 1, backoff.length - 1)] ?? 0;
    const restarting = { cancelPause: () => undefined as void };
    const paused = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, pause);
      restarting.cancelPause = () => {
        clearTimeout(timer);
        reject(new Error('closed during the pause before the restart'));
      };
    });
    this.restarting = restarting;
    const next = paused.then(() => this.options.start());
    this.current = next;
    next.then(
      (fresh) => {
        this.restarting = undefined;
        if (this.closing) {
          // ServiceHost.close rejects when the child does not exit after its kill; nobody waits here, so an
          // unhandled rejection would end the calling process
          fresh.close().catch((error: unknown) => this.recordNotStopped(error));
          return;
        }
        this.attach(fresh);
        this.announce(incident);
      },
      (error: unknown) => {
        this.restarting = undefined;
        if (this.closing) return;
        // the new service does not start either: give up, every call says so
        this.announce({ ...incident, restarted: false });
        this.end(`service could not be started again: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`);
      },
    );
    // a rejected restart is handled above; calls waiting for it see `ended`
    next.catch(() => undefined);
  }
}
