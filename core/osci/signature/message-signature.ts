/**
 * The message-level signature (ClientSignature on requests, SupplierSignature on responses, PROTOCOL.md §5):
 * digests and value, the coverage rule (every header block except the signature wrapper, the Body and every
 * attachment must be referenced; a header block without Id cannot be signed and is refused), RetrievalMethod
 * resolved only to certificate elements of NonIntermediaryCertificates / IntermediaryCertificates, and signer
 * pinning against configured certificates or CAs.
 */
import type { X509Certificate } from 'node:crypto';
import { osciError } from '../errors.js';
import type { OsciMessage } from '../messages/model.js';
import { attr } from '../xml/parse.js';
import { evaluateTrust, type TrustAnchors, type TrustResult } from './trust.js';
import { verifySignature, type ReferenceResult } from './verify.js';

export interface MessageSignatureResult {
  readonly present: boolean;
  readonly wrapper: 'ClientSignature' | 'SupplierSignature' | undefined;
  /** Digests and value verify, and every part is covered. */
  readonly valid: boolean;
  readonly allPartsSigned: boolean;
  readonly signer: X509Certificate | undefined;
  readonly trust: TrustResult;
  readonly signatureMethod: string | undefined;
  readonly references: readonly ReferenceResult[];
  readonly weak: boolean;
  /** The first failure, as an error kind with detail (undefined when valid). */
  readonly failure: { readonly kind: 'signature-invalid' | 'digest-mismatch' | 'signature-incomplete'; readonly detail: string } | undefined;
  readonly uncovered: readonly string[];
}

/** Certificate lookup for ds:RetrievalMethod: only certificate elements inside the two certificate blocks. */
export function certificateResolver(message: OsciMessage): (uri: string) => X509Certificate | undefined {
  const entries = [...message.nonIntermediaryCertificates, ...message.intermediaryCertificates];
  return (uri: string) => {
    if (!uri.startsWith('#')) return undefined;
    const id = uri.slice(1);
    const target = message.xml.ids.get(id);
    const entry = entries.find((e) => e.element === target);
    return entry?.certificate;
  };
}

export async function verifyMessageSignature(message: OsciMessage, anchors?: TrustAnchors): Promise<MessageSignatureResult> {
  if (!message.signature) {
    return {
      present: false,
      wrapper: undefined,
      valid: false,
      allPartsSigned: false,
      signer: undefined,
      trust: 'untrusted',
      signatureMethod: undefined,
      references: [],
      weak: false,
      failure: undefined,
      uncovered: [],
    };
  }
  const result = await verifySignature(message.signature.element, {
    resolveId: (id) => message.xml.ids.get(id),
    resolveCid: async (cid) => {
      const part = message.attachments.get(cid);
      return part ? part.decoded() : undefined;
    },
    resolveCertificate: certificateResolver(message),
  });

  // coverage: every header block but the signature wrapper, the Body, every attachment
  const referenced = new Set(result.references.map((r) => r.uri));
  const uncovered: string[] = [];
  const wrapperEl = message.signature.element.parentNode;
  for (const block of message.headerBlocks) {
    if (block.element === wrapperEl) continue;
    if (block.id === undefined) {
      uncovered.push(`header block ${block.localName} without Id`);
      continue;
    }
    if (!referenced.has(`#${block.id}`)) uncovered.push(`#${block.id} (${block.localName})`);
  }
  const bodyId = attr(message.body, 'Id');
  if (bodyId === undefined || !referenced.has(`#${bodyId}`)) uncovered.push('soap:Body');
  for (const cid of message.attachments.keys()) if (!referenced.has(`cid:${cid}`)) uncovered.push(`cid:${cid}`);
  // references must point into the envelope's header blocks / body (not into arbitrary places)
  for (const r of result.references) {
    if (!r.uri.startsWith('#')) continue;
    const target = message.xml.ids.get(r.uri.slice(1));
    const parent = target?.parentNode;
    const okPlace = target === message.body || (parent !== null && parent !== undefined && parent === message.header && target?.namespaceURI !== undefined);
    if (!okPlace) uncovered.push(`${r.uri} does not name a header block or the Body`);
  }
  const allPartsSigned = uncovered.length === 0;
  let failure: MessageSignatureResult['failure'] = result.failure
    ? { kind: result.failure.kind as 'signature-invalid' | 'digest-mismatch', detail: result.failure.detail }
    : undefined;
  if (!failure && !allPartsSigned) failure = { kind: 'signature-incomplete', detail: `not signed: ${uncovered.slice(0, 5).join(', ')}` };
  return {
    present: true,
    wrapper: message.signature.wrapper,
    valid: failure === undefined,
    allPartsSigned,
    signer: result.signer,
    trust: result.signer ? evaluateTrust(result.signer, anchors) : 'untrusted',
    signatureMethod: result.signatureMethod,
    references: result.references,
    weak: result.weak,
    failure,
    uncovered,
  };
}

/**
 * The client policy for responses (DESIGN.md "Policies"): signed, valid, complete, signer pinned. Throws the
 * matching PostfachError otherwise.
 */
export function requireTrustedSignature(result: MessageSignatureResult, what: string): void {
  if (!result.present) throw osciError('signature-missing', `${what}: no ${'SupplierSignature'}`);
  if (result.failure) throw osciError(result.failure.kind, `${what}: ${result.failure.detail}`, { osciCode: result.failure.kind === 'signature-incomplete' ? '9602' : '9601' });
  if (result.trust === 'untrusted') {
    throw osciError('signer-untrusted', `${what}: signer is neither the configured certificate nor issued by a configured CA`);
  }
}
