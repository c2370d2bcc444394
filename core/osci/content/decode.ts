/**
 * The content layer ("Inhaltsebene", PROTOCOL.md §6): ContentPackage → ContentContainers (plain, or encrypted for
 * the mailbox's cipher key), their Contents (Base64Content, href attachments, nested containers, tolerated
 * inline XML), attachment keys from ds:MgmtData, and author signatures (base64 transform over decoded bytes,
 * C14N for href Contents, `cid:` over attachment plaintext, quirk Q10 for nested EncryptedData).
 *
 * Attachments are decrypted as streams into memory or encrypted spools; the key of an EncryptedKey is picked by
 * comparing the certificate behind its RetrievalMethod (or inline) with the given keys, DER byte for byte.
 * A container that cannot be decrypted is reported per container (the rest of the message stays readable), an
 * attachment that cannot be decrypted with its container's key per Content (kept as transported).
 *
 * An attachment's MgmtData key counts only for the container that declares it and the containers nested in it:
 * a container added by someone else cannot hand a signed container's Content another key (or the other way
 * round). Which contents a signature covers is not decided here but in coverage.ts, from the elements kept on
 * each item and the reference targets of each signature.
 */
import type { X509Certificate } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import type { KeyEntry } from '../../pki/pkcs12.js';
import { bufferSource, digestOf, type ByteSource } from '../../io/byte-source.js';
import type { SpoolScope } from '../../io/sink.js';
import { PostfachError } from '../../errors.js';
import { osciError } from '../errors.js';
import { symmetricAlgorithm } from '../crypto/algorithms.js';
import { unwrapKey } from '../crypto/rsa-key-transport.js';
import { decryptSymmetric, ivLengthFor, readPlaintext } from '../crypto/symmetric.js';
import { parseEncryptedData, type EncryptedDataInfo } from '../crypto/xmlenc.js';
import type { OsciMessage } from '../messages/model.js';
import { chooseKey, startedKeyTransport, startKeyTransport, topLevelEncryptedContainers } from './key-transports.js';
import { certificateResolver } from '../signature/message-signature.js';
import { authorTrustStatus, evaluateTrust, type TrustAnchors, type TrustResult } from '../signature/trust.js';
import { DigestMemo, verifySignature, type ReferenceResult } from '../signature/verify.js';
import { subjectName } from '../signature/cert-names.js';
import { canonicalizeStandalone, withLargeText } from '../xml/c14n.js';
import { NS } from '../xml/namespaces.js';
import { attr, base64Source, childElements, firstChild, isWithin, parseXmlSource, type ParsedXml } from '../xml/parse.js';

export interface ContentEncryptionInfo {
  readonly encryptedDataId: string | undefined;
  readonly symmetric: string;
  readonly ivLength: number;
  readonly ivLengthElement: number | undefined;
  readonly keyTransport: string;
  readonly oaepDigest: string | undefined;
  readonly mgf: string | undefined;
  readonly weak: boolean;
  /** Number of EncryptedKeys (readers). */
  readonly readers: number;
}

export interface ContentSignatureInfo {
  /** SignatureValue and every digest verify. */
  readonly valid: boolean;
  /** SignatureValue verifies (a matching reference then covers its target, even when another digest fails). */
  readonly valueValid: boolean;
  readonly signer: X509Certificate | undefined;
  readonly signerSubject: string | undefined;
  /** `trusted` = chains to a CA local IT configured; `unknown-issuer`; `invalid` = signature not valid. */
  readonly trust: 'trusted' | 'unknown-issuer' | 'invalid';
  readonly trustDetail: TrustResult;
  readonly signatureMethod: string;
  readonly references: readonly ReferenceResult[];
  readonly weak: boolean;
  readonly failure: { readonly kind: string; readonly detail: string } | undefined;
}

export type ContentItem =
  | {
      readonly kind: 'Base64Content';
      readonly id: string | undefined;
      readonly data: ByteSource;
      readonly length: number;
      readonly sha256: string;
      /** The osci:Content element and the osci:Base64Content inside it (what a reference may point to). */
      readonly element: Element;
      readonly payload: Element;
    }
  | {
      readonly kind: 'attachment';
      /** Id of the osci:Content carrying href. */
      readonly id: string | undefined;
      readonly href: string;
      readonly contentId: string;
      readonly encrypted: boolean;
      readonly encryption: ContentEncryptionInfo | undefined;
      /** Plaintext attachment bytes; the bytes as transported when `error` is set. */
      readonly data: ByteSource;
      readonly length: number;
      readonly sha256: string;
      readonly element: Element;
      /** The container's key does not open the attachment (someone else encrypted it, or it is broken). */
      readonly error: PostfachError | undefined;
    }
  | {
      readonly kind: 'nested-container';
      readonly id: string | undefined;
      readonly container: ContainerResult;
      readonly element: Element;
      /** The nested osci:ContentContainer element. */
      readonly payload: Element;
    }
  | {
      readonly kind: 'inline-xml';
      readonly id: string | undefined;
      /** Canonical form of the inline subtree. */
      readonly data: ByteSource;
      readonly length: number;
      readonly sha256: string;
      readonly element: Element;
      /** The inline root element (the Content element itself when it holds text only). */
      readonly payload: Element;
    };

export interface ContainerResult {
  readonly id: string | undefined;
  readonly origin: 'plain' | 'encrypted';
  /** Decrypted plaintext of the container document (encrypted containers only; memory or encrypted spool). */
  readonly plaintext: ByteSource | undefined;
  readonly encryption: ContentEncryptionInfo | undefined;
  readonly contents: readonly ContentItem[];
  /** Nested xenc:EncryptedData (other than attachment keys), decrypted where possible. */
  readonly nestedEncrypted: readonly EncryptedContainerResult[];
  readonly signatures: readonly ContentSignatureInfo[];
}

export interface EncryptedContainerResult {
  readonly encryptedDataId: string | undefined;
  /** The xenc:EncryptedData element (a signature of the enclosing container may cover it). */
  readonly element: Element;
  readonly container: ContainerResult | undefined;
  readonly error: PostfachError | undefined;
}

export interface ContentResult {
  /** In document order: plain containers and encrypted ones. */
  readonly items: ReadonlyArray<{ readonly kind: 'plain'; readonly container: ContainerResult } | ({ readonly kind: 'encrypted' } & EncryptedContainerResult)>;
  /** Flattened containers (depth first) for convenience. */
  readonly allContainers: readonly ContainerResult[];
  /** First failure (decryption or signature), if any. */
  readonly firstError: PostfachError | undefined;
}

export interface ContentOptions {
  /** Cipher keys that may open containers (the mailbox key, other readers). */
  readonly keys: readonly KeyEntry[];
  /** CAs local IT configured as trusted for author signatures. */
  readonly authorAnchors?: TrustAnchors;
  /**
   * When author certificates are judged (validity, chain). Pass the delivery's Creation time: a certificate that
   * expired after the application was filed does not make an old signature untrustworthy. Default: now.
   */
  readonly trustAt?: Date;
  readonly scope: SpoolScope;
}

interface Ctx {
  readonly message: OsciMessage;
  readonly options: ContentOptions;
  readonly resolveCertificate: (uri: string) => X509Certificate | undefined;
  errors: PostfachError[];
}

type Plaintext = { data: ByteSource; encryption: ContentEncryptionInfo | undefined };

/** The attachment keys a container may use: its own (cid → plaintext, decrypted once) and its ancestors'. */
interface AttachmentKeys {
  readonly own: Map<string, Promise<Plaintext>>;
  readonly parent: AttachmentKeys | undefined;
}

const hex = (b: Buffer) => b.toString('hex');

async function sha256Of(src: ByteSource): Promise<string> {
  return hex(await digestOf(src, 'sha256'));
}

function encryptionInfo(info: EncryptedDataInfo, keyIndex: number): ContentEncryptionInfo {
  const alg = symmetricAlgorithm(info.symmetric.algorithm);
  const ek = info.encryptedKeys[keyIndex];
  return {
    encryptedDataId: info.id,
    symmetric: alg.uri,
    ivLength: ivLengthFor(alg, info.symmetric.ivLengthElement),
    ivLengthElement: info.symmetric.ivLengthElement,
    keyTransport: ek ? ek.method.algorithm : 'MgmtData',
    oaepDigest: ek?.method.digest,
    mgf: ek?.method.mgf,
    weak: alg.weak || (ek?.method.algorithm.endsWith('rsa-1_5') ?? false),
    readers: info.encryptedKeys.length,
  };
}

/**
 * Several encrypted containers side by side (exchange/06: two, each with an RSA-4096 key transport): while this
 * thread opens one, the key transport of the next one runs on libuv's thread pool (key-transports.ts), so that the
 * private-key operations, independent of each other, use the second core instead of running one after the other
 * (issue 14). Only the next: a message that turns out broken leaves at most one operation behind, not one per
 * container; and the main thread keeps one operation itself (both on the pool measured slower, key-transports.ts).
 * A single container is opened here: with nothing beside it the pool would only add a hand-over. Nothing is decided
 * here: each container takes its result in its turn, with its checks and errors unchanged.
 */
function startNextKeyTransport(elements: readonly Element[], current: Element, message: OsciMessage, keys: readonly KeyEntry[]): void {
  const next = elements[elements.indexOf(current) + 1];
  if (next) startKeyTransport(next, message, keys);
}

async function decryptEncryptedContainer(el: Element, ctx: Ctx, depth: number, keys: AttachmentKeys | undefined): Promise<EncryptedContainerResult> {
  const id = attr(el, 'Id');
  try {
    const started = startedKeyTransport(el);
    // parsed once: a started operation kept what it parsed of this (unchanged) element
    const info = started?.info ?? parseEncryptedData(el, `content EncryptedData ${id ?? ''}`.trim());
    const alg = symmetricAlgorithm(info.symmetric.algorithm);
    const chosen = chooseKey(ctx.message, info, ctx.options.keys);
    if (!chosen) throw osciError('no-matching-key', `content EncryptedData ${id ?? ''}: not encrypted for any of the given keys`);
    const ek = info.encryptedKeys[chosen.index]!;
    const symKey =
      started && started.privateKey === chosen.key.privateKey && started.index === chosen.index && started.cipherValue.equals(ek.cipherValue)
        ? await started.symmetricKey
        : unwrapKey(chosen.key.privateKey, ek.method, ek.cipherValue, alg.keyLength, 'content-decryption', `EncryptedData ${id ?? ''}`);
    if (!info.cipherValueElement) throw osciError('malformed', `content EncryptedData ${id ?? ''}: CipherValue missing`);
    const cipher = await base64Source(info.cipherValueElement, `EncryptedData ${id ?? ''}: CipherValue`);
    const plaintext = await decryptSymmetric(info.symmetric, symKey, cipher, ctx.options.scope, 'content-decryption', `EncryptedData ${id ?? ''}`);
    // large Base64Content stays in the decrypted source (memory or encrypted spool), out of the DOM; an unreadable
    // CBC plaintext is the same failure as a bad padding (no oracle, crypto/symmetric.ts)
    const doc = await readPlaintext(info.symmetric.algorithm, 'content-decryption', `EncryptedData ${id ?? ''}`, async () => {
      const parsed = await parseXmlSource(plaintext, { what: `decrypted container ${id ?? ''}` });
      if (parsed.root.namespaceURI !== NS.osci || parsed.root.localName !== 'ContentContainer') {
        throw osciError('malformed', `EncryptedData ${id ?? ''}: plaintext is not an osci:ContentContainer`);
      }
      return parsed;
    });
    const container = await decodeContainer(doc.root, doc, ctx, 'encrypted', plaintext, encryptionInfo(info, chosen.index), depth, keys);
    return { encryptedDataId: id, element: el, container, error: undefined };
  } catch (error) {
    if (!(error instanceof PostfachError)) throw error;
    ctx.errors.push(error);
    return { encryptedDataId: id, element: el, container: undefined, error };
  }
}

/** Registers the attachment keys (EncryptedData with CipherReference cid: + MgmtData) of a container. */
function registerAttachmentKeys(container: Element, ctx: Ctx, keys: Map<string, Promise<Plaintext>>): Set<Element> {
  const keyElements = new Set<Element>();
  for (const ed of childElements(container, NS.xenc, 'EncryptedData')) {
    const cd = firstChild(ed, NS.xenc, 'CipherData');
    const ref = cd ? firstChild(cd, NS.xenc, 'CipherReference') : undefined;
    const uri = ref ? attr(ref, 'URI') : undefined;
    if (!uri?.startsWith('cid:')) continue;
    const info = parseEncryptedData(ed, `attachment EncryptedData ${attr(ed, 'Id') ?? ''}`.trim());
    if (!info.mgmtDataKey) throw osciError('malformed', `attachment EncryptedData for ${uri.slice(0, 80)} without MgmtData key`);
    keyElements.add(ed);
    const cid = uri.slice(4);
    const part = ctx.message.attachments.get(cid);
    if (!part) throw osciError('malformed', `encrypted attachment ${cid.slice(0, 80)} missing from the message`);
    if (keys.has(cid)) throw osciError('malformed', `two keys for attachment ${cid.slice(0, 80)} in one container`);
    const mgmtKey = info.mgmtDataKey;
    const plaintext = (async () => {
      const cipher = await part.decoded();
      const data = await decryptSymmetric(info.symmetric, mgmtKey, cipher, ctx.options.scope, 'content-decryption', `attachment ${cid.slice(0, 60)}`);
      return { data, encryption: encryptionInfo(info, -1) };
    })();
    // a failure is reported where the attachment is used; no unhandled rejection while it waits
    plaintext.catch(() => undefined);
    keys.set(cid, plaintext);
  }
  return keyElements;
}

/** An attachment as its container sees it: decrypted with the container's (or an ancestor's) key, else as sent. */
async function attachmentPlaintext(cid: string, ctx: Ctx, keys: AttachmentKeys | undefined): Promise<Plaintext> {
  for (let k = keys; k; k = k.parent) {
    const known = k.own.get(cid);
    if (known) return known;
  }
  return { data: await transported(cid, ctx), encryption: undefined };
}

async function transported(cid: string, ctx: Ctx): Promise<ByteSource> {
  const part = ctx.message.attachments.get(cid);
  if (!part) throw osciError('malformed', `attachment ${cid.slice(0, 80)} referenced but missing`);
  return part.decoded();
}

async function decodeContainer(
  container: Element,
  doc: ParsedXml,
  ctx: Ctx,
  origin: 'plain' | 'encrypted',
  plaintext: ByteSource | undefined,
  encryption: ContentEncryptionInfo | undefined,
  depth: number,
  parentKeys: AttachmentKeys | undefined,
): Promise<ContainerResult> {
  if (depth > 20) throw osciError('hostile-xml', 'content containers nested deeper than 20 levels');
  const keys: AttachmentKeys = { own: new Map(), parent: parentKeys };
  const attachmentKeys = registerAttachmentKeys(container, ctx, keys.own);
  const contents: ContentItem[] = [];
  for (const content of childElements(container, NS.osci, 'Content')) {
    const href = attr(content, 'href');
    const contentId = attr(content, 'Id');
    const b64 = firstChild(content, NS.osci, 'Base64Content');
    const nested = firstChild(content, NS.osci, 'ContentContainer');
    if (href !== undefined) {
      if (!href.startsWith('cid:')) throw osciError('malformed', 'Content href is not a cid: reference');
      const cid = href.slice(4);
      let plain: Plaintext;
      let error: PostfachError | undefined;
      try {
        plain = await attachmentPlaintext(cid, ctx, keys);
      } catch (cause) {
        if (!(cause instanceof PostfachError) || cause.kind === 'malformed') throw cause;
        // kept as transported and reported with the Content; the container's other contents stay readable
        error = cause;
        ctx.errors.push(cause);
        plain = { data: await transported(cid, ctx), encryption: undefined };
      }
      const { data, encryption: enc } = plain;
      contents.push({
        kind: 'attachment',
        id: contentId,
        href,
        contentId: cid,
        encrypted: enc !== undefined || error !== undefined,
        encryption: enc,
        data,
        length: data.size,
        sha256: await sha256Of(data),
        element: content,
        error,
      });
    } else if (b64) {
      const data = await base64Source(b64, 'Base64Content');
      contents.push({ kind: 'Base64Content', id: attr(b64, 'Id'), data, length: data.size, sha256: await sha256Of(data), element: content, payload: b64 });
    } else if (nested) {
      contents.push({
        kind: 'nested-container',
        id: contentId,
        container: await decodeContainer(nested, doc, ctx, 'plain', undefined, undefined, depth + 1, keys),
        element: content,
        payload: nested,
      });
    } else {
      // inline XML (allowed by the schema, not written by the library): the subtree as a standalone canonical
      // document (exclusive C14N: only the namespaces it uses) is the payload
      const inner = childElements(content)[0];
      // (text kept out of the DOM is put back: the payload is what was delivered)
      const bytes = Buffer.from(await withLargeText(inner ? canonicalizeStandalone(inner) : (content.textContent ?? ''), content), 'utf8');
      const data = bufferSource(bytes);
      contents.push({ kind: 'inline-xml', id: contentId, data, length: bytes.length, sha256: await sha256Of(data), element: content, payload: inner ?? content });
    }
  }
  const nestedEncrypted: EncryptedContainerResult[] = [];
  const nestedElements = childElements(container, NS.xenc, 'EncryptedData').filter((ed) => !attachmentKeys.has(ed));
  for (const ed of nestedElements) {
    startNextKeyTransport(nestedElements, ed, ctx.message, ctx.options.keys);
    nestedEncrypted.push(await decryptEncryptedContainer(ed, ctx, depth + 1, keys));
  }

  const signatures: ContentSignatureInfo[] = [];
  // the container's signatures verify over the same document: each target digested once, however many name it
  const digests = new DigestMemo();
  for (const sig of childElements(container, NS.ds, 'Signature')) {
    const r = await verifySignature(sig, {
      digests,
      resolveId: (id) => {
        const target = doc.ids.get(id);
        // references resolve inside this container only
        return target && isWithin(target, container) ? target : undefined;
      },
      // an attachment the container's key does not open is hashed as transported: its digest does not match
      resolveCid: async (cid) => {
        try {
          return (await attachmentPlaintext(cid, ctx, keys)).data;
        } catch (cause) {
          if (!(cause instanceof PostfachError) || cause.kind === 'malformed') throw cause;
          return transported(cid, ctx);
        }
      },
      resolveCertificate: ctx.resolveCertificate,
      allowNestedEncryptedDataQuirk: true,
      // a Base64Content decoded above is not decoded again for its digest
      base64Bytes: async (element) => contents.find((c): c is Extract<ContentItem, { kind: 'Base64Content' }> => c.kind === 'Base64Content' && c.payload === element)?.data,
    });
    const trustDetail = r.signer ? evaluateTrust(r.signer, ctx.options.authorAnchors, ctx.options.trustAt) : 'untrusted';
    if (r.failure) ctx.errors.push(osciError(r.failure.kind, `content signature: ${r.failure.detail}`));
    signatures.push({
      valid: r.valid,
      valueValid: r.valueValid,
      signer: r.signer,
      signerSubject: r.signer ? subjectName(r.signer) : undefined,
      trust: !r.valid || !r.signer ? 'invalid' : authorTrustStatus(r.signer, ctx.options.authorAnchors, ctx.options.trustAt),
      trustDetail,
      signatureMethod: r.signatureMethod,
      references: r.references,
      weak: r.weak,
      failure: r.failure,
    });
  }
  return { id: attr(container, 'Id'), origin, plaintext, encryption, contents, nestedEncrypted, signatures };
}

export async function decodeContent(message: OsciMessage, options: ContentOptions): Promise<ContentResult> {
  const ctx: Ctx = {
    message,
    options,
    resolveCertificate: certificateResolver(message),
    errors: [],
  };
  const items: Array<ContentResult['items'][number]> = [];
  const pkg = message.contentPackage;
  if (pkg) {
    const encrypted = topLevelEncryptedContainers(message);
    for (const child of childElements(pkg)) {
      if (child.namespaceURI === NS.xenc && child.localName === 'EncryptedData') {
        startNextKeyTransport(encrypted, child, message, options.keys);
        items.push({ kind: 'encrypted', ...(await decryptEncryptedContainer(child, ctx, 1, undefined)) });
      } else if (child.namespaceURI === NS.osci && child.localName === 'ContentContainer') {
        items.push({ kind: 'plain', container: await decodeContainer(child, message.xml, ctx, 'plain', undefined, undefined, 1, undefined) });
      } else {
        throw osciError('malformed', `unexpected element ${child.localName} in ContentPackage`);
      }
    }
  }
  const allContainers: ContainerResult[] = [];
  const walk = (c: ContainerResult) => {
    allContainers.push(c);
    for (const item of c.contents) if (item.kind === 'nested-container') walk(item.container);
    for (const n of c.nestedEncrypted) if (n.container) walk(n.container);
  };
  for (const item of items) {
    if (item.kind === 'plain') walk(item.container);
    else if (item.container) walk(item.container);
  }
  // every attachment must be referenced by some Content href (Governikus rule, PROTOCOL.md §6.1) — reported, not fatal
  return { items, allContainers, firstError: ctx.errors[0] };
}
