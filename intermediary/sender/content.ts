/**
 * The content layer of one delivery as the Sozialplattform sends it: one ContentContainer holding the
 * application XML as Base64Content and the evidence files as OSCI attachments (each encrypted with its own key in
 * ds:MgmtData, PROTOCOL.md §6.3), signed by the sender (author signature), encrypted for the municipality's cipher
 * certificate. Variants for poison tests: the container encrypted for another certificate (an other reader), and
 * a broken author signature.
 */
import type { X509Certificate } from 'node:crypto';
import type { ByteSource } from '../../core/io/byte-source.js';
import type { KeyEntry } from '../../core/pki/pkcs12.js';
import { buildContainer, contentPackageXml, encryptContainer, type ContentInput } from '../../core/osci/content/build.js';
import type { AttachmentInput } from '../../core/osci/messages/build.js';
import { certificateElementId, type CertificateInput } from '../../core/osci/messages/certificates.js';
import { DEFAULT_SEND_ALGORITHMS, signatureMethodFor, type SendAlgorithms } from './algorithms.js';

export interface ApplicationContentInput {
  /** The document carried as Base64Content (bytes unchanged). */
  readonly document: Buffer;
  /** Plaintext attachments (streamed; they may be hundreds of MB). */
  readonly attachments: ReadonlyArray<{ readonly contentId: string; readonly data: ByteSource }>;
  /** The originator of the message (its cipher certificate); signs the container unless `signatureKey` is given. */
  readonly sender: KeyEntry;
  /** A separate signature key of the author (e.g. an EC key for ECDSA). */
  readonly signatureKey?: KeyEntry;
  /** Algorithms of content encryption, attachment encryption and author signature (default: PROTOCOL.md §7.5). */
  readonly algorithms?: SendAlgorithms;
  /** The mailbox: CipherCertificateAddressee. */
  readonly recipient: X509Certificate;
  /** Encrypt the container for this certificate instead of the recipient's (it becomes an other reader). */
  readonly contentCertificate?: X509Certificate;
  /** Break the author signature (one character of the SignatureValue changed). */
  readonly tamperSignature?: boolean;
}

export interface ApplicationContent {
  readonly contentPackageXml: string;
  /** MIME attachments as sent (content-encrypted). */
  readonly attachments: readonly AttachmentInput[];
  /** NonIntermediaryCertificates of the StoreDelivery. */
  readonly certificates: readonly CertificateInput[];
}

/** Changes one base64 character inside the first SignatureValue (the signature then fails to verify). */
export function tamperSignatureValue(xml: string): string {
  const open = xml.indexOf('<ds:SignatureValue>');
  if (open < 0) throw new Error('no SignatureValue to tamper with');
  const at = open + '<ds:SignatureValue>'.length + 10;
  const c = xml[at]!;
  return xml.slice(0, at) + (c === 'A' ? 'B' : 'A') + xml.slice(at + 1);
}

export async function buildApplicationContent(input: ApplicationContentInput): Promise<ApplicationContent> {
  const senderCert = input.sender.certificate;
  const author = input.signatureKey ?? input.sender;
  const algorithms = input.algorithms ?? DEFAULT_SEND_ALGORITHMS;
  const contents: ContentInput[] = [
    { kind: 'base64', id: 'content0', data: input.document },
    ...input.attachments.map((a, i) => ({
      kind: 'attachment' as const,
      id: `content${i + 1}`,
      contentId: a.contentId,
      data: a.data,
      transferEncoding: algorithms.attachmentEncoding,
    })),
  ];
  const container = await buildContainer({
    id: 'contentcontainer0',
    contents,
    signer: {
      privateKey: author.privateKey,
      certificate: author.certificate,
      certificateId: certificateElementId('SignatureCertificateOriginator', author.certificate),
      signatureMethod: signatureMethodFor(algorithms, author.privateKey),
      digestMethod: algorithms.digestMethod,
    },
    attachmentEncryption: { algorithm: algorithms.symmetric, ivLength: algorithms.ivLength },
  });
  const xml = input.tamperSignature ? tamperSignatureValue(container.xml) : container.xml;
  const readerRole = input.contentCertificate ? ('CipherCertificateOtherReader' as const) : ('CipherCertificateAddressee' as const);
  const reader = input.contentCertificate ?? input.recipient;
  const encrypted = await encryptContainer({ xml, attachments: container.attachments }, [{ certificate: reader, certificateId: certificateElementId(readerRole, reader, 0) }], {
    id: 'encdata_0',
    algorithm: algorithms.symmetric,
    ivLength: algorithms.ivLength,
    keyTransport: algorithms.keyTransport,
  });
  const certificates: CertificateInput[] = [
    { role: 'CipherCertificateOriginator', certificate: senderCert },
    { role: 'CipherCertificateAddressee', certificate: input.recipient },
    ...(input.contentCertificate ? [{ role: 'CipherCertificateOtherReader' as const, certificate: input.contentCertificate }] : []),
    { role: 'SignatureCertificateOriginator', certificate: author.certificate },
  ];
  return { contentPackageXml: contentPackageXml([encrypted]), attachments: container.attachments, certificates };
}
