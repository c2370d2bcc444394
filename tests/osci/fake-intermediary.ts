/**
 * A small OSCI intermediary for the protocol-core tests, written on the core/osci API (the product's intermediary
 * lives in intermediary/ and is another part): it decrypts requests with the intermediary key, checks the
 * ClientSignature and the ControlBlock chain, keeps a mailbox, stamps Creation/Forwarding/Reception (Reception
 * when the next request of the dialog arrives), and answers signed and encrypted for the client. `misbehave`
 * lets a test make one answer wrong in a chosen way.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import { bufferSource, readAll, sourceToReadable, type ByteSource } from '../../core/io/byte-source.js';
import { decodeMessage } from '../../core/osci/decode.js';
import { buildContainer, contentPackageXml, encryptContainer } from '../../core/osci/content/build.js';
import { buildFault, buildResponse, newChallenge, type AttachmentInput, type ResponseSpec } from '../../core/osci/messages/build.js';
import { certificateElementId, type CertificateInput } from '../../core/osci/messages/certificates.js';
import { feedbackEntry } from '../../core/osci/messages/feedback-codes.js';
import type { OsciMessage } from '../../core/osci/messages/model.js';
import { encryptTransport } from '../../core/osci/transport-encryption.js';
import { buildMultipart, soapPart } from '../../core/osci/mime/writer.js';
import { createSignatureXml, type SignerKey, type SignReference } from '../../core/osci/signature/sign.js';
import { ACTOR_NEXT, FIVE_NS_DECLS, NS } from '../../core/osci/xml/namespaces.js';
import { childElements, firstChild, parseXml } from '../../core/osci/xml/parse.js';
import type { KeyEntry } from '../../core/pki/pkcs12.js';

export interface StoredDelivery {
  readonly messageId: string;
  readonly subject: string;
  readonly contentPackageXml: string;
  readonly attachments: readonly AttachmentInput[];
  readonly certificates: readonly CertificateInput[];
  creation: string;
  forwarding?: string;
  reception?: string;
}

export type Misbehaviour =
  | 'undecryptable'
  | 'tamper-signature'
  | 'wrong-signer'
  | 'wrong-conversation'
  | 'wrong-sequence'
  | 'wrong-response'
  | 'unsigned'
  | 'fault-9400'
  | 'feedback-9600'
  | 'unencrypted'
  // hostile answers, each inside a correctly encrypted response unless said otherwise
  | 'doctype-bomb'
  | 'duplicate-id'
  | 'wrapping'
  | 'truncated-mime'
  | 'truncated-body'
  // a correctly signed ResponseToPartialFetchDelivery whose MessageId is osci2017:MessageId instead of the
  // schema's osci:MessageId (the fault our intermediary had; no real peer writes it)
  | 'effi-messageid-namespace';

/** An entity bomb in a DOCTYPE (a billion laughs in small). */
const ENTITY_BOMB = '<!DOCTYPE soap:Envelope [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>';

function replaceOnce(bytes: Buffer, from: string, to: string): Buffer {
  const i = bytes.indexOf(from);
  if (i < 0) throw new Error(`fake intermediary: ${from.slice(0, 40)} not found in the response`);
  return Buffer.concat([bytes.subarray(0, i), Buffer.from(to, 'latin1'), bytes.subarray(i + from.length)]);
}

/**
 * Signs an unsigned envelope as core/osci's builder does (every header block, the Body, every attachment; the
 * SupplierSignature after the ControlBlock) — for answers changed on purpose before signing.
 */
async function signEnvelope(envelope: string, attachments: readonly AttachmentInput[], signer: SignerKey, signerCertId: string): Promise<ByteSource> {
  const doc = parseXml(envelope, { what: 'fake answer' });
  const header = firstChild(doc.root, NS.soap, 'Header')!;
  const refs: SignReference[] = childElements(header).map((h) => ({ uri: `#${h.getAttribute('Id')}`, kind: 'xml' as const, element: h }));
  refs.push({ uri: '#body', kind: 'xml', element: firstChild(doc.root, NS.soap, 'Body')! });
  for (const a of attachments) refs.push({ uri: `cid:${a.contentId}`, kind: 'cid', data: a.data });
  const sig = await createSignatureXml(refs, signer, signerCertId, FIVE_NS_DECLS);
  const block = `<osci:SupplierSignature Id="suppliersignature" soap:actor="${ACTOR_NEXT}" soap:mustUnderstand="1">${sig}</osci:SupplierSignature>`;
  const at = envelope.indexOf('</osci:ControlBlock>') + '</osci:ControlBlock>'.length;
  const signed = envelope.slice(0, at) + block + envelope.slice(at);
  return buildMultipart([
    soapPart(signed),
    ...attachments.map((a) => ({
      contentType: 'application/octet-stream',
      transferEncoding: a.transferEncoding ?? '8bit',
      contentId: a.contentId,
      contentLength: true,
      body: a.data,
    })),
  ]);
}

/** The signed, still unencrypted response made hostile in the way asked for. */
function corrupt(mime: Buffer, how: 'doctype-bomb' | 'duplicate-id' | 'wrapping' | 'truncated-mime'): Buffer {
  switch (how) {
    case 'doctype-bomb':
      return replaceOnce(mime, '<soap:Envelope', `${ENTITY_BOMB}<soap:Envelope`);
    case 'duplicate-id':
      // a second element with the signed ControlBlock's Id
      return replaceOnce(mime, '</soap:Header>', '<x:Copy xmlns:x="urn:x"><osci:ControlBlock Id="controlblock"></osci:ControlBlock></x:Copy></soap:Header>');
    case 'wrapping': {
      // the signed ControlBlock moved into a wrapper (its digest still matches), a forged one in its place
      const xml = mime.toString('latin1');
      const start = xml.indexOf('<osci:ControlBlock');
      const end = xml.indexOf('</osci:ControlBlock>') + '</osci:ControlBlock>'.length;
      const forged = '<osci:ControlBlock ConversationId="1" SequenceNumber="0"><osci:Response>forged</osci:Response></osci:ControlBlock>';
      return Buffer.from(`${xml.slice(0, start)}${forged}<osci:Wrapper>${xml.slice(start, end)}</osci:Wrapper>${xml.slice(end)}`, 'latin1');
    }
    case 'truncated-mime':
      return mime.subarray(0, Math.floor(mime.length * 0.6));
  }
}

interface Dialog {
  readonly id: string;
  readonly clientCipher: X509Certificate;
  lastChallenge: string;
  nextSequence: number;
  handedOut: StoredDelivery | undefined;
  partial: Buffer | undefined;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class FakeIntermediary {
  readonly mailbox: StoredDelivery[] = [];
  readonly requests: string[] = [];
  private readonly dialogs = new Map<string, Dialog>();
  private conversationCounter = 5000;
  /** Misbehave in the answer to request number n (0-based over all requests). */
  misbehave: { atRequest: number; how: Misbehaviour } | undefined;
  /** Answer PartialFetchDelivery in chunks of this many bytes instead of ChunkSize KB (small test data). */
  chunkBytes: number | undefined;
  private server: http.Server | undefined;

  constructor(
    private readonly cipherKey: KeyEntry,
    private readonly signatureKey: KeyEntry,
    private readonly wrongKey: KeyEntry,
  ) {}

  get url(): string {
    const a = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${a.port}/osci`;
  }

  async listen(): Promise<void> {
    this.server = http.createServer((req, res) => {
      (async () => {
        const body = await readAll({ size: Number(req.headers['content-length']), stream: () => req as AsyncIterable<Buffer> }, 512 * 1024 * 1024);
        const answer = await this.handle(body);
        res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': String(answer.size) });
        sourceToReadable(answer).pipe(res);
      })().catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Puts a delivery into the mailbox as a sender would (content signed by the author, encrypted for the reader). */
  async store(input: {
    messageId: string;
    subject: string;
    author: KeyEntry;
    authorCipher: X509Certificate;
    reader: X509Certificate;
    document: Buffer;
    attachment?: { contentId: string; data: ByteSource };
  }): Promise<StoredDelivery> {
    const authorId = certificateElementId('SignatureCertificateOriginator', input.author.certificate);
    const readerId = certificateElementId('CipherCertificateAddressee', input.reader);
    const container = await buildContainer({
      id: 'contentcontainer0',
      contents: [
        { kind: 'base64', id: 'content0', data: input.document },
        ...(input.attachment ? [{ kind: 'attachment' as const, id: 'content1', contentId: input.attachment.contentId, data: input.attachment.data }] : []),
      ],
      signer: { privateKey: input.author.privateKey, certificate: input.author.certificate, certificateId: authorId },
    });
    const encrypted = await encryptContainer(container, [{ certificate: input.reader, certificateId: readerId }], { id: 'encdata_0' });
    const delivery: StoredDelivery = {
      messageId: input.messageId,
      subject: input.subject,
      contentPackageXml: contentPackageXml([encrypted]),
      attachments: container.attachments,
      certificates: [
        { role: 'CipherCertificateOriginator', certificate: input.authorCipher },
        { role: 'CipherCertificateAddressee', certificate: input.reader },
        { role: 'SignatureCertificateOriginator', certificate: input.author.certificate },
      ],
      creation: now(),
    };
    this.mailbox.push(delivery);
    return delivery;
  }

  private card(d: StoredDelivery) {
    return {
      messageId: d.messageId,
      recentModification: d.reception ?? d.forwarding ?? d.creation,
      creation: d.creation,
      ...(d.forwarding ? { forwarding: d.forwarding } : {}),
      ...(d.reception ? { reception: d.reception } : {}),
      subject: d.subject,
    };
  }

  async handle(body: Buffer): Promise<ByteSource> {
    const index = this.requests.length;
    const decoded = await decodeMessage(bufferSource(body), { keys: [this.cipherKey] });
    const m = decoded.message;
    this.requests.push(m.type);
    const how = this.misbehave?.atRequest === index ? this.misbehave.how : undefined;
    if (how === 'fault-9400') return buildFault('9400', 'ConversationId oder SequenceNumber oder Response nicht korrekt');
    if (decoded.signature.present && !decoded.signature.valid) return buildFault('9601', 'Signatur ungültig', 'soap:Client');
    const cb = m.controlBlock!;
    let dialog: Dialog | undefined;
    let spec: ResponseSpec;
    const signerCerts: CertificateInput[] = [
      { role: 'SignatureCertificateIntermediary', certificate: how === 'wrong-signer' ? this.wrongKey.certificate : this.signatureKey.certificate },
    ];
    const common = () => ({ intermediaryCertificates: signerCerts });
    const reply = (challenge: string | undefined) => ({
      conversationId: how === 'wrong-conversation' ? '999999' : dialog!.id,
      sequenceNumber: cb.sequenceNumber === undefined ? undefined : how === 'wrong-sequence' ? cb.sequenceNumber + 7 : cb.sequenceNumber,
      response: how === 'wrong-response' ? newChallenge() : cb.challenge,
      challenge,
    });
    if (m.type === 'InitDialog') {
      const cipher = m.nonIntermediaryCertificates.find((c) => c.role === 'CipherCertificateOriginator')!.certificate;
      dialog = { id: String(++this.conversationCounter), clientCipher: cipher, lastChallenge: newChallenge(), nextSequence: 0, handedOut: undefined, partial: undefined };
      this.dialogs.set(dialog.id, dialog);
      spec = { type: 'ResponseToInitDialog', controlBlock: { ...reply(dialog.lastChallenge), sequenceNumber: undefined }, feedback: [feedbackEntry('0801')], ...common() };
    } else {
      dialog = this.dialogs.get(cb.conversationId ?? '');
      if (!dialog || cb.response !== dialog.lastChallenge || cb.sequenceNumber !== dialog.nextSequence) {
        return buildFault('9400', 'ConversationId oder SequenceNumber oder Response nicht korrekt');
      }
      // the next request of the dialog is the receipt for what was handed out before
      if (dialog.handedOut && !dialog.partial) {
        dialog.handedOut.reception = now();
        dialog.handedOut = undefined;
      }
      dialog.nextSequence++;
      dialog.lastChallenge = newChallenge();
      spec = await this.order(m, dialog, reply, common, how);
    }
    const signer = { privateKey: (how === 'wrong-signer' ? this.wrongKey : this.signatureKey).privateKey, certificate: signerCerts[0]!.certificate };
    const built = await buildResponse({ ...spec, ...(how === 'unsigned' || how === 'effi-messageid-namespace' ? {} : { signer }) });
    let mime = built.mime;
    if (how === 'effi-messageid-namespace') {
      if (spec.type !== 'ResponseToPartialFetchDelivery') throw new Error('fake intermediary: effi-messageid-namespace needs a chunk response');
      const envelope = built.envelope!.replace(
        /<osci:MessageId>([^<]*)<\/osci:MessageId><\/osci2017:responseToPartialFetchDelivery>/,
        '<osci2017:MessageId>$1</osci2017:MessageId></osci2017:responseToPartialFetchDelivery>',
      );
      if (envelope === built.envelope) throw new Error('fake intermediary: MessageId not found');
      mime = await signEnvelope(envelope, spec.attachments ?? [], signer, certificateElementId('SignatureCertificateIntermediary', signer.certificate));
    }
    if (how === 'tamper-signature') {
      const bytes = Buffer.from(await readAll(mime, 1e9));
      const at = bytes.indexOf('<ds:SignatureValue>') + '<ds:SignatureValue>'.length + 10;
      bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
      mime = bufferSource(bytes);
    }
    if (how === 'doctype-bomb' || how === 'duplicate-id' || how === 'wrapping' || how === 'truncated-mime') {
      mime = bufferSource(corrupt(Buffer.from(await readAll(mime, 1e9)), how));
    }
    if (how === 'unencrypted') return mime;
    const encrypted = encryptTransport(mime, how === 'undecryptable' ? this.wrongKey.certificate : dialog.clientCipher);
    if (how === 'truncated-body') {
      // the HTTP body itself breaks off (the Content-Length says this shorter size: no network error, a cut message)
      const whole = Buffer.from(await readAll(encrypted, 1e9));
      return bufferSource(whole.subarray(0, Math.floor(whole.length * 0.6)));
    }
    return encrypted;
  }

  private async order(
    m: OsciMessage,
    dialog: Dialog,
    reply: (challenge: string | undefined) => ResponseSpec['controlBlock'],
    common: () => { intermediaryCertificates: CertificateInput[] },
    how: Misbehaviour | undefined,
  ): Promise<ResponseSpec> {
    const pending = () => this.mailbox.filter((d) => !d.reception);
    switch (m.type) {
      case 'FetchDelivery': {
        if (how === 'feedback-9600') return { type: 'ResponseToFetchDelivery', controlBlock: reply(dialog.lastChallenge), feedback: [feedbackEntry('9600')], ...common() };
        const rule = m.order.selectionRule;
        const d = rule?.messageIds.length ? this.mailbox.find((x) => x.messageId === rule.messageIds[0]) : pending()[0];
        if (!d) return { type: 'ResponseToFetchDelivery', controlBlock: reply(dialog.lastChallenge), feedback: [feedbackEntry('9803')], ...common() };
        d.forwarding = now();
        dialog.handedOut = d;
        const more = pending().filter((x) => x !== d).length > 0;
        return {
          type: 'ResponseToFetchDelivery',
          controlBlock: reply(dialog.lastChallenge),
          feedback: [feedbackEntry('0801'), ...(more ? [feedbackEntry('3800')] : [])],
          ...(rule?.messageIds.length ? { selectionRuleEcho: { messageIds: rule.messageIds } } : {}),
          processCards: [this.card(d)],
          contentPackageXml: d.contentPackageXml,
          attachments: d.attachments,
          nonIntermediaryCertificates: d.certificates,
          ...common(),
        };
      }
      case 'PartialFetchDelivery': {
        const info = m.order.chunkInformation!;
        const size = this.chunkBytes ?? (info.chunkSize ?? 1024) * 1024;
        if (info.chunkNumber === 1) {
          const d = pending()[0];
          if (!d)
            return {
              type: 'ResponseToPartialFetchDelivery',
              controlBlock: reply(dialog.lastChallenge),
              feedback: [feedbackEntry('9803')],
              chunk: {},
              messageId: '',
              chunkBlob: bufferSource(Buffer.alloc(0)),
              ...common(),
            };
          d.forwarding = now();
          dialog.handedOut = d;
          const full = await buildResponse({
            type: 'ResponseToFetchDelivery',
            controlBlock: reply(newChallenge()),
            feedback: [feedbackEntry('0801')],
            processCards: [this.card(d)],
            contentPackageXml: d.contentPackageXml,
            attachments: d.attachments,
            nonIntermediaryCertificates: d.certificates,
            ...common(),
            signer: { privateKey: this.signatureKey.privateKey, certificate: this.signatureKey.certificate },
          });
          dialog.partial = Buffer.from(await readAll(full.mime, 1e9));
        }
        const whole = dialog.partial!;
        const total = Math.ceil(whole.length / size);
        const n = info.chunkNumber!;
        const chunk = whole.subarray((n - 1) * size, Math.min(whole.length, n * size));
        const d = dialog.handedOut!;
        if (n === total) dialog.partial = undefined;
        return {
          type: 'ResponseToPartialFetchDelivery',
          controlBlock: reply(dialog.lastChallenge),
          feedback: [feedbackEntry('0801')],
          chunk: { chunkNumber: n, totalChunkNumbers: total, totalMessageSize: Math.floor(whole.length / 1024) },
          messageId: d.messageId,
          chunkBlob: bufferSource(Buffer.from(chunk)),
          ...common(),
        };
      }
      case 'FetchProcessCard':
        return {
          type: 'ResponseToFetchProcessCard',
          controlBlock: reply(dialog.lastChallenge),
          feedback: [feedbackEntry(this.mailbox.length ? '0801' : '9804')],
          processCards: this.mailbox.map((d) => this.card(d)),
          ...common(),
        };
      case 'ExitDialog':
        this.dialogs.delete(dialog.id);
        return { type: 'ResponseToExitDialog', controlBlock: reply(undefined), feedback: [feedbackEntry('0800')], ...common() };
      default:
        throw new Error(`fake intermediary: ${m.type} not supported`);
    }
  }
}
