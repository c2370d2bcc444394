/**
 * One fetched delivery → one store entry. The transport layer is sound here (core/osci decrypted the response and
 * verified the pinned SupplierSignature); what follows never throws for the content's sake:
 *
 *  - content decrypted, author signatures valid, XML readable → stored readable: the content exactly as delivered
 *    (the XML bytes), the OSCI attachments, the summary for the list, the signature checks in plain words;
 *  - content that cannot be decrypted (encrypted for another certificate, broken), verified (an author signature
 *    that does not verify) or read (broken or hostile XML) → a "poison" delivery: stored exactly as received —
 *    the decrypted transport layer, i.e. the signed OSCI message with its still encrypted containers, where the
 *    content could not be decrypted; the delivered content bytes otherwise — marked "nicht lesbar: <reason>"
 *    (German, no personal data) with the technical kind and detail for IT.
 *
 * Idempotent by OSCI message id (the store's rule): a delivery offered again is not read at all.
 */
import type { X509Certificate } from 'node:crypto';
import type { SignatureCheck } from '../api/contract/mailbox.js';
import { formatPersonName } from '../api/contract/names.js';
import { unreadableWords } from '../api/contract/unreadable.js';
import { PostfachError, toPostfachError } from '../errors.js';
import type { ByteSource } from '../io/byte-source.js';
import { decodeContent, type ContainerResult, type ContentItem, type ContentResult, type ContentSignatureInfo } from '../osci/content/decode.js';
import type { FetchedDelivery } from '../osci/client/dialog.js';
import type { Inspection as OsciInspection, ProcessCardBundle, Timestamp } from '../osci/messages/model.js';
import { validateChain } from '../pki/trust.js';
import type { JsonValue, NewAttachment, NewDelivery, PostfachStore } from '../store/index.js';
import { readDelivery, type DeliveryView } from '../xsozial/index.js';
import { detectMimeType, MAGIC_LENGTH, UNKNOWN_TYPE } from '../xsozial/magic.js';
import { certificateSummary } from './certificates.js';
import { codeListRegistry } from './code-lists.js';
import type { MailboxIdentity } from './identity.js';
import { killPoint } from './kill-points.js';
import { inspectionsJson, listStatusOf, signaturesJson, type Inspection } from './message-dto.js';

export type AcceptOutcome =
  | { readonly kind: 'new'; readonly id: number; readonly messageId: string; readonly unreadable: boolean }
  | { readonly kind: 'duplicate'; readonly id: number; readonly messageId: string };

/** "nicht lesbar: …" by error kind (contract/unreadable.ts): plain German, no personal data; the kind is stored beside it. */
export function unreadableReason(kind: string): string {
  return unreadableWords(kind).de;
}

const plain = (t: Timestamp | undefined): string | null => (t?.plain ? t.plain : null);

/** The intermediary's inspection report in plain words (its statement, not a proof). */
export function inspectionsOf(card: ProcessCardBundle | undefined): Inspection[] {
  return (card?.inspections ?? []).map((i: OsciInspection) => {
    const ok = i.mathResult === 'ok' && (i.offlineResult === undefined || i.offlineResult === 'valid') && (i.onlineResult === undefined || i.onlineResult === 'ok');
    const revoked = i.onlineResult === 'revoked';
    return {
      subject: i.subjectName ?? 'unbekannt',
      ...(i.issuerName ? { issuer: i.issuerName } : {}),
      ...(i.serialNumber ? { serialNumber: i.serialNumber } : {}),
      ...(i.certType ? { certType: i.certType } : {}),
      ...(i.mathResult ? { mathResult: i.mathResult } : {}),
      ...(i.offlineResult ? { offlineResult: i.offlineResult } : {}),
      ...(i.onlineResult ? { onlineResult: i.onlineResult } : {}),
      ...(i.timestamp?.plain ? { time: i.timestamp.plain } : {}),
      words: revoked
        ? { de: 'laut Intermediär gesperrt', en: 'revoked according to the intermediary' }
        : ok
          ? { de: 'laut Intermediär gültig', en: 'valid according to the intermediary' }
          : { de: `laut Intermediär nicht in Ordnung (${i.mathResult ?? '?'}/${i.offlineResult ?? '?'})`, en: `not in order according to the intermediary (${i.mathResult ?? '?'}/${i.offlineResult ?? '?'})` },
    };
  });
}

function words(result: SignatureCheck['result'], certificate: SignatureCheck['certificate']): SignatureCheck['words'] {
  const de = { valid: 'Signatur gültig', invalid: 'Signatur ungültig – Inhalt nicht verwenden', 'not-checkable': 'Signatur nicht prüfbar' }[result];
  const en = { valid: 'signature valid', invalid: 'signature invalid – do not use the content', 'not-checkable': 'signature not checkable' }[result];
  const certDe = { trusted: 'Zertifikat vertrauenswürdig', 'unknown-issuer': 'Zertifikat von unbekanntem Aussteller', invalid: 'Zertifikat ungültig', 'not-checked': 'Zertifikat nicht geprüft' }[certificate];
  const certEn = { trusted: 'certificate trusted', 'unknown-issuer': 'certificate from an unknown issuer', invalid: 'certificate invalid', 'not-checked': 'certificate not checked' }[certificate];
  return { de: `${de}; ${certDe}; Sperrstatus nicht geprüft`, en: `${en}; ${certEn}; revocation status not checked` };
}

/** An author signature: valid? signer? does it chain to a CA local IT configured as trusted, at the Eingang? */
function authorCheck(container: ContainerResult, sig: ContentSignatureInfo, identity: MailboxIdentity, extra: readonly X509Certificate[], at: Date): SignatureCheck {
  const result: SignatureCheck['result'] = sig.valid ? 'valid' : 'invalid';
  let certificate: SignatureCheck['certificate'] = 'not-checked';
  let reasons: SignatureCheck['reasons'] = [];
  if (sig.signer) {
    const trust = validateChain(sig.signer, { trustAnchors: identity.connection.trustedCas, intermediates: [...extra, ...identity.chain], at });
    certificate = trust.status;
    reasons = trust.reasons.map((r) => ({ de: r.de, en: r.en }));
  }
  return {
    role: 'author',
    ...(container.id ? { container: container.id } : {}),
    result,
    certificate,
    words: words(result, certificate),
    ...(sig.signer ? { signer: certificateSummary(sig.signer, { at }) } : {}),
    algorithm: sig.signatureMethod.slice(0, 200),
    checkedAt: at.toISOString(),
    revocation: 'not-checked',
    reasons,
    technical: `${sig.signatureMethod}; ${sig.references.length} references${sig.failure ? `; ${sig.failure.kind}: ${sig.failure.detail}` : ''}${sig.weak ? '; weak algorithm' : ''}`.slice(0, 4000),
  };
}

function intermediaryCheck(delivery: FetchedDelivery, at: Date): SignatureCheck {
  const s = delivery.decoded.signature;
  return {
    role: 'intermediary',
    result: s.valid ? 'valid' : 'invalid',
    // core/osci accepted the response only with a valid signature by the configured (pinned) signer
    certificate: s.trust === 'untrusted' ? 'unknown-issuer' : 'trusted',
    words: words(s.valid ? 'valid' : 'invalid', s.trust === 'untrusted' ? 'unknown-issuer' : 'trusted'),
    ...(s.signer ? { signer: certificateSummary(s.signer, { at }) } : {}),
    ...(s.signatureMethod ? { algorithm: s.signatureMethod.slice(0, 200) } : {}),
    checkedAt: new Date().toISOString(),
    revocation: 'not-checked',
    reasons: [],
    technical: `SupplierSignature ${s.trust}; ${s.references.length} references${s.weak ? '; weak algorithm' : ''}`,
  };
}

/** Base64Content, inline XML and attachments of every readable container, in document order. */
function contentItems(content: ContentResult): Array<Exclude<ContentItem, { kind: 'nested-container' }>> {
  return content.allContainers.flatMap((c) => c.contents.filter((i): i is Exclude<ContentItem, { kind: 'nested-container' }> => i.kind !== 'nested-container'));
}

async function head(source: ByteSource, n = 64): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  for await (const chunk of source.stream({ start: 0, end: Math.min(n, source.size) })) {
    parts.push(chunk);
    got += chunk.length;
  }
  return Buffer.concat(parts, got);
}

function looksLikeXml(bytes: Buffer): boolean {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('<');
}

/** Streams a source for the store; the kill test may cut the process in the middle of it. */
function forStore(source: ByteSource): () => AsyncIterable<Uint8Array> {
  return () =>
    (async function* () {
      let first = true;
      for await (const chunk of source.stream()) {
        yield chunk;
        if (first) killPoint('during-save');
        first = false;
      }
    })();
}

function senderCertificate(delivery: FetchedDelivery): X509Certificate | undefined {
  const certs = delivery.decoded.message.nonIntermediaryCertificates;
  return (certs.find((c) => c.role === 'SignatureCertificateOriginator') ?? certs.find((c) => c.role === 'CipherCertificateOriginator'))?.certificate;
}

function addresseeCertificate(delivery: FetchedDelivery, identity: MailboxIdentity): X509Certificate {
  return delivery.decoded.message.nonIntermediaryCertificates.find((c) => c.role === 'CipherCertificateAddressee')?.certificate ?? identity.cipherKey.certificate;
}

/** What goes into the full-text index for a content too large to be indexed from its text (the view's values). */
function searchTextOf(view: DeliveryView): string {
  const parts: string[] = [];
  let size = 0;
  for (const card of view.cards) {
    // a person's summary repeats values of its other sections
    for (const section of card.sections.filter((s) => s.role !== 'summary')) {
      for (const field of section.fields) {
        if (field.value.kind === 'document' || field.value.kind === 'empty') continue;
        parts.push(field.value.display);
        size += field.value.display.length;
        if (size > 256 * 1024) return parts.join(' ');
      }
    }
  }
  return parts.join(' ');
}

const INLINE_CONTENT_LIMIT = 256 * 1024;

export interface AcceptOptions {
  readonly store: PostfachStore;
  readonly identity: MailboxIdentity;
}

/**
 * Stores the delivery (durably, before this resolves) and says what it was. Throws only where the store itself
 * fails (disk full, ...) or the response lacks a message id: then nothing may be acknowledged.
 */
export async function acceptDelivery(delivery: FetchedDelivery, options: AcceptOptions): Promise<AcceptOutcome> {
  const { store, identity } = options;
  const messageId = delivery.messageId ?? delivery.processCard?.messageId;
  if (!messageId) {
    throw new PostfachError(
      'malformed',
      { de: 'Die Zustellung trägt keine Nachrichtenkennung und kann nicht sicher gespeichert werden.', en: 'The delivery carries no message id and cannot be stored safely.' },
      'ResponseToFetchDelivery without MessageId',
    );
  }
  const existing = store.findByMessageId(messageId);
  if (existing !== undefined) return { kind: 'duplicate', id: existing, messageId };

  const card = delivery.processCard?.processCard;
  const creation = plain(card?.creation);
  const at = creation ? new Date(creation) : new Date();
  const validAt = Number.isNaN(at.getTime()) ? new Date() : at;
  const message = delivery.decoded.message;
  const messageCerts = [...message.nonIntermediaryCertificates, ...message.intermediaryCertificates].map((c) => c.certificate);
  const checks: SignatureCheck[] = [intermediaryCheck(delivery, validAt)];
  const inspections = inspectionsOf(delivery.processCard);
  const sender = senderCertificate(delivery);

  const base = {
    messageId,
    subject: delivery.subject ?? card?.subject ?? null,
    senderCertificate: sender?.raw ?? null,
    addresseeCertificate: addresseeCertificate(delivery, identity).raw,
    processCard: { creation, forwarding: plain(card?.forwarding), reception: plain(card?.reception), inspectionReport: inspectionsJson(inspections) },
  };

  // the content layer: never throws for the content's sake
  let content: ContentResult | undefined;
  let failure: PostfachError | undefined;
  try {
    content = await decodeContent(message, { keys: [identity.cipherKey, ...(identity.previousCipherKeys ?? [])], scope: delivery.decoded.scope });
  } catch (error) {
    failure = toPostfachError(error);
  }
  if (content) {
    for (const container of content.allContainers) for (const sig of container.signatures) checks.push(authorCheck(container, sig, identity, messageCerts, validAt));
    const undecryptable = content.items.find((i) => i.kind === 'encrypted' && i.error !== undefined);
    if (undecryptable && undecryptable.kind === 'encrypted') {
      failure = undecryptable.error;
      // nothing to take apart: the delivery is kept as the OSCI message it came in
      content = undefined;
    } else if (content.firstError) failure = content.firstError;
  }

  // decrypted (an author signature may still have failed): the delivered content and attachments are kept
  const items = content ? contentItems(content) : [];
  let main: (typeof items)[number] | undefined;
  for (const item of items) {
    if (item.kind === 'attachment') continue;
    if (main === undefined || (!looksLikeXml(await head(main.data)) && looksLikeXml(await head(item.data)))) main = item;
  }
  if (content && failure === undefined && main === undefined) failure = new PostfachError('no-content', { de: 'Die Zustellung enthält keinen Inhalt.', en: 'The delivery holds no content.' }, 'no Base64Content or inline content in any container');

  const attachments: NewAttachment[] = [];
  for (const item of items) {
    if (item === main) continue;
    // the type is what the bytes are (text is recognised as such), never assumed: unknown is octet-stream
    const type = detectMimeType(await head(item.data, MAGIC_LENGTH));
    const name = item.kind === 'attachment' ? item.contentId : (item.id ?? `inhalt-${attachments.length + 1}`);
    attachments.push({ name: name.slice(0, 1000), mimeType: type ?? UNKNOWN_TYPE, content: forStore(item.data), expectedSha256: item.sha256 });
  }

  let view: DeliveryView | undefined;
  if (failure === undefined && main) {
    try {
      view = await readDelivery(main.data, { codeLists: codeListRegistry(store) });
    } catch (error) {
      failure = toPostfachError(error);
    }
  }

  killPoint('before-save');
  let delivered: NewDelivery;
  if (failure !== undefined) {
    // stored exactly as received: the delivered content where it could be decrypted, else the OSCI message itself
    const contentBytes = main && content ? main.data : delivery.decoded.inner;
    const reason = unreadableReason(failure.kind);
    delivered = {
      ...base,
      content: forStore(contentBytes),
      contentType: main && content ? (looksLikeXml(await head(main.data)) ? 'application/xml' : 'application/octet-stream') : 'multipart/related; type=text/xml (OSCI)',
      attachments,
      unreadableReason: reason,
      unreadableKind: failure.kind,
      signatureResult: signaturesJson(checks),
      certificateResult: { unreadable: { kind: failure.kind, detail: failure.detail.slice(0, 2000) } } as JsonValue,
      summary: { signatureStatus: listStatusOf(checks, true) },
      searchText: '',
    };
  } else {
    const v = view as DeliveryView;
    const mainItem = main as (typeof items)[number];
    delivered = {
      ...base,
      content: forStore(mainItem.data),
      contentType: 'application/xml',
      attachments,
      signatureResult: signaturesJson(checks),
      summary: {
        // "Vorname Nachname" for the search; the parts sort the list and are written as the setting says
        applicants: v.applicantNames.slice(0, 50).map((n) => formatPersonName(n, false)),
        applicantNames: v.applicantNames.slice(0, 50),
        benefitCode: v.benefit?.code ?? null,
        benefitText: v.benefit?.text ?? v.product ?? null,
        applicationDate: /^\d{4}-\d{2}-\d{2}/.exec(v.applicationDate?.raw ?? '')?.[0] ?? null,
        isTest: v.test,
        signatureStatus: listStatusOf(checks, false),
      },
      ...(mainItem.length > INLINE_CONTENT_LIMIT ? { searchText: searchTextOf(v) } : {}),
    };
  }
  const saved = await store.saveDelivery(delivered);
  return saved.created ? { kind: 'new', id: saved.id, messageId, unreadable: failure !== undefined } : { kind: 'duplicate', id: saved.id, messageId };
}
