/**
 * Turns a PostfachBridge (the preload's `window.postfach`, or the loopback bridge's HTTP client) into the
 * PostfachApi that UI code uses: inputs are checked before they leave, outputs and event payloads are checked
 * when they arrive, and a failed call rejects with a PostfachError rebuilt from its serialised form.
 *
 * One answer is not checked twice: the very object a service runtime in this process checked and its host marked
 * (checked-answers.ts; the command line's service in a worker thread) — a second parse costs the CLI thread CPU
 * at every mailbox command and protects nothing. Every other answer (over HTTP, from another process, a copy) is
 * checked as before.
 */
import { PostfachError } from '../errors.js';
import type { PostfachApi, PostfachBridge } from './api-types.js';
import { checkedInProcess } from './checked-answers.js';
import { callResultSchema, errorFromJson } from './wire.js';
import { assertMethodName, describeIssues, isEventName, parseEventPayload, parseMethodInput, parseMethodOutput } from './validate.js';

export function createApiClient(bridge: PostfachBridge): PostfachApi {
  return {
    async call(method, input) {
      assertMethodName(method);
      parseMethodInput(method, input);
      const raw: unknown = await bridge.call(method, input);
      // only a successful answer is ever marked, and only by the host that received it from its runtime
      if (typeof raw === 'object' && raw !== null && checkedInProcess(raw)) return (raw as { value: never }).value;
      const envelope = callResultSchema.safeParse(raw);
      if (!envelope.success) {
        throw new PostfachError(
          'api-invalid-output',
          {
            de: 'Das Programm hat eine ungültige Antwort erzeugt. Bitte wenden Sie sich an die IT.',
            en: 'The program produced an invalid answer. Please contact IT support.',
          },
          `${method}: envelope ${describeIssues(envelope.error)}`,
        );
      }
      if (!envelope.data.ok) throw errorFromJson(envelope.data.error);
      return parseMethodOutput(method, envelope.data.value);
    },
    on(event, listener) {
      if (!isEventName(event)) throw new TypeError(`not an event of the contract: ${String(event)}`);
      return bridge.on(event, (payload) => {
        // A payload that does not match the contract is dropped: an event has no caller to report to.
        let checked;
        try {
          checked = parseEventPayload(event, payload);
        } catch {
          return;
        }
        listener(checked);
      });
    },
  } satisfies PostfachApi;
}
