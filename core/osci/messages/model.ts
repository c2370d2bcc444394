/**
 * Typed models of OSCI-Transport 1.2 messages (PROTOCOL.md §1.2, §4). Produced by messages/parse.ts, consumed by
 * the dialog client, the intermediary and inspect.
 */
import type { X509Certificate } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import type { MimeEntity, MimePart } from '../mime/reader.js';
import type { ParsedXml } from '../xml/parse.js';

export const MESSAGE_TYPES = [
  'InitDialog',
  'ResponseToInitDialog',
  'ExitDialog',
  'ResponseToExitDialog',
  'GetMessageId',
  'ResponseToGetMessageId',
  'StoreDelivery',
  'ResponseToStoreDelivery',
  'FetchDelivery',
  'ResponseToFetchDelivery',
  'FetchProcessCard',
  'ResponseToFetchProcessCard',
  'PartialStoreDelivery',
  'ResponseToPartialStoreDelivery',
  'PartialFetchDelivery',
  'ResponseToPartialFetchDelivery',
  'ForwardDelivery',
  'ResponseToForwardDelivery',
  'AcceptDelivery',
  'ResponseToAcceptDelivery',
  'MediateDelivery',
  'ResponseToMediateDelivery',
  'ProcessDelivery',
  'ResponseToProcessDelivery',
  'SOAPFault',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface ControlBlock {
  readonly conversationId: string | undefined;
  readonly sequenceNumber: number | undefined;
  readonly response: string | undefined;
  readonly challenge: string | undefined;
}

export interface FeedbackEntry {
  readonly code: string;
  readonly lang: string | undefined;
  readonly text: string;
}

export interface Timestamp {
  /** xsd:dateTime of osci:Plain, or undefined for cryptographic stamps. */
  readonly plain: string | undefined;
  /** osci:Cryptographic: algorithm URI and opaque base64 value. */
  readonly cryptographic?: { readonly algorithm: string | undefined; readonly value: string };
}

export interface Inspection {
  readonly timestamp: Timestamp | undefined;
  readonly subjectName: string | undefined;
  readonly issuerName: string | undefined;
  readonly serialNumber: string | undefined;
  readonly certType: string | undefined;
  readonly mathResult: string | undefined;
  readonly offlineResult: string | undefined;
  readonly onlineResult: string | undefined;
}

export interface ProcessCard {
  readonly recentModification: string | undefined;
  readonly creation: Timestamp | undefined;
  readonly forwarding: Timestamp | undefined;
  readonly reception: Timestamp | undefined;
  readonly subject: string | undefined;
}

export interface ProcessCardBundle {
  /** Decoded MessageId (UTF-8 of the base64 value). */
  readonly messageId: string;
  readonly messageIdBase64: string;
  readonly processCard: ProcessCard | undefined;
  readonly inspections: readonly Inspection[];
}

export type CertificateRole =
  | 'CipherCertificateOriginator'
  | 'CipherCertificateOtherAuthor'
  | 'CipherCertificateAddressee'
  | 'CipherCertificateOtherReader'
  | 'SignatureCertificateOriginator'
  | 'SignatureCertificateOtherAuthor'
  | 'SignatureCertificateAddressee'
  | 'CipherCertificateIntermediary'
  | 'SignatureCertificateIntermediary';

export interface CertificateEntry {
  readonly role: CertificateRole;
  readonly id: string | undefined;
  readonly certificate: X509Certificate;
  readonly element: Element;
}

export interface SelectionRule {
  /** Decoded MessageIds. */
  readonly messageIds: readonly string[];
  readonly receptionOfDelivery: string | undefined;
  readonly recentModification: string | undefined;
  /** Attributes of the date rules (FetchProcessCard): NoReception, Role. */
  readonly noReception?: boolean;
  readonly role?: string;
}

export interface ChunkInformation {
  readonly chunkNumber: number | undefined;
  readonly chunkSize: number | undefined;
  readonly totalChunkNumbers: number | undefined;
  readonly totalMessageSize: number | undefined;
  /** `ReceivedChunks` as numbers (`-1` = none). */
  readonly receivedChunks: readonly number[] | undefined;
}

export interface FeatureDescription {
  readonly maxMessageSize: number | undefined;
  readonly maxChunkSize: number | undefined;
  readonly minChunkSize: number | undefined;
  readonly chunkMessageTimeout: number | undefined;
  readonly features: ReadonlyArray<{ readonly key: string; readonly version: string }>;
}

export interface HeaderBlock {
  readonly namespace: string;
  readonly localName: string;
  readonly id: string | undefined;
  readonly element: Element;
}

export interface SoapFault {
  readonly faultCode: string;
  readonly faultString: string;
  readonly osciCode: string | undefined;
}

/** The order-specific content, by message type. */
export interface OrderData {
  readonly messageId?: string | undefined;
  readonly messageIdBase64?: string | undefined;
  readonly subject?: string | undefined;
  readonly selectionRule?: SelectionRule | undefined;
  /** Echo of the request's rule in responses (osci:fetchDelivery / osci:fetchProcessCard inside the response). */
  readonly selectionRuleEcho?: SelectionRule | undefined;
  readonly quantityLimit?: number | undefined;
  readonly chunkInformation?: ChunkInformation | undefined;
  readonly insideFeedback?: readonly FeedbackEntry[] | undefined;
  /** osci2017:InfoOnly in a PartialStoreDelivery. */
  readonly infoOnly?: boolean | undefined;
  /** ContentReceiver URI (forward/mediate). */
  readonly contentReceiver?: string | undefined;
}

export interface OsciMessage {
  readonly type: MessageType;
  readonly schemaLocation: string | undefined;
  readonly entity: MimeEntity;
  readonly xml: ParsedXml;
  readonly header: Element | undefined;
  readonly body: Element;
  readonly headerBlocks: readonly HeaderBlock[];
  readonly controlBlock: ControlBlock | undefined;
  readonly desiredLanguages: string | undefined;
  readonly qualityOfTimestamp: { readonly creation?: string; readonly reception?: string };
  readonly nonIntermediaryCertificates: readonly CertificateEntry[];
  readonly intermediaryCertificates: readonly CertificateEntry[];
  readonly featureDescription: FeatureDescription | undefined;
  /** ClientSignature / SupplierSignature wrapper and its ds:Signature. */
  readonly signature: { readonly wrapper: 'ClientSignature' | 'SupplierSignature'; readonly element: Element } | undefined;
  /** The order element (header block or body child) that determines the type. */
  readonly orderElement: Element | undefined;
  readonly order: OrderData;
  readonly feedback: readonly FeedbackEntry[];
  readonly processCards: readonly ProcessCardBundle[];
  /** Header blocks outside the known set (kept verbatim as canonical XML). */
  readonly customHeaders: ReadonlyArray<{ readonly namespace: string; readonly localName: string; readonly id: string | undefined; readonly xml: string }>;
  readonly contentPackage: Element | undefined;
  /** MIME parts other than the SOAP part, by Content-ID. */
  readonly attachments: ReadonlyMap<string, MimePart>;
  readonly fault: SoapFault | undefined;
}
