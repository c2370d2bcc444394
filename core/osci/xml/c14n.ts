/**
 * Inclusive Canonical XML 1.0 (without comments), the only canonicalisation OSCI 1.2 allows. xml-crypto's
 * C14nCanonicalization is the engine; the element is rendered in its document context, i.e. with the namespace
 * declarations it inherits from its ancestors.
 */
import type { Element } from '@xmldom/xmldom';
import type { C14nCanonicalization as C14n } from 'xml-crypto/lib/c14n-canonicalization.js';
import type { ExclusiveCanonicalization as ExclusiveC14n } from 'xml-crypto/lib/exclusive-canonicalization.js';
import type { findAncestorNsForElement as FindAncestorNs } from 'xml-crypto/lib/utils.js';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { largeTextsOf, normalizedRun } from './large-text.js';

export const C14N_URI = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';

// the two canonicalisations from their own files, required as CommonJS: xml-crypto's index also loads its signing
// code (SignedXml, its hash and signature algorithms), which this program never uses (about 6 ms of CPU at every
// cold start), and each ESM import of a CommonJS file costs the loader more than a require (core/pki/forge.ts)
const require = createRequire(import.meta.url);
const { C14nCanonicalization } = require('xml-crypto/lib/c14n-canonicalization.js') as { C14nCanonicalization: typeof C14n };
const { ExclusiveCanonicalization } = require('xml-crypto/lib/exclusive-canonicalization.js') as { ExclusiveCanonicalization: typeof ExclusiveC14n };
const { findAncestorNsForElement } = require('xml-crypto/lib/utils.js') as { findAncestorNsForElement: typeof FindAncestorNs };

const engine = new C14nCanonicalization();

type DomElement = Parameters<typeof findAncestorNsForElement>[0];

/** Inclusive C14N of the element in the context of its document. */
export function canonicalize(el: Element): string {
  const dom = el as unknown as DomElement;
  return engine.process(dom, { ancestorNamespaces: findAncestorNsForElement(dom) });
}

/**
 * Digest of a canonical form (`canonical`, computed from `node`'s document). Large text runs that were kept out of
 * the DOM appear in it as markers and are hashed by streaming them from their source.
 */
export async function digestCanonicalString(canonical: string, node: Element, hash: string): Promise<Buffer> {
  const h = createHash(hash);
  const large = largeTextsOf(node);
  if (!large || !canonical.includes(large.token)) return h.update(canonical, 'utf8').digest();
  const pattern = new RegExp(`${large.token}(\\d+)Z`, 'g');
  let last = 0;
  for (const m of canonical.matchAll(pattern)) {
    h.update(canonical.slice(last, m.index), 'utf8');
    const run = large.runs[Number(m[1])];
    if (!run) throw new Error('unknown large-text marker');
    for await (const chunk of normalizedRun(run)) h.update(chunk);
    last = m.index + m[0].length;
  }
  h.update(canonical.slice(last), 'utf8');
  return h.digest();
}

/**
 * A canonical form (computed from `node`'s document) with the large text runs put back in place of their markers,
 * as one string: for small forms that leave the process as text (a ContentPackage carried into another message,
 * inline XML taken out of a Content). Hashing uses digestCanonicalString instead, which streams the runs.
 */
export async function withLargeText(canonical: string, node: Element): Promise<string> {
  const large = largeTextsOf(node);
  if (!large || !canonical.includes(large.token)) return canonical;
  const pattern = new RegExp(`${large.token}(\\d+)Z`, 'g');
  let out = '';
  let last = 0;
  for (const m of canonical.matchAll(pattern)) {
    out += canonical.slice(last, m.index);
    const run = large.runs[Number(m[1])];
    if (!run) throw new Error('unknown large-text marker');
    const parts: Buffer[] = [];
    for await (const c of normalizedRun(run)) parts.push(c);
    out += Buffer.concat(parts).toString('utf8');
    last = m.index + m[0].length;
  }
  return out + canonical.slice(last);
}

/** Digest of the element's inclusive C14N in document context (large text streamed). */
export function digestCanonical(el: Element, hash: string): Promise<Buffer> {
  return digestCanonicalString(canonicalize(el), el, hash);
}

/**
 * Exclusive C14N (only the namespaces the subtree uses): the standalone form of inline XML payload taken out of
 * an osci:Content, free of the envelope's declarations.
 */
export function canonicalizeStandalone(el: Element): string {
  return new ExclusiveCanonicalization().process(el as unknown as DomElement, {});
}

/** Inclusive C14N of the element as if it were a document of its own (no inherited declarations). */
export function canonicalizeDetached(el: Element): string {
  return engine.process(el as unknown as DomElement, { ancestorNamespaces: [] });
}
