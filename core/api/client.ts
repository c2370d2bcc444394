/**
 * Turns a PostfachBridge (the preload's `window.postfach`, or the loopback bridge's HTTP client) into the
 * PostfachApi that UI code uses: inputs are checked before they leave, outputs and event payloads are checked
 * when they arrive, and a failed call rejects with a PostfachError rebuilt from its serialised form.
 */
import { PostfachError } from '../errors.js';
import type { PostfachApi, PostfachBridge } from './api-types.js';
import { callResultSchema, errorFromJson } from './wire.js';
import { assertMethodName, describeIssues, isEventName, parseEventPayload, parseMethodInput, parseMethodOutput } from './validate.js';

export function createApiClient(bridge: PostfachBridge): PostfachApi {
  return {
    async call(method, input) {
      assertMethodName(method);
      parseMethodInput(method, input);
      const raw: unknown = await bridge.call(method, input);
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
