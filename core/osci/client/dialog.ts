/**
 * The explicit dialog as a client (PROTOCOL.md §2.2, §2.4, §8): InitDialog → FetchDelivery* / FetchProcessCard /
 * PartialFetchDelivery → ExitDialog, transport-agnostic (a `post` function sends a body of exact length and
 * returns the response body as a stream).
 *
 * Every response is decrypted with the mailbox cipher key, its SupplierSignature verified and pinned, its
 * ControlBlock checked (Response = own Challenge, ConversationId, SequenceNumber); SOAP faults and 9xxx
 * feedback become PostfachErrors with the OSCI code. If a response cannot be decrypted or verified the dialog
 * sends nothing more (the next request would acknowledge it). A delivery must be confirmed as persisted
 * (`confirmPersisted()`) before the next request is sent. The dialog does not open the content layer: the fetch
 * engine (core/mailbox) decodes it, with every key of the mailbox, after the delivery arrived.
 */
import type { X509Certificate } from 'node:crypto';
import type { KeyEntry } from '../../pki/pkcs12.js';
import type { ByteSource } from '../../io/byte-source.js';
import { concatSources } from '../../io/byte-source.js';
import { SpoolScope } from '../../io/sink.js';
import { PostfachError } from '../../errors.js';
import { osciError } from '../errors.js';
import { decodeMessage, type DecodedMessage } from '../decode.js';
import { buildRequest, newChallenge, type RequestSpec, type SelectionRuleInput } from '../messages/build.js';
import type { CertificateInput } from '../messages/certificates.js';
import { checkResponseControlBlock } from '../messages/control-block.js';
import { feedbackText, isErrorCode } from '../messages/feedback-codes.js';
import type { FeedbackEntry, MessageType, ProcessCardBundle } from '../messages/model.js';
import { requireTrustedSignature } from '../signature/message-signature.js';
import type { TrustAnchors } from '../signature/trust.js';
import { encryptTransport, type TransportEncryptionOptions } from '../transport-encryption.js';

/** Sends one request body (exact length known: `body.size`) and returns the response body as a stream. */
export type PostFunction = (body: ByteSource) => Promise<AsyncIterable<Buffer | Uint8Array>>;

export interface ClientOptions {
  readonly post: PostFunction;
  /** The mailbox cipher key: its certificate is the mailbox identity, it decrypts every response. */
  readonly cipherKey: KeyEntry;
  /** The key for ClientSignature (may be the same entry as cipherKey). Without it requests go unsigned. */
  readonly signatureKey?: KeyEntry;
  /** The intermediary's encryption certificate (requests are encrypted for it). */
  readonly intermediaryCertificate: X509Certificate;
  /** Who must have signed every response: the intermediary signature certificate and/or a CA. */
  readonly intermediarySigner: TrustAnchors;
  readonly transport?: TransportEncryptionOptions;
  /** ClientSignature: signature method and reference digest (default RSA-SHA256 / ECDSA-SHA256 by key type, SHA-256). */
  readonly signatureAlgorithms?: { readonly signatureMethod?: string; readonly digestMethod?: string };
  readonly desiredLanguages?: string;
  /** Bytes up to which response data stays in memory; larger data goes to encrypted spools (default 4 MiB). */
  readonly spoolThreshold?: number;
}

export interface FetchedDelivery {
  readonly messageId: string | undefined;
  readonly subject: string | undefined;
  readonly feedback: readonly FeedbackEntry[];
  readonly processCard: ProcessCardBundle | undefined;
  /** 3800 was among the feedback: more deliveries are waiting. */
  readonly moreWaiting: boolean;
  readonly decoded: DecodedMessage;
  /** The raw response body as received (for the store: audit/export). */
  readonly rawResponse: ByteSource;
  /** Chunked transfer: the number of chunks it came in (1 = not chunked). */
  readonly chunks: number;
}

export type DialogState = 'open' | 'awaiting-persist' | 'closed' | 'abandoned';

interface SentRequest {
  readonly type: MessageType;
  readonly challenge: string;
  readonly conversationId: string | undefined;
  readonly sequenceNumber: number | undefined;
}

const RESPONSE_TYPE: Partial<Record<MessageType, readonly MessageType[]>> = {
  InitDialog: ['ResponseToInitDialog'],
  FetchDelivery: ['ResponseToFetchDelivery'],
  FetchProcessCard: ['ResponseToFetchProcessCard'],
  ExitDialog: ['ResponseToExitDialog'],
  PartialFetchDelivery: ['ResponseToPartialFetchDelivery', 'ResponseToFetchDelivery'],
  GetMessageId: ['ResponseToGetMessageId'],
  StoreDelivery: ['ResponseToStoreDelivery'],
};

function faultError(decoded: DecodedMessage): PostfachError {
  const f = decoded.message.fault!;
  const code = f.osciCode ?? '9000';
  return osciError('fault', `SOAP fault ${f.faultCode} ${code}`, {
    osciCode: code,
    text: { de: `Der Intermediär hat den Auftrag abgelehnt: ${feedbackText(code, 'de')}`, en: `The intermediary refused the request: ${feedbackText(code, 'en')}` },
  });
}

export function feedbackError(entry: FeedbackEntry): PostfachError {
  return osciError('osci-error', `feedback ${entry.code}`, {
    osciCode: entry.code,
    text: { de: `Der Intermediär meldet: ${feedbackText(entry.code, 'de')}`, en: `The intermediary reports: ${feedbackText(entry.code, 'en')}` },
  });
}

/** A request built, signed and encrypted, not yet sent. */
interface PreparedRequest {
  readonly sent: SentRequest;
  readonly body: Promise<ByteSource>;
}

/** Base for explicit and implicit exchanges: build, encrypt, post, decode, verify, check. */
class Exchange {
  protected readonly scopes: SpoolScope[] = [];
  constructor(protected readonly options: ClientOptions) {}

  protected ownCertificates(withCipher: boolean): CertificateInput[] {
    const certs: CertificateInput[] = [];
    if (withCipher) certs.push({ role: 'CipherCertificateOriginator', certificate: this.options.cipherKey.certificate });
    if (this.options.signatureKey) certs.push({ role: 'SignatureCertificateOriginator', certificate: this.options.signatureKey.certificate });
    return certs;
  }

  /** Builds, signs and encrypts a request (nothing is sent). */
  protected prepare(spec: RequestSpec, sent: SentRequest): PreparedRequest {
    const body = (async () => {
      const built = await buildRequest({
        ...spec,
        desiredLanguages: this.options.desiredLanguages ?? 'de',
        ...(this.options.signatureKey
          ? { signer: { privateKey: this.options.signatureKey.privateKey, certificate: this.options.signatureKey.certificate, ...this.options.signatureAlgorithms } }
          : {}),
      });
      return encryptTransport(built.mime, this.options.intermediaryCertificate, this.options.transport);
    })();
    // a failure is reported where the request is sent; a prepared request that is never sent reports nothing
    body.catch(() => undefined);
    return { sent, body };
  }

  /** Sends a request and returns the verified response (throws on anything that is not acceptable). */
  protected roundTrip(spec: RequestSpec, sent: SentRequest): Promise<{ decoded: DecodedMessage; raw: ByteSource }> {
    return this.exchange(this.prepare(spec, sent));
  }

  /** Sends a prepared request and returns the verified response. */
  protected async exchange(request: PreparedRequest): Promise<{ decoded: DecodedMessage; raw: ByteSource }> {
    const { sent } = request;
    const body = await request.body;
    let stream: AsyncIterable<Buffer | Uint8Array>;
    try {
      stream = await this.options.post(body);
    } catch (error) {
      if (error instanceof PostfachError) throw error;
      throw new PostfachError(
        'network',
        { de: 'Der Intermediär ist nicht erreichbar.', en: 'The intermediary cannot be reached.' },
        error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        { cause: error },
      );
    }
    const scope = new SpoolScope(this.options.spoolThreshold);
    this.scopes.push(scope);
    const raw = await scope.receive(stream);
    const decoded = await decodeMessage(raw, {
      keys: [this.options.cipherKey],
      anchors: this.options.intermediarySigner,
      requireEncryption: true,
      scope,
    });
    if (decoded.message.type === 'SOAPFault') throw faultError(decoded);
    requireTrustedSignature(decoded.signature, decoded.message.type);
    const expected = RESPONSE_TYPE[sent.type] ?? [];
    if (!expected.includes(decoded.message.type)) {
      throw osciError('malformed', `${decoded.message.type} received in answer to ${sent.type}`);
    }
    checkResponseControlBlock(decoded.message.type, decoded.message.controlBlock, sent);
    return { decoded, raw };
  }

  /** Deletes every spool of this exchange (call when the deliveries have been persisted). */
  async release(): Promise<void> {
    await Promise.all(this.scopes.splice(0).map((s) => s.release()));
  }
}

export class ExplicitDialog extends Exchange {
  private conversationId: string | undefined;
  private lastChallenge: string | undefined;
  private nextSequence = 0;
  private stateValue: DialogState = 'open';
  private abandonReason: PostfachError | undefined;
  /** The next FetchDelivery, prepared while the last delivery is being stored (sent only after confirmPersisted). */
  private preparedFetch: { readonly sequence: number; readonly response: string | undefined; readonly request: PreparedRequest } | undefined;

  private constructor(options: ClientOptions) {
    super(options);
  }

  /** Opens the dialog (InitDialog). */
  static async open(options: ClientOptions): Promise<ExplicitDialog> {
    const dialog = new ExplicitDialog(options);
    const challenge = newChallenge();
    const { decoded } = await dialog
      .guard(() =>
        dialog.roundTrip(
          {
            type: 'InitDialog',
            controlBlock: { conversationId: undefined, sequenceNumber: undefined, response: undefined, challenge },
            nonIntermediaryCertificates: dialog.ownCertificates(true),
          },
          { type: 'InitDialog', challenge, conversationId: undefined, sequenceNumber: undefined },
        ),
      )
      .catch(async (error: unknown) => {
        await dialog.release();
        throw error;
      });
    const cb = decoded.message.controlBlock!;
    dialog.conversationId = cb.conversationId;
    dialog.lastChallenge = cb.challenge;
    dialog.checkFeedback(decoded.message.feedback, 'InitDialog');
    return dialog;
  }

  get state(): DialogState {
    return this.stateValue;
  }

  get id(): string | undefined {
    return this.conversationId;
  }

  /** Confirms that the last delivery is stored durably; only then may the next request (its receipt) be sent. */
  confirmPersisted(): void {
    if (this.stateValue === 'awaiting-persist') this.stateValue = 'open';
  }

  /** Any failure to decrypt or verify a response ends the dialog on our side: nothing more is sent. */
  private async guard<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const e = error instanceof PostfachError ? error : osciError('malformed', error instanceof Error ? error.message : String(error), { cause: error });
      if (e.kind !== 'osci-error') {
        this.stateValue = 'abandoned';
        this.abandonReason = e;
      }
      throw e;
    }
  }

  private ensureCanSend(): void {
    if (this.stateValue === 'abandoned') {
      throw osciError('dialog-closed', `dialog abandoned after: ${this.abandonReason?.kind ?? 'error'}`);
    }
    if (this.stateValue === 'closed') throw osciError('dialog-closed', 'dialog already ended');
    if (this.stateValue === 'awaiting-persist') {
      throw osciError('dialog-closed', 'the last delivery has not been confirmed as persisted; sending would acknowledge it');
    }
  }

  private nextControl(): { spec: RequestSpec['controlBlock']; sent: (type: MessageType) => SentRequest } {
    const challenge = newChallenge();
    const seq = this.nextSequence;
    return {
      spec: { conversationId: this.conversationId, sequenceNumber: seq, response: this.lastChallenge, challenge },
      sent: (type) => ({ type, challenge, conversationId: this.conversationId, sequenceNumber: seq }),
    };
  }

  private advance(decoded: DecodedMessage): void {
    this.nextSequence++;
    this.lastChallenge = decoded.message.controlBlock?.challenge;
  }

  private checkFeedback(feedback: readonly FeedbackEntry[], what: string): void {
    const first = feedback[0];
    if (!first) throw osciError('malformed', `${what}: response without Feedback`);
    if (isErrorCode(first.code)) throw feedbackError(first);
  }

  private fetchDeliveryRequest(rule?: SelectionRuleInput): PreparedRequest {
    const cb = this.nextControl();
    return this.prepare(
      { type: 'FetchDelivery', controlBlock: cb.spec, nonIntermediaryCertificates: this.ownCertificates(false), ...(rule ? { selectionRule: rule } : {}) },
      cb.sent('FetchDelivery'),
    );
  }

  /**
   * Builds, signs and encrypts the next FetchDelivery (without a selection rule) now, while the delivery in hand is
   * being stored: the signature is computed in the thread pool beside the store's work. Nothing is sent — the
   * request goes out from fetchDelivery(), which still refuses to send before confirmPersisted().
   */
  prepareFetchDelivery(): void {
    if (this.stateValue !== 'open' && this.stateValue !== 'awaiting-persist') return;
    this.preparedFetch = { sequence: this.nextSequence, response: this.lastChallenge, request: this.fetchDeliveryRequest() };
  }

  /** The prepared FetchDelivery if it still continues the dialog as it stands (else undefined); taken once. */
  private takePrepared(rule: SelectionRuleInput | undefined): PreparedRequest | undefined {
    const p = this.preparedFetch;
    this.preparedFetch = undefined;
    return p && !rule && p.sequence === this.nextSequence && p.response === this.lastChallenge ? p.request : undefined;
  }

  /**
   * One FetchDelivery. Returns undefined when the mailbox holds nothing (more) matching (9803). After a delivery
   * the dialog waits for confirmPersisted().
   */
  async fetchDelivery(rule?: SelectionRuleInput): Promise<FetchedDelivery | undefined> {
    this.ensureCanSend();
    const request = this.takePrepared(rule) ?? this.fetchDeliveryRequest(rule);
    const { decoded, raw } = await this.guard(() => this.exchange(request));
    this.advance(decoded);
    return this.deliveryOf(decoded, raw, 1);
  }

  private async deliveryOf(decoded: DecodedMessage, raw: ByteSource, chunks: number): Promise<FetchedDelivery | undefined> {
    const feedback = decoded.message.feedback;
    const first = feedback[0];
    if (!first) throw osciError('malformed', 'ResponseToFetchDelivery without Feedback');
    if (first.code === '9803') return undefined;
    if (isErrorCode(first.code)) throw feedbackError(first);
    this.stateValue = 'awaiting-persist';
    return {
      messageId: decoded.message.order.messageId,
      subject: decoded.message.order.subject,
      feedback,
      processCard: decoded.message.processCards[0],
      moreWaiting: feedback.some((f) => f.code === '3800'),
      decoded,
      rawResponse: raw,
      chunks,
    };
  }

  /** FetchProcessCard; returns the bundles (empty for 9804) and whether more match (3801). */
  async fetchProcessCards(rule?: SelectionRuleInput, quantityLimit?: number): Promise<{ cards: readonly ProcessCardBundle[]; more: boolean }> {
    this.ensureCanSend();
    this.preparedFetch = undefined;
    const cb = this.nextControl();
    const { decoded } = await this.guard(() =>
      this.roundTrip(
        {
          type: 'FetchProcessCard',
          controlBlock: cb.spec,
          nonIntermediaryCertificates: this.ownCertificates(false),
          ...(rule ? { selectionRule: rule } : {}),
          ...(quantityLimit !== undefined ? { quantityLimit } : {}),
        },
        cb.sent('FetchProcessCard'),
      ),
    );
    this.advance(decoded);
    const first = decoded.message.feedback[0];
    if (first?.code === '9804') return { cards: [], more: false };
    this.checkFeedback(decoded.message.feedback, 'FetchProcessCard');
    return { cards: decoded.message.processCards, more: decoded.message.feedback.some((f) => f.code === '3801') };
  }

  /**
   * Chunked fetch (EFFI, PROTOCOL.md §2.4/§11): requests chunks of `chunkSizeKb` KB until the message is
   * complete, reassembles them (in an encrypted spool for large messages) and parses the result as an
   * unencrypted ResponseToFetchDelivery whose SupplierSignature must verify. An intermediary may answer the first
   * request with a normal ResponseToFetchDelivery.
   */
  async partialFetchDelivery(chunkSizeKb: number, rule?: SelectionRuleInput): Promise<FetchedDelivery | undefined> {
    const received: number[] = [];
    const chunks: ByteSource[] = [];
    let total: number | undefined;
    let messageId: string | undefined;
    let chunkNumber = 1;
    this.preparedFetch = undefined;
    for (;;) {
      this.ensureCanSend();
      const cb = this.nextControl();
      const selection = messageId ? { messageIds: [messageId] } : rule;
      const { decoded, raw } = await this.guard(() =>
        this.roundTrip(
          {
            type: 'PartialFetchDelivery',
            controlBlock: cb.spec,
            nonIntermediaryCertificates: this.ownCertificates(false),
            ...(selection ? { selectionRule: selection } : {}),
            chunk: { chunkNumber, chunkSize: chunkSizeKb, receivedChunks: [...received] },
          },
          cb.sent('PartialFetchDelivery'),
        ),
      );
      this.advance(decoded);
      if (decoded.message.type === 'ResponseToFetchDelivery') return this.deliveryOf(decoded, raw, 1);
      const first = decoded.message.feedback[0];
      if (!first) throw osciError('malformed', 'ResponseToPartialFetchDelivery without Feedback');
      if (first.code === '9803') return undefined;
      if (isErrorCode(first.code)) throw feedbackError(first);
      const info = decoded.message.order.chunkInformation;
      if (!info?.chunkNumber || !info.totalChunkNumbers || info.chunkNumber !== chunkNumber) {
        this.stateValue = 'abandoned';
        throw osciError('malformed', `chunk information missing or chunk ${info?.chunkNumber ?? '?'} instead of ${chunkNumber}`);
      }
      if (total !== undefined && info.totalChunkNumbers !== total) {
        this.stateValue = 'abandoned';
        throw osciError('malformed', 'TotalChunkNumbers changed between chunks');
      }
      total = info.totalChunkNumbers;
      if (total > 100_000) throw osciError('malformed', 'too many chunks');
      // osci:MessageId is required (ResponseToPartialFetchDelivery.xsd); without it the next chunk could not be
      // asked for by MessageId. No peer is known to write it in another namespace, so nothing else is looked at.
      const chunkOf = decoded.message.order.messageId;
      if (chunkOf === undefined || (messageId !== undefined && chunkOf !== messageId)) {
        this.stateValue = 'abandoned';
        throw osciError('malformed', chunkOf === undefined ? 'ResponseToPartialFetchDelivery without osci:MessageId' : 'chunk of another message than the previous chunks');
      }
      messageId = chunkOf;
      const blob = decoded.message.attachments.get('ChunkBlobStoreDelivery');
      if (!blob) {
        this.stateValue = 'abandoned';
        throw osciError('malformed', 'chunk attachment ChunkBlobStoreDelivery missing');
      }
      chunks.push(await blob.decoded());
      received.push(chunkNumber);
      if (chunkNumber === total) break;
      chunkNumber++;
    }
    // reassemble: the concatenated chunks are a complete, unencrypted, signed ResponseToFetchDelivery
    const scope = new SpoolScope(this.options.spoolThreshold);
    this.scopes.push(scope);
    const whole = concatSources(chunks);
    const assembled = await scope.sink(whole.size, whole.stream());
    const decoded = await this.guard(async () => {
      const d = await decodeMessage(assembled, { keys: [this.options.cipherKey], anchors: this.options.intermediarySigner, scope });
      if (d.message.type !== 'ResponseToFetchDelivery') throw osciError('malformed', `reassembled message is ${d.message.type}`);
      requireTrustedSignature(d.signature, 'reassembled ResponseToFetchDelivery');
      return d;
    });
    return this.deliveryOf(decoded, assembled, chunks.length);
  }

  /** Ends the dialog (ExitDialog; also acknowledges the last delivery). */
  async exit(): Promise<void> {
    if (this.stateValue === 'closed') return;
    this.ensureCanSend();
    this.preparedFetch = undefined;
    const cb = this.nextControl();
    const { decoded } = await this.guard(() =>
      this.roundTrip({ type: 'ExitDialog', controlBlock: cb.spec, nonIntermediaryCertificates: this.ownCertificates(false) }, cb.sent('ExitDialog')),
    );
    this.advance(decoded);
    this.stateValue = 'closed';
    this.checkFeedback(decoded.message.feedback, 'ExitDialog');
  }
}

/** Implicit-dialog requests of a sender (GetMessageId, StoreDelivery; PROTOCOL.md §2.1). */
export class ImplicitSender extends Exchange {
  async getMessageId(): Promise<string> {
    const challenge = newChallenge();
    const { decoded } = await this.roundTrip(
      {
        type: 'GetMessageId',
        controlBlock: { conversationId: undefined, sequenceNumber: 0, response: undefined, challenge },
        nonIntermediaryCertificates: this.ownCertificates(true),
      },
      { type: 'GetMessageId', challenge, conversationId: undefined, sequenceNumber: 0 },
    );
    const first = decoded.message.feedback[0];
    if (first && isErrorCode(first.code)) throw feedbackError(first);
    const id = decoded.message.order.messageId;
    await this.release();
    if (!id) throw osciError('malformed', 'ResponseToGetMessageId without MessageId');
    return id;
  }

  /**
   * StoreDelivery: the caller supplies the content package, attachments and all certificates (its own cipher and
   * signature certificates, CipherCertificateAddressee, readers/authors). Returns the feedback and process card.
   */
  async storeDelivery(input: {
    readonly messageId: string;
    readonly subject?: string;
    readonly contentPackageXml: string;
    readonly attachments?: RequestSpec['attachments'];
    readonly nonIntermediaryCertificates: readonly CertificateInput[];
  }): Promise<{ feedback: readonly FeedbackEntry[]; processCard: ProcessCardBundle | undefined }> {
    const challenge = newChallenge();
    const { decoded } = await this.roundTrip(
      {
        type: 'StoreDelivery',
        controlBlock: { conversationId: undefined, sequenceNumber: 0, response: undefined, challenge },
        messageId: input.messageId,
        ...(input.subject !== undefined ? { subject: input.subject } : {}),
        contentPackageXml: input.contentPackageXml,
        ...(input.attachments ? { attachments: input.attachments } : {}),
        nonIntermediaryCertificates: input.nonIntermediaryCertificates,
      },
      { type: 'StoreDelivery', challenge, conversationId: undefined, sequenceNumber: 0 },
    );
    const first = decoded.message.feedback[0];
    await this.release();
    if (first && isErrorCode(first.code)) throw feedbackError(first);
    return { feedback: decoded.message.feedback, processCard: decoded.message.processCards[0] };
  }
}
