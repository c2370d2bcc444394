/**
 * Transport encryption ("Auftragsebene", PROTOCOL.md §3.3): the complete inner MIME entity is encrypted with a
 * fresh symmetric key, which is RSA-wrapped for the recipient; the wrapper is a small SOAP envelope whose Body is
 * one xenc:EncryptedData with CipherReference `cid:osci_enc` pointing at the ciphertext part.
 *
 * Decryption picks the private key by comparing the certificate inside EncryptedKey byte for byte with the
 * certificates of the keys at hand; the plaintext is streamed into memory or an encrypted spool and handed out
 * only after the GCM tag has been verified.
 */
import type { X509Certificate } from 'node:crypto';
import type { KeyEntry } from '../pki/pkcs12.js';
import type { ByteSource } from '../io/byte-source.js';
import type { SpoolScope } from '../io/sink.js';
import { osciError } from './errors.js';
import { DEFAULTS, symmetricAlgorithm, type SymmetricAlgorithm } from './crypto/algorithms.js';
import { unwrapKey, wrapKey, type KeyTransportMethod } from './crypto/rsa-key-transport.js';
import { decryptSymmetric, encryptSymmetricStream, ivLengthFor, newSymmetricKey } from './crypto/symmetric.js';
import { cipherReferenceXml, encryptedKeyWithCertificateXml, encryptionMethodXml, parseEncryptedData } from './crypto/xmlenc.js';
import { buildMultipart, newBoundary, soapPart } from './mime/writer.js';
import { partById, type MimeEntity } from './mime/reader.js';
import { NS, schemaLocation } from './xml/namespaces.js';
import { base64Source, firstChild, parseXmlSource, type ParsedXml } from './xml/parse.js';
import { el } from './xml/write.js';

/** The algorithms a transport layer used (for inspect and for answering in kind). */
export interface TransportAlgorithms {
  readonly symmetric: string;
  readonly ivLength: number;
  /** osci128:IvLength value, undefined when absent. */
  readonly ivLengthElement: number | undefined;
  readonly keyTransport: string;
  readonly oaepDigest: string | undefined;
  readonly mgf: string | undefined;
  /** Content-Transfer-Encoding of the ciphertext part (`binary`, `7bit` with text/base64, `base64`). */
  readonly partEncoding: string;
  readonly partBase64: boolean;
  readonly weak: boolean;
}

export interface TransportDecryption {
  readonly inner: ByteSource;
  readonly key: KeyEntry;
  readonly algorithms: TransportAlgorithms;
  /** DER of the certificate the message was encrypted for. */
  readonly recipientCertificateDer: Buffer;
}

/** Is this parsed root part the transport wrapper (Body holds exactly an xenc:EncryptedData)? */
export function isTransportEnvelope(xml: ParsedXml): boolean {
  const body = firstChild(xml.root, NS.soap, 'Body');
  return !!body && !!firstChild(body, NS.xenc, 'EncryptedData') && !firstChild(xml.root, NS.soap, 'Header');
}

export async function decryptTransport(entity: MimeEntity, envelope: ParsedXml, keys: readonly KeyEntry[], scope: SpoolScope): Promise<TransportDecryption> {
  const what = 'transport layer';
  const body = firstChild(envelope.root, NS.soap, 'Body');
  const encEl = body ? firstChild(body, NS.xenc, 'EncryptedData') : undefined;
  if (!encEl) throw osciError('malformed', `${what}: no xenc:EncryptedData in the Body`);
  const info = parseEncryptedData(encEl, what);
  const alg = symmetricAlgorithm(info.symmetric.algorithm);
  const candidates = info.encryptedKeys.filter((k) => k.certificateDer);
  if (candidates.length === 0) throw osciError('malformed', `${what}: EncryptedKey without recipient certificate`);
  let chosen: { ek: (typeof candidates)[number]; key: KeyEntry } | undefined;
  for (const ek of candidates) {
    const key = keys.find((k) => k.certificateDer.equals(ek.certificateDer!));
    if (key) {
      chosen = { ek, key };
      break;
    }
  }
  if (!chosen) {
    throw osciError('no-matching-key', `${what}: encrypted for a certificate none of the ${keys.length} given key(s) holds`);
  }
  const symKey = unwrapKey(chosen.key.privateKey, chosen.ek.method, chosen.ek.cipherValue, alg.keyLength, 'transport-decryption', what);

  let cipherSource: ByteSource;
  let partEncoding = 'inline';
  let partBase64 = false;
  if (info.cipherReference !== undefined) {
    const m = /^cid:(.+)$/.exec(info.cipherReference);
    if (!m) throw osciError('malformed', `${what}: CipherReference is not a cid: URI`);
    const part = partById(entity, m[1]!);
    if (!part) throw osciError('malformed', `${what}: ciphertext part <${m[1]!.slice(0, 60)}> missing`);
    cipherSource = await part.decoded();
    partEncoding = part.transferEncoding ?? 'binary';
    partBase64 = part.isBase64;
  } else {
    cipherSource = await base64Source(info.cipherValueElement!, `${what}: CipherValue`);
  }
  const inner = await decryptSymmetric(info.symmetric, symKey, cipherSource, scope, 'transport-decryption', what);
  return {
    inner,
    key: chosen.key,
    recipientCertificateDer: chosen.ek.certificateDer!,
    algorithms: {
      symmetric: alg.uri,
      ivLength: ivLengthFor(alg, info.symmetric.ivLengthElement),
      ivLengthElement: info.symmetric.ivLengthElement,
      keyTransport: chosen.ek.method.algorithm,
      oaepDigest: chosen.ek.method.digest,
      mgf: chosen.ek.method.mgf,
      partEncoding,
      partBase64,
      weak: alg.weak || chosen.ek.method.algorithm.endsWith('rsa-1_5'),
    },
  };
}

export interface TransportEncryptionOptions {
  readonly symmetric?: string;
  /** GCM IV length: 12 (default, IvLength element written) or 16 (no element). Ignored for CBC. */
  readonly ivLength?: 12 | 16;
  readonly keyTransport?: KeyTransportMethod;
  /** Write the ciphertext part base64 (`text/base64`, `7bit`) instead of binary. */
  readonly base64?: boolean;
  readonly boundary?: string;
}

/** Encrypts a complete inner MIME entity for the recipient's cipher certificate; returns the HTTP body. */
export function encryptTransport(inner: ByteSource, recipient: X509Certificate, options: TransportEncryptionOptions = {}): ByteSource {
  const symUri = options.symmetric ?? DEFAULTS.symmetric;
  const alg: SymmetricAlgorithm = symmetricAlgorithm(symUri);
  const ivLength = alg.mode === 'cbc' ? alg.blockSize : (options.ivLength ?? DEFAULTS.ivLength);
  const method = options.keyTransport ?? { algorithm: DEFAULTS.keyTransport, digest: DEFAULTS.oaepDigest, mgf: DEFAULTS.mgf };
  const key = newSymmetricKey(symUri);
  const wrapped = wrapKey(recipient.publicKey, method, key);
  const ivElement = alg.mode === 'gcm' ? ivLength : options.ivLength === undefined ? 12 : options.ivLength;
  const envelope =
    `<soap:Envelope xmlns:ds="${NS.ds}" xmlns:soap="${NS.soap}" xmlns:xenc="${NS.xenc}" xmlns:xsi="${NS.xsi}" xsi:schemaLocation="${schemaLocation('MessageEncrypted')}">` +
    el(
      'soap:Body',
      [],
      el(
        'xenc:EncryptedData',
        [['MimeType', 'Multipart/Related']],
        encryptionMethodXml(symUri, alg.mode === 'gcm' ? ivLength : ivElement) +
          el('ds:KeyInfo', [], encryptedKeyWithCertificateXml(method, recipient.raw, wrapped)) +
          cipherReferenceXml('osci_enc'),
      ),
    ) +
    '</soap:Envelope>';
  const ciphertext = encryptSymmetricStream(symUri, ivLength, key, inner);
  return buildMultipart(
    [
      soapPart(envelope, true),
      options.base64
        ? { contentType: 'text/base64', transferEncoding: '7bit', contentId: 'osci_enc', body: ciphertext }
        : { contentType: 'application/octet-stream', transferEncoding: 'binary', contentId: 'osci_enc', body: ciphertext },
    ],
    options.boundary ?? newBoundary(),
  );
}

/** Reads and parses the root (SOAP) part of an entity; small by protocol. */
export async function parseRootPart(entity: MimeEntity, what: string, maxBytes?: number): Promise<ParsedXml> {
  const root = partById(entity, 'osci@message') ?? entity.parts[0];
  if (!root) throw osciError('malformed', `${what}: no parts`);
  const src = await root.decoded();
  const limit = maxBytes ?? 64 * 1024 * 1024;
  // large text (CipherValue, Base64Content) stays in the source; `limit` bounds what is parsed into the DOM
  return parseXmlSource(src, { what, maxBytes: limit });
}
