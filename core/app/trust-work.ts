/**
 * The office's list of trusted sender CAs as the contract changes it (`trust.*`; the rules are
 * core/mailbox/trusted-cas.ts): a CA file looked at before it is trusted, the CAs chosen from it added, one removed
 * — refused while IT fixes the list, and a CA IT set is never removed here. Each change judges the stored deliveries
 * again (MailboxService.reevaluate) and is written to the technical log; the store audits it.
 */
import type { X509Certificate } from 'node:crypto';
import type { ServiceContext } from '../api/api-types.js';
import type { HandlerInput } from '../api/contract.js';
import { PostfachError } from '../errors.js';
import { assertOfficeListOpen, readCaFile, type TrustedCaList } from '../mailbox/trusted-cas.js';
import { fingerprintOf, type ReevaluationCount } from '../store/index.js';
import type { MailboxService } from './mailbox-service.js';

/** A fingerprint as the UI shows it (AB:CD:…) or as the store keeps it (abcd…): the store's form. */
const normalized = (fingerprint: string): string => fingerprint.replace(/[:\s]/g, '').toLowerCase();

/** The CAs of a file, each with whether the list has it already; what the file held besides. */
export async function inspectCaFile(mailbox: MailboxService, file: string) {
  const list = await mailbox.trustList();
  const known = new Set(list.entries.map((e) => e.fingerprint));
  const { cas, skipped } = readCaFile(file);
  return { cas: cas.map((certificate) => ({ certificate, alreadyTrusted: known.has(fingerprintOf(certificate.raw)) })), skipped };
}

export interface TrustChange {
  readonly reevaluated: ReevaluationCount;
  /** The list after the change. */
  readonly list: TrustedCaList;
}

export async function addTrustedCas(mailbox: MailboxService, input: HandlerInput<'trust.add'>, context: ServiceContext): Promise<TrustChange & { readonly added: number }> {
  assertOfficeListOpen(await mailbox.trustList());
  const { cas } = readCaFile(input.file);
  const wanted = input.fingerprints === undefined ? undefined : new Set(input.fingerprints.map(normalized));
  const chosen: X509Certificate[] = wanted === undefined ? cas : cas.filter((c) => wanted.has(fingerprintOf(c.raw)));
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
  const added = await mailbox.serviceStore().addTrustedCas(
    chosen.map((c) => c.raw),
    'import',
  );
  const reevaluated = added.length > 0 ? await mailbox.reevaluate('ca-added', context) : { checked: 0, changed: 0 };
  mailbox.log.write('info', 'trust.added', { origin: 'import', added: added.length, checked: reevaluated.checked, changed: reevaluated.changed });
  return { added: added.length, reevaluated, list: await mailbox.trustList() };
}

export async function removeTrustedCa(mailbox: MailboxService, given: string, context: ServiceContext): Promise<TrustChange & { readonly removed: boolean }> {
  const list = await mailbox.trustList();
  assertOfficeListOpen(list);
  const fingerprint = normalized(given);
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
  const removed = await mailbox.serviceStore().removeTrustedCa(fingerprint);
  const reevaluated = removed ? await mailbox.reevaluate('ca-removed', context) : { checked: 0, changed: 0 };
  mailbox.log.write('info', 'trust.removed', { checked: reevaluated.checked, changed: reevaluated.changed });
  return { removed, reevaluated, list: await mailbox.trustList() };
}
