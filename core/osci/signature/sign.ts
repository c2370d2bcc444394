/**
 * Creating XML-DSig signatures in the library-compatible form (PROTOCOL.md §5.1): inclusive C14N 1.0, one
 * Reference per part (C14N transform for XML parts, base64 transform for Base64Content, none for `cid:`
 * attachments), KeyInfo as ds:RetrievalMethod to the signer's certificate element. The SignedInfo is signed in
 * its canonical form in the namespace context it will live in.
 */
import { createHash, type KeyObject, type X509Certificate } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import type { ByteSource } from '../../io/byte-source.js';
import { DEFAULTS, digestAlgorithm, TRANSFORM_BASE64 } from '../crypto/algorithms.js';
import { createSignatureValueAsync } from '../crypto/signature-primitives.js';
import { base64Wrapped } from '../mime/base64-stream.js';
import { C14N_URI, canonicalize, digestCanonical } from '../xml/c14n.js';
import { NS } from '../xml/namespaces.js';
import { firstChild, parseXml } from '../xml/parse.js';
import { el } from '../xml/write.js';

export interface SignerKey {
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
  /** Signature method URI (default RSA-SHA256; ECDSA keys need an ecdsa-* URI). */
  readonly signatureMethod?: string;
  /** Digest method URI for references (default SHA-256). */
  readonly digestMethod?: string;
}

export type SignReference =
  | { readonly uri: string; readonly kind: 'xml'; readonly element: Element }
  | { readonly uri: string; readonly kind: 'base64'; readonly data: ByteSource }
  | { readonly uri: string; readonly kind: 'cid'; readonly data: ByteSource }
  /**
   * A digest computed earlier over exactly the bytes this reference stands for, with `hash` (an XML part in its
   * canonical form, C14N transform; or an attachment, no transform): what does not change is not hashed again.
   */
  | { readonly uri: string; readonly kind: 'xml-digest'; readonly hash: string; readonly digest: Buffer }
  | { readonly uri: string; readonly kind: 'cid-digest'; readonly hash: string; readonly digest: Buffer };

async function digestOf(ref: SignReference, hash: string): Promise<Buffer> {
  if (ref.kind === 'xml-digest' || ref.kind === 'cid-digest') {
    if (ref.hash !== hash) throw new Error(`a ${ref.hash} digest given for a ${hash} reference (${ref.uri})`);
    return ref.digest;
  }
  const h = createHash(hash);
  if (ref.kind === 'xml') return digestCanonical(ref.element, hash);
  for await (const chunk of ref.data.stream()) h.update(chunk);
  return h.digest();
}

/**
 * Builds a complete `<ds:Signature>` element as text. `contextDecls` are the namespace declarations in scope
 * where the signature will be placed (they determine the canonical SignedInfo); `keyInfoId` is the Id of the
 * signer's certificate element.
 */
export async function createSignatureXml(references: readonly SignReference[], signer: SignerKey, keyInfoId: string, contextDecls: string): Promise<string> {
  const method = signer.signatureMethod ?? (signer.privateKey.asymmetricKeyType === 'ec' ? 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256' : DEFAULTS.signature);
  const digestUri = signer.digestMethod ?? DEFAULTS.digest;
  const hash = digestAlgorithm(digestUri).hash;
  let refs = '';
  for (const ref of references) {
    const digest = await digestOf(ref, hash);
    const transforms =
      ref.kind === 'cid' || ref.kind === 'cid-digest' ? '' : el('ds:Transforms', [], el('ds:Transform', [['Algorithm', ref.kind === 'base64' ? TRANSFORM_BASE64 : C14N_URI]]));
    refs += el('ds:Reference', [['URI', ref.uri]], transforms + el('ds:DigestMethod', [['Algorithm', digestUri]]) + el('ds:DigestValue', [], digest.toString('base64')));
  }
  const signedInfo = el('ds:SignedInfo', [], el('ds:CanonicalizationMethod', [['Algorithm', C14N_URI]]) + el('ds:SignatureMethod', [['Algorithm', method]]) + refs);
  // canonical SignedInfo in the namespace context of its final place
  const skeleton = parseXml(`<ctx ${contextDecls}><ds:Signature>${signedInfo}</ds:Signature></ctx>`, { what: 'SignedInfo' });
  const sigEl = firstChild(skeleton.root, NS.ds, 'Signature')!;
  const canonical = canonicalize(firstChild(sigEl, NS.ds, 'SignedInfo')!);
  const value = await createSignatureValueAsync(method, signer.privateKey, Buffer.from(canonical, 'utf8'));
  return el('ds:Signature', [], signedInfo + el('ds:SignatureValue', [], base64Wrapped(value)) + el('ds:KeyInfo', [], el('ds:RetrievalMethod', [['URI', `#${keyInfoId}`]])));
}
