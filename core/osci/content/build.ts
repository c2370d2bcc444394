/**
 * The send side of the content layer (for the sender / Sozialplattform simulator and tests): ContentContainers
 * with Base64Content and attachment references, author signatures (base64 transform over the payload, C14N for
 * href Contents, `cid:` over the attachment plaintext), attachments encrypted with their own key in ds:MgmtData,
 * containers encrypted for one or more readers (EncryptedKey with RetrievalMethod to the reader's certificate
 * element in NonIntermediaryCertificates).
 */
import type { X509Certificate } from 'node:crypto';
import { bufferSource, type ByteSource } from '../../io/byte-source.js';
import { DEFAULTS, symmetricAlgorithm } from '../crypto/algorithms.js';
import { wrapKey, type KeyTransportMethod } from '../crypto/rsa-key-transport.js';
import { encryptSymmetricBuffer, encryptSymmetricStream, newSymmetricKey } from '../crypto/symmetric.js';
import { cipherReferenceXml, encryptedKeyWithRetrievalXml, encryptionMethodXml } from '../crypto/xmlenc.js';
import { base64Wrapped } from '../mime/base64-stream.js';
import type { AttachmentInput } from '../messages/build.js';
import { createSignatureXml, type SignerKey, type SignReference } from '../signature/sign.js';
import { FIVE_NS_DECLS } from '../xml/namespaces.js';
import { parseXmlSource } from '../xml/parse.js';
import { el } from '../xml/write.js';

export interface SymmetricChoice {
  readonly algorithm?: string;
  /** GCM IV length (12 default, 16 = no IvLength element). */
  readonly ivLength?: 12 | 16;
}

export type ContentInput =
  | { readonly kind: 'base64'; readonly id: string; readonly data: Buffer }
  | {
      readonly kind: 'attachment';
      readonly id: string;
      readonly contentId: string;
      /** Attachment plaintext. */
      readonly data: ByteSource;
      /** Encrypt the attachment with its own key (MgmtData); default true. */
      readonly encrypt?: boolean;
      readonly transferEncoding?: string;
    }
  | { readonly kind: 'nested'; readonly id: string; readonly container: BuiltContainer };

export interface ContainerInput {
  readonly id: string;
  readonly contents: readonly ContentInput[];
  /** Author signature; `certificateId` is the Id of the signer's certificate element in NonIntermediaryCertificates. */
  readonly signer?: SignerKey & { readonly certificateId: string };
  readonly attachmentEncryption?: SymmetricChoice;
}

export interface BuiltContainer {
  /** `<osci:ContentContainer …>…</osci:ContentContainer>` with the five namespace declarations on the root. */
  readonly xml: string;
  /** MIME attachments to send with the message (ciphertext for encrypted ones). */
  readonly attachments: readonly AttachmentInput[];
}

export async function buildContainer(input: ContainerInput): Promise<BuiltContainer> {
  const attachments: AttachmentInput[] = [];
  let contentsXml = '';
  let keysXml = '';
  const cidPlain = new Map<string, ByteSource>();
  for (const c of input.contents) {
    if (c.kind === 'base64') {
      contentsXml += el('osci:Content', [], el('osci:Base64Content', [['Id', c.id]], base64Wrapped(c.data)));
    } else if (c.kind === 'nested') {
      contentsXml += el('osci:Content', [['Id', c.id]], stripRootDecls(c.container.xml));
      attachments.push(...c.container.attachments);
    } else {
      contentsXml += el('osci:Content', [
        ['Id', c.id],
        ['href', `cid:${c.contentId}`],
      ]);
      cidPlain.set(c.contentId, c.data);
      if (c.encrypt === false) {
        attachments.push({ contentId: c.contentId, data: c.data, transferEncoding: c.transferEncoding ?? '8bit' });
      } else {
        const algorithm = input.attachmentEncryption?.algorithm ?? DEFAULTS.symmetric;
        const alg = symmetricAlgorithm(algorithm);
        const ivLength = alg.mode === 'cbc' ? alg.blockSize : (input.attachmentEncryption?.ivLength ?? DEFAULTS.ivLength);
        const key = newSymmetricKey(algorithm);
        const cipher = encryptSymmetricStream(algorithm, ivLength, key, c.data);
        attachments.push({ contentId: c.contentId, data: cipher, transferEncoding: c.transferEncoding ?? '8bit' });
        keysXml += el(
          'xenc:EncryptedData',
          [
            ['Id', `Attachment${c.contentId}`],
            ['MimeType', 'text/xml'],
          ],
          encryptionMethodXml(algorithm, alg.mode === 'gcm' ? ivLength : 12) +
            el('ds:KeyInfo', [], el('ds:MgmtData', [], key.toString('base64'))) +
            cipherReferenceXml(c.contentId),
        );
      }
    }
  }
  const open = `<osci:ContentContainer ${FIVE_NS_DECLS} Id="${input.id}">`;
  let signature = '';
  if (input.signer) {
    const unsigned = `${open}${contentsXml}${keysXml}</osci:ContentContainer>`;
    const doc = await parseXmlSource(bufferSource(Buffer.from(unsigned, 'utf8')), { what: 'container to sign' });
    const refs: SignReference[] = [];
    for (const c of input.contents) {
      if (c.kind === 'base64') refs.push({ uri: `#${c.id}`, kind: 'base64', data: bufferSource(c.data) });
      else refs.push({ uri: `#${c.id}`, kind: 'xml', element: doc.ids.get(c.id)! });
    }
    for (const [cid, data] of cidPlain) refs.push({ uri: `cid:${cid}`, kind: 'cid', data });
    signature = await createSignatureXml(refs, input.signer, input.signer.certificateId, FIVE_NS_DECLS);
  }
  return { xml: `${open}${signature}${contentsXml}${keysXml}</osci:ContentContainer>`, attachments };
}

/** A nested container inherits its declarations from the outer container. */
function stripRootDecls(xml: string): string {
  const end = xml.indexOf('>');
  return xml.slice(0, end).replace(/ xmlns:(ds|osci|soap|xenc|xsi)="[^"]*"/g, '') + xml.slice(end);
}

export interface Reader {
  readonly certificate: X509Certificate;
  /** Id of the reader's certificate element in NonIntermediaryCertificates (CipherCertificateAddressee, …). */
  readonly certificateId: string;
}

export interface EncryptContainerOptions extends SymmetricChoice {
  readonly id: string;
  readonly keyTransport?: KeyTransportMethod;
}

/** Encrypts a container for its readers: `<xenc:EncryptedData …>` (library form, five declarations). */
export async function encryptContainer(container: BuiltContainer, readers: readonly Reader[], options: EncryptContainerOptions): Promise<string> {
  const algorithm = options.algorithm ?? DEFAULTS.symmetric;
  const alg = symmetricAlgorithm(algorithm);
  const ivLength = alg.mode === 'cbc' ? alg.blockSize : (options.ivLength ?? DEFAULTS.ivLength);
  const method = options.keyTransport ?? { algorithm: DEFAULTS.keyTransport, digest: DEFAULTS.oaepDigest, mgf: DEFAULTS.mgf };
  const key = newSymmetricKey(algorithm);
  const cipher = await encryptSymmetricBuffer(algorithm, ivLength, key, Buffer.from(container.xml, 'utf8'));
  const keys = readers.map((r) => encryptedKeyWithRetrievalXml(method, r.certificateId, wrapKey(r.certificate.publicKey, method, key))).join('');
  return (
    `<xenc:EncryptedData ${FIVE_NS_DECLS} Id="${options.id}" MimeType="text/xml">` +
    encryptionMethodXml(algorithm, alg.mode === 'gcm' ? ivLength : 12) +
    el('ds:KeyInfo', [], keys) +
    el('xenc:CipherData', [], el('xenc:CipherValue', [], base64Wrapped(cipher))) +
    '</xenc:EncryptedData>'
  );
}

/** `<osci:ContentPackage>`: encrypted containers first, then plain ones (schema order). */
export function contentPackageXml(encrypted: readonly string[], plain: readonly BuiltContainer[] = []): string {
  return el('osci:ContentPackage', [], encrypted.join('') + plain.map((p) => p.xml).join(''));
}
