/**
 * Parses the inner (decrypted) OSCI message: SOAP envelope + attachments → OsciMessage. The type is decided by
 * the order element (a header block or the Body's child), never by schemaLocation, Ids or prefixes; header blocks
 * are taken only as direct children of soap:Header, the order content only from its proper place.
 */
import type { Element } from '@xmldom/xmldom';
import { osciError } from '../errors.js';
import type { MimeEntity, MimePart } from '../mime/reader.js';
import { canonicalize } from '../xml/c14n.js';
import { NS } from '../xml/namespaces.js';
import { attr, attrNS, childElements, firstChild, textOf, type ParsedXml } from '../xml/parse.js';
import { certificateOfElement } from '../signature/verify.js';
import type {
  CertificateEntry,
  CertificateRole,
  ChunkInformation,
  ControlBlock,
  FeatureDescription,
  FeedbackEntry,
  HeaderBlock,
  Inspection,
  MessageType,
  OrderData,
  OsciMessage,
  ProcessCardBundle,
  SelectionRule,
  SoapFault,
  Timestamp,
} from './model.js';

/** Header order elements → message type. */
const HEADER_ORDERS: ReadonlyArray<readonly [string, string, MessageType]> = [
  [NS.osci, 'storeDelivery', 'StoreDelivery'],
  [NS.osci, 'responseToStoreDelivery', 'ResponseToStoreDelivery'],
  [NS.osci, 'fetchDelivery', 'FetchDelivery'],
  [NS.osci, 'responseToFetchDelivery', 'ResponseToFetchDelivery'],
  [NS.osci2017, 'partialStoreDelivery', 'PartialStoreDelivery'],
  [NS.osci2017, 'responseToPartialStoreDelivery', 'ResponseToPartialStoreDelivery'],
  [NS.osci2017, 'partialFetchDelivery', 'PartialFetchDelivery'],
  [NS.osci2017, 'responseToPartialFetchDelivery', 'ResponseToPartialFetchDelivery'],
  [NS.osci, 'forwardDelivery', 'ForwardDelivery'],
  [NS.osci, 'responseToForwardDelivery', 'ResponseToForwardDelivery'],
  [NS.osci, 'acceptDelivery', 'AcceptDelivery'],
  [NS.osci, 'responseToAcceptDelivery', 'ResponseToAcceptDelivery'],
  [NS.osci, 'mediateDelivery', 'MediateDelivery'],
  [NS.osci, 'responseToMediateDelivery', 'ResponseToMediateDelivery'],
  [NS.osci, 'processDelivery', 'ProcessDelivery'],
  [NS.osci, 'responseToProcessDelivery', 'ResponseToProcessDelivery'],
];

/** Body order elements → message type. */
const BODY_ORDERS: ReadonlyArray<readonly [string, MessageType]> = [
  ['initDialog', 'InitDialog'],
  ['responseToInitDialog', 'ResponseToInitDialog'],
  ['exitDialog', 'ExitDialog'],
  ['responseToExitDialog', 'ResponseToExitDialog'],
  ['getMessageId', 'GetMessageId'],
  ['responseToGetMessageId', 'ResponseToGetMessageId'],
  ['fetchProcessCard', 'FetchProcessCard'],
  ['responseToFetchProcessCard', 'ResponseToFetchProcessCard'],
];

const KNOWN_HEADERS = new Set([
  `${NS.osci} ControlBlock`,
  `${NS.osci} ClientSignature`,
  `${NS.osci} SupplierSignature`,
  `${NS.osci} DesiredLanguages`,
  `${NS.osci} QualityOfTimestamp`,
  `${NS.osci} NonIntermediaryCertificates`,
  `${NS.osci} IntermediaryCertificates`,
  `${NS.osci2017} FeatureDescription`,
  ...HEADER_ORDERS.map(([ns, local]) => `${ns} ${local}`),
]);

const CERT_ROLES: readonly CertificateRole[] = [
  'CipherCertificateOriginator',
  'CipherCertificateOtherAuthor',
  'CipherCertificateAddressee',
  'CipherCertificateOtherReader',
  'SignatureCertificateOriginator',
  'SignatureCertificateOtherAuthor',
  'SignatureCertificateAddressee',
  'CipherCertificateIntermediary',
  'SignatureCertificateIntermediary',
];

/** Decodes an osci:MessageId (base64 of the UTF-8 id). */
export function decodeMessageId(el: Element): { id: string; base64: string } {
  const b64 = textOf(el).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw osciError('malformed', 'MessageId is not base64');
  return { id: Buffer.from(b64, 'base64').toString('utf8'), base64: b64 };
}

function intAttr(el: Element, name: string): number | undefined {
  const v = attr(el, name);
  if (v === undefined) return undefined;
  if (!/^-?\d{1,15}$/.test(v.trim())) throw osciError('malformed', `${el.localName}/@${name} is not a number`);
  return Number(v.trim());
}

export function parseControlBlock(el: Element): ControlBlock {
  const seq = attr(el, 'SequenceNumber');
  if (seq !== undefined && !/^\d{1,15}$/.test(seq)) throw osciError('malformed', 'ControlBlock/@SequenceNumber is not a number');
  const conv = attr(el, 'ConversationId');
  if (conv !== undefined && !/^[0-9A-Za-z._-]{1,100}$/.test(conv)) throw osciError('malformed', 'ControlBlock/@ConversationId invalid');
  const r = firstChild(el, NS.osci, 'Response');
  const c = firstChild(el, NS.osci, 'Challenge');
  return {
    conversationId: conv,
    sequenceNumber: seq === undefined ? undefined : Number(seq),
    response: r ? textOf(r).trim() : undefined,
    challenge: c ? textOf(c).trim() : undefined,
  };
}

export function parseFeedback(el: Element | undefined): FeedbackEntry[] {
  if (!el) return [];
  return childElements(el, NS.osci, 'Entry').map((entry) => {
    const codeEl = firstChild(entry, NS.osci, 'Code');
    const code = codeEl ? textOf(codeEl).trim() : '';
    if (!/^\d{4}$/.test(code)) throw osciError('malformed', 'Feedback entry without a four-digit code');
    const t = firstChild(entry, NS.osci, 'Text');
    return { code, lang: attrNS(entry, NS.xml, 'lang'), text: t ? textOf(t) : '' };
  });
}

function parseTimestamp(el: Element | undefined): Timestamp | undefined {
  if (!el) return undefined;
  const plain = firstChild(el, NS.osci, 'Plain');
  const crypto = firstChild(el, NS.osci, 'Cryptographic');
  return {
    plain: plain ? textOf(plain).trim() : undefined,
    ...(crypto ? { cryptographic: { algorithm: attr(crypto, 'Algorithm'), value: textOf(crypto).trim() } } : {}),
  };
}

function optText(parent: Element, local: string): string | undefined {
  const e = firstChild(parent, NS.osci, local);
  return e ? textOf(e) : undefined;
}

function resultAttr(parent: Element, local: string, name: string): string | undefined {
  const e = firstChild(parent, NS.osci, local);
  return e ? attr(e, name) : undefined;
}

export function parseProcessCardBundle(el: Element): ProcessCardBundle {
  const idEl = firstChild(el, NS.osci, 'MessageId');
  if (!idEl) throw osciError('malformed', 'ProcessCardBundle without MessageId');
  const { id, base64 } = decodeMessageId(idEl);
  const pc = firstChild(el, NS.osci, 'ProcessCard');
  const report = firstChild(el, NS.osci, 'InspectionReport');
  const inspections: Inspection[] = report
    ? childElements(report, NS.osci, 'Inspection').map((i) => ({
        timestamp: parseTimestamp(firstChild(i, NS.osci, 'Timestamp')),
        subjectName: optText(i, 'X509SubjectName'),
        issuerName: optText(i, 'X509IssuerName'),
        serialNumber: optText(i, 'X509SerialNumber'),
        certType: resultAttr(i, 'CertType', 'Type'),
        mathResult: resultAttr(i, 'MathResult', 'Result'),
        offlineResult: resultAttr(i, 'OfflineResult', 'Result'),
        onlineResult: resultAttr(i, 'OnlineResult', 'Result'),
      }))
    : [];
  return {
    messageId: id,
    messageIdBase64: base64,
    processCard: pc
      ? {
          recentModification: attr(pc, 'RecentModification'),
          creation: parseTimestamp(firstChild(pc, NS.osci, 'Creation')),
          forwarding: parseTimestamp(firstChild(pc, NS.osci, 'Forwarding')),
          reception: parseTimestamp(firstChild(pc, NS.osci, 'Reception')),
          subject: optText(pc, 'Subject'),
        }
      : undefined,
    inspections,
  };
}

export function parseSelectionRule(parent: Element | undefined): SelectionRule | undefined {
  const rule = parent ? firstChild(parent, NS.osci, 'SelectionRule') : undefined;
  if (!rule) return undefined;
  const messageIds = childElements(rule, NS.osci, 'MessageId').map((m) => decodeMessageId(m).id);
  const rod = firstChild(rule, NS.osci, 'ReceptionOfDelivery');
  const rm = firstChild(rule, NS.osci, 'RecentModification');
  const dateEl = rod ?? rm;
  return {
    messageIds,
    receptionOfDelivery: rod ? textOf(rod).trim() : undefined,
    recentModification: rm ? textOf(rm).trim() : undefined,
    ...(dateEl && attr(dateEl, 'NoReception') !== undefined ? { noReception: attr(dateEl, 'NoReception') === 'true' } : {}),
    ...(dateEl && attr(dateEl, 'Role') !== undefined ? { role: attr(dateEl, 'Role')! } : {}),
  };
}

export function parseChunkInformation(el: Element | undefined): ChunkInformation | undefined {
  if (!el) return undefined;
  const rc = attr(el, 'ReceivedChunks');
  let receivedChunks: number[] | undefined;
  if (rc !== undefined) {
    const parts = rc.trim() === '' ? [] : rc.trim().split(/\s+/);
    if (!parts.every((p) => /^-?\d{1,9}$/.test(p))) throw osciError('malformed', 'ChunkInformation/@ReceivedChunks invalid');
    receivedChunks = parts.map(Number);
  }
  return {
    chunkNumber: intAttr(el, 'ChunkNumber'),
    chunkSize: intAttr(el, 'ChunkSize'),
    totalChunkNumbers: intAttr(el, 'TotalChunkNumbers'),
    totalMessageSize: intAttr(el, 'TotalMessageSize'),
    receivedChunks,
  };
}

function parseFeatureDescription(el: Element): FeatureDescription {
  const supported = firstChild(el, NS.osci2017, 'SupportedFeatures');
  return {
    maxMessageSize: intAttr(el, 'MaxMessageSize'),
    maxChunkSize: intAttr(el, 'MaxChunkSize'),
    minChunkSize: intAttr(el, 'MinChunkSize'),
    // named quirk: EFFI.xsd spells ChunkMessageTimeOut, both reference libraries write and read ChunkMessageTimeout
    chunkMessageTimeout: intAttr(el, 'ChunkMessageTimeout') ?? intAttr(el, 'ChunkMessageTimeOut'),
    features: supported ? childElements(supported, NS.osci2017, 'Feature').map((f) => ({ key: attr(f, 'Key') ?? '', version: attr(f, 'Version') ?? '' })) : [],
  };
}

function parseCertificates(block: Element | undefined): CertificateEntry[] {
  if (!block) return [];
  const out: CertificateEntry[] = [];
  for (const c of childElements(block)) {
    if (c.namespaceURI !== NS.osci || !CERT_ROLES.includes(c.localName as CertificateRole)) {
      throw osciError('malformed', `unexpected element ${c.localName} in ${block.localName}`);
    }
    const certificate = certificateOfElement(c);
    if (!certificate) throw osciError('malformed', `${c.localName} without certificate`);
    out.push({ role: c.localName as CertificateRole, id: attr(c, 'Id'), certificate, element: c });
  }
  return out;
}

function parseFault(fault: Element): SoapFault {
  // faultcode/faultstring/detail are unqualified in library output, soap-qualified in the spec's example
  const child = (local: string) => childElements(fault).find((c) => c.localName === local && (c.namespaceURI === null || c.namespaceURI === '' || c.namespaceURI === NS.soap));
  const code = child('faultcode');
  const str = child('faultstring');
  const detail = child('detail');
  const osciCodeEl = detail ? firstChild(detail, NS.osci, 'Code') : undefined;
  const osciCode = osciCodeEl ? textOf(osciCodeEl).trim() : undefined;
  return {
    faultCode: code ? textOf(code).trim() : '',
    faultString: str ? textOf(str) : '',
    osciCode: osciCode && /^\d{4}$/.test(osciCode) ? osciCode : undefined,
  };
}

/** Parses the SOAP envelope (already parsed XML) of an unencrypted inner message with its attachments. */
export function parseMessage(entity: MimeEntity, xml: ParsedXml): OsciMessage {
  const env = xml.root;
  if (env.namespaceURI !== NS.soap || env.localName !== 'Envelope') throw osciError('malformed', 'root element is not soap:Envelope');
  const headerEls = childElements(env, NS.soap, 'Header');
  const bodyEls = childElements(env, NS.soap, 'Body');
  if (headerEls.length > 1 || bodyEls.length !== 1) throw osciError('malformed', 'envelope needs one Body and at most one Header');
  const header = headerEls[0];
  const body = bodyEls[0]!;
  const schemaLocation = attrNS(env, NS.xsi, 'schemaLocation');
  const attachments = new Map<string, MimePart>();
  for (const p of entity.parts) {
    if (p.contentId === 'osci@message' || p === entity.parts[0]) continue;
    if (p.contentId === undefined) throw osciError('malformed', 'MIME attachment without Content-ID');
    attachments.set(p.contentId, p);
  }

  // SOAP fault
  const faultEl = firstChild(body, NS.soap, 'Fault');
  if (faultEl) {
    return emptyMessage('SOAPFault', entity, xml, header, body, schemaLocation, attachments, parseFault(faultEl));
  }

  const headerBlocks: HeaderBlock[] = header
    ? childElements(header).map((e) => ({ namespace: e.namespaceURI ?? '', localName: e.localName ?? '', id: attr(e, 'Id'), element: e }))
    : [];
  if (header && header.childNodes.length > 0) {
    for (let n = header.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3 && (n.nodeValue ?? '').trim() !== '') throw osciError('malformed', 'text inside soap:Header');
    }
  }
  const single = (ns: string, local: string): Element | undefined => {
    const found = headerBlocks.filter((b) => b.namespace === ns && b.localName === local);
    if (found.length > 1) throw osciError('malformed', `header block ${local} appears ${found.length} times`);
    return found[0]?.element;
  };

  // message type: header order element, else body order element
  let type: MessageType | undefined;
  let orderElement: Element | undefined;
  for (const [ns, local, t] of HEADER_ORDERS) {
    const e = single(ns, local);
    if (e) {
      if (type) throw osciError('malformed', 'more than one order element in the header');
      type = t;
      orderElement = e;
    }
  }
  const bodyChildren = childElements(body);
  if (!type) {
    const first = bodyChildren[0];
    const match = first && first.namespaceURI === NS.osci ? BODY_ORDERS.find(([local]) => local === first.localName) : undefined;
    if (!match || bodyChildren.length !== 1) throw osciError('malformed', 'no OSCI order element found (unknown message type)');
    type = match[1];
    orderElement = first;
  }

  const cbEl = single(NS.osci, 'ControlBlock');
  const client = single(NS.osci, 'ClientSignature');
  const supplier = single(NS.osci, 'SupplierSignature');
  if (client && supplier) throw osciError('malformed', 'both ClientSignature and SupplierSignature present');
  const sigWrapper = client ?? supplier;
  let signature: OsciMessage['signature'];
  if (sigWrapper) {
    const sigs = childElements(sigWrapper, NS.ds, 'Signature');
    if (sigs.length !== 1) throw osciError('malformed', 'signature block must hold exactly one ds:Signature');
    signature = { wrapper: client ? 'ClientSignature' : 'SupplierSignature', element: sigs[0]! };
  }
  const dl = single(NS.osci, 'DesiredLanguages');
  const qots = headerBlocks.filter((b) => b.namespace === NS.osci && b.localName === 'QualityOfTimestamp');
  const qualityOfTimestamp: { creation?: string; reception?: string } = {};
  for (const q of qots) {
    const service = attr(q.element, 'Service');
    const quality = attr(q.element, 'Quality') ?? 'plain';
    if (service !== 'creation' && service !== 'reception') throw osciError('malformed', 'QualityOfTimestamp with unknown Service');
    if (qualityOfTimestamp[service] !== undefined) throw osciError('malformed', `QualityOfTimestamp ${service} twice`);
    qualityOfTimestamp[service] = quality;
  }
  const fd = single(NS.osci2017, 'FeatureDescription');
  const nonIntermediaryCertificates = parseCertificates(single(NS.osci, 'NonIntermediaryCertificates'));
  const intermediaryCertificates = parseCertificates(single(NS.osci, 'IntermediaryCertificates'));

  const customHeaders = headerBlocks
    .filter((b) => !KNOWN_HEADERS.has(`${b.namespace} ${b.localName}`))
    .map((b) => ({ namespace: b.namespace, localName: b.localName, id: b.id, xml: canonicalize(b.element) }));

  // order data
  const order: { -readonly [K in keyof OrderData]: OrderData[K] } = {};
  let feedback: FeedbackEntry[] = [];
  const processCards: ProcessCardBundle[] = [];
  const oe = orderElement!;
  const feedbackOf = (e: Element) => parseFeedback(firstChild(e, NS.osci, 'Feedback'));
  const bundlesOf = (e: Element) => childElements(e, NS.osci, 'ProcessCardBundle').map(parseProcessCardBundle);
  // osci:MessageId in every order element, the EFFI ones included (their schemas reference the OSCI 1.2 element)
  const messageIdOf = (e: Element) => {
    const m = firstChild(e, NS.osci, 'MessageId');
    if (m) {
      const d = decodeMessageId(m);
      order.messageId = d.id;
      order.messageIdBase64 = d.base64;
    }
  };
  switch (type) {
    case 'StoreDelivery':
    case 'ForwardDelivery':
    case 'MediateDelivery':
      messageIdOf(oe);
      order.subject = optText(oe, 'Subject');
      {
        const cr = firstChild(oe, NS.osci, 'ContentReceiver');
        if (cr) order.contentReceiver = attr(cr, 'URI');
      }
      break;
    case 'FetchDelivery':
      order.selectionRule = parseSelectionRule(oe);
      break;
    case 'ResponseToStoreDelivery':
    case 'ResponseToForwardDelivery':
    case 'ResponseToAcceptDelivery':
    case 'ResponseToProcessDelivery':
    case 'ResponseToMediateDelivery':
      feedback = feedbackOf(oe);
      processCards.push(...bundlesOf(oe));
      break;
    case 'ResponseToFetchDelivery':
      feedback = feedbackOf(oe);
      order.selectionRuleEcho = parseSelectionRule(firstChild(oe, NS.osci, 'fetchDelivery'));
      processCards.push(...bundlesOf(oe));
      break;
    case 'AcceptDelivery':
    case 'ProcessDelivery':
      processCards.push(...bundlesOf(oe));
      break;
    case 'PartialStoreDelivery':
      messageIdOf(oe);
      order.subject = optText(oe, 'Subject');
      order.chunkInformation = parseChunkInformation(firstChild(oe, NS.osci2017, 'ChunkInformation'));
      order.infoOnly = !!firstChild(oe, NS.osci2017, 'InfoOnly');
      break;
    case 'ResponseToPartialStoreDelivery': {
      feedback = feedbackOf(oe);
      const inside = firstChild(oe, NS.osci2017, 'InsideFeedback');
      // InsideFeedback is of osci:FeedbackType: its osci:Entry children directly (schema and reference, chunked/05)
      if (inside) order.insideFeedback = parseFeedback(inside);
      order.chunkInformation = parseChunkInformation(firstChild(oe, NS.osci2017, 'ChunkInformation'));
      processCards.push(...bundlesOf(oe));
      break;
    }
    case 'PartialFetchDelivery':
      order.selectionRule = parseSelectionRule(oe);
      order.chunkInformation = parseChunkInformation(firstChild(oe, NS.osci2017, 'ChunkInformation'));
      break;
    case 'ResponseToPartialFetchDelivery':
      feedback = feedbackOf(oe);
      order.selectionRuleEcho = parseSelectionRule(firstChild(oe, NS.osci, 'fetchDelivery'));
      order.chunkInformation = parseChunkInformation(firstChild(oe, NS.osci2017, 'ChunkInformation'));
      messageIdOf(oe);
      break;
    case 'ResponseToInitDialog':
    case 'ResponseToExitDialog':
      feedback = feedbackOf(oe);
      break;
    case 'ResponseToGetMessageId':
      feedback = feedbackOf(oe);
      messageIdOf(oe);
      break;
    case 'FetchProcessCard': {
      order.selectionRule = parseSelectionRule(oe);
      const q = firstChild(oe, NS.osci, 'Quantity');
      if (q) order.quantityLimit = intAttr(q, 'Limit');
      break;
    }
    case 'ResponseToFetchProcessCard':
      feedback = feedbackOf(oe);
      order.selectionRuleEcho = parseSelectionRule(firstChild(oe, NS.osci, 'fetchProcessCard'));
      processCards.push(...bundlesOf(oe));
      break;
    default:
      break;
  }
  if (order.subject === undefined && processCards.length === 1) order.subject = processCards[0]!.processCard?.subject;
  if (order.messageId === undefined && processCards.length === 1) {
    order.messageId = processCards[0]!.messageId;
    order.messageIdBase64 = processCards[0]!.messageIdBase64;
  }

  const contentPackages = childElements(body, NS.osci, 'ContentPackage');
  if (contentPackages.length > 1) throw osciError('malformed', 'more than one ContentPackage');

  return {
    type,
    schemaLocation,
    entity,
    xml,
    header,
    body,
    headerBlocks,
    controlBlock: cbEl ? parseControlBlock(cbEl) : undefined,
    desiredLanguages: dl ? attr(dl, 'LanguagesList') : undefined,
    qualityOfTimestamp,
    nonIntermediaryCertificates,
    intermediaryCertificates,
    featureDescription: fd ? parseFeatureDescription(fd) : undefined,
    signature,
    orderElement,
    order,
    feedback,
    processCards,
    customHeaders,
    contentPackage: contentPackages[0],
    attachments,
    fault: undefined,
  };
}

function emptyMessage(
  type: MessageType,
  entity: MimeEntity,
  xml: ParsedXml,
  header: Element | undefined,
  body: Element,
  schemaLocation: string | undefined,
  attachments: Map<string, MimePart>,
  fault: SoapFault,
): OsciMessage {
  return {
    type,
    schemaLocation,
    entity,
    xml,
    header,
    body,
    headerBlocks: [],
    controlBlock: undefined,
    desiredLanguages: undefined,
    qualityOfTimestamp: {},
    nonIntermediaryCertificates: [],
    intermediaryCertificates: [],
    featureDescription: undefined,
    signature: undefined,
    orderElement: undefined,
    order: {},
    feedback: [],
    processCards: [],
    customHeaders: [],
    contentPackage: undefined,
    attachments,
    fault,
  };
}
