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

export interface ApplicationContentInput {
  /** The document carried as Base64Content (bytes unchanged). */
  readonly document: Buffer;
  /** Plaintext attachments (streamed; they may be hundreds of MB). */
  readonly attachments: ReadonlyArray<{ readonly contentId: string; readonly data: ByteSource }>;
  /** Signs the container (author) and is the originator of the message. */
  readonly sender: KeyEntry;
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
  const contents: ContentInput[] = [
    { kind: 'base64', id: 'content0', data: input.document },
    ...input.attachments.map((a, i) => ({ kind: 'attachment' as const, id: `content${i + 1}`, contentId: a.contentId, data: a.data })),
  ];
  const container = await buildContainer({
    id: 'contentcontainer0',
    contents,
    signer: {
      privateKey: input.sender.privateKey,
      certificate: senderCert,
      certificateId: certificateElementId('SignatureCertificateOriginator', senderCert),
    },
  });
  const xml = input.tamperSignature ? tamperSignatureValue(container.xml) : container.xml;
  const readerRole = input.contentCertificate ? ('CipherCertificateOtherReader' as const) : ('CipherCertificateAddressee' as const);
  const reader = input.contentCertificate ?? input.recipient;
  const encrypted = await encryptContainer({ xml, attachments: container.attachments }, [{ certificate: reader, certificateId: certificateElementId(readerRole, reader, 0) }], {
    id: 'encdata_0',
  });
  const certificates: CertificateInput[] = [
    { role: 'CipherCertificateOriginator', certificate: senderCert },
    { role: 'CipherCertificateAddressee', certificate: input.recipient },
    ...(input.contentCertificate ? [{ role: 'CipherCertificateOtherReader' as const, certificate: input.contentCertificate }] : []),
    { role: 'SignatureCertificateOriginator', certificate: senderCert },
  ];
  return { contentPackageXml: contentPackageXml([encrypted]), attachments: container.attachments, certificates };
}
