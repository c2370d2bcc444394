/**
 * Building every OSCI request and response in the library-compatible form (PROTOCOL.md §4.2): envelope with the
 * five namespace declarations, header blocks in schema order each repeating the five declarations, Body with
 * Id `body`, the signature wrapper (ClientSignature / SupplierSignature) referencing every header block, the
 * Body and every attachment, KeyInfo by RetrievalMethod to the signer's certificate element. The result is the
 * inner MIME entity as a ByteSource of known length; transport-encryption.ts wraps it for the recipient.
 */
import { createHash, randomBytes } from 'node:crypto';
import { bufferSource, concatSources, type ByteSource } from '../../io/byte-source.js';
import { osciError } from '../errors.js';
import { DEFAULTS, digestAlgorithm } from '../crypto/algorithms.js';
import { digestCanonical } from '../xml/c14n.js';
import { buildMultipart, newBoundary, soapPart, soapPartOf, type MimePartInput } from '../mime/writer.js';
import { createSignatureXml, type SignerKey, type SignReference } from '../signature/sign.js';
import { ACTOR_NEXT, ACTOR_NONE, FIVE_NS_DECLS, NS, schemaLocation } from '../xml/namespaces.js';
import { childElements, parseXmlSource } from '../xml/parse.js';
import { el, escapeText } from '../xml/write.js';
import { intermediaryCertificatesContent, nonIntermediaryCertificatesContent, type CertificateInput } from './certificates.js';
import type { ChunkInformation, ControlBlock, FeedbackEntry, MessageType, ProcessCardBundle, Timestamp } from './model.js';

/** A fresh Challenge as the library makes them: base64 of 10 random bytes. */
export function newChallenge(): string {
  return randomBytes(10).toString('base64');
}

export function encodeMessageId(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64');
}

export interface AttachmentInput {
  readonly contentId: string;
  /** Bytes as transported (content-encrypted ciphertext, or plaintext for unencrypted attachments). */
  readonly data: ByteSource;
  /** Content-Transfer-Encoding to write: `8bit` (default), `binary`, `8-bit`, `base64`. */
  readonly transferEncoding?: string;
  /** SHA-256 of `data`, computed earlier (the intermediary at intake): a SHA-256 signature does not hash it again. */
  readonly sha256?: Buffer;
}

export interface CommonInput {
  readonly controlBlock: ControlBlock;
  /** ClientSignature (requests) / SupplierSignature (responses); unsigned without. */
  readonly signer?: SignerKey;
  readonly nonIntermediaryCertificates?: readonly CertificateInput[];
  readonly intermediaryCertificates?: readonly CertificateInput[];
  /** Extra header blocks (verbatim XML, each with an Id; signed like all others). */
  readonly customHeaders?: readonly string[];
  readonly attachments?: readonly AttachmentInput[];
  readonly boundary?: string;
}

export interface RequestExtras {
  /** `LanguagesList` of DesiredLanguages (default `de`). */
  readonly desiredLanguages?: string;
  /** Write osci2017:FeatureDescription (default true, with the library's feature list). */
  readonly featureDescription?: boolean;
}

export type RequestSpec = CommonInput &
  RequestExtras &
  (
    | { readonly type: 'InitDialog' }
    | { readonly type: 'ExitDialog' }
    | { readonly type: 'GetMessageId' }
    | {
        readonly type: 'StoreDelivery';
        readonly messageId: string;
        readonly subject?: string;
        readonly qualityOfTimestamp?: { readonly creation?: 'plain' | 'cryptographic'; readonly reception?: 'plain' | 'cryptographic' };
        /** Complete `<osci:ContentPackage>…</osci:ContentPackage>` XML. */
        /** The ContentPackage: text, or a byte source streamed into the message (large packages). */
        readonly contentPackageXml: string | ByteSource;
      }
    | { readonly type: 'FetchDelivery'; readonly selectionRule?: SelectionRuleInput }
    | { readonly type: 'FetchProcessCard'; readonly selectionRule?: SelectionRuleInput; readonly quantityLimit?: number }
    | { readonly type: 'PartialFetchDelivery'; readonly selectionRule?: SelectionRuleInput; readonly chunk: ChunkInput }
    | {
        readonly type: 'PartialStoreDelivery';
        readonly messageId: string;
        readonly subject?: string;
        readonly chunk: ChunkInput;
        readonly chunkBlob: ByteSource;
      }
  );

export type ResponseSpec = CommonInput &
  (
    | { readonly type: 'ResponseToInitDialog'; readonly feedback: readonly FeedbackEntry[] }
    | { readonly type: 'ResponseToExitDialog'; readonly feedback: readonly FeedbackEntry[] }
    | { readonly type: 'ResponseToGetMessageId'; readonly feedback: readonly FeedbackEntry[]; readonly messageId?: string }
    | { readonly type: 'ResponseToStoreDelivery'; readonly feedback: readonly FeedbackEntry[]; readonly processCards?: readonly ProcessCardInput[] }
    | {
        readonly type: 'ResponseToFetchDelivery';
        readonly feedback: readonly FeedbackEntry[];
        readonly selectionRuleEcho?: SelectionRuleInput;
        readonly processCards?: readonly ProcessCardInput[];
        /** `<osci:ContentPackage>…</osci:ContentPackage>`; default: empty element (nothing delivered). */
        /** The ContentPackage: text, or a byte source streamed into the message (large packages). */
        readonly contentPackageXml?: string | ByteSource;
        /**
         * responseBodySha256() of exactly this ContentPackage, computed earlier (the intermediary at intake): a
         * SHA-256 signature then neither parses nor hashes the package again.
         */
        readonly contentPackageBodySha256?: Buffer;
      }
    | {
        readonly type: 'ResponseToFetchProcessCard';
        readonly feedback: readonly FeedbackEntry[];
        readonly selectionRuleEcho?: SelectionRuleInput;
        readonly quantityLimitEcho?: number;
        readonly processCards?: readonly ProcessCardInput[];
      }
    | {
        readonly type: 'ResponseToPartialFetchDelivery';
        readonly feedback: readonly FeedbackEntry[];
        readonly selectionRuleEcho?: SelectionRuleInput;
        readonly chunk: ChunkInput;
        readonly messageId: string;
        readonly chunkBlob: ByteSource;
      }
    | {
        readonly type: 'ResponseToPartialStoreDelivery';
        readonly feedback: readonly FeedbackEntry[];
        readonly insideFeedback?: readonly FeedbackEntry[];
        readonly chunk: ChunkInput;
        readonly processCards?: readonly ProcessCardInput[];
      }
  );

export interface SelectionRuleInput {
  readonly messageIds?: readonly string[];
  readonly receptionOfDelivery?: string;
  readonly recentModification?: string;
  readonly noReception?: boolean;
  readonly role?: 'Addressee' | 'Originator';
}

export type ChunkInput = Partial<Omit<ChunkInformation, 'receivedChunks'>> & { readonly receivedChunks?: readonly number[] };

export interface ProcessCardInput {
  readonly messageId: string;
  readonly recentModification?: string;
  readonly creation?: string | Timestamp;
  readonly forwarding?: string | Timestamp;
  readonly reception?: string | Timestamp;
  readonly subject?: string;
  readonly inspections?: ProcessCardBundle['inspections'];
}

export interface BuiltMessage {
  readonly type: MessageType;
  /** The SOAP envelope as text; undefined when the Body was streamed from a source (it is never held whole). */
  readonly envelope: string | undefined;
  /** The inner MIME entity (what transport encryption encrypts, or what is sent unencrypted). */
  readonly mime: ByteSource;
  readonly controlBlock: ControlBlock;
}

const LIBRARY_FEATURES: ReadonlyArray<readonly [string, string]> = [
  ['DisableBase64', '1.2.0'],
  ['OAEPEncryption', '1.6.0'],
  ['SHA3HashAlgo', '1.6.3'],
  ['GCMPaddingModus', '1.7.0'],
  ['PartialMessageTransmission', '1.8.0'],
  ['Support96Bit12ByteIV', '1.9.0'],
];

// ---------------------------------------------------------------------------------------------------------------
// pieces

/**
 * Unqualified attributes in the order canonical XML gives them (C14N 1.0 §2.2: by code point of the local name).
 * Not `localeCompare`: the names are ASCII, where it would order case differently, and its first call in a thread
 * loads ICU's collator (≈ 6 ms in a fresh thread, measured).
 */
const byCodePoint = (x: readonly [string, string], y: readonly [string, string]): number => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0);

function block(name: string, id: string, attrs: ReadonlyArray<readonly [string, string | undefined]>, content: string, actor = ACTOR_NEXT, extraDecls = ''): string {
  const a = [...attrs, ['Id', id] as const]
    .filter((x): x is readonly [string, string] => x[1] !== undefined)
    .sort(byCodePoint)
    .map(([k, v]) => ` ${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`)
    .join('');
  return `<${name} ${FIVE_NS_DECLS}${extraDecls}${a} soap:actor="${actor}" soap:mustUnderstand="1">${content}</${name}>`;
}

function controlBlockXml(cb: ControlBlock): string {
  const content =
    (cb.response !== undefined ? el('osci:Response', [], escapeText(cb.response)) : '') + (cb.challenge !== undefined ? el('osci:Challenge', [], escapeText(cb.challenge)) : '');
  return block(
    'osci:ControlBlock',
    'controlblock',
    [
      ['ConversationId', cb.conversationId],
      ['SequenceNumber', cb.sequenceNumber === undefined ? undefined : String(cb.sequenceNumber)],
    ],
    content,
  );
}

function featureDescriptionXml(): string {
  const features = LIBRARY_FEATURES.map(([k, v]) =>
    el('osci2017:Feature', [
      ['Key', k],
      ['Version', v],
    ]),
  ).join('');
  return `<osci2017:FeatureDescription ${FIVE_NS_DECLS} xmlns:osci2017="${NS.osci2017}" Id="featuredescription">${el('osci2017:SupportedFeatures', [], features)}</osci2017:FeatureDescription>`;
}

function feedbackEntriesXml(entries: readonly FeedbackEntry[]): string {
  return entries.map((e) => el('osci:Entry', [['xml:lang', e.lang ?? 'de']], el('osci:Code', [], e.code) + el('osci:Text', [], escapeText(e.text)))).join('');
}

export function feedbackXml(entries: readonly FeedbackEntry[]): string {
  return el('osci:Feedback', [], feedbackEntriesXml(entries));
}

export function selectionRuleXml(rule: SelectionRuleInput | undefined): string {
  if (!rule) return '';
  let inner = '';
  for (const id of rule.messageIds ?? []) inner += el('osci:MessageId', [], encodeMessageId(id));
  const dateAttrs: Array<[string, string | undefined]> = [
    ['NoReception', rule.noReception === undefined ? undefined : String(rule.noReception)],
    ['Role', rule.role],
  ];
  if (rule.receptionOfDelivery) inner += el('osci:ReceptionOfDelivery', dateAttrs, rule.receptionOfDelivery);
  if (rule.recentModification) inner += el('osci:RecentModification', dateAttrs, rule.recentModification);
  return el('osci:SelectionRule', [], inner);
}

/** ChunkInformation with the attributes given (each message type's schema requires and prohibits its own set). */
function chunkXml(c: ChunkInput): string {
  const num = (n: number | undefined) => (n === undefined ? undefined : String(n));
  const attrs: Array<[string, string | undefined]> = [
    ['ChunkNumber', num(c.chunkNumber)],
    ['ChunkSize', num(c.chunkSize)],
    ['ReceivedChunks', c.receivedChunks === undefined ? undefined : c.receivedChunks.length === 0 ? '-1' : c.receivedChunks.join(' ')],
    ['TotalChunkNumbers', num(c.totalChunkNumbers)],
    ['TotalMessageSize', num(c.totalMessageSize)],
  ];
  return el('osci2017:ChunkInformation', attrs);
}

function timestampXml(name: string, t: string | Timestamp | undefined): string {
  if (t === undefined) return '';
  if (typeof t === 'string') return el(name, [], el('osci:Plain', [], t));
  if (t.cryptographic) return el(name, [], el('osci:Cryptographic', [['Algorithm', t.cryptographic.algorithm]], t.cryptographic.value));
  return el(name, [], el('osci:Plain', [], t.plain ?? ''));
}

export function processCardBundleXml(p: ProcessCardInput): string {
  const card = el(
    'osci:ProcessCard',
    [['RecentModification', p.recentModification]],
    timestampXml('osci:Creation', p.creation) +
      timestampXml('osci:Forwarding', p.forwarding) +
      timestampXml('osci:Reception', p.reception) +
      (p.subject !== undefined ? el('osci:Subject', [], escapeText(p.subject)) : ''),
  );
  const inspections = (p.inspections ?? [])
    .map((i) =>
      el(
        'osci:Inspection',
        [],
        (i.timestamp ? timestampXml('osci:Timestamp', i.timestamp) : '') +
          el('osci:X509SubjectName', [], escapeText(i.subjectName ?? '')) +
          el('osci:X509IssuerName', [], escapeText(i.issuerName ?? '')) +
          el('osci:X509SerialNumber', [], escapeText(i.serialNumber ?? '')) +
          el('osci:CertType', [['Type', i.certType ?? 'unknown']]) +
          el('osci:MathResult', [['Result', i.mathResult ?? 'indeterminate']]) +
          el('osci:OfflineResult', [['Result', i.offlineResult ?? 'indeterminate']]) +
          (i.onlineResult ? el('osci:OnlineResult', [['Result', i.onlineResult]]) : ''),
      ),
    )
    .join('');
  return el('osci:ProcessCardBundle', [], el('osci:MessageId', [], encodeMessageId(p.messageId)) + card + el('osci:InspectionReport', [], inspections));
}

// ---------------------------------------------------------------------------------------------------------------
// assembly

interface Assembly {
  readonly type: MessageType;
  readonly wrapper: 'ClientSignature' | 'SupplierSignature';
  /** Header blocks in order, the signature wrapper is inserted after the ControlBlock. */
  readonly headers: readonly string[];
  /** The Body's content: text, or a source streamed into the message. */
  readonly bodyContent: string | ByteSource;
  readonly attachments: readonly AttachmentInput[];
  readonly signer: SignerKey | undefined;
  /** Id of the signer's certificate element (for RetrievalMethod). */
  readonly signerCertId: string | undefined;
  readonly controlBlock: ControlBlock;
  readonly boundary: string | undefined;
  /** SHA-256 of the canonical Body, computed earlier (responseBodySha256). */
  readonly bodySha256?: Buffer | undefined;
}

/** `before` + the Body's content + `after` as one source; the content is streamed when it is a source. */
function around(before: string, content: string | ByteSource, after: string): ByteSource {
  if (typeof content === 'string') return bufferSource(Buffer.from(`${before}${content}${after}`, 'utf8'));
  return concatSources([bufferSource(Buffer.from(before, 'utf8')), content, bufferSource(Buffer.from(after, 'utf8'))]);
}

const BODY_OPEN = `<soap:Body ${FIVE_NS_DECLS} Id="body">`;
const BODY_CLOSE = '</soap:Body></soap:Envelope>';
const envelopeOpen = (type: MessageType): string => `<soap:Envelope ${FIVE_NS_DECLS} xsi:schemaLocation="${schemaLocation(type)}">`;

/**
 * What responseBodySha256() depends on besides the ContentPackage (the Body's wrapper and namespace context): a
 * digest kept from before is only used while this is unchanged.
 */
export const RESPONSE_BODY_FORM = createHash('sha256')
  .update(`1 ${envelopeOpen('ResponseToFetchDelivery')} ${BODY_OPEN} ${BODY_CLOSE}`)
  .digest('hex')
  .slice(0, 32);

/**
 * The SHA-256 digest of the canonical soap:Body of a ResponseToFetchDelivery carrying `contentPackage`, exactly as
 * the SupplierSignature's `#body` reference computes it (inclusive C14N depends only on the Body and the namespace
 * declarations in scope, which are fixed): an intermediary can compute it once when the delivery comes in.
 */
export async function responseBodySha256(contentPackage: string | ByteSource): Promise<Buffer> {
  const doc = await parseXmlSource(around(`${envelopeOpen('ResponseToFetchDelivery')}<soap:Header></soap:Header>${BODY_OPEN}`, contentPackage, BODY_CLOSE), {
    what: 'ContentPackage',
  });
  return digestCanonical(childElements(doc.root, NS.soap, 'Body')[0]!, 'sha256');
}

async function assemble(a: Assembly): Promise<BuiltMessage> {
  const bodyOpen = BODY_OPEN;
  const bodyClose = BODY_CLOSE;
  const open = envelopeOpen(a.type);
  const [cb, ...rest] = a.headers;
  let signatureBlock = '';
  if (a.signer) {
    if (!a.signerCertId) throw osciError('malformed', 'signer certificate missing from the certificate header blocks');
    // large payload text stays out of the DOM (streamed when hashed); a ContentPackage given as a source is read
    // from it, never held whole
    const hash = digestAlgorithm(a.signer.digestMethod ?? DEFAULTS.digest).hash;
    // digests computed earlier count only for SHA-256; the Body is then not parsed at all (only the header blocks)
    const bodySha256 = hash === 'sha256' ? a.bodySha256 : undefined;
    const unsigned = around(`${open}<soap:Header>${a.headers.join('')}</soap:Header>${bodyOpen}`, bodySha256 ? '' : a.bodyContent, bodyClose);
    const doc = await parseXmlSource(unsigned, { what: 'message to sign' });
    const refs: SignReference[] = [];
    const header = childElements(doc.root, NS.soap, 'Header')[0]!;
    for (const h of childElements(header)) {
      const id = h.getAttribute('Id');
      if (!id) throw osciError('malformed', `header block ${h.localName} without Id cannot be signed`);
      refs.push({ uri: `#${id}`, kind: 'xml', element: h });
    }
    refs.push(bodySha256 ? { uri: '#body', kind: 'xml-digest', hash, digest: bodySha256 } : { uri: '#body', kind: 'xml', element: childElements(doc.root, NS.soap, 'Body')[0]! });
    for (const att of a.attachments) {
      const uri = `cid:${att.contentId}`;
      refs.push(att.sha256 && hash === 'sha256' ? { uri, kind: 'cid-digest', hash, digest: att.sha256 } : { uri, kind: 'cid', data: att.data });
    }
    const sig = await createSignatureXml(refs, a.signer, a.signerCertId, FIVE_NS_DECLS);
    const wrapperId = a.wrapper === 'ClientSignature' ? 'clientsignature' : 'suppliersignature';
    signatureBlock = `<osci:${a.wrapper} Id="${wrapperId}" soap:actor="${ACTOR_NEXT}" soap:mustUnderstand="1">${sig}</osci:${a.wrapper}>`;
  }
  const head = `${open}<soap:Header>${cb ?? ''}${signatureBlock}${rest.join('')}</soap:Header>${bodyOpen}`;
  const envelope = typeof a.bodyContent === 'string' ? `${head}${a.bodyContent}${bodyClose}` : undefined;
  const parts: MimePartInput[] = [envelope === undefined ? soapPartOf(around(head, a.bodyContent, bodyClose)) : soapPart(envelope)];
  for (const att of a.attachments) {
    parts.push({
      contentType: 'application/octet-stream',
      transferEncoding: att.transferEncoding ?? '8bit',
      contentId: att.contentId,
      contentLength: true,
      body: att.data,
    });
  }
  return { type: a.type, envelope, mime: buildMultipart(parts, a.boundary ?? newBoundary()), controlBlock: a.controlBlock };
}

function certificateBlocks(spec: CommonInput, signerRoles: readonly string[]): { non: string; inter: string; signerCertId: string | undefined } {
  const nonCerts = spec.nonIntermediaryCertificates ?? [];
  const interCerts = spec.intermediaryCertificates ?? [];
  const non = nonIntermediaryCertificatesContent(nonCerts);
  const inter = intermediaryCertificatesContent(interCerts);
  let signerCertId: string | undefined;
  if (spec.signer) {
    const all = [...nonCerts.map((c) => [c, non.ids.get(c)] as const), ...interCerts.map((c) => [c, inter.ids.get(c)] as const)];
    const match = all.find(([c]) => signerRoles.includes(c.role) && c.certificate.raw.equals(spec.signer!.certificate.raw));
    signerCertId = match?.[1];
  }
  return {
    non: nonCerts.length ? block('osci:NonIntermediaryCertificates', 'nonintermediarycertificates', [], non.xml, ACTOR_NONE) : '',
    inter: interCerts.length ? block('osci:IntermediaryCertificates', 'intermediarycertificates', [], inter.xml, ACTOR_NONE) : '',
    signerCertId,
  };
}

const CLIENT_SIGNER_ROLES = ['SignatureCertificateOriginator', 'SignatureCertificateAddressee', 'SignatureCertificateOtherAuthor'];
const SUPPLIER_SIGNER_ROLES = ['SignatureCertificateIntermediary'];

export async function buildRequest(spec: RequestSpec): Promise<BuiltMessage> {
  const certs = certificateBlocks(spec, CLIENT_SIGNER_ROLES);
  const headers: string[] = [controlBlockXml(spec.controlBlock)];
  headers.push(block('osci:DesiredLanguages', 'desiredlanguages', [['LanguagesList', spec.desiredLanguages ?? 'de']], ''));
  let bodyContent: string | ByteSource = '';
  let attachments: AttachmentInput[] = [...(spec.attachments ?? [])];
  switch (spec.type) {
    case 'InitDialog':
      if (!(spec.nonIntermediaryCertificates ?? []).some((c) => c.role === 'CipherCertificateOriginator')) {
        throw osciError('malformed', 'InitDialog needs CipherCertificateOriginator');
      }
      bodyContent = el('osci:initDialog');
      break;
    case 'ExitDialog':
      bodyContent = el('osci:exitDialog');
      break;
    case 'GetMessageId':
      bodyContent = el('osci:getMessageId');
      break;
    case 'StoreDelivery': {
      if (!(spec.nonIntermediaryCertificates ?? []).some((c) => c.role === 'CipherCertificateAddressee')) {
        throw osciError('malformed', 'StoreDelivery needs CipherCertificateAddressee');
      }
      const q = spec.qualityOfTimestamp ?? {};
      headers.push(
        block(
          'osci:QualityOfTimestamp',
          'qualityoftimestamp_creation',
          [
            ['Quality', q.creation ?? 'plain'],
            ['Service', 'creation'],
          ],
          '',
        ),
      );
      headers.push(
        block(
          'osci:QualityOfTimestamp',
          'qualityoftimestamp_reception',
          [
            ['Quality', q.reception ?? 'plain'],
            ['Service', 'reception'],
          ],
          '',
        ),
      );
      headers.push(
        block(
          'osci:storeDelivery',
          'storedelivery',
          [],
          el('osci:MessageId', [], encodeMessageId(spec.messageId)) + (spec.subject !== undefined ? el('osci:Subject', [], escapeText(spec.subject)) : ''),
        ),
      );
      bodyContent = spec.contentPackageXml;
      break;
    }
    case 'FetchDelivery':
      headers.push(block('osci:fetchDelivery', 'fetchdelivery', [], selectionRuleXml(spec.selectionRule)));
      break;
    case 'FetchProcessCard':
      bodyContent = el(
        'osci:fetchProcessCard',
        [],
        selectionRuleXml(spec.selectionRule) + (spec.quantityLimit !== undefined ? el('osci:Quantity', [['Limit', String(spec.quantityLimit)]]) : ''),
      );
      break;
    case 'PartialFetchDelivery':
      headers.push(
        block(
          'osci2017:partialFetchDelivery',
          'partialfetchdelivery',
          [],
          selectionRuleXml(spec.selectionRule) + chunkXml(spec.chunk),
          ACTOR_NEXT,
          ` xmlns:osci2017="${NS.osci2017}"`,
        ),
      );
      break;
    case 'PartialStoreDelivery':
      if (!(spec.nonIntermediaryCertificates ?? []).some((c) => c.role === 'CipherCertificateAddressee')) {
        throw osciError('malformed', 'PartialStoreDelivery needs CipherCertificateAddressee');
      }
      headers.push(
        block(
          'osci:QualityOfTimestamp',
          'qualityoftimestamp_creation',
          [
            ['Quality', 'plain'],
            ['Service', 'creation'],
          ],
          '',
        ),
      );
      headers.push(
        block(
          'osci2017:partialStoreDelivery',
          'partialstoredelivery',
          [],
          // schema order (PartialStoreDelivery.xsd): osci:MessageId, osci:Subject?, ChunkInformation
          el('osci:MessageId', [], encodeMessageId(spec.messageId)) + (spec.subject !== undefined ? el('osci:Subject', [], escapeText(spec.subject)) : '') + chunkXml(spec.chunk),
          ACTOR_NEXT,
          ` xmlns:osci2017="${NS.osci2017}"`,
        ),
      );
      bodyContent = chunkContentPackage();
      attachments = [{ contentId: 'ChunkBlobStoreDelivery', data: spec.chunkBlob, transferEncoding: '8-bit' }, ...attachments];
      break;
  }
  if (certs.non) headers.push(certs.non);
  if (certs.inter) headers.push(certs.inter);
  // schema order: FeatureDescription (required in the EFFI requests) before any foreign header block
  if (spec.featureDescription !== false) headers.push(featureDescriptionXml());
  headers.push(...(spec.customHeaders ?? []));
  return assemble({
    type: spec.type,
    wrapper: 'ClientSignature',
    headers,
    bodyContent,
    attachments,
    signer: spec.signer,
    signerCertId: certs.signerCertId,
    controlBlock: spec.controlBlock,
    boundary: spec.boundary,
  });
}

function chunkContentPackage(): string {
  return el(
    'osci:ContentPackage',
    [],
    el(
      'osci:ContentContainer',
      [['Id', 'ChunkContentContainer']],
      el('osci:Content', [
        ['Id', 'ChunkContent'],
        ['href', 'cid:ChunkBlobStoreDelivery'],
      ]),
    ),
  );
}

export async function buildResponse(spec: ResponseSpec): Promise<BuiltMessage> {
  const certs = certificateBlocks(spec, SUPPLIER_SIGNER_ROLES);
  const headers: string[] = [controlBlockXml(spec.controlBlock)];
  let bodyContent: string | ByteSource = '';
  let attachments: AttachmentInput[] = [...(spec.attachments ?? [])];
  // the EFFI responses' schemas require osci2017:FeatureDescription after the certificate blocks (the reference
  // implementation writes it only when configured to; its parsers accept it)
  let featureDescription = false;
  let bodySha256: Buffer | undefined;
  switch (spec.type) {
    case 'ResponseToInitDialog':
      bodyContent = el('osci:responseToInitDialog', [], feedbackXml(spec.feedback));
      break;
    case 'ResponseToExitDialog':
      bodyContent = el('osci:responseToExitDialog', [], feedbackXml(spec.feedback));
      break;
    case 'ResponseToGetMessageId':
      bodyContent = el(
        'osci:responseToGetMessageId',
        [],
        feedbackXml(spec.feedback) + (spec.messageId !== undefined ? el('osci:MessageId', [], encodeMessageId(spec.messageId)) : ''),
      );
      break;
    case 'ResponseToStoreDelivery':
      headers.push(block('osci:responseToStoreDelivery', 'responsetostoredelivery', [], feedbackXml(spec.feedback) + (spec.processCards ?? []).map(processCardBundleXml).join('')));
      break;
    case 'ResponseToFetchDelivery':
      headers.push(
        block(
          'osci:responseToFetchDelivery',
          'responsetofetchdelivery',
          [],
          feedbackXml(spec.feedback) + el('osci:fetchDelivery', [], selectionRuleXml(spec.selectionRuleEcho)) + (spec.processCards ?? []).map(processCardBundleXml).join(''),
        ),
      );
      bodyContent = spec.contentPackageXml ?? el('osci:ContentPackage');
      bodySha256 = spec.contentPackageXml === undefined ? undefined : spec.contentPackageBodySha256;
      break;
    case 'ResponseToFetchProcessCard':
      bodyContent = el(
        'osci:responseToFetchProcessCard',
        [],
        feedbackXml(spec.feedback) +
          el(
            'osci:fetchProcessCard',
            [],
            selectionRuleXml(spec.selectionRuleEcho) + (spec.quantityLimitEcho !== undefined ? el('osci:Quantity', [['Limit', String(spec.quantityLimitEcho)]]) : ''),
          ) +
          (spec.processCards ?? []).map(processCardBundleXml).join(''),
      );
      break;
    case 'ResponseToPartialFetchDelivery':
      featureDescription = true;
      headers.push(
        block(
          'osci2017:responseToPartialFetchDelivery',
          'responsetopartialfetchdelivery',
          [],
          // ResponseToPartialFetchDelivery.xsd: osci:Feedback, osci:fetchDelivery, osci2017:ChunkInformation and
          // osci:MessageId — the MessageId is the OSCI 1.2 element, not one of the 2017 namespace
          feedbackXml(spec.feedback) +
            el('osci:fetchDelivery', [], selectionRuleXml(spec.selectionRuleEcho)) +
            chunkXml(spec.chunk) +
            el('osci:MessageId', [], encodeMessageId(spec.messageId)),
          ACTOR_NEXT,
          ` xmlns:osci2017="${NS.osci2017}"`,
        ),
      );
      bodyContent = chunkContentPackage();
      attachments = [{ contentId: 'ChunkBlobStoreDelivery', data: spec.chunkBlob, transferEncoding: '8-bit' }, ...attachments];
      break;
    case 'ResponseToPartialStoreDelivery':
      featureDescription = true;
      headers.push(
        block(
          'osci2017:responseToPartialStoreDelivery',
          'responsetopartialstoredelivery',
          [],
          (spec.insideFeedback ? el('osci2017:InsideFeedback', [], feedbackEntriesXml(spec.insideFeedback)) : '') +
            feedbackXml(spec.feedback) +
            (spec.processCards ?? []).map(processCardBundleXml).join('') +
            chunkXml(spec.chunk),
          ACTOR_NEXT,
          ` xmlns:osci2017="${NS.osci2017}"`,
        ),
      );
      break;
  }
  // order (every soapResponseTo….xsd): ControlBlock, [SupplierSignature], response block, IntermediaryCertificates,
  // NonIntermediaryCertificates, [FeatureDescription], foreign blocks
  if (certs.inter) headers.push(certs.inter);
  if (certs.non) headers.push(certs.non);
  if (featureDescription) headers.push(featureDescriptionXml());
  headers.push(...(spec.customHeaders ?? []));
  return assemble({
    type: spec.type,
    wrapper: 'SupplierSignature',
    headers,
    bodyContent,
    attachments,
    signer: spec.signer,
    signerCertId: certs.signerCertId,
    controlBlock: spec.controlBlock,
    boundary: spec.boundary,
    bodySha256,
  });
}

/** A SOAP fault as the library writes it (unencrypted, unsigned, fixed boundary, leading CRLF). */
export function buildFault(osciCode: string, faultString: string, faultCode?: 'soap:Client' | 'soap:Server'): ByteSource {
  const code = faultCode ?? (osciCode === '9000' || osciCode === '9503' ? 'soap:Server' : 'soap:Client');
  const envelope =
    `<soap:Envelope xmlns:soap="${NS.soap}" xmlns:osci="${NS.osci}"><soap:Body><soap:Fault>` +
    `<faultcode>${code}</faultcode><faultstring>${escapeText(faultString)}</faultstring><detail><osci:Code>${osciCode}</osci:Code></detail>` +
    `</soap:Fault></soap:Body></soap:Envelope>`;
  return buildMultipart([soapPart(envelope)], 'MIME_boundary', true);
}
