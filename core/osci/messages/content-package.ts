/**
 * Carrying a stored delivery's ContentPackage into another message (the intermediary re-creates the message for
 * the fetching client): the canonical form of the ContentPackage in its envelope context keeps every content
 * signature valid (inclusive C14N renders the same namespace declarations), encrypted containers stay opaque.
 * Large text runs kept out of the DOM are put back from their source.
 */
import type { Element } from '@xmldom/xmldom';
import { canonicalize, withLargeText } from '../xml/c14n.js';
import { el } from '../xml/write.js';
import type { OsciMessage } from './model.js';

export async function contentPackageXmlOf(message: OsciMessage): Promise<string> {
  const pkg: Element | undefined = message.contentPackage;
  if (!pkg) return el('osci:ContentPackage');
  return withLargeText(canonicalize(pkg), pkg);
}
