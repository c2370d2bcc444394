/**
 * Handlers of the contract area "trust" (core/api/contract/trust.ts): the trusted sender CAs of the open store with
 * IT's, a CA file looked at before it is trusted, adding and removing (each change judges the stored deliveries
 * again in the same transaction and is audited by the store). Thin: the rules are core/mailbox/trusted-cas.ts.
 */
import type { ServiceContext } from '../api-types.js';
import type { HandlerInput } from '../contract.js';
import type { TrustedCaDto } from '../contract/trust.js';
import { PostfachError } from '../../errors.js';
import { certificateSummary } from '../../mailbox/certificates.js';
import { assertOfficeListOpen, readCaFile, type TrustedCaList } from '../../mailbox/trusted-cas.js';
import { fingerprintOf } from '../../store/index.js';
import type { MailboxService } from '../../app/mailbox-service.js';

function listDto(list: TrustedCaList) {
  return {
    cas: list.entries.map((e): TrustedCaDto => ({ certificate: certificateSummary(e.certificate), owner: e.owner, source: e.source, addedAt: e.addedAt, inForce: e.inForce })),
    locked: list.locked,
    ...(list.lockReason ? { lockReason: list.lockReason } : {}),
  };
}

/** A fingerprint as the UI shows it (AB:CD:…) or as the store keeps it (abcd…): the store's form. */
const normalized = (fingerprint: string): string => fingerprint.replace(/[:\s]/g, '').toLowerCase();

export function trustHandlers(shared: MailboxService) {
  const store = () => shared.session.require();

  return {
    'trust.list': async () => listDto(await shared.trustList()),

    'trust.inspectFile': async (input: HandlerInput<'trust.inspectFile'>) => {
      const list = await shared.trustList();
      const known = new Set(list.entries.map((e) => e.fingerprint));
      const { cas, skipped } = readCaFile(input.file);
      return { cas: cas.map((c) => ({ certificate: certificateSummary(c), alreadyTrusted: known.has(fingerprintOf(c.raw)) })), skipped };
    },

    'trust.add': async (input: HandlerInput<'trust.add'>, context: ServiceContext) => {
      assertOfficeListOpen(await shared.trustList());
      const { cas } = readCaFile(input.file);
      const wanted = input.fingerprints === undefined ? undefined : new Set(input.fingerprints.map(normalized));
      const chosen = wanted === undefined ? cas : cas.filter((c) => wanted.has(fingerprintOf(c.raw)));
      if (chosen.length === 0) {
        throw new PostfachError(
          'trusted-ca-not-in-file',
          {
            de: 'Die gewählte CA ist nicht (mehr) in der Datei. Bitte die Datei erneut wählen.',
            en: 'The CA chosen is not (or no longer) in the file. Please choose the file again.',
          },
          `none of ${input.fingerprints?.length ?? 0} fingerprint(s) among the ${cas.length} CA certificate(s) of the file`,
        );
      }
      const added = await shared.serviceStore().addTrustedCas(
        chosen.map((c) => c.raw),
        'import',
      );
      const reevaluated = added.length > 0 ? await shared.reevaluate('ca-added', context) : { checked: 0, changed: 0 };
      shared.log.write('info', 'trust.added', { origin: 'import', added: added.length, checked: reevaluated.checked, changed: reevaluated.changed });
      return { added: added.length, reevaluated, list: listDto(await shared.trustList()) };
    },

    'trust.remove': async (input: HandlerInput<'trust.remove'>, context: ServiceContext) => {
      const list = await shared.trustList();
      assertOfficeListOpen(list);
      const fingerprint = normalized(input.fingerprint);
      const entry = list.entries.find((e) => e.fingerprint === fingerprint);
      if (entry?.owner === 'it') {
        throw new PostfachError(
          'setting-locked',
          { de: 'Diese CA ist von Ihrer IT vorgegeben und kann hier nicht entfernt werden.', en: 'This CA is set by your IT and cannot be removed here.' },
          `trusted CA sha256=${fingerprint} comes from ${entry.source}`,
        );
      }
      if (entry === undefined) {
        throw new PostfachError(
          'trusted-ca-unknown',
          { de: 'Diese CA ist nicht in der Liste der vertrauenswürdigen CAs.', en: 'This CA is not in the list of trusted CAs.' },
          `no trusted CA with sha256=${fingerprint.slice(0, 64)}`,
        );
      }
      const removed = store().removeTrustedCa(fingerprint);
      const reevaluated = removed ? await shared.reevaluate('ca-removed', context) : { checked: 0, changed: 0 };
      shared.log.write('info', 'trust.removed', { checked: reevaluated.checked, changed: reevaluated.changed });
      return { removed, reevaluated, list: listDto(await shared.trustList()) };
    },
  };
}
