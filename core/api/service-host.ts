/**
 * The front end's side of the service: starts it over a channel (worker thread or utility process), sends calls,
 * matches results by id, passes events on, and reports a crashed or stopped service as a clear PostfachError to
 * every open and later call instead of leaving them hanging.
 */
import { PostfachError, serviceStopped, toPostfachError } from '../errors.js';
import type { KeyProtector } from '../store/key-protector.js';
import type { PostfachBridge, Unsubscribe } from './api-types.js';
import { markCheckedInProcess } from './checked-answers.js';
import type { EventName } from './contract.js';
import { serviceToHostSchema, type HostOperation, type HostToService, type ServiceOptions } from './service-protocol.js';
import { isEventName, parseEventPayload } from './validate.js';
import { bridgeOf, ServiceListeners } from './service-listeners.js';
import { errorFromJson, failure, type CallResult } from './wire.js';

/** One way of talking to a running service process. */
export interface ServiceChannel {
  post(message: HostToService): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the service has ended, for whatever reason. */
  onExit(listener: (reason: string) => void): void;
  /** Ends the service without waiting for it. */
  kill(): void;
  /**
   * The service runs in this process (a worker thread), so its runtime checked each answer against the contract
   * here already: the host marks successful answers as checked (checked-answers.ts). Unset: another process.
   */
  readonly inThisProcess?: boolean;
}

/** What only the host has and the service may ask for (see `host-call` in service-protocol.ts). */
export interface HostServices {
  /** The OS key store (desktop app: Electron safeStorage); its id goes to the service as `protectorId`. */
  readonly protector?: KeyProtector;
}

/**
 * How long the close waits for the service's exit after its kill: a SIGKILL'd process or a terminated worker
 * reports its exit within milliseconds; the Electron quit holds at most 3 s in all (electron/quit-after-service.ts).
 */
export const KILL_WAIT_MS = 750;

export class ServiceHost {
  private nextId = 0;
  private readonly pending = new Map<number, (result: CallResult<unknown>) => void>();
  private readonly listeners = new ServiceListeners();
  private exited: string | undefined;

  private constructor(
    private readonly channel: ServiceChannel,
    private readonly hostServices: HostServices = {},
  ) {
    channel.onExit((reason) => this.handleExit(reason));
  }

  /** Starts the service on the channel and resolves once it has answered `init`. */
  static start(channel: ServiceChannel, options: ServiceOptions, readyTimeoutMs = 30_000, hostServices: HostServices = {}): Promise<ServiceHost> {
    const host = new ServiceHost(channel, hostServices);
    const initOptions: ServiceOptions = hostServices.protector === undefined ? options : { ...options, protectorId: hostServices.protector.id };
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error?: PostfachError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error === undefined) resolve(host);
        else {
          channel.kill();
          reject(error);
        }
      };
      const timer = setTimeout(() => settle(serviceStopped(`no ready within ${readyTimeoutMs} ms`)), readyTimeoutMs);
      host.listeners.onExit((reason) => settle(serviceStopped(`ended before ready: ${reason}`)));
      channel.onMessage((raw) => {
        const parsed = serviceToHostSchema.safeParse(raw);
        if (!parsed.success) return; // a service that speaks nonsense is ended below by the timeout or its exit
        const message = parsed.data;
        switch (message.type) {
          case 'ready':
            settle();
            return;
          case 'fatal':
            if (!settled) settle(errorFromJson(message.error));
            else {
              host.handleExit(`fatal: ${message.error.kind}: ${message.error.detail}`);
              channel.kill();
            }
            return;
          case 'result': {
            const complete = host.pending.get(message.id);
            host.pending.delete(message.id);
            complete?.(channel.inThisProcess === true && message.result.ok ? markCheckedInProcess(message.result) : message.result);
            return;
          }
          case 'event':
            host.deliver(message.event, message.payload);
            return;
          case 'host-call':
            void host.answerHostCall(message.id, message.op, message.data);
            return;
        }
      });
      channel.post({ type: 'init', options: initOptions });
    });
  }

  /**
   * Sends one call; never rejects: failures come back as a failure envelope. `actor`: the person the call works for
   * (postfach serve: the signed-in person), named in the audit log instead of the OS user.
   */
  invoke(method: string, input: unknown, actor?: string): Promise<CallResult<unknown>> {
    if (this.exited !== undefined) return Promise.resolve(failure(serviceStopped(this.exited)));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      try {
        this.channel.post({ type: 'call', id, method, input, ...(actor === undefined ? {} : { actor }) });
      } catch (error) {
        // e.g. input that cannot be cloned (functions): report, do not throw across the transport
        this.pending.delete(id);
        resolve(failure(error));
      }
    });
  }

  on(event: EventName, listener: (payload: unknown) => void): Unsubscribe {
    return this.listeners.on(event, listener);
  }

  onExit(listener: (reason: string) => void): Unsubscribe {
    return this.listeners.onExit(listener);
  }

  get running(): boolean {
    return this.exited === undefined;
  }

  /** The host as a PostfachBridge, for `createApiClient` in Node (CLI, tests). */
  asBridge(): PostfachBridge {
    return bridgeOf((method, input) => this.invoke(method, input), this.listeners);
  }

  /**
   * Asks the service to stop; kills it after `graceMs` if it does not, and waits at most `killWaitMs` more for its
   * exit. A kill that does not take (a process the system cannot end, a channel whose exit never comes) does not
   * hold the close — and with it the quit or the command — forever: the host counts the service as ended (open and
   * later calls answer service-stopped) and the close rejects with service-stopped, its detail for IT.
   */
  async close(graceMs = 2_000, killWaitMs = KILL_WAIT_MS): Promise<void> {
    if (this.exited !== undefined) return;
    const ended = new Promise<void>((resolve) => this.listeners.onExit(() => resolve()));
    try {
      this.channel.post({ type: 'shutdown' });
    } catch {
      // the channel is already gone; kill below
    }
    let unbounded: ((reason: string) => void) | undefined;
    const noExit = new Promise<string>((resolve) => (unbounded = resolve));
    let waitAfterKill: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      try {
        this.channel.kill();
      } finally {
        waitAfterKill = setTimeout(() => unbounded?.(`the service did not stop within ${graceMs} ms and showed no exit within ${killWaitMs} ms after its kill`), killWaitMs);
      }
    }, graceMs);
    const reason = await Promise.race([ended.then(() => undefined), noExit]);
    clearTimeout(timer);
    clearTimeout(waitAfterKill);
    if (reason === undefined) return;
    this.handleExit(reason);
    throw serviceStopped(reason);
  }

  private async answerHostCall(id: number, op: HostOperation, data: string): Promise<void> {
    let result: HostToService & { type: 'host-result' };
    try {
      const protector = this.hostServices.protector;
      if (protector === undefined) {
        throw new PostfachError(
          'store-key-unavailable',
          { de: 'Der Schlüsselspeicher des Betriebssystems ist hier nicht verfügbar.', en: 'The operating system’s key store is not available here.' },
          `host-call ${op}: the host offers no protector`,
        );
      }
      const input = Buffer.from(data, 'base64');
      const output = op === 'protector.wrap' ? await protector.wrap(input) : await protector.unwrap(input);
      result = { type: 'host-result', id, result: { ok: true, data: Buffer.from(output).toString('base64') } };
    } catch (error) {
      result = { type: 'host-result', id, result: { ok: false, error: toPostfachError(error).toJSON() } };
    }
    try {
      this.channel.post(result);
    } catch {
      // the service has gone; its exit is reported through onExit
    }
  }

  private deliver(event: string, payload: unknown): void {
    if (!isEventName(event)) return;
    let checked: unknown;
    try {
      checked = parseEventPayload(event, payload);
    } catch {
      return;
    }
    this.listeners.emit(event, checked);
  }

  private handleExit(reason: string): void {
    if (this.exited !== undefined) return;
    this.exited = reason;
    const stopped = failure(serviceStopped(reason));
    for (const complete of this.pending.values()) complete(stopped);
    this.pending.clear();
    this.listeners.exited(reason);
  }
}
