/**
 * Reading and writing the XML-Enc elements OSCI uses (xenc:EncryptedData, xenc:EncryptionMethod with
 * osci128:IvLength, xenc:EncryptedKey with OAEP parameters), shared by the transport and the content layer.
 */
import type { Element } from '@xmldom/xmldom';
import { osciError } from '../errors.js';
import { NS } from '../xml/namespaces.js';
import { attr, base64Text, childElements, firstChild, textOf } from '../xml/parse.js';
import { el } from '../xml/write.js';
import { base64Wrapped } from '../mime/base64-stream.js';
import { KEY_TRANSPORT, RETRIEVAL_X509, TRANSFORM_BASE64 } from './algorithms.js';
import type { KeyTransportMethod } from './rsa-key-transport.js';
import type { SymmetricParams } from './symmetric.js';

export interface EncryptedKeyInfo {
  readonly element: Element;
  readonly method: KeyTransportMethod;
  /** Certificate given inline (ds:X509Data/ds:X509Certificate), DER. */
  readonly certificateDer: Buffer | undefined;
  /** ds:RetrievalMethod URI (content layer), e.g. `#addressee_cipher_…`. */
  readonly retrievalUri: string | undefined;
  readonly retrievalType: string | undefined;
  readonly cipherValue: Buffer;
}

export interface EncryptedDataInfo {
  readonly element: Element;
  readonly id: string | undefined;
  readonly mimeType: string | undefined;
  readonly symmetric: SymmetricParams;
  readonly encryptedKeys: readonly EncryptedKeyInfo[];
  /** ds:KeyInfo/ds:MgmtData: the raw symmetric key (attachment encryption inside a container). */
  readonly mgmtDataKey: Buffer | undefined;
  /** Inline ciphertext (xenc:CipherValue) element; decode with base64Source (it may be large). */
  readonly cipherValueElement: Element | undefined;
  /** xenc:CipherReference URI, e.g. `cid:osci_enc`. */
  readonly cipherReference: string | undefined;
}

export function parseSymmetricMethod(encryptedData: Element, what: string): SymmetricParams {
  const method = firstChild(encryptedData, NS.xenc, 'EncryptionMethod');
  const algorithm = method ? attr(method, 'Algorithm') : undefined;
  if (!method || !algorithm) throw osciError('malformed', `${what}: EncryptionMethod missing`);
  const ivEl = firstChild(method, NS.osci128, 'IvLength');
  let ivLengthElement: number | undefined;
  if (ivEl) {
    const v = attr(ivEl, 'Value') ?? textOf(ivEl).trim();
    if (!/^\d{1,3}$/.test(v)) throw osciError('malformed', `${what}: invalid IvLength`);
    ivLengthElement = Number(v);
  }
  return { algorithm, ivLengthElement };
}

export function parseKeyTransportMethod(encryptedKey: Element, what: string): KeyTransportMethod {
  const method = firstChild(encryptedKey, NS.xenc, 'EncryptionMethod');
  const algorithm = method ? attr(method, 'Algorithm') : undefined;
  if (!method || !algorithm) throw osciError('malformed', `${what}: EncryptedKey without EncryptionMethod`);
  const digestEl = firstChild(method, NS.ds, 'DigestMethod');
  const mgfEl = firstChild(method, NS.xenc11, 'MGF');
  const paramsEl = firstChild(method, NS.xenc, 'OAEPparams');
  return {
    algorithm,
    digest: digestEl ? attr(digestEl, 'Algorithm') : undefined,
    mgf: mgfEl ? attr(mgfEl, 'Algorithm') : undefined,
    oaepParams: paramsEl ? base64Text(paramsEl, `${what}: OAEPparams`) : undefined,
  };
}

export function parseEncryptedData(encryptedData: Element, what: string): EncryptedDataInfo {
  const symmetric = parseSymmetricMethod(encryptedData, what);
  const keyInfo = firstChild(encryptedData, NS.ds, 'KeyInfo');
  const encryptedKeys: EncryptedKeyInfo[] = [];
  let mgmtDataKey: Buffer | undefined;
  if (keyInfo) {
    for (const ek of childElements(keyInfo, NS.xenc, 'EncryptedKey')) {
      const method = parseKeyTransportMethod(ek, what);
      const ekKeyInfo = firstChild(ek, NS.ds, 'KeyInfo');
      let certificateDer: Buffer | undefined;
      let retrievalUri: string | undefined;
      let retrievalType: string | undefined;
      if (ekKeyInfo) {
        const x509 = firstChild(ekKeyInfo, NS.ds, 'X509Data');
        const certEl = x509 ? firstChild(x509, NS.ds, 'X509Certificate') : undefined;
        if (certEl) certificateDer = base64Text(certEl, `${what}: X509Certificate`);
        const rm = firstChild(ekKeyInfo, NS.ds, 'RetrievalMethod');
        if (rm) {
          retrievalUri = attr(rm, 'URI');
          retrievalType = attr(rm, 'Type');
        }
      }
      const cd = firstChild(ek, NS.xenc, 'CipherData');
      const cv = cd ? firstChild(cd, NS.xenc, 'CipherValue') : undefined;
      if (!cv) throw osciError('malformed', `${what}: EncryptedKey without CipherValue`);
      encryptedKeys.push({ element: ek, method, certificateDer, retrievalUri, retrievalType, cipherValue: base64Text(cv, `${what}: EncryptedKey CipherValue`) });
    }
    const mgmt = firstChild(keyInfo, NS.ds, 'MgmtData');
    if (mgmt) mgmtDataKey = base64Text(mgmt, `${what}: MgmtData`);
  }
  const cipherData = firstChild(encryptedData, NS.xenc, 'CipherData');
  if (!cipherData) throw osciError('malformed', `${what}: CipherData missing`);
  const cvEl = firstChild(cipherData, NS.xenc, 'CipherValue');
  const refEl = firstChild(cipherData, NS.xenc, 'CipherReference');
  if (!cvEl && !refEl) throw osciError('malformed', `${what}: neither CipherValue nor CipherReference`);
  return {
    element: encryptedData,
    id: attr(encryptedData, 'Id'),
    mimeType: attr(encryptedData, 'MimeType'),
    symmetric,
    encryptedKeys,
    mgmtDataKey,
    cipherValueElement: cvEl,
    cipherReference: refEl ? attr(refEl, 'URI') : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing, in the library's form.

export function encryptionMethodXml(algorithm: string, ivLength: number | undefined): string {
  // the library writes IvLength whenever its configured length is not 16 (also on CBC methods)
  const iv =
    ivLength !== undefined && ivLength !== 16
      ? el('osci128:IvLength', [
          ['xmlns:osci128', NS.osci128],
          ['Value', String(ivLength)],
        ])
      : '';
  return el('xenc:EncryptionMethod', [['Algorithm', algorithm]], iv);
}

export function keyTransportMethodXml(method: KeyTransportMethod): string {
  if (method.algorithm === KEY_TRANSPORT.rsa15) return el('xenc:EncryptionMethod', [['Algorithm', method.algorithm]]);
  let inner = '';
  if (method.mgf)
    inner += el('xenc11:MGF', [
      ['xmlns:xenc11', NS.xenc11],
      ['Algorithm', method.mgf],
    ]);
  if (method.digest) inner += el('ds:DigestMethod', [['Algorithm', method.digest]]);
  return el('xenc:EncryptionMethod', [['Algorithm', method.algorithm]], inner);
}

/** EncryptedKey with the recipient certificate inline (transport layer). */
export function encryptedKeyWithCertificateXml(method: KeyTransportMethod, certificateDer: Buffer, wrapped: Buffer): string {
  return el(
    'xenc:EncryptedKey',
    [],
    keyTransportMethodXml(method) +
      el('ds:KeyInfo', [], el('ds:X509Data', [], el('ds:X509Certificate', [], base64Wrapped(certificateDer)))) +
      el('xenc:CipherData', [], el('xenc:CipherValue', [], base64Wrapped(wrapped))),
  );
}

/** EncryptedKey pointing to a certificate element by RetrievalMethod (content layer). */
export function encryptedKeyWithRetrievalXml(method: KeyTransportMethod, retrievalId: string, wrapped: Buffer): string {
  return el(
    'xenc:EncryptedKey',
    [],
    keyTransportMethodXml(method) +
      el(
        'ds:KeyInfo',
        [],
        el('ds:RetrievalMethod', [
          ['Type', RETRIEVAL_X509],
          ['URI', `#${retrievalId}`],
        ]),
      ) +
      el('xenc:CipherData', [], el('xenc:CipherValue', [], base64Wrapped(wrapped))),
  );
}

export function cipherReferenceXml(cid: string): string {
  return el('xenc:CipherData', [], el('xenc:CipherReference', [['URI', `cid:${cid}`]], el('xenc:Transforms', [], el('ds:Transform', [['Algorithm', TRANSFORM_BASE64]]))));
}
