/**
 * The shapes every participant must have, derived from the contract. Each implementation is checked against one
 * of them with `satisfies`, so a method added to the contract is a compile error wherever it is not yet handled:
 *
 *   PostfachBridge   what `window.postfach` is: the preload's object, and the loopback bridge's HTTP client
 *   PostfachApi      what UI code uses: calls return the value or throw a PostfachError
 *   ServiceHandlers  the engine's implementation (core/api/service.ts), run in the worker / utility process
 *   ShellHandlers    the methods the UI's host answers (Electron main: native dialogs; bridge: browser fallbacks)
 */
import type {
  EmittedPayload,
  EventName,
  EventPayload,
  HandlerInput,
  HandlerResult,
  MethodInput,
  MethodName,
  MethodOutput,
  ServiceEventName,
  ServiceMethodName,
  ShellMethodName,
} from './contract.js';
import type { CallResult } from './wire.js';

export type Unsubscribe = () => void;

export interface PostfachBridge {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<CallResult<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe;
}

export interface PostfachApi {
  /** Calls a method; resolves with its validated output or rejects with a PostfachError. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe;
}

export interface ServiceContext {
  /** Sends an event to every UI attached to the service. */
  emit<E extends ServiceEventName>(event: E, payload: EmittedPayload<E>): void;
}

export type ServiceHandlers = {
  readonly [M in ServiceMethodName]: (input: HandlerInput<M>, context: ServiceContext) => Promise<HandlerResult<M>> | HandlerResult<M>;
};

export type ShellHandlers = {
  readonly [M in ShellMethodName]: (input: HandlerInput<M>) => Promise<HandlerResult<M>>;
};
