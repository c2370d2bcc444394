/**
 * A hostile intermediary and a hostile sender for the signature-coverage tests (issue 10, "A forged application
 * shown as vertrauenswürdig"), with real cryptography on core/osci's builders:
 *
 *  - the intermediary rewrites a delivery's content layer as it hands it out (`rewriteDelivery` of the local
 *    intermediary): it cannot open the sender's encrypted, signed container, but it can add containers of its own
 *    (plain or encrypted for the mailbox — the mailbox's certificate is public), duplicate the sender's container,
 *    swap an attachment for one it encrypted itself, replace everything, or sign a container with its own key;
 *  - the sender signs a container whose signature leaves one Content out (sent by StoreDelivery as is).
 *
 * The forged application is a real synthetic XSozial application of another seed (another applicant).
 */
import { createHash, type X509Certificate } from 'node:crypto';
import { formatPersonName } from '../../core/xsozial/person-names.js';
import { bufferSource } from '../../core/io/byte-source.js';
import { ImplicitSender, type PostFunction } from '../../core/osci/client/dialog.js';
import { httpPost } from '../../intermediary/sender/http-post.js';
import { buildContainer, contentPackageXml, encryptContainer } from '../../core/osci/content/build.js';
import { certificateElementId, type CertificateInput } from '../../core/osci/messages/certificates.js';
import { base64Wrapped } from '../../core/osci/mime/base64-stream.js';
import type { KeyEntry } from '../../core/pki/pkcs12.js';
import { evidenceChunks, generateApplication } from '../../intermediary/generator/index.js';
import type { HandedOutDelivery, SenderSetup } from '../../intermediary/index.js';

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A forged application: a real XSozial application of another seed, so another applicant. */
export async function forgedApplication(seed: string): Promise<{ bytes: Buffer; applicant: string; listed: string }> {
  const app = await generateApplication({ service: 'hzl', seed });
  const bytes = app.bytes();
  const { summarize } = await import('../../core/xsozial/index.js');
  const summary = await summarize(bytes);
  const first = summary.applicantNames[0];
  // `applicant`: as stored and searched ("Vorname Nachname"); `listed`: as `postfach list` writes it ("Nachname, Vorname")
  return { bytes, applicant: summary.applicants[0] ?? '', listed: first === undefined ? '' : formatPersonName(first, true) };
}

/** A forged evidence file (PDF) the intermediary puts in place of the sender's attachment. */
export function forgedEvidence(seed: string, size = 60_000): Buffer {
  return Buffer.concat([...evidenceChunks({ seed, index: 0, size, kind: 'pdf', title: `Nachweis ${seed}`, lines: [`Kennung ${seed}`] })]);
}

const OPEN_END = (xml: string): number => xml.indexOf('>') + 1;
const CLOSE = '</osci:ContentPackage>';

/** Puts a container (plain or encrypted XML) first or last into a ContentPackage. */
export function insertContainer(packageXml: string, container: string, where: 'first' | 'last'): string {
  if (where === 'first') {
    const at = OPEN_END(packageXml);
    return packageXml.slice(0, at) + container + packageXml.slice(at);
  }
  const at = packageXml.lastIndexOf(CLOSE);
  return packageXml.slice(0, at) + container + packageXml.slice(at);
}

/** The ContentPackage with nothing but `containers` inside (its opening tag, with its declarations, kept). */
export function replaceContainers(packageXml: string, containers: string): string {
  const at = OPEN_END(packageXml);
  return packageXml.slice(0, at) + containers + CLOSE;
}

/** The sender's encrypted container (the first xenc:EncryptedData child of the package) as written. */
export function firstEncryptedContainer(packageXml: string): string {
  const start = packageXml.indexOf('<xenc:EncryptedData');
  // the container's EncryptedData holds no other EncryptedData in its ciphertext form: the first close ends it
  const end = packageXml.indexOf('</xenc:EncryptedData>', start) + '</xenc:EncryptedData>'.length;
  if (start < 0 || end < start) throw new Error('no encrypted container in the package');
  return packageXml.slice(start, end);
}

/** The Id of the mailbox's cipher certificate element (EncryptedKeys of containers for the mailbox point to it). */
function addresseeId(certs: readonly CertificateInput[]): { id: string; certificate: X509Certificate } {
  const entry = certs.find((c) => c.role === 'CipherCertificateAddressee');
  if (!entry) throw new Error('no CipherCertificateAddressee');
  return { id: entry.id ?? certificateElementId('CipherCertificateAddressee', entry.certificate, 0), certificate: entry.certificate };
}

/** (1) A plain, unsigned container with the forged application, in front of the sender's. */
export function forgedPlainInFront(forged: Buffer) {
  return async (d: HandedOutDelivery): Promise<HandedOutDelivery> => {
    const plain = await buildContainer({ id: 'fremdcontainer1', contents: [{ kind: 'base64', id: 'fremdinhalt1', data: forged }] });
    return { ...d, contentPackageXml: insertContainer(d.contentPackageXml, plain.xml, 'first') };
  };
}

/** (2) An extra unsigned container, encrypted for the mailbox, AFTER the sender's. */
export function forgedEncryptedAfter(forged: Buffer) {
  return async (d: HandedOutDelivery): Promise<HandedOutDelivery> => {
    const reader = addresseeId(d.certificates);
    const built = await buildContainer({ id: 'fremdcontainer2', contents: [{ kind: 'base64', id: 'fremdinhalt2', data: forged }] });
    const encrypted = await encryptContainer(built, [{ certificate: reader.certificate, certificateId: reader.id }], { id: 'fremd_encdata' });
    return { ...d, contentPackageXml: insertContainer(d.contentPackageXml, encrypted, 'last') };
  };
}

/** (4) The sender's encrypted container twice (the copy's Ids renamed: duplicate Ids are refused as hostile). */
export function duplicateSignedContainer() {
  return async (d: HandedOutDelivery): Promise<HandedOutDelivery> => {
    const copy = firstEncryptedContainer(d.contentPackageXml).replace(/ Id="([^"]+)"/g, ' Id="$1-kopie"');
    return { ...d, contentPackageXml: insertContainer(d.contentPackageXml, copy, 'last') };
  };
}

/**
 * (5) The sender's attachment `contentId` swapped for a forged file the intermediary encrypted with a key of its own,
 * with a plain container of its own that carries that key (so the forged file is readable — but covered by nothing).
 */
export function swapAttachment(contentId: string, forged: Buffer) {
  return async (d: HandedOutDelivery): Promise<HandedOutDelivery> => {
    const own = await buildContainer({ id: 'fremdcontainer5', contents: [{ kind: 'attachment', id: 'fremdinhalt5', contentId, data: bufferSource(forged) }] });
    const replacement = own.attachments.find((a) => a.contentId === contentId);
    if (!replacement) throw new Error('no encrypted replacement built');
    if (!d.attachments.some((a) => a.contentId === contentId)) throw new Error(`no attachment ${contentId} to swap`);
    return {
      ...d,
      contentPackageXml: insertContainer(d.contentPackageXml, own.xml, 'last'),
      attachments: d.attachments.map((a) => (a.contentId === contentId ? { contentId, data: replacement.data } : a)),
    };
  };
}

/** (6) Everything replaced by one unsigned container, encrypted for the mailbox, holding the forged application. */
export function replaceByUnsigned(forged: Buffer) {
  return async (d: HandedOutDelivery): Promise<HandedOutDelivery> => {
    const reader = addresseeId(d.certificates);
    const built = await buildContainer({ id: 'fremdcontainer6', contents: [{ kind: 'base64', id: 'fremdinhalt6', data: forged }] });
    const encrypted = await encryptContainer(built, [{ certificate: reader.certificate, certificateId: reader.id }], { id: 'fremd_encdata6' });
    return { ...d, contentPackageXml: replaceContainers(d.contentPackageXml, encrypted), attachments: [] };
  };
}

/**
 * (7) A second, different application in a plain container signed with the intermediary's own signature key (its
 * certificate is issued by the same CA: the signature is valid and "trusted") — two distinct signed applications.
 */
export function secondSignedApplication(forged: Buffer, signer: KeyEntry) {
  return async (d: HandedOutDelivery): Promise<HandedOutDelivery> => {
    const certificateId = certificateElementId('SignatureCertificateOtherAuthor', signer.certificate, 0);
    const signed = await buildContainer({
      id: 'fremdcontainer7',
      contents: [{ kind: 'base64', id: 'fremdinhalt7', data: forged }],
      signer: { privateKey: signer.privateKey, certificate: signer.certificate, certificateId },
    });
    return {
      ...d,
      contentPackageXml: insertContainer(d.contentPackageXml, signed.xml, 'last'),
      certificates: [...d.certificates, { role: 'SignatureCertificateOtherAuthor', certificate: signer.certificate, id: certificateId }],
    };
  };
}

/**
 * (3) A hostile sender: its container signature covers the genuine application and attachment, but the container
 * also holds an extra Content — the forged application, placed first — that the signature does not reference.
 * Sent by StoreDelivery like `postfach send`. Returns the message id.
 */
export async function sendWithUncoveredContent(
  url: string,
  setup: SenderSetup,
  genuine: Buffer,
  attachment: Buffer,
  forged: Buffer,
  post: PostFunction = httpPost(url),
): Promise<string> {
  const sender = setup.sender;
  const signerId = certificateElementId('SignatureCertificateOriginator', sender.certificate);
  const container = await buildContainer({
    id: 'contentcontainer0',
    contents: [
      { kind: 'base64', id: 'content0', data: genuine },
      { kind: 'attachment', id: 'content1', contentId: 'anlage-1.pdf', data: bufferSource(attachment) },
    ],
    signer: { privateKey: sender.privateKey, certificate: sender.certificate, certificateId: signerId },
  });
  // the extra Content goes in front of the signed ones, after the signature
  const at = container.xml.indexOf('</ds:Signature>') + '</ds:Signature>'.length;
  const extra = `<osci:Content><osci:Base64Content Id="content9">${base64Wrapped(forged)}</osci:Base64Content></osci:Content>`;
  const xml = container.xml.slice(0, at) + extra + container.xml.slice(at);
  const readerId = certificateElementId('CipherCertificateAddressee', setup.recipient, 0);
  const encrypted = await encryptContainer({ xml, attachments: container.attachments }, [{ certificate: setup.recipient, certificateId: readerId }], { id: 'encdata_0' });
  const client = new ImplicitSender({
    post,
    cipherKey: sender,
    signatureKey: sender,
    intermediaryCertificate: setup.intermediaryCertificate,
    intermediarySigner: setup.intermediarySigner,
  });
  try {
    const messageId = await client.getMessageId();
    await client.storeDelivery({
      messageId,
      subject: 'Antrag mit nicht signiertem Zusatzinhalt',
      contentPackageXml: contentPackageXml([encrypted]),
      attachments: container.attachments,
      nonIntermediaryCertificates: [
        { role: 'CipherCertificateOriginator', certificate: sender.certificate },
        { role: 'CipherCertificateAddressee', certificate: setup.recipient },
        { role: 'SignatureCertificateOriginator', certificate: sender.certificate },
      ],
    });
    return messageId;
  } finally {
    await client.release();
  }
}
