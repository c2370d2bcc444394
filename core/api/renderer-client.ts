/**
 * The PostfachApi of the renderer (the window's UI), over the preload's `window.postfach` or the loopback bridge:
 * calls resolve with the answer's value or reject with a PostfachError rebuilt from its serialised form.
 *
 * Unlike client.ts it checks no payload against the zod contract, so that neither zod nor the contract's schemas
 * are part of the UI bundle (issue 14, app start). That gives up no protection: the UI is the less trusted side and
 * trusts its own program, whose every answer and event is checked against the contract before it leaves (the
 * service's runtime, then the host: core/api/dispatch.ts, service-host.ts, the preload), and every input is checked
 * where it arrives (dispatch.ts in the host, again in the service). What is checked here is only the envelope, so
 * that an answer that is no envelope at all (a proxy's error page) is a clear error instead of a crash.
 */
import { isErrorKind } from '../error-kinds.js';
import { PostfachError, type PostfachErrorJson } from '../errors.js';
import type { PostfachApi, PostfachBridge } from './api-types.js';
import { errorFromJson } from './call-result.js';
import type { MethodOutput } from './contract.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isErrorJson(value: unknown): value is PostfachErrorJson {
  return (
    isRecord(value) &&
    typeof value.kind === 'string' &&
    isErrorKind(value.kind) &&
    typeof value.message === 'string' &&
    typeof value.messageEn === 'string' &&
    typeof value.detail === 'string' &&
    (value.osciCode === undefined || typeof value.osciCode === 'string')
  );
}

function invalidEnvelope(method: string): PostfachError {
  return new PostfachError(
    'api-invalid-output',
    {
      de: 'Das Programm hat eine ungültige Antwort erzeugt. Bitte wenden Sie sich an die IT.',
      en: 'The program produced an invalid answer. Please contact IT support.',
    },
    `${method}: not a call envelope`,
  );
}

export function createRendererApiClient(bridge: PostfachBridge): PostfachApi {
  return {
    async call(method, input) {
      const raw: unknown = await bridge.call(method, input);
      if (isRecord(raw) && raw.ok === true && 'value' in raw) return raw.value as MethodOutput<typeof method>;
      if (isRecord(raw) && raw.ok === false && isErrorJson(raw.error)) throw errorFromJson(raw.error);
      throw invalidEnvelope(method);
    },
    on(event, listener) {
      return bridge.on(event, listener);
    },
  } satisfies PostfachApi;
}
