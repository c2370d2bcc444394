/**
 * One call as it arrives from a UI, for every host alike (Electron's IPC handler, the loopback bridge): the method
 * must be in the contract and the input must fit its schema; service methods go to the service, shell methods to
 * the host's own handlers; the answer is checked against the output schema — unless a service runtime in this
 * process has checked this very answer already (checked-answers.ts: a service in a worker thread). Never throws:
 * the result is the envelope that goes back to the UI.
 */
import type { ShellHandlers } from './api-types.js';
import { checkedInProcess } from './checked-answers.js';
import type { HandlerInput, ShellMethodName } from './contract.js';
import { isMethodName, isServiceMethod, parseMethodInput, parseMethodOutput, unknownMethodError } from './validate.js';
import { failure, success, type CallResult } from './wire.js';

/** What dispatching needs from the service: a ServiceHost fits. */
export interface ServiceInvoker {
  invoke(method: string, input: unknown): Promise<CallResult<unknown>>;
}

export async function dispatchCall(method: unknown, input: unknown, service: ServiceInvoker, shell: ShellHandlers): Promise<CallResult<unknown>> {
  try {
    if (!isMethodName(method)) throw unknownMethodError(method);
    const parsed = parseMethodInput(method, input);
    if (isServiceMethod(method)) {
      const result = await service.invoke(method, parsed);
      if (!result.ok || checkedInProcess(result)) return result;
      return success(parseMethodOutput(method, result.value));
    }
    return success(parseMethodOutput(method, await callShell(shell, method, parsed as HandlerInput<typeof method>)));
  } catch (error) {
    return failure(error);
  }
}

function callShell<M extends ShellMethodName>(shell: ShellHandlers, method: M, input: HandlerInput<M>): Promise<unknown> {
  const handler = shell[method] as (input: HandlerInput<M>) => Promise<unknown>;
  return handler(input);
}
