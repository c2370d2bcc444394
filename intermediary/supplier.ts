/**
 * The supplier side of the local intermediary (PROTOCOL.md §8.3, §15 "Simulator"): one request body in, one
 * response body out. Order of the checks: decrypt and parse (faults 9100/9200/9202/9300) → ControlBlock (fault
 * 9400; explicit-only orders outside a dialog: fault 9802) → the client's cipher certificate to answer to (from
 * the request, or remembered from InitDialog; fault 9500 without one) → ClientSignature (9601/9602, 9600 when
 * required; order-level codes, in a normal signed and encrypted response) → receipt of the delivery handed out
 * by the previous response of the dialog (Reception stamp) → execute → sign with the intermediary's signature key
 * → encrypt for the client.
 *
 * PartialStoreDelivery chunks are collected in partial-store.ts and executed as one StoreDelivery.
 *
 * Order-level codes (9600–9905) go into the Feedback of a normal response wherever the response can be
 * encrypted for the client; the message-level codes (9000–9503) and 9802 (no dialog, so no response of a dialog
 * to put it in) are SOAP faults, sent unencrypted and unsigned as the library does.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { bufferSource, sliceSource, type ByteSource } from '../core/io/byte-source.js';
import type { SpoolScope } from '../core/io/sink.js';
import { SecureSpool } from '../core/io/secure-spool.js';
import type { KeyEntry } from '../core/pki/pkcs12.js';
import { buildFault, buildResponse, type AttachmentInput, type ResponseSpec, type SelectionRuleInput } from '../core/osci/messages/build.js';
import type { CertificateInput } from '../core/osci/messages/certificates.js';
import { contentPackageSource } from '../core/osci/messages/content-package.js';
import { checkRequestControlBlock } from '../core/osci/messages/control-block.js';
import { feedbackEntry, feedbackText } from '../core/osci/messages/feedback-codes.js';
import type { ControlBlock, FeedbackEntry, MessageType, OsciMessage, SelectionRule } from '../core/osci/messages/model.js';
import { verifyMessageSignature } from '../core/osci/signature/message-signature.js';
import { parseCertificate } from '../core/osci/signature/verify.js';
import { encryptTransport, type TransportEncryptionOptions } from '../core/osci/transport-encryption.js';
import { DEFAULT_DIALOG_TIMEOUT_MS, DialogRegistry, type Dialog } from './dialogs.js';
import { inspectCertificates, type InspectionAnchors } from './inspection.js';
import { certificateKey, type DeliveryRecord, type MailboxStore } from './mailbox-store.js';
import { receivedChunks, UploadRegistry } from './partial-store.js';
import { decodeInnerMessage, decodeRequest, SupplierFault } from './request-decoder.js';
import { osciTime, parseDateTime } from './time.js';

/** The intermediary's keys: cipher (decrypts requests) and signature (SupplierSignature), and its trusted CAs. */
export interface IntermediaryKeys extends InspectionAnchors {
  readonly cipher: KeyEntry;
  readonly signature: KeyEntry;
}

/** How answers are written: current defaults unless a legacy mode is chosen (to exercise a client's tolerance). */
export interface AnswerOptions {
  /** Transport layer of every response (symmetric algorithm, IV length, key transport, base64 part). */
  readonly transport?: TransportEncryptionOptions;
  /** Content-Transfer-Encoding of delivered attachments: `8bit` (default), `8-bit`, `binary` or `base64`. */
  readonly attachmentEncoding?: '8bit' | '8-bit' | 'binary' | 'base64';
}

export interface SupplierOptions {
  /** Refuse unsigned requests with 9600 (default: a ClientSignature is verified when present). */
  readonly requireClientSignature?: boolean;
  /** Deliveries whose response is larger than this (bytes) are handed out in chunks by PartialFetchDelivery. */
  readonly chunkSize?: number;
  /** Dialogs idle for longer than this end (default 15 minutes). */
  readonly dialogTimeoutMs?: number;
  readonly answer?: AnswerOptions;
  /** Accept StoreDelivery with message ids this intermediary did not issue (replaying another's requests). */
  readonly acceptUnissuedMessageIds?: boolean;
  /** Message ids to register as issued at start (e.g. those of the reference vectors). */
  readonly preIssuedMessageIds?: readonly string[];
  /**
   * Challenge values for responses (tests that replay recorded dialogs): called with the response's
   * ConversationId and the SequenceNumber of the request it answers (undefined for InitDialog); default 10 random
   * bytes, base64.
   */
  readonly newChallenge?: (at: { readonly conversationId: string; readonly sequenceNumber: number | undefined }) => string;
  /** ConversationIds for new dialogs (tests that replay recorded dialogs); default random digits. */
  readonly newConversationId?: () => string;
  /** One technical line per request (type, result code, sizes; never content or names). */
  readonly log?: (line: string) => void;
  /**
   * The intermediary's clock for every stamp it writes: Creation, Forwarding, Reception, the inspection report,
   * issued message ids (default: the system clock). Tests set the Creation with it — an intermediary whose clock
   * is wrong, or one that lies about the Eingang.
   */
  readonly clock?: () => Date;
  /**
   * Test hook, never set by the program: a hostile intermediary. Rewrites the content layer of a delivery as it is
   * handed out (containers added, removed or duplicated, attachments swapped, certificates added); the response is
   * then signed and encrypted as usual — what a compromised intermediary could send (tests of signature coverage).
   */
  readonly rewriteDelivery?: (delivery: HandedOutDelivery) => Promise<HandedOutDelivery>;
}

/** A delivery's content layer as the intermediary hands it out (see `rewriteDelivery`). */
export interface HandedOutDelivery {
  readonly messageId: string;
  readonly contentPackageXml: string;
  readonly attachments: ReadonlyArray<{ readonly contentId: string; readonly data: ByteSource }>;
  readonly certificates: readonly CertificateInput[];
}

export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
/** Largest message assembled from PartialStoreDelivery chunks. */
const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024;
const MAX_PROCESS_CARDS = 1000;

const REQUEST_TYPES: ReadonlySet<MessageType> = new Set([
  'InitDialog',
  'GetMessageId',
  'StoreDelivery',
  'FetchDelivery',
  'FetchProcessCard',
  'PartialFetchDelivery',
  'PartialStoreDelivery',
  'ExitDialog',
]);

/** A response without the signer parts (added by `build`). */
type Spec = ResponseSpec extends infer T ? (T extends unknown ? Omit<T, 'signer' | 'intermediaryCertificates'> : never) : never;

interface Request {
  readonly message: OsciMessage;
  readonly cb: ControlBlock;
  readonly dialog: Dialog | undefined;
  readonly answerTo: X509Certificate;
  readonly lang: 'de' | 'en';
  /** ControlBlock of the response (chain already advanced). */
  readonly reply: ControlBlock;
  readonly now: string;
}

function toRuleInput(rule: SelectionRule | undefined): SelectionRuleInput | undefined {
  if (!rule) return undefined;
  return {
    ...(rule.messageIds.length ? { messageIds: rule.messageIds } : {}),
    ...(rule.receptionOfDelivery !== undefined ? { receptionOfDelivery: rule.receptionOfDelivery } : {}),
    ...(rule.recentModification !== undefined ? { recentModification: rule.recentModification } : {}),
    ...(rule.noReception !== undefined ? { noReception: rule.noReception } : {}),
    ...(rule.role === 'Addressee' || rule.role === 'Originator' ? { role: rule.role } : {}),
  };
}

export class Supplier {
  readonly dialogs: DialogRegistry;
  private readonly uploads: UploadRegistry;
  private readonly chunkSize: number;

  constructor(
    private readonly keys: IntermediaryKeys,
    readonly store: MailboxStore,
    private readonly options: SupplierOptions = {},
  ) {
    this.dialogs = new DialogRegistry(options.dialogTimeoutMs, options.newConversationId);
    this.uploads = new UploadRegistry(options.dialogTimeoutMs ?? DEFAULT_DIALOG_TIMEOUT_MS, MAX_UPLOAD_BYTES);
    this.chunkSize = Math.max(1024, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    if (options.preIssuedMessageIds?.length) store.preIssue(options.preIssuedMessageIds, osciTime(this.now()));
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  private challenge(conversationId: string, sequenceNumber: number | undefined): string {
    return this.options.newChallenge ? this.options.newChallenge({ conversationId, sequenceNumber }) : randomBytes(10).toString('base64');
  }

  private log(line: string): void {
    this.options.log?.(`${osciTime()} ${line}`);
  }

  /** Answers one request body; never throws (anything unexpected is fault 9000). */
  async handle(body: ByteSource, scope: SpoolScope): Promise<ByteSource> {
    try {
      const answer = await this.process(body, scope);
      // the fetch's stamp commit is fsynced while its response was built: nothing is answered before it is durable
      await this.store.durable();
      return answer;
    } catch (error) {
      if (error instanceof SupplierFault) {
        this.log(`fault ${error.code} (${error.detail.slice(0, 300)})`);
        return buildFault(error.code, feedbackText(error.code, 'de'));
      }
      this.log(`fault 9000 (internal: ${error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'unknown'})`);
      return buildFault('9000', feedbackText('9000', 'de'));
    }
  }

  async close(): Promise<void> {
    await this.dialogs.closeAll();
    await this.uploads.closeAll();
  }

  private async process(body: ByteSource, scope: SpoolScope): Promise<ByteSource> {
    const { message } = await decodeRequest(body, this.keys.cipher, scope);
    const type = message.type;
    if (!REQUEST_TYPES.has(type)) throw new SupplierFault('9300', `${type} is not an order this intermediary executes`);
    if (message.signature?.wrapper === 'SupplierSignature') throw new SupplierFault('9300', 'a request carries a SupplierSignature');
    const cb = message.controlBlock;
    const dialog = cb?.conversationId !== undefined && type !== 'InitDialog' ? this.dialogs.get(cb.conversationId) : undefined;
    const violation = checkRequestControlBlock(
      type,
      cb,
      dialog ? { conversationId: dialog.id, lastChallenge: dialog.lastChallenge, nextSequenceNumber: dialog.nextSequence } : undefined,
    );
    if (violation) throw new SupplierFault(violation, violation === '9802' ? `${type} outside an explicit dialog` : `${type}: ControlBlock does not continue a known dialog`);
    const control = cb!;
    const ownCipher = message.nonIntermediaryCertificates.find((c) => c.role === 'CipherCertificateOriginator')?.certificate;
    const answerTo = dialog?.clientCipher ?? ownCipher;
    if (!answerTo) throw new SupplierFault('9500', `${type} without CipherCertificateOriginator`);
    if (type === 'StoreDelivery') {
      if (!message.nonIntermediaryCertificates.some((c) => c.role === 'CipherCertificateAddressee')) {
        throw new SupplierFault('9300', 'StoreDelivery without CipherCertificateAddressee');
      }
      if (!message.contentPackage) throw new SupplierFault('9300', 'StoreDelivery without ContentPackage');
    }

    // advance the dialog's chain now, before anything asynchronous: a second request with the same values fails
    const reply = this.replyControl(type, control, dialog);
    const now = osciTime(this.now());
    const lang = /^\s*en/i.test(message.desiredLanguages ?? '') ? 'en' : 'de';
    const request: Request = { message, cb: control, dialog, answerTo, lang, reply, now };

    const signatureCode = await this.signatureCode(message);
    // a FetchDelivery stamps the receipt of the previous delivery together with the next hand-out (one commit)
    let received: number | undefined;
    if (dialog && !signatureCode) received = await this.acknowledge(dialog, now, type === 'FetchDelivery');
    if (signatureCode) {
      if (type === 'ExitDialog' && dialog) await this.dialogs.end(dialog.id);
      return this.respond(request, this.errorResponse(request, signatureCode));
    }
    switch (type) {
      case 'InitDialog':
        this.dialogs.open(reply.conversationId!, answerTo, reply.challenge!);
        return this.respond(request, { type: 'ResponseToInitDialog', controlBlock: reply, feedback: [this.fb('0801', lang)] });
      case 'GetMessageId': {
        const id = this.store.issueMessageId(now);
        return this.respond(request, {
          type: 'ResponseToGetMessageId',
          controlBlock: reply,
          feedback: [this.fb(dialog ? '0801' : '0800', lang)],
          messageId: id,
        });
      }
      case 'StoreDelivery':
        return this.respond(request, await this.storeDelivery(request));
      case 'FetchDelivery':
        return this.respond(request, await this.fetchDelivery(request, received));
      case 'FetchProcessCard':
        return this.respond(request, this.fetchProcessCard(request));
      case 'PartialFetchDelivery':
        return this.partialFetchDelivery(request);
      case 'PartialStoreDelivery':
        return this.respond(request, await this.partialStoreDelivery(request));
      case 'ExitDialog':
        await this.dialogs.end(dialog!.id);
        return this.respond(request, { type: 'ResponseToExitDialog', controlBlock: reply, feedback: [this.fb('0800', lang)] });
      default:
        throw new SupplierFault('9300', `${type} is not executed`);
    }
  }

  private fb(code: string, lang: 'de' | 'en'): FeedbackEntry {
    return feedbackEntry(code, lang);
  }

  /** The response's ControlBlock; advances an explicit dialog (new Challenge, next SequenceNumber). */
  private replyControl(type: MessageType, cb: ControlBlock, dialog: Dialog | undefined): ControlBlock {
    if (type === 'InitDialog') {
      const id = this.dialogs.allocateId();
      return { conversationId: id, sequenceNumber: undefined, response: cb.challenge, challenge: this.challenge(id, undefined) };
    }
    if (dialog) {
      const challenge = type === 'ExitDialog' ? undefined : this.challenge(dialog.id, cb.sequenceNumber);
      dialog.nextSequence++;
      if (challenge !== undefined) dialog.lastChallenge = challenge;
      this.dialogs.touch(dialog);
      return { conversationId: dialog.id, sequenceNumber: cb.sequenceNumber, response: cb.challenge, challenge };
    }
    // implicit dialog (GetMessageId, StoreDelivery): a ConversationId of its own, which ends with the response
    const id = this.dialogs.allocateId();
    return {
      conversationId: id,
      sequenceNumber: cb.sequenceNumber,
      response: cb.challenge,
      challenge: type === 'GetMessageId' ? this.challenge(id, cb.sequenceNumber) : undefined,
    };
  }

  private async signatureCode(message: OsciMessage): Promise<'9600' | '9601' | '9602' | undefined> {
    if (!message.signature) return this.options.requireClientSignature ? '9600' : undefined;
    try {
      const result = await verifyMessageSignature(message);
      if (!result.failure) return undefined;
      return result.failure.kind === 'signature-incomplete' ? '9602' : '9601';
    } catch {
      // a signature that cannot even be evaluated (missing reference target, unknown algorithm) is not valid
      return '9601';
    }
  }

  /**
   * The next request of a dialog is the receipt of what the previous response handed out (Reception). With
   * `deferred` the stamp is left to the caller (returned), which commits it with its own change.
   */
  private async acknowledge(dialog: Dialog, now: string, deferred = false): Promise<number | undefined> {
    if (dialog.handedOut === undefined) return undefined;
    const seq = dialog.handedOut;
    if (!deferred) this.store.stampReception(seq, now);
    dialog.handedOut = undefined;
    const partial = dialog.partial;
    dialog.partial = undefined;
    await partial?.release();
    return deferred ? seq : undefined;
  }

  private errorResponse(r: Request, code: string): Spec {
    const feedback = [this.fb(code, r.lang)];
    const controlBlock = r.reply;
    switch (r.message.type) {
      case 'InitDialog':
        return { type: 'ResponseToInitDialog', controlBlock, feedback };
      case 'GetMessageId':
        return { type: 'ResponseToGetMessageId', controlBlock, feedback };
      case 'StoreDelivery':
        return { type: 'ResponseToStoreDelivery', controlBlock, feedback };
      case 'FetchProcessCard':
        return { type: 'ResponseToFetchProcessCard', controlBlock, feedback };
      case 'ExitDialog':
        return { type: 'ResponseToExitDialog', controlBlock, feedback };
      case 'PartialStoreDelivery':
        return { type: 'ResponseToPartialStoreDelivery', controlBlock, feedback, chunk: this.storeChunkFacts(r) };
      default:
        return { type: 'ResponseToFetchDelivery', controlBlock, feedback, nonIntermediaryCertificates: this.requesterCertificates(r) };
    }
  }

  /** The requester's own certificates (what a ResponseToFetchDelivery without delivery names, quirk Q8). */
  private requesterCertificates(r: Request): CertificateInput[] {
    const sig = r.message.nonIntermediaryCertificates.find((c) => c.role === 'SignatureCertificateOriginator');
    return [{ role: 'CipherCertificateOriginator', certificate: r.answerTo }, ...(sig ? [{ role: 'SignatureCertificateOriginator' as const, certificate: sig.certificate }] : [])];
  }

  private async build(spec: Spec) {
    return buildResponse({
      ...spec,
      signer: { privateKey: this.keys.signature.privateKey, certificate: this.keys.signature.certificate },
      intermediaryCertificates: [{ role: 'SignatureCertificateIntermediary', certificate: this.keys.signature.certificate }],
    });
  }

  private async respond(r: Request, spec: Spec): Promise<ByteSource> {
    const built = await this.build(spec);
    this.logAnswer(r, spec);
    return encryptTransport(built.mime, r.answerTo, this.options.answer?.transport);
  }

  private logAnswer(r: Request, spec: Spec): void {
    const codes = 'feedback' in spec ? spec.feedback.map((f) => f.code).join('+') : '';
    this.log(`${r.message.type}${r.dialog ? ` dialog ${r.dialog.id}/${r.cb.sequenceNumber ?? '-'}` : ''} → ${spec.type} ${codes}`);
  }

  // -------------------------------------------------------------------------------------------------------------
  // orders

  private async storeDelivery(r: Request): Promise<Spec> {
    const m = r.message;
    const fail = (code: string): Spec => ({ type: 'ResponseToStoreDelivery', controlBlock: r.reply, feedback: [this.fb(code, r.lang)] });
    const messageId = m.order.messageId;
    if (messageId === undefined || messageId === '') return fail('9800');
    const state = this.store.messageIdState(messageId);
    if (state === 'used' || (state === 'unknown' && !this.options.acceptUnissuedMessageIds)) return fail('9801');
    const addressee = m.nonIntermediaryCertificates.find((c) => c.role === 'CipherCertificateAddressee')!.certificate;
    const originator = m.nonIntermediaryCertificates.find((c) => c.role === 'CipherCertificateOriginator')?.certificate;
    const attachments: Array<{ contentId: string; data: ByteSource }> = [];
    for (const [contentId, part] of m.attachments) attachments.push({ contentId, data: await part.decoded() });
    const record = await this.store.saveDelivery(
      {
        messageId,
        subject: m.order.subject,
        addresseeCertificate: addressee.raw,
        originatorCertificate: originator?.raw,
        certificates: m.nonIntermediaryCertificates.map((c) => ({ role: c.role, id: c.id, der: c.certificate.raw })),
        inspections: inspectCertificates(
          m.nonIntermediaryCertificates.map((c) => c.certificate),
          { cas: this.keys.cas, intermediates: this.keys.intermediates ?? [] },
          this.now(),
        ),
        contentPackage: await contentPackageSource(m),
        attachments,
        creation: r.now,
      },
      this.options.acceptUnissuedMessageIds === true,
    );
    if (!record) return fail('9801');
    return {
      type: 'ResponseToStoreDelivery',
      controlBlock: r.reply,
      feedback: [this.fb(r.dialog ? '0801' : '0800', r.lang)],
      processCards: [this.card(record)],
    };
  }

  /**
   * The process card of a delivery. Each response type's schema allows its own stamps: ResponseToStoreDelivery
   * Creation only (the card is new), ResponseToFetchDelivery Creation and Forwarding (a delivery fetched again by
   * MessageId after its receipt carries no Reception there, as in vectors/exchange/12), ResponseToFetchProcessCard
   * all three.
   */
  private card(d: DeliveryRecord, stamps: 'all' | 'fetch' = 'all') {
    return {
      messageId: d.messageId,
      recentModification: d.recentModification,
      creation: d.creation,
      ...(d.forwarding ? { forwarding: d.forwarding } : {}),
      ...(d.reception && stamps === 'all' ? { reception: d.reception } : {}),
      ...(d.subject !== undefined ? { subject: d.subject } : {}),
      inspections: d.inspections,
    };
  }

  /** The delivery a FetchDelivery / PartialFetchDelivery selects, and whether further unreceived ones match. */
  private select(dialog: Dialog, rule: SelectionRule | undefined): { delivery: DeliveryRecord | undefined; more: boolean } {
    if (rule?.messageIds.length) return { delivery: this.store.byMessageIds(dialog.mailbox, rule.messageIds.slice(0, 1))[0], more: false };
    const date = rule?.receptionOfDelivery ?? rule?.recentModification;
    let createdFrom: string | undefined;
    if (date !== undefined) {
      const parsed = parseDateTime(date);
      if (!parsed) throw new SupplierFault('9300', 'SelectionRule with an unreadable date');
      createdFrom = osciTime(parsed);
    }
    const found = this.store.unreceived(dialog.mailbox, createdFrom, 2);
    return { delivery: found[0], more: found.length > 1 };
  }

  private async deliverySpec(r: Request, record: DeliveryRecord, more: boolean, controlBlock: ControlBlock): Promise<Spec> {
    const encoding = this.options.answer?.attachmentEncoding ?? '8bit';
    const handed = {
      messageId: record.messageId,
      attachments: await this.store.attachmentSources(record),
      certificates: record.certificates.map((c) => ({
        role: c.role,
        certificate: parseCertificate(c.der),
        ...(c.id !== undefined ? { id: c.id } : {}),
      })),
    };
    // the ContentPackage is streamed from its file into the response; only a test's rewrite sees it as text
    let contentPackage: string | ByteSource = await this.store.packageSource(record);
    let handedOut: Omit<HandedOutDelivery, 'contentPackageXml'> = handed;
    if (this.options.rewriteDelivery) {
      const rewritten = await this.options.rewriteDelivery({ ...handed, contentPackageXml: await this.store.packageXml(record) });
      handedOut = rewritten;
      contentPackage = rewritten.contentPackageXml;
    }
    // the digests kept at intake stand for the stored files only, never for what a test's rewrite hands out
    const digests = this.options.rewriteDelivery ? undefined : await this.store.digests(record);
    const attachments: AttachmentInput[] = handedOut.attachments.map((a, i) => {
      const sha256 = digests?.attachmentSha256.get(record.attachments[i]?.file ?? '');
      return { ...a, transferEncoding: encoding, ...(sha256 ? { sha256 } : {}) };
    });
    const rule = toRuleInput(r.message.order.selectionRule);
    return {
      type: 'ResponseToFetchDelivery',
      controlBlock,
      feedback: [this.fb('0801', r.lang), ...(more ? [this.fb('3800', r.lang)] : [])],
      ...(rule ? { selectionRuleEcho: rule } : {}),
      processCards: [this.card(record, 'fetch')],
      contentPackageXml: contentPackage,
      ...(digests?.bodySha256 ? { contentPackageBodySha256: digests.bodySha256 } : {}),
      attachments,
      nonIntermediaryCertificates: [...handedOut.certificates],
    };
  }

  private nothingFound(r: Request, code: '9803'): Spec {
    const rule = toRuleInput(r.message.order.selectionRule);
    return {
      type: 'ResponseToFetchDelivery',
      controlBlock: r.reply,
      feedback: [this.fb(code, r.lang)],
      ...(rule ? { selectionRuleEcho: rule } : {}),
      nonIntermediaryCertificates: this.requesterCertificates(r),
    };
  }

  /** `received`: the delivery this request acknowledges, stamped in the same transaction as the next hand-out. */
  private async fetchDelivery(r: Request, received?: number): Promise<Spec> {
    const dialog = r.dialog!;
    let refused: Error | undefined;
    // its fsync runs beside the building of the response; handle() answers only once it is done
    const picked = this.store.commitStamps(() => {
      if (received !== undefined) this.store.stampReception(received, r.now);
      try {
        const { delivery, more } = this.select(dialog, r.message.order.selectionRule);
        return { forwarded: delivery ? this.store.stampForwarding(delivery.seq, r.now) : undefined, more };
      } catch (error) {
        // the receipt stands even when the request's own selection is refused
        refused = error instanceof Error ? error : new Error(String(error));
        return { forwarded: undefined, more: false };
      }
    });
    if (refused !== undefined) throw refused;
    if (!picked.forwarded) return this.nothingFound(r, '9803');
    dialog.handedOut = picked.forwarded.seq;
    return this.deliverySpec(r, picked.forwarded, picked.more, r.reply);
  }

  private fetchProcessCard(r: Request): Spec {
    const dialog = r.dialog!;
    const rule = r.message.order.selectionRule;
    const limit = Math.min(MAX_PROCESS_CARDS, Math.max(1, r.message.order.quantityLimit ?? MAX_PROCESS_CARDS));
    const dateOf = (v: string | undefined) => {
      if (v === undefined) return undefined;
      const parsed = parseDateTime(v);
      if (!parsed) throw new SupplierFault('9300', 'SelectionRule with an unreadable date');
      return osciTime(parsed);
    };
    const role = rule?.role;
    const records = this.store.cards({
      ...(role !== 'Originator' ? { addressee: dialog.mailbox } : {}),
      ...(role !== 'Addressee' ? { originator: dialog.mailbox } : {}),
      ...(rule?.messageIds.length ? { messageIds: rule.messageIds } : {}),
      ...(rule?.receptionOfDelivery !== undefined ? { createdFrom: dateOf(rule.receptionOfDelivery) } : {}),
      ...(rule?.recentModification !== undefined ? { modifiedFrom: dateOf(rule.recentModification) } : {}),
      ...(rule?.noReception ? { noReception: true } : {}),
      limit: limit + 1,
    });
    const ruleEcho = toRuleInput(rule);
    const echo = {
      ...(ruleEcho ? { selectionRuleEcho: ruleEcho } : {}),
      ...(r.message.order.quantityLimit !== undefined ? { quantityLimitEcho: r.message.order.quantityLimit } : {}),
    };
    if (records.length === 0) {
      return { type: 'ResponseToFetchProcessCard', controlBlock: r.reply, feedback: [this.fb('9804', r.lang)], ...echo };
    }
    const more = records.length > limit;
    return {
      type: 'ResponseToFetchProcessCard',
      controlBlock: r.reply,
      feedback: [this.fb('0801', r.lang), ...(more ? [this.fb('3801', r.lang)] : [])],
      ...echo,
      processCards: records.slice(0, limit).map((d) => this.card(d)),
    };
  }

  /**
   * PartialStoreDelivery (EFFI, PROTOCOL.md §11): collects the chunks of a StoreDelivery; with the last one the
   * reassembled message (unencrypted; its own signature is checked when present, not required — the reference
   * implementation sends it unsigned, quirk Q11) is executed as a StoreDelivery, whose result comes back as
   * InsideFeedback with its process card. Duplicate chunks 9900, a chunk number beyond the total 9901,
   * inconsistent chunk information 9905.
   */
  private uploadKey(r: Request): string {
    return `${certificateKey(r.answerTo.raw)}/${r.message.order.messageId ?? ''}`;
  }

  /**
   * ChunkInformation of a ResponseToPartialStoreDelivery: ChunkNumber, ReceivedChunks and TotalChunkNumbers are
   * required there, ChunkSize and TotalMessageSize prohibited (ResponseToPartialStoreDelivery.xsd); 0 stands for
   * "none" (InfoOnly has no chunk number; nothing known about an upload that never started).
   */
  private storeChunkFacts(r: Request) {
    const info = r.message.order.chunkInformation;
    const upload = this.uploads.get(this.uploadKey(r));
    return {
      chunkNumber: info?.chunkNumber ?? 0,
      receivedChunks: receivedChunks(upload),
      totalChunkNumbers: upload?.totalChunks ?? info?.totalChunkNumbers ?? 0,
    };
  }

  private async partialStoreDelivery(r: Request): Promise<Spec> {
    const order = r.message.order;
    const info = order.chunkInformation;
    const ok = this.fb(r.dialog ? '0801' : '0800', r.lang);
    const key = this.uploadKey(r);
    if (order.infoOnly) {
      return { type: 'ResponseToPartialStoreDelivery', controlBlock: r.reply, feedback: [ok], chunk: this.storeChunkFacts(r) };
    }
    if (!order.messageId) return this.errorResponse(r, '9800');
    const blob = r.message.attachments.get('ChunkBlobStoreDelivery');
    const outcome = blob
      ? await this.uploads.add(key, info?.chunkNumber, info?.totalChunkNumbers, await blob.decoded())
      : ({ kind: 'error', code: '9905', upload: this.uploads.get(key) } as const);
    const chunkFacts = (upload: { totalChunks: number } | undefined) => ({
      ...this.storeChunkFacts(r),
      ...(upload ? { totalChunkNumbers: upload.totalChunks } : {}),
    });
    if (outcome.kind === 'error') {
      return { type: 'ResponseToPartialStoreDelivery', controlBlock: r.reply, feedback: [this.fb(outcome.code, r.lang)], chunk: chunkFacts(outcome.upload) };
    }
    if (outcome.kind === 'stored') {
      return { type: 'ResponseToPartialStoreDelivery', controlBlock: r.reply, feedback: [ok], chunk: chunkFacts(outcome.upload) };
    }
    const chunk = chunkFacts(outcome.upload);
    try {
      let inside: Spec;
      try {
        // read from the upload's spools in place (they are dropped only after the delivery has been stored)
        const inner = await decodeInnerMessage(outcome.message);
        if (inner.type !== 'StoreDelivery') throw new SupplierFault('9300', `reassembled message is ${inner.type}`);
        if (!inner.contentPackage || !inner.nonIntermediaryCertificates.some((c) => c.role === 'CipherCertificateAddressee')) {
          throw new SupplierFault('9300', 'reassembled StoreDelivery without ContentPackage or CipherCertificateAddressee');
        }
        const innerRequest: Request = { ...r, message: inner, dialog: undefined };
        const code = inner.signature ? await this.signatureCode(inner) : undefined;
        inside = code ? this.errorResponse(innerRequest, code) : await this.storeDelivery(innerRequest);
      } catch (error) {
        if (!(error instanceof SupplierFault)) throw error;
        this.log(`PartialStoreDelivery: reassembled message refused (${error.code}: ${error.detail.slice(0, 200)})`);
        inside = { type: 'ResponseToStoreDelivery', controlBlock: r.reply, feedback: [this.fb(error.code, r.lang)] };
      }
      return {
        type: 'ResponseToPartialStoreDelivery',
        controlBlock: r.reply,
        feedback: [ok],
        insideFeedback: 'feedback' in inside ? inside.feedback : [],
        ...('processCards' in inside && inside.processCards ? { processCards: inside.processCards } : {}),
        chunk,
      };
    } finally {
      await this.uploads.drop(key);
    }
  }

  /**
   * PartialFetchDelivery (EFFI, PROTOCOL.md §2.4, §11): a delivery whose complete ResponseToFetchDelivery is not
   * larger than the chunk size (the smaller of the client's ChunkSize and this intermediary's) is answered with
   * that normal response; otherwise the complete response (unencrypted, signed) is kept in an encrypted spool for
   * the dialog and handed out chunk by chunk, each chunk in its own encrypted and signed
   * ResponseToPartialFetchDelivery. The transfer counts as handed out when every chunk has been sent; the next
   * request is its receipt.
   */
  private async partialFetchDelivery(r: Request): Promise<ByteSource> {
    const dialog = r.dialog!;
    const info = r.message.order.chunkInformation;
    const rule = r.message.order.selectionRule;
    const chunkNumber = info?.chunkNumber;
    const requested = info?.chunkSize;
    // ChunkNumber, TotalChunkNumbers and TotalMessageSize are required (ResponseToPartialFetchDelivery.xsd): 0
    // where there is no transfer to describe
    const chunkError = (code: string, messageId = '') =>
      this.respond(r, {
        type: 'ResponseToPartialFetchDelivery',
        controlBlock: r.reply,
        feedback: [this.fb(code, r.lang)],
        ...(toRuleInput(rule) ? { selectionRuleEcho: toRuleInput(rule)! } : {}),
        chunk: {
          chunkNumber: chunkNumber ?? 0,
          totalChunkNumbers: dialog.partial?.totalChunks ?? 0,
          totalMessageSize: dialog.partial ? Math.floor(dialog.partial.message.size / 1024) : 0,
        },
        messageId,
        chunkBlob: bufferSource(Buffer.alloc(0)),
      });
    if (!chunkNumber || chunkNumber < 1 || !requested || requested < 1) return chunkError('9905');

    let partial = dialog.partial;
    const wanted = rule?.messageIds[0];
    if (partial && wanted !== undefined && wanted !== partial.messageId) {
      dialog.partial = undefined;
      await partial.release();
      partial = undefined;
    }
    if (!partial) {
      if (chunkNumber !== 1) return chunkError('9901', wanted ?? '');
      const { delivery, more } = this.select(dialog, rule);
      if (!delivery) return this.respond(r, this.nothingFound(r, '9803'));
      const forwarded = this.store.stampForwarding(delivery.seq, r.now);
      const full = await this.build(await this.deliverySpec(r, forwarded, more, r.reply));
      const chunkBytes = Math.min(this.chunkSize, requested * 1024);
      if (full.mime.size <= chunkBytes) {
        dialog.handedOut = forwarded.seq;
        this.log(`PartialFetchDelivery dialog ${dialog.id} → ResponseToFetchDelivery (${full.mime.size} bytes, not chunked)`);
        return encryptTransport(full.mime, r.answerTo, this.options.answer?.transport);
      }
      const spool = await SecureSpool.create();
      try {
        for await (const chunk of full.mime.stream()) await spool.write(chunk);
        spool.finish();
      } catch (error) {
        await spool.release();
        throw error;
      }
      partial = {
        seq: forwarded.seq,
        messageId: forwarded.messageId,
        message: spool,
        chunkBytes,
        totalChunks: Math.ceil(spool.size / chunkBytes),
        served: new Set<number>(),
        release: () => spool.release(),
      };
      dialog.partial = partial;
    }
    if (chunkNumber > partial.totalChunks) return chunkError('9901', partial.messageId);
    const start = (chunkNumber - 1) * partial.chunkBytes;
    const end = Math.min(partial.message.size, start + partial.chunkBytes);
    partial.served.add(chunkNumber);
    if (partial.served.size === partial.totalChunks) dialog.handedOut = partial.seq;
    const ruleEcho = toRuleInput(rule);
    return this.respond(r, {
      type: 'ResponseToPartialFetchDelivery',
      controlBlock: r.reply,
      feedback: [this.fb('0801', r.lang)],
      ...(ruleEcho ? { selectionRuleEcho: ruleEcho } : {}),
      chunk: { chunkNumber, totalChunkNumbers: partial.totalChunks, totalMessageSize: Math.floor(partial.message.size / 1024) },
      messageId: partial.messageId,
      chunkBlob: sliceSource(partial.message, start, end),
    });
  }
}
