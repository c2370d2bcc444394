/**
 * Run-time checks of every message against the contract. Used at each boundary: the IPC handlers, the preload,
 * the loopback bridge (both ends), the service host and the service itself.
 *
 * Error details name the method, the path of the offending field and zod's issue code — never the value, which may
 * be personal data.
 */
import type { z } from 'zod';
import { PostfachError } from '../errors.js';
import { contract, type EventName, type EventPayload, type HandlerInput, type MethodName, type MethodOutput, type ServiceMethodName, type ShellMethodName } from './contract.js';

const has = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && has(contract.methods, value);
}

export function isServiceMethod(method: MethodName): method is ServiceMethodName {
  return contract.methods[method].answeredBy === 'service';
}

export function isShellMethod(method: MethodName): method is ShellMethodName {
  return contract.methods[method].answeredBy === 'shell';
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && has(contract.events, value);
}

/** Lists issues as `path: code` without values. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.')}: ${issue.code}`)
    .join('; ');
}

export function unknownMethodError(method: unknown): PostfachError {
  const shown = typeof method === 'string' ? method.slice(0, 80).replace(/[^\w.-]/g, '?') : typeof method;
  return new PostfachError(
    'api-unknown-method',
    {
      de: 'Die Anfrage der Oberfläche ist unbekannt. Bitte starten Sie das Programm neu.',
      en: 'The request from the user interface is unknown. Please restart the program.',
    },
    `method not in the contract: ${shown}`,
  );
}

export function assertMethodName(method: unknown): MethodName {
  if (!isMethodName(method)) throw unknownMethodError(method);
  return method;
}

export function parseMethodInput<M extends MethodName>(method: M, input: unknown): HandlerInput<M> {
  const result = contract.methods[method].input.safeParse(input);
  if (!result.success) {
    throw new PostfachError(
      'api-invalid-input',
      {
        de: 'Die Anfrage der Oberfläche war ungültig und wurde nicht ausgeführt.',
        en: 'The request from the user interface was invalid and was not carried out.',
      },
      `${method}: ${describeIssues(result.error)}`,
    );
  }
  return result.data as HandlerInput<M>;
}

export function parseMethodOutput<M extends MethodName>(method: M, output: unknown): MethodOutput<M> {
  const result = contract.methods[method].output.safeParse(output);
  if (!result.success) {
    throw new PostfachError(
      'api-invalid-output',
      {
        de: 'Das Programm hat eine ungültige Antwort erzeugt. Bitte wenden Sie sich an die IT.',
        en: 'The program produced an invalid answer. Please contact IT support.',
      },
      `${method}: ${describeIssues(result.error)}`,
    );
  }
  return result.data as MethodOutput<M>;
}

export function parseEventPayload<E extends EventName>(event: E, payload: unknown): EventPayload<E> {
  const result = contract.events[event].payload.safeParse(payload);
  if (!result.success) {
    throw new PostfachError(
      'api-invalid-event',
      {
        de: 'Das Programm hat eine ungültige Meldung erzeugt. Bitte wenden Sie sich an die IT.',
        en: 'The program produced an invalid notification. Please contact IT support.',
      },
      `${event}: ${describeIssues(result.error)}`,
    );
  }
  return result.data as EventPayload<E>;
}
