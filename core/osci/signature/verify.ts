/**
 * XML-DSig verification as OSCI uses it (PROTOCOL.md §5, §6.2), with our own reference loop: xml-crypto serves only
 * as the inclusive C14N engine. References resolve by Id in the document at hand (`#id`) or to MIME attachments
 * (`cid:`, digest over the bytes as transported, or over the decrypted plaintext for content signatures); a
 * base64 transform hashes the decoded element text. The signer certificate comes from ds:RetrievalMethod, which
 * the caller resolves to certificate elements only, or from an inline ds:X509Data.
 */
import { X509Certificate } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { digestOf, type ByteSource } from '../../io/byte-source.js';
import { osciError, type OsciErrorKind } from '../errors.js';
import { digestAlgorithm, signatureAlgorithm, TRANSFORM_BASE64 } from '../crypto/algorithms.js';
import { verifySignatureValue } from '../crypto/signature-primitives.js';
import { C14N_URI, canonicalize, digestCanonical, digestCanonicalString } from '../xml/c14n.js';
import { NS } from '../xml/namespaces.js';
import { attr, base64Source, base64Text, childElements, firstChild, requireChild, textOf } from '../xml/parse.js';

export interface ReferenceResult {
  readonly uri: string;
  readonly digestMethod: string;
  readonly transforms: readonly string[];
  readonly ok: boolean;
  /** Set when the digest matched only the reference implementation's form of a nested EncryptedData (Q10). */
  readonly quirk?: 'Q10';
  /** The element a `#id` reference resolved to (what it covers; the coverage rules compare it with the contents). */
  readonly target?: Element;
}

export interface SignatureResult {
  /** Signature value and every digest verify. */
  readonly valid: boolean;
  /**
   * The SignatureValue verifies over SignedInfo (the signer vouches for the listed digests), whatever the digests
   * of the references say: with it, a reference whose digest matches still covers its target (coverage per item).
   */
  readonly valueValid: boolean;
  readonly signatureMethod: string;
  readonly references: readonly ReferenceResult[];
  readonly signer: X509Certificate | undefined;
  /** Id of the certificate element behind ds:RetrievalMethod, if used. */
  readonly keyInfoRef: string | undefined;
  /** A weak algorithm (SHA-1, RIPEMD-160) was used. */
  readonly weak: boolean;
  /** Why it is not valid: `digest-mismatch` or `signature-invalid` (value does not verify). */
  readonly failure: { readonly kind: OsciErrorKind; readonly detail: string } | undefined;
}

export interface VerifyContext {
  /** Resolves `#id` references (the Id index of the document the signature lives in). */
  resolveId(id: string): Element | undefined;
  /** Resolves `cid:` references to the bytes that are hashed. */
  resolveCid(cid: string): Promise<ByteSource | undefined>;
  /** Resolves ds:RetrievalMethod URIs (`#id`) to a certificate; must refuse anything but certificate elements. */
  resolveCertificate(uri: string): X509Certificate | undefined;
  /** Accept the reference implementation's digest form for nested xenc:EncryptedData (quirk Q10). */
  readonly allowNestedEncryptedDataQuirk?: boolean;
  /** Decoded bytes of a base64-transform target, when the caller holds them elsewhere (large payloads). */
  base64Bytes?(element: Element): Promise<ByteSource | undefined>;
  /** Digests shared by the signatures verified over one unchanged document (e.g. a container's signatures). */
  readonly digests?: DigestMemo;
}

/**
 * Each digest a signature asks for, computed once. The references are digested before the signature value is
 * checked, and the sender chooses them: ten thousand signatures naming the same 10 MB Content would each have it
 * canonicalised and hashed anew (reference amplification). Within one signature a URI named twice is refused.
 */
export class DigestMemo {
  private readonly done = new Map<Element | string, Map<string, Promise<Buffer>>>();
  of(subject: Element | string, form: string, compute: () => Promise<Buffer>): Promise<Buffer> {
    const forms = this.done.get(subject) ?? new Map<string, Promise<Buffer>>();
    this.done.set(subject, forms);
    const digest = forms.get(form) ?? compute();
    forms.set(form, digest);
    return digest;
  }
}

/** The reference implementation's digest form of a nested EncryptedData (quirk Q10): no inherited declarations. */
function q10Form(el: Element): string {
  const canon = canonicalize(el);
  // drop the xmlns declarations on the apex start tag that are inherited (ds, osci, soap, xenc, xsi)
  const end = canon.indexOf('>');
  const startTag = canon.slice(0, end).replace(/ xmlns:(ds|osci|soap|xenc|xsi)="[^"]*"/g, '');
  return startTag + canon.slice(end);
}

export async function verifySignature(signature: Element, ctx: VerifyContext): Promise<SignatureResult> {
  const what = 'signature';
  if (signature.namespaceURI !== NS.ds || signature.localName !== 'Signature') throw osciError('malformed', `${what}: not a ds:Signature`);
  const signedInfo = requireChild(signature, NS.ds, 'SignedInfo', what);
  const c14nEl = requireChild(signedInfo, NS.ds, 'CanonicalizationMethod', what);
  if (attr(c14nEl, 'Algorithm') !== C14N_URI) {
    throw osciError('unsupported-algorithm', `${what}: canonicalization ${String(attr(c14nEl, 'Algorithm')).slice(0, 100)} (only inclusive C14N 1.0)`);
  }
  const sigMethod = attr(requireChild(signedInfo, NS.ds, 'SignatureMethod', what), 'Algorithm') ?? '';
  const sigAlg = signatureAlgorithm(sigMethod);
  let weak = sigAlg.weak;

  const references: ReferenceResult[] = [];
  let firstBad: string | undefined;
  const digests = ctx.digests ?? new DigestMemo();
  const named = new Set<string>();
  for (const ref of childElements(signedInfo, NS.ds, 'Reference')) {
    const uri = attr(ref, 'URI');
    if (uri === undefined) throw osciError('malformed', `${what}: Reference without URI`);
    // a URI twice adds nothing a signer needs, only work (each would be digested again)
    if (named.has(uri)) throw osciError('hostile-xml', `${what}: reference ${uri.slice(0, 80)} appears twice`);
    named.add(uri);
    const digestUri = attr(requireChild(ref, NS.ds, 'DigestMethod', what), 'Algorithm') ?? '';
    const dAlg = digestAlgorithm(digestUri);
    weak ||= dAlg.weak;
    const expected = base64Text(requireChild(ref, NS.ds, 'DigestValue', what), `${what}: DigestValue`);
    const transformsEl = firstChild(ref, NS.ds, 'Transforms');
    const transforms = transformsEl ? childElements(transformsEl, NS.ds, 'Transform').map((t) => attr(t, 'Algorithm') ?? '') : [];
    for (const t of transforms) {
      if (t !== C14N_URI && t !== TRANSFORM_BASE64) throw osciError('unsupported-algorithm', `${what}: transform ${t.slice(0, 100)}`);
    }
    let ok: boolean;
    let quirk: 'Q10' | undefined;
    let target: Element | undefined;
    if (uri.startsWith('cid:')) {
      const src = await ctx.resolveCid(uri.slice(4));
      if (!src) throw osciError('malformed', `${what}: reference ${uri.slice(0, 80)} to a missing attachment`);
      ok = (await digests.of(uri, dAlg.hash, () => digestOf(src, dAlg.hash))).equals(expected);
    } else if (uri.startsWith('#') && uri.length > 1) {
      target = ctx.resolveId(uri.slice(1));
      if (!target) throw osciError('malformed', `${what}: reference ${uri.slice(0, 80)} to a missing element`);
      if (transforms.includes(TRANSFORM_BASE64)) {
        const el = target;
        const digest = await digests.of(el, `${dAlg.hash} base64`, async () => {
          const held = ctx.base64Bytes ? await ctx.base64Bytes(el) : undefined;
          return digestOf(held ?? (await base64Source(el, `${what}: ${uri.slice(0, 60)}`)), dAlg.hash);
        });
        ok = digest.equals(expected);
      } else {
        const el = target;
        ok = (await digests.of(el, `${dAlg.hash} c14n`, () => digestCanonical(el, dAlg.hash))).equals(expected);
        if (!ok && ctx.allowNestedEncryptedDataQuirk && target.namespaceURI === NS.xenc && target.localName === 'EncryptedData') {
          ok = (await digests.of(el, `${dAlg.hash} q10`, () => digestCanonicalString(q10Form(el), el, dAlg.hash))).equals(expected);
          if (ok) quirk = 'Q10';
        }
      }
    } else {
      throw osciError('malformed', `${what}: unsupported reference URI ${uri.slice(0, 80)}`);
    }
    if (!ok && firstBad === undefined) firstBad = uri;
    references.push({ uri, digestMethod: digestUri, transforms, ok, ...(quirk ? { quirk } : {}), ...(target ? { target } : {}) });
  }
  if (references.length === 0) throw osciError('malformed', `${what}: SignedInfo without references`);

  // signer certificate
  const keyInfo = firstChild(signature, NS.ds, 'KeyInfo');
  let signer: X509Certificate | undefined;
  let keyInfoRef: string | undefined;
  if (keyInfo) {
    const rm = firstChild(keyInfo, NS.ds, 'RetrievalMethod');
    const x509 = firstChild(keyInfo, NS.ds, 'X509Data');
    if (rm) {
      keyInfoRef = attr(rm, 'URI');
      if (!keyInfoRef) throw osciError('malformed', `${what}: RetrievalMethod without URI`);
      signer = ctx.resolveCertificate(keyInfoRef);
      if (!signer) throw osciError('malformed', `${what}: RetrievalMethod ${keyInfoRef.slice(0, 100)} does not point to a certificate element`);
    } else if (x509) {
      const certEl = firstChild(x509, NS.ds, 'X509Certificate');
      if (certEl) signer = parseCertificate(base64Text(certEl, `${what}: X509Certificate`));
    }
  }
  if (!signer) throw osciError('malformed', `${what}: no signer certificate (KeyInfo)`);

  const value = base64Text(requireChild(signature, NS.ds, 'SignatureValue', what), `${what}: SignatureValue`);
  const valueOk = verifySignatureValue(sigMethod, signer.publicKey, Buffer.from(canonicalize(signedInfo), 'utf8'), value);
  let failure: SignatureResult['failure'];
  if (firstBad !== undefined) failure = { kind: 'digest-mismatch', detail: `digest mismatch for reference ${firstBad.slice(0, 100)}` };
  else if (!valueOk) failure = { kind: 'signature-invalid', detail: `signature value does not verify (${sigMethod})` };
  return { valid: failure === undefined, valueValid: valueOk, signatureMethod: sigMethod, references, signer, keyInfoRef, weak, failure };
}

/**
 * Certificates parsed before, by DER: every delivery of a fetch carries the same intermediary and sender
 * certificates, and parsing one costs more than a signature check. An X509Certificate is immutable; the cache is
 * bounded (least recently used out).
 */
const parsed = new Map<string, X509Certificate>();
const PARSED_LIMIT = 256;

export function parseCertificate(der: Buffer): X509Certificate {
  const key = der.toString('base64');
  const known = parsed.get(key);
  if (known) {
    parsed.delete(key);
    parsed.set(key, known);
    return known;
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch (error) {
    throw osciError('malformed', 'certificate cannot be read', { cause: error });
  }
  parsed.set(key, certificate);
  if (parsed.size > PARSED_LIMIT) parsed.delete(parsed.keys().next().value!);
  return certificate;
}

/** Text of ds:X509Certificate in a certificate element (`<osci:SignatureCertificateOriginator>` etc.). */
export function certificateOfElement(el: Element): X509Certificate | undefined {
  const x509 = firstChild(el, NS.ds, 'X509Data');
  const certEl = x509 ? firstChild(x509, NS.ds, 'X509Certificate') : undefined;
  if (!certEl || textOf(certEl).trim() === '') return undefined;
  return parseCertificate(base64Text(certEl, 'certificate element'));
}
