/**
 * Inclusive Canonical XML 1.0 (without comments), the only canonicalisation OSCI 1.2 allows. xml-crypto's
 * C14nCanonicalization is the engine; the element is rendered in its document context, i.e. with the namespace
 * declarations it inherits from its ancestors.
 */
import type { Element } from '@xmldom/xmldom';
import { C14nCanonicalization } from 'xml-crypto';
import { findAncestorNsForElement } from 'xml-crypto/lib/utils.js';

export const C14N_URI = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';

const engine = new C14nCanonicalization();

type DomElement = Parameters<typeof findAncestorNsForElement>[0];

/** Inclusive C14N of the element in the context of its document. */
export function canonicalize(el: Element): string {
  const dom = el as unknown as DomElement;
  return engine.process(dom, { ancestorNamespaces: findAncestorNsForElement(dom) }) as string;
}

/** Inclusive C14N of the element as if it were a document of its own (no inherited declarations). */
export function canonicalizeDetached(el: Element): string {
  return engine.process(el as unknown as DomElement, { ancestorNamespaces: [] }) as string;
}
