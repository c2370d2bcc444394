/**
 * The service's message loop: receives `init`, then `call`s; answers each call with a `result` carrying either the
 * validated output or a serialised PostfachError; forwards the handlers' events. Transport-agnostic: the entry
 * point (service-entry.ts) connects it to a worker thread's parentPort or an Electron utility process's parentPort,
 * and tests connect it to a MessageChannel.
 */
import { PostfachError, serviceStopped } from '../errors.js';
import { runAsAuditActor } from '../store/audit-actor.js';
import type { KeyProtector } from '../store/key-protector.js';
import type { ServiceContext, ServiceHandlers } from './api-types.js';
import type { HandlerInput, ServiceMethodName } from './contract.js';
import { hostToServiceSchema, type HostOperation, type HostToService, type ServiceOptions, type ServiceToHost } from './service-protocol.js';
import { describeIssues, isMethodName, isServiceMethod, parseEventPayload, parseMethodInput, parseMethodOutput, unknownMethodError } from './validate.js';
import { errorFromJson, failure, success } from './wire.js';

export interface ServicePort {
  post(message: ServiceToHost): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** What the host offers the service (service-protocol.ts `host-call`): the OS key store, where there is one. */
export interface HostLink {
  /** A KeyProtector whose wrap/unwrap run in the host (Electron main: safeStorage); undefined without one. */
  readonly protector: KeyProtector | undefined;
  /**
   * Registers work to finish before the service ends at the host's `shutdown` (the Übungsmodus's application on its
   * way): awaited, bounded by {@link SHUTDOWN_WORK_MS}. Absent where the service is not run by runService (tests).
   */
  readonly atShutdown?: (finish: () => Promise<void>) => void;
}

/**
 * How long the service finishes registered work at `shutdown` before it ends anyway: below the host's grace
 * (ServiceHost.close, 2 s), after which the host kills it. Work cut here must be crash-safe by itself (the
 * Übungsmodus records an intent before each sending, app/demo-applications.ts); the bound only spares it the check.
 */
export const SHUTDOWN_WORK_MS = 1_500;

/** The service's end at `shutdown`, also on SIGTERM where the service is a process of its own (service-entry.ts). */
export interface RunningService {
  shutdown(): void;
}

/**
 * Handlers in two stages (service-start.ts): `early` answers at once; every other method waits for `rest`, which
 * the runtime asks for at the first call that needs it, or `restAfterMs` after `ready` at the latest (issue 14:
 * the first answers before most modules load). An early handler may ask for it itself (store.open does, so that
 * the modules load while the password's scrypt runs on libuv's pool).
 */
export interface StagedHandlers {
  readonly early: Partial<ServiceHandlers>;
  readonly rest: () => Promise<ServiceHandlers>;
  readonly restAfterMs?: number;
}

/** Builds the handlers once at `init`; may be async (opening the store, loading settings). */
export type HandlersFactory = (options: ServiceOptions, host: HostLink) => ServiceHandlers | StagedHandlers | Promise<ServiceHandlers | StagedHandlers>;

const isStaged = (handlers: ServiceHandlers | StagedHandlers): handlers is StagedHandlers => 'early' in handlers && typeof handlers.rest === 'function';

export function runService(port: ServicePort, createHandlers: HandlersFactory, onShutdown: () => void): RunningService {
  let handlers: StagedHandlers | undefined;
  // the second stage, asked for once; a failure is every later call's answer (a clear error, never a hang)
  let rest: Promise<ServiceHandlers> | undefined;
  const allHandlers = (ready: StagedHandlers): Promise<ServiceHandlers> => {
    if (rest === undefined) {
      rest = ready.rest();
      rest.catch(() => undefined);
    }
    return rest;
  };
  let nextHostCall = 0;
  const hostCalls = new Map<number, (result: (HostToService & { type: 'host-result' })['result']) => void>();

  const callHost = (op: HostOperation, data: Uint8Array): Promise<Uint8Array> =>
    new Promise((resolve, reject) => {
      const id = nextHostCall++;
      hostCalls.set(id, (result) => (result.ok ? resolve(Buffer.from(result.data, 'base64')) : reject(errorFromJson(result.error))));
      port.post({ type: 'host-call', id, op, data: Buffer.from(data).toString('base64') });
    });

  // the shutdown: registered work finished (bounded), then onShutdown; once, whoever asks first
  const finishing: Array<() => Promise<void>> = [];
  let ending = false;
  const shutdown = (): void => {
    if (ending) return;
    ending = true;
    const work = Promise.allSettled(finishing.map((finish) => Promise.resolve().then(finish)));
    let bound: ReturnType<typeof setTimeout> | undefined;
    const cut = new Promise<void>((resolve) => (bound = setTimeout(resolve, SHUTDOWN_WORK_MS)));
    void Promise.race([work, cut]).then(() => {
      clearTimeout(bound);
      onShutdown();
    });
  };

  const hostLink = (options: ServiceOptions): HostLink => ({
    atShutdown: (finish) => void finishing.push(finish),
    protector:
      options.protectorId === undefined
        ? undefined
        : { id: options.protectorId, wrap: (key) => callHost('protector.wrap', key), unwrap: (blob) => callHost('protector.unwrap', blob) },
  });

  const context: ServiceContext = {
    emit(event, payload) {
      // An event that does not fit its schema is a bug in a handler: fail loudly here, not in every UI.
      const checked = parseEventPayload(event, payload);
      port.post({ type: 'event', event, payload: checked });
    },
  };

  const answer = async (id: number, method: string, input: unknown, actor: string | undefined): Promise<void> => {
    try {
      // after `shutdown` began nothing new is started: a demo started now would be one the finishing work knows not of
      if (ending) throw serviceStopped(`${method} after the service's shutdown began`);
      const ready = handlers;
      if (ready === undefined) throw new Error('call before init');
      if (!isMethodName(method) || !isServiceMethod(method)) throw unknownMethodError(method);
      const parsed = parseMethodInput(method, input);
      const handler = ready.early[method] ?? (await allHandlers(ready))[method];
      // the audit log names the person the front end called for (postfach serve), else the store's OS user
      const value = await runAsAuditActor(actor, () => invoke(handler, parsed, context));
      port.post({ type: 'result', id, result: success(parseMethodOutput(method, value)) });
    } catch (error) {
      port.post({ type: 'result', id, result: failure(error) });
    }
  };

  port.onMessage((raw) => {
    const parsed = hostToServiceSchema.safeParse(raw);
    if (!parsed.success) {
      const error = new PostfachError(
        'service-protocol',
        { de: 'Interner Übertragungsfehler im Programm.', en: 'Internal transmission error in the program.' },
        `host message refused: ${describeIssues(parsed.error)}`,
      );
      port.post({ type: 'fatal', error: error.toJSON() });
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'init':
        Promise.resolve()
          .then(() => createHandlers(message.options, hostLink(message.options)))
          .then(
            (created) => {
              const staged = isStaged(created) ? created : { early: created, rest: () => Promise.resolve(created) };
              handlers = staged;
              port.post({ type: 'ready' });
              // not at once: beside the window's first page it would take CPU the page needs (two cores are common)
              if (staged.restAfterMs === undefined || staged.restAfterMs <= 0) void allHandlers(staged);
              else setTimeout(() => void allHandlers(staged), staged.restAfterMs).unref();
            },
            (error: unknown) => port.post({ type: 'fatal', error: failure(error).error }),
          );
        return;
      case 'call':
        void answer(message.id, message.method, message.input, message.actor);
        return;
      case 'host-result': {
        const complete = hostCalls.get(message.id);
        hostCalls.delete(message.id);
        complete?.(message.result);
        return;
      }
      case 'shutdown':
        shutdown();
        return;
    }
  });
  return { shutdown };
}

/** Calls one handler; the generic keeps each handler's input and output types tied to its method. */
function invoke<M extends ServiceMethodName>(handler: ServiceHandlers[M], input: HandlerInput<M>, context: ServiceContext): unknown {
  return (handler as (input: HandlerInput<M>, context: ServiceContext) => unknown)(input, context);
}
