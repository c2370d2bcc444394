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

/**
 * The schemas of a method or an event are built at their first use, not when the contract is imported: building
 * all of them costs about 40 ms of CPU in every thread that loads the contract (the bridge, the service worker, the
 * CLI), and a thread answers its first calls with a handful of them. A declaration therefore names each schema
 * through a function; the spec calls it once, at the first read, and keeps the schema (so the first call is checked
 * by the same schema as every later one).
 */
function builtOnce<T>(build: () => T): () => T {
  let built: { readonly value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

function lazyMethod<I extends z.ZodType, O extends z.ZodType, A extends Answerer>(input: () => I, output: () => O, answeredBy: A): MethodSpec<I, O, A> {
  const inputSchema = builtOnce(input);
  const outputSchema = builtOnce(output);
  return {
    get input() {
      return inputSchema();
    },
    get output() {
      return outputSchema();
    },
    answeredBy,
  };
}

function lazyEvent<P extends z.ZodType, A extends Answerer>(payload: () => P, emittedBy: A): EventSpec<P, A> {
  const payloadSchema = builtOnce(payload);
  return {
    get payload() {
      return payloadSchema();
    },
    emittedBy,
  };
}

/** A method answered by the service (the engine). */
export function serviceMethod<I extends z.ZodType, O extends z.ZodType>(input: () => I, output: () => O): MethodSpec<I, O, 'service'> {
  return lazyMethod(input, output, 'service');
}

/** A method answered by the shell that hosts the UI (Electron main process, or the loopback bridge). */
export function shellMethod<I extends z.ZodType, O extends z.ZodType>(input: () => I, output: () => O): MethodSpec<I, O, 'shell'> {
  return lazyMethod(input, output, 'shell');
}

export function serviceEvent<P extends z.ZodType>(payload: () => P): EventSpec<P, 'service'> {
  return lazyEvent(payload, 'service');
}

export function shellEvent<P extends z.ZodType>(payload: () => P): EventSpec<P, 'shell'> {
  return lazyEvent(payload, 'shell');
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
