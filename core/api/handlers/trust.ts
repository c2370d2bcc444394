/**
 * Handlers of the contract area "trust" (core/api/contract/trust.ts): the trusted sender CAs of the open store with
 * IT's, a CA file looked at before it is trusted, adding and removing (each change judges the stored deliveries
 * again in the same transaction and is audited by the store). Thin over core/app/trust-work.ts (the rules are
 * core/mailbox/trusted-cas.ts); what is here maps certificates and the list to their DTO.
 */
import type { ServiceContext } from '../api-types.js';
import type { HandlerInput } from '../contract.js';
import type { TrustedCaDto } from '../contract/trust.js';
import { certificateSummary } from '../../mailbox/certificates.js';
import type { TrustedCaList } from '../../mailbox/trusted-cas.js';
import type { MailboxService } from '../../app/mailbox-service.js';
import { addTrustedCas, inspectCaFile, removeTrustedCa } from '../../app/trust-work.js';

function listDto(list: TrustedCaList) {
  return {
    cas: list.entries.map((e): TrustedCaDto => ({ certificate: certificateSummary(e.certificate), owner: e.owner, source: e.source, addedAt: e.addedAt, inForce: e.inForce })),
    locked: list.locked,
    ...(list.lockReason ? { lockReason: list.lockReason } : {}),
  };
}

export function trustHandlers(shared: MailboxService) {
  return {
    'trust.list': async () => listDto(await shared.trustList()),
    'trust.inspectFile': async (input: HandlerInput<'trust.inspectFile'>) => {
      const { cas, skipped } = await inspectCaFile(shared, input.file);
      return { cas: cas.map((c) => ({ certificate: certificateSummary(c.certificate), alreadyTrusted: c.alreadyTrusted })), skipped };
    },
    'trust.add': async (input: HandlerInput<'trust.add'>, context: ServiceContext) => {
      const { added, reevaluated, list } = await addTrustedCas(shared, input, context);
      return { added, reevaluated, list: listDto(list) };
    },
    'trust.remove': async (input: HandlerInput<'trust.remove'>, context: ServiceContext) => {
      const { removed, reevaluated, list } = await removeTrustedCa(shared, input.fingerprint, context);
      return { removed, reevaluated, list: listDto(list) };
    },
  };
}
