/**
 * Which contents each author signature covers (DESIGN.md "Signature coverage"; PROTOCOL.md §6.2). A signature
 * vouches only for what its references point to: a `#id` reference covers the element it resolves to (inside its
 * own container — decode.ts resolves nothing else; duplicate Ids were refused when the XML was parsed) with
 * everything below it, a `cid:` reference the bytes of that attachment. An attachment counts as covered only with
 * its bytes (`cid:`): a reference to its osci:Content covers no more than the href.
 *
 * Per item the result is one status:
 *  - `covered`: a signature whose SignatureValue verifies references it, and every such reference's digest matches;
 *  - `digest-mismatch` / `signature-invalid`: referenced, but a digest does not match / the value does not verify;
 *  - `undecryptable`: an attachment its container's key does not open (someone else encrypted it);
 *  - `not-covered`: its container (or an enclosing one) is signed, but no signature references it;
 *  - `unsigned`: no signature anywhere above it.
 *
 * A failing reference to an attachment is that attachment's problem (the swapped attachment is flagged, the
 * genuine application beside it stays readable); a failing SignatureValue, or a failing reference to anything
 * else, means the signature does not verify (`signatureFailures`).
 */
import type { Element, Node } from '@xmldom/xmldom';
import type { ContainerResult, ContentItem, ContentResult, ContentSignatureInfo } from './decode.js';
import type { ReferenceResult } from '../signature/verify.js';

export type LeafItem = Exclude<ContentItem, { kind: 'nested-container' }>;

export type CoverageStatus = 'covered' | 'digest-mismatch' | 'signature-invalid' | 'undecryptable' | 'not-covered' | 'unsigned';

export interface ItemCoverage {
  readonly item: LeafItem;
  readonly container: ContainerResult;
  /** The container's path as `inspect` names it (ids joined by "/"). */
  readonly path: string;
  readonly status: CoverageStatus;
  /** Signatures that vouch for this item (value verifies, every reference to it matches; attachments with `cid:`). */
  readonly coveredBy: readonly ContentSignatureInfo[];
  /** Signatures that reference this item without vouching for it (a digest does not match, the value does not verify). */
  readonly brokenBy: readonly ContentSignatureInfo[];
}

export interface SignatureFailure {
  readonly signature: ContentSignatureInfo;
  readonly kind: 'signature-invalid' | 'digest-mismatch';
  readonly detail: string;
}

export interface ContentCoverage {
  /** Every content except nested containers (whose contents are listed in their place), in document order. */
  readonly items: readonly ItemCoverage[];
  /** Signatures that do not verify as a whole (see the top of this file). */
  readonly signatureFailures: readonly SignatureFailure[];
}

/** A signature's references by their target element and by URI, built once per signature. */
interface ReferenceIndex {
  readonly byTarget: ReadonlyMap<Node, readonly ReferenceResult[]>;
  readonly byUri: ReadonlyMap<string, readonly ReferenceResult[]>;
}

const indexes = new WeakMap<ContentSignatureInfo, ReferenceIndex>();

/**
 * The sender chooses how many contents and references there are: looking every reference up for every content was
 * quadratic (4,000 contents under one signature: 0.5 s; a 64 MB message: many minutes). With the index each content
 * costs its depth.
 */
function referenceIndex(sig: ContentSignatureInfo): ReferenceIndex {
  let index = indexes.get(sig);
  if (index === undefined) {
    const byTarget = new Map<Node, ReferenceResult[]>();
    const byUri = new Map<string, ReferenceResult[]>();
    for (const r of sig.references) {
      if (r.target !== undefined) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r]);
      byUri.set(r.uri, [...(byUri.get(r.uri) ?? []), r]);
    }
    index = { byTarget, byUri };
    indexes.set(sig, index);
  }
  return index;
}

/** The references of `sig` that point to `element` or an element above it, or to `payload` (the element inside it that carries the data). */
function referencesTo(sig: ContentSignatureInfo, element: Element, payload: Element | undefined): ReferenceResult[] {
  const { byTarget } = referenceIndex(sig);
  if (byTarget.size === 0) return [];
  const found: ReferenceResult[] = [];
  let payloadSeen = payload === undefined;
  for (let n: Node | null = element; n; n = n.parentNode) {
    found.push(...(byTarget.get(n) ?? []));
    if (n === payload) payloadSeen = true;
  }
  if (!payloadSeen && payload !== undefined) found.push(...(byTarget.get(payload) ?? []));
  return found;
}

/** The references of `sig` with exactly this URI. */
function referencesByUri(sig: ContentSignatureInfo, uri: string): readonly ReferenceResult[] {
  return referenceIndex(sig).byUri.get(uri) ?? [];
}

interface Inherited {
  /** Signatures of enclosing containers that vouch for this container's whole subtree. */
  readonly vouching: readonly ContentSignatureInfo[];
  /** Signatures of enclosing containers that reference the subtree but do not vouch for it. */
  readonly broken: readonly ContentSignatureInfo[];
  /** Signatures of enclosing containers (for `cid:` references to attachments further down). */
  readonly above: readonly ContentSignatureInfo[];
}

const NONE: Inherited = { vouching: [], broken: [], above: [] };

function statusOf(item: LeafItem, coveredBy: readonly ContentSignatureInfo[], brokenBy: readonly ContentSignatureInfo[], signedAbove: boolean): CoverageStatus {
  if (item.kind === 'attachment' && item.error !== undefined) return 'undecryptable';
  if (coveredBy.length > 0) return 'covered';
  if (brokenBy.length > 0) return brokenBy.some((s) => !s.valueValid) ? 'signature-invalid' : 'digest-mismatch';
  return signedAbove ? 'not-covered' : 'unsigned';
}

/** Splits the signatures that reference a subtree into those that vouch for it and those that do not. */
function judge(signatures: readonly ContentSignatureInfo[], element: Element, payload: Element | undefined): { vouching: ContentSignatureInfo[]; broken: ContentSignatureInfo[] } {
  const vouching: ContentSignatureInfo[] = [];
  const broken: ContentSignatureInfo[] = [];
  for (const sig of signatures) {
    const refs = referencesTo(sig, element, payload);
    if (refs.length === 0) continue;
    if (sig.valueValid && refs.every((r) => r.ok)) vouching.push(sig);
    else broken.push(sig);
  }
  return { vouching, broken };
}

function walk(container: ContainerResult, path: string, inherited: Inherited, out: ItemCoverage[]): void {
  const own = container.signatures;
  const signedAbove = own.length > 0 || inherited.above.length > 0;
  const cidSigners = [...own, ...inherited.above];
  for (const item of container.contents) {
    if (item.kind === 'nested-container') {
      const { vouching, broken } = judge(own, item.element, item.payload);
      walk(
        item.container,
        `${path}/${item.container.id ?? item.id ?? '?'}`,
        { vouching: [...inherited.vouching, ...vouching], broken: [...inherited.broken, ...broken], above: cidSigners },
        out,
      );
      continue;
    }
    const coveredBy: ContentSignatureInfo[] = [];
    const brokenBy: ContentSignatureInfo[] = [];
    if (item.kind === 'attachment') {
      // the bytes count: a `cid:` reference, by this container's signatures or an enclosing one's
      for (const sig of cidSigners) {
        const refs = [...referencesByUri(sig, `cid:${item.contentId}`), ...(own.includes(sig) ? referencesTo(sig, item.element, undefined) : [])];
        if (refs.length === 0) continue;
        const hasBytes = refs.some((r) => r.uri.startsWith('cid:'));
        if (sig.valueValid && refs.every((r) => r.ok)) {
          if (hasBytes) coveredBy.push(sig);
        } else brokenBy.push(sig);
      }
    } else {
      const { vouching, broken } = judge(own, item.element, item.payload);
      coveredBy.push(...inherited.vouching, ...vouching);
      brokenBy.push(...inherited.broken, ...broken);
    }
    out.push({ item, container, path, status: statusOf(item, coveredBy, brokenBy, signedAbove), coveredBy, brokenBy });
  }
  for (const nested of container.nestedEncrypted) {
    if (!nested.container) continue;
    const { vouching, broken } = judge(own, nested.element, undefined);
    walk(
      nested.container,
      `${path}/${nested.container.id ?? nested.encryptedDataId ?? '?'}`,
      { vouching: [...inherited.vouching, ...vouching], broken: [...inherited.broken, ...broken], above: cidSigners },
      out,
    );
  }
}

/** Signatures that do not verify as a whole: the value fails, or a reference to anything but an attachment fails. */
function failuresOf(container: ContainerResult, out: SignatureFailure[]): void {
  const attachmentElements = new Set<Element>(container.contents.filter((c) => c.kind === 'attachment').map((c) => c.element));
  for (const sig of container.signatures) {
    if (!sig.valueValid) {
      out.push({ signature: sig, kind: 'signature-invalid', detail: sig.failure?.detail ?? 'signature value does not verify' });
      continue;
    }
    const bad = sig.references.find((r) => !r.ok && !r.uri.startsWith('cid:') && !(r.target !== undefined && attachmentElements.has(r.target)));
    if (bad) out.push({ signature: sig, kind: 'digest-mismatch', detail: `digest mismatch for reference ${bad.uri.slice(0, 100)}` });
  }
  for (const item of container.contents) if (item.kind === 'nested-container') failuresOf(item.container, out);
  for (const nested of container.nestedEncrypted) if (nested.container) failuresOf(nested.container, out);
}

export function contentCoverage(content: ContentResult): ContentCoverage {
  const items: ItemCoverage[] = [];
  const signatureFailures: SignatureFailure[] = [];
  for (const top of content.items) {
    const container = top.container;
    if (!container) continue;
    walk(container, container.id ?? (top.kind === 'encrypted' ? top.encryptedDataId : undefined) ?? '?', NONE, items);
    failuresOf(container, signatureFailures);
  }
  return { items, signatureFailures };
}
