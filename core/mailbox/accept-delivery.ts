/**
 * One fetched delivery → one store entry. The transport layer is sound here (core/osci decrypted the response and
 * verified the pinned SupplierSignature); what follows never throws for the content's sake:
 *
 *  - content decrypted, author signatures valid, XML readable → stored readable: the application chosen by the rule
 *    of application-rule.ts exactly as delivered (the XML bytes), every other part (OSCI attachments, extra
 *    contents) as an attachment, each with what the author signature covers of it (codes), the summary for the
 *    list with the signature status of the signatures covering the application only, the signature checks as codes;
 *  - content that cannot be decrypted (encrypted for another certificate, broken), verified (an author signature
 *    that does not verify), chosen (several different applications: `content-ambiguous`) or read (broken or
 *    hostile XML) → a "poison" delivery: stored exactly as received —
 *    the decrypted transport layer, i.e. the signed OSCI message with its still encrypted containers, where the
 *    content could not be decrypted; the delivered content bytes otherwise — marked "nicht lesbar" with
 *    the reason's kind (a code; its words are said where shown) and the technical detail for IT.
 *
 * Idempotent by OSCI message id (the store's rule): a delivery offered again is not read at all.
 */
import type { X509Certificate } from 'node:crypto';
import type { InspectionFacts, SignatureCheckFacts, SignatureReasonCode, UnreadableKind } from '../domain/evidence.js';
import { formatPersonName } from '../xsozial/person-names.js';
import { clipText } from '../text-bounds.js';
import { listNames } from './list-names.js';
import { PostfachError, toPostfachError } from '../errors.js';
import { readAll, type ByteSource } from '../io/byte-source.js';
import { contentCoverage, type ContentCoverage } from '../osci/content/coverage.js';
import { decodeContent, type ContainerResult, type ContentResult, type ContentSignatureInfo } from '../osci/content/decode.js';
import { osciError } from '../osci/errors.js';
import type { FetchedDelivery } from '../osci/client/dialog.js';
import type { Inspection as OsciInspection, ProcessCardBundle, Timestamp } from '../osci/messages/model.js';
import { validateChain } from '../pki/trust.js';
import { toInstant } from '../time/office-time.js';
import type { JsonValue, NewAttachment, NewDelivery, ServiceStore } from '../store/index.js';
import { readStoreFacts, type StoreFacts } from '../xsozial/index.js';
import { detectMimeType, MAGIC_LENGTH, UNKNOWN_TYPE } from '../xsozial/magic.js';
import { certificateFacts } from './certificates.js';
import { codeListRegistryOf } from './code-lists.js';
import type { MailboxIdentity } from './identity.js';
import { killPoint } from './kill-points.js';
import { checkCreation, creationCheckJson, expiredSince, judgingTime, type JudgingTime } from './legal-time.js';
import { chooseApplication, looksLikeXml, type Choice, type Part } from './application-rule.js';
import { coverageJson, inspectionsJson, listStatusOf, signaturesJson, type TrustEvidence } from './message-dto.js';

export type AcceptOutcome =
  | { readonly kind: 'new'; readonly id: number; readonly messageId: string; readonly unreadable: boolean }
  | { readonly kind: 'duplicate'; readonly id: number; readonly messageId: string };

/**
 * Why a delivery is "nicht lesbar", as the store keeps it: the error kind (a code, e.g. `no-matching-key`); its
 * words are said where shown (core/api/contract/unreadable.ts). A kind that is no plain token is kept as `unreadable`.
 */
export function unreadableReason(kind: string): UnreadableKind {
  return /^[a-z0-9][a-z0-9-]{0,63}$/.test(kind) ? kind : 'unreadable';
}

const plain = (t: Timestamp | undefined): string | null => (t?.plain ? t.plain : null);
/** A process-card stamp as the store keeps it (a zone-less xs:dateTime is UTC, core/time); null when no time. */
const stamp = (t: Timestamp | undefined): string | null => toInstant(plain(t))?.toISOString() ?? null;

/** The intermediary's inspection report as delivered (its statement, not a proof): raw results, bounded; no words. */
export function inspectionsOf(card: ProcessCardBundle | undefined): InspectionFacts[] {
  return (card?.inspections ?? []).map((i: OsciInspection) => ({
    // the names are those of the sender's certificates, of any length: kept within the contract's bounds; none: ''
    subject: clipText(i.subjectName ?? '', TEXT_BOUND),
    ...(i.issuerName ? { issuer: clipText(i.issuerName, TEXT_BOUND) } : {}),
    ...(i.serialNumber ? { serialNumber: clipText(i.serialNumber, SHORT_BOUND) } : {}),
    ...(i.certType ? { certType: clipText(i.certType, SHORT_BOUND) } : {}),
    ...(i.mathResult ? { mathResult: clipText(i.mathResult, SHORT_BOUND) } : {}),
    ...(i.offlineResult ? { offlineResult: clipText(i.offlineResult, SHORT_BOUND) } : {}),
    ...(i.onlineResult ? { onlineResult: clipText(i.onlineResult, SHORT_BOUND) } : {}),
    ...(i.timestamp?.plain ? { time: i.timestamp.plain.slice(0, 40) } : {}),
  }));
}

/** Said of a valid signature whose digest over an attachment failed (that attachment is flagged on its own). */
export const ATTACHMENT_NOT_COVERED: SignatureReasonCode = 'attachment-not-covered';

/**
 * An author signature: valid? signer? does it chain to a CA local IT configured as trusted, at the judging time
 * (the Eingang when plausible, else the time of receipt: legal-time.ts)? Expired since then is said too. A
 * signature whose value verifies and whose only failing digests are attachments' is valid for what it covers
 * intact; those attachments carry their own status (coverage), and the check says so.
 */
function authorCheck(
  container: ContainerResult,
  sig: ContentSignatureInfo,
  identity: MailboxIdentity,
  extra: readonly X509Certificate[],
  judged: JudgingTime,
  receivedAt: Date,
  coverage: ContentCoverage,
): SignatureCheckFacts {
  const at = judged.at;
  const result: SignatureCheckFacts['result'] = sig.valueValid && !coverage.signatureFailures.some((f) => f.signature === sig) ? 'valid' : 'invalid';
  let certificate: SignatureCheckFacts['certificate'] = 'not-checked';
  let reasons: SignatureReasonCode[] = [];
  if (sig.signer) {
    const trust = validateChain(sig.signer, { trustAnchors: identity.connection.trustedCas, intermediates: [...extra, ...identity.chain], at });
    certificate = trust.status;
    reasons = trust.reasons.map((r) => r.code);
  }
  const since = sig.signer && certificate !== 'invalid' ? expiredSince(sig.signer.validTo, at, receivedAt) : undefined;
  if (result === 'valid' && !sig.valid) reasons = [...reasons, ATTACHMENT_NOT_COVERED];
  return {
    role: 'author',
    ...(container.id ? { container: clipText(container.id, SHORT_BOUND) } : {}),
    result,
    certificate,
    ...(sig.signer ? { signer: certificateFacts(sig.signer, { at }) } : {}),
    algorithm: sig.signatureMethod.slice(0, 200),
    checkedAt: at.toISOString(),
    validityBasis: judged.basis,
    ...(since === undefined ? {} : { expiredSince: since }),
    revocation: 'not-checked',
    reasons,
    technical:
      `${sig.signatureMethod}; ${sig.references.length} references${sig.failure ? `; ${sig.failure.kind}: ${sig.failure.detail}` : ''}${sig.weak ? '; weak algorithm' : ''}`.slice(
        0,
        4000,
      ),
  };
}

function intermediaryCheck(delivery: FetchedDelivery, at: Date): SignatureCheckFacts {
  const s = delivery.decoded.signature;
  return {
    role: 'intermediary',
    result: s.valid ? 'valid' : 'invalid',
    // core/osci accepted the response only with a valid signature by the configured (pinned) signer
    certificate: s.trust === 'untrusted' ? 'unknown-issuer' : 'trusted',
    ...(s.signer ? { signer: certificateFacts(s.signer, { at }) } : {}),
    ...(s.signatureMethod ? { algorithm: s.signatureMethod.slice(0, 200) } : {}),
    checkedAt: new Date().toISOString(),
    revocation: 'not-checked',
    reasons: [],
    technical: `SupplierSignature ${s.trust}; ${s.references.length} references${s.weak ? '; weak algorithm' : ''}`,
  };
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

const INLINE_CONTENT_LIMIT = 256 * 1024;

/**
 * What the list columns of the store keep of values from a message (the contract's short and long text, the
 * store's code column): an application with a name of 200,000 characters is stored and listed, never refused by
 * the store over and over at every fetch.
 */
const SHORT_BOUND = 200;
const TEXT_BOUND = 4000;
const CODE_BOUND = 64;

function clipOrNull(value: string | null | undefined, max: number): string | null {
  return value === null || value === undefined ? null : clipText(value, max);
}

export interface AcceptOptions {
  /** The store behind the asynchronous interface (SQLite or PostgreSQL). */
  readonly store: ServiceStore;
  readonly identity: MailboxIdentity;
  /** The office time zone (the evidence keeps instants and codes; kept for callers that pass it). */
  readonly timeZone?: string;
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
  const existing = await store.findByMessageId(messageId);
  if (existing !== undefined) return { kind: 'duplicate', id: existing, messageId };

  const card = delivery.processCard?.processCard;
  const creation = plain(card?.creation);
  // the local clock at receipt: the fetch time stored, and what an implausible Creation is replaced by
  const receivedAt = new Date();
  const message = delivery.decoded.message;
  const messageCerts = [...message.nonIntermediaryCertificates, ...message.intermediaryCertificates].map((c) => c.certificate);
  const checks: SignatureCheckFacts[] = [intermediaryCheck(delivery, receivedAt)];
  const inspections = inspectionsOf(delivery.processCard);
  const sender = senderCertificate(delivery);

  const base = {
    messageId,
    subject: clipOrNull(delivery.subject ?? card?.subject ?? null, TEXT_BOUND),
    senderCertificate: sender?.raw ?? null,
    addresseeCertificate: addresseeCertificate(delivery, identity).raw,
    processCard: { creation: stamp(card?.creation), forwarding: stamp(card?.forwarding), reception: stamp(card?.reception), inspectionReport: inspectionsJson(inspections) },
    fetchedAt: receivedAt,
  };

  // the content layer: never throws for the content's sake
  let content: ContentResult | undefined;
  let failure: PostfachError | undefined;
  try {
    content = await decodeContent(message, { keys: [identity.cipherKey, ...(identity.previousCipherKeys ?? [])], scope: delivery.decoded.scope });
  } catch (error) {
    failure = toPostfachError(error);
  }
  // the signer of each check (the intermediary's is judged at fetch only), kept to judge it again (trust-reevaluation.ts)
  const signers: Array<string | null> = [null];
  const evidence = (): TrustEvidence => ({ signers, intermediates: messageCerts.filter((c) => c.ca).map((c) => c.raw.toString('base64')) });
  let choice: Choice | undefined;
  let coverage: ContentCoverage | undefined;
  const checkIndex = new Map<ContentSignatureInfo, number>();
  // author signatures are judged once the legal time is known (it needs the message's own creation time, below);
  // their places among the checks are fixed now, so that each part can name the signatures that cover it
  const authorSignatures: Array<[ContainerResult, ContentSignatureInfo]> = [];
  if (content) {
    const undecryptable = content.items.find((i) => i.kind === 'encrypted' && i.error !== undefined);
    if (undecryptable && undecryptable.kind === 'encrypted') {
      failure = undecryptable.error;
      // nothing to take apart: the delivery is kept as the OSCI message it came in
    } else {
      // every signature result belongs to exactly what its references cover (core/osci/content/coverage.ts)
      coverage = contentCoverage(content);
      for (const container of content.allContainers) {
        for (const sig of container.signatures) {
          checkIndex.set(sig, checks.length + authorSignatures.length);
          authorSignatures.push([container, sig]);
        }
      }
      const broken = coverage.signatureFailures[0];
      const nested = content.allContainers.flatMap((c) => c.nestedEncrypted).find((n) => n.error !== undefined);
      if (broken) failure = osciError(broken.kind, `content signature: ${broken.detail}`);
      else if (nested?.error) failure = nested.error;
      choice = await chooseApplication(coverage);
      if (failure === undefined && choice.kind !== 'application') failure = choice.error;
    }
  }

  // decrypted (an author signature may still have failed): every part is kept with what the signature covers of it
  const application = choice?.kind === 'application' ? choice.application : undefined;
  const main = application?.coverage.item;
  const recordOf = (part: Part, role: Part['role'] = part.role): JsonValue =>
    coverageJson({
      role,
      status: part.status,
      signatures: part.signatures.map((s) => checkIndex.get(s)).filter((i): i is number => i !== undefined),
      container: part.coverage.path,
      contentId: part.coverage.item.id,
    });
  const attachments: NewAttachment[] = [];
  for (const part of choice?.parts ?? []) {
    const item = part.coverage.item;
    if (item === main) continue;
    // the type is what the bytes are (text is recognised as such), never assumed: unknown is octet-stream
    const type = detectMimeType(await readAll(item.data, MAGIC_LENGTH, { start: 0, end: Math.min(MAGIC_LENGTH, item.data.size) }));
    const name = item.kind === 'attachment' ? item.contentId : (item.id ?? `inhalt-${attachments.length + 1}`);
    attachments.push({
      name: name.slice(0, 1000),
      mimeType: type ?? UNKNOWN_TYPE,
      content: forStore(item.data),
      expectedSha256: item.sha256,
      coverage: recordOf(part),
    });
  }

  // the list's facts and the search text (the documents inside are read when the message is opened, not here)
  let view: StoreFacts | undefined;
  if (failure === undefined && main) {
    try {
      view = await readStoreFacts(main.data, { codeLists: await codeListRegistryOf(store) });
    } catch (error) {
      failure = toPostfachError(error);
    }
  }

  const creationCheck = checkCreation({ creation, forwarding: plain(card?.forwarding), receivedAt, messageCreatedAt: view?.createdAt?.raw });
  const judged = judgingTime(creationCheck, creation, receivedAt);
  if (coverage !== undefined) {
    for (const [container, sig] of authorSignatures) {
      checks.push(authorCheck(container, sig, identity, messageCerts, judged, receivedAt, coverage));
      signers.push(sig.signer ? sig.signer.raw.toString('base64') : null);
    }
  }
  const processCard = { ...base.processCard, creationCheck: creationCheckJson(creationCheck) };

  killPoint('before-save');
  let delivered: NewDelivery;
  if (failure !== undefined) {
    // stored exactly as received: the delivered content where one was chosen, else the (decrypted) OSCI message
    const contentBytes = main ? main.data : delivery.decoded.inner;
    const reason = unreadableReason(failure.kind);
    delivered = {
      ...base,
      processCard,
      content: forStore(contentBytes),
      contentType: main ? ((await looksLikeXml(main.data)) ? 'application/xml' : 'application/octet-stream') : 'multipart/related; type=text/xml (OSCI)',
      contentCoverage: application ? recordOf(application) : coverageJson({ role: 'received', status: 'as-received', signatures: [] }),
      attachments,
      unreadableReason: reason,
      unreadableKind: reason,
      signatureResult: signaturesJson(checks, evidence()),
      certificateResult: { unreadable: { kind: failure.kind, detail: failure.detail.slice(0, 2000) } },
      // nothing is shown: no trust words (an author signature that failed says "ungültig")
      summary: { signatureStatus: listStatusOf(checks, true) },
      searchText: '',
    };
  } else {
    const v = view as StoreFacts;
    const shown = application as Part;
    // the list's status from the signatures that cover the application shown, and from nothing else
    const covering = shown.signatures.map((s) => checks[checkIndex.get(s) ?? -1]).filter((c): c is SignatureCheckFacts => c !== undefined);
    delivered = {
      ...base,
      processCard,
      content: forStore(shown.coverage.item.data),
      contentType: 'application/xml',
      contentCoverage: recordOf(shown),
      attachments,
      signatureResult: signaturesJson(checks, evidence()),
      summary: {
        // "Vorname Nachname" for the search; the parts sort the list and are written as the setting says. The list
        // keeps short forms within the contract's bounds; the message itself keeps every value in full.
        applicants: listNames(v.applicantNames).map((n) => formatPersonName(n, false)),
        applicantNames: listNames(v.applicantNames),
        benefitCode: clipOrNull(v.benefit?.code ?? null, CODE_BOUND),
        benefitText: clipOrNull(v.benefit?.text ?? v.product ?? null, SHORT_BOUND),
        applicationDate: /^\d{4}-\d{2}-\d{2}/.exec(v.applicationDate?.raw ?? '')?.[0] ?? null,
        isTest: v.test,
        signatureStatus: listStatusOf(covering, false),
      },
      // a content too large to be indexed from its text: the values of its cards instead
      ...(shown.coverage.item.length > INLINE_CONTENT_LIMIT ? { searchText: v.searchText } : {}),
    };
  }
  const saved = await store.saveDelivery(delivered);
  return saved.created ? { kind: 'new', id: saved.id, messageId, unreadable: failure !== undefined } : { kind: 'duplicate', id: saved.id, messageId };
}
