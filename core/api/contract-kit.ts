/**
 * The machinery behind the one typed contract (core/api/contract.ts): how a method or an event is declared, and the
 * types every front end derives from the declaration. No Node, no DOM: the renderer, the preload, the Electron main
 * process, the loopback bridge and the service worker all import this file.
 *
 * A method is answered either by the service (the engine, off the UI thread: worker thread or Electron utility
 * process) or by the shell hosting the UI (native dialogs in Electron; the loopback bridge answers those with a
 * clear "not in the browser" error). An event comes from the service (fetch progress, ...) or from the shell (menu
 * commands). The split is part of the declaration so the compiler can demand the right handlers in the right place.
 */
import type { z } from 'zod';

export type Answerer = 'service' | 'shell';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, A extends Answerer = Answerer> {
  readonly input: I;
  readonly output: O;
  readonly answeredBy: A;
}

export interface EventSpec<P extends z.ZodType = z.ZodType, A extends Answerer = Answerer> {
  readonly payload: P;
  readonly emittedBy: A;
}

/** A method answered by the service (the engine). */
export function serviceMethod<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O, 'service'> {
  return { input, output, answeredBy: 'service' };
}

/** A method answered by the shell that hosts the UI (Electron main process, or the loopback bridge). */
export function shellMethod<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O, 'shell'> {
  return { input, output, answeredBy: 'shell' };
}

export function serviceEvent<P extends z.ZodType>(payload: P): EventSpec<P, 'service'> {
  return { payload, emittedBy: 'service' };
}

export function shellEvent<P extends z.ZodType>(payload: P): EventSpec<P, 'shell'> {
  return { payload, emittedBy: 'shell' };
}

export interface ContractShape {
  readonly methods: Readonly<Record<string, MethodSpec>>;
  readonly events: Readonly<Record<string, EventSpec>>;
}

/** Identity function that keeps the literal types of a contract declaration while checking its shape. */
export function defineContract<const C extends ContractShape>(contract: C): C {
  return contract;
}

type Methods<C extends ContractShape> = C['methods'];
type Events<C extends ContractShape> = C['events'];

export type MethodNameOf<C extends ContractShape> = keyof Methods<C> & string;
export type EventNameOf<C extends ContractShape> = keyof Events<C> & string;

export type MethodNameAnsweredBy<C extends ContractShape, A extends Answerer> = {
  [M in MethodNameOf<C>]: Methods<C>[M]['answeredBy'] extends A ? M : never;
}[MethodNameOf<C>];

export type EventNameEmittedBy<C extends ContractShape, A extends Answerer> = {
  [E in EventNameOf<C>]: Events<C>[E]['emittedBy'] extends A ? E : never;
}[EventNameOf<C>];

/** What a caller passes (before parsing: defaults may be left out). */
export type CallerInputOf<C extends ContractShape, M extends MethodNameOf<C>> = z.input<Methods<C>[M]['input']>;
/** What a handler receives (after parsing). */
export type HandlerInputOf<C extends ContractShape, M extends MethodNameOf<C>> = z.output<Methods<C>[M]['input']>;
/** What a handler returns (before the output schema parses it). */
export type HandlerResultOf<C extends ContractShape, M extends MethodNameOf<C>> = z.input<Methods<C>[M]['output']>;
/** What a caller receives (after parsing). */
export type CallerOutputOf<C extends ContractShape, M extends MethodNameOf<C>> = z.output<Methods<C>[M]['output']>;

export type EmittedPayloadOf<C extends ContractShape, E extends EventNameOf<C>> = z.input<Events<C>[E]['payload']>;
export type ReceivedPayloadOf<C extends ContractShape, E extends EventNameOf<C>> = z.output<Events<C>[E]['payload']>;
