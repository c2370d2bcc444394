/**
 * Carrying a stored delivery's ContentPackage into another message (the intermediary re-creates the message for
 * the fetching client): the canonical form of the ContentPackage in its envelope context keeps every content
 * signature valid (inclusive C14N renders the same namespace declarations), encrypted containers stay opaque.
 * Large text runs kept out of the DOM are put back from their source.
 */
import type { Element } from '@xmldom/xmldom';
import { canonicalize } from '../xml/c14n.js';
import { largeTextsOf, normalizedRun } from '../xml/large-text.js';
import { el } from '../xml/write.js';
import type { OsciMessage } from './model.js';

export async function contentPackageXmlOf(message: OsciMessage): Promise<string> {
  const pkg: Element | undefined = message.contentPackage;
  if (!pkg) return el('osci:ContentPackage');
  const canonical = canonicalize(pkg);
  const large = largeTextsOf(pkg);
  if (!large || !canonical.includes(large.token)) return canonical;
  const pattern = new RegExp(`${large.token}(\\d+)Z`, 'g');
  let out = '';
  let last = 0;
  for (const m of canonical.matchAll(pattern)) {
    out += canonical.slice(last, m.index);
    const run = large.runs[Number(m[1])]!;
    const parts: Buffer[] = [];
    for await (const c of normalizedRun(run)) parts.push(c);
    out += Buffer.concat(parts).toString('utf8');
    last = m.index + m[0].length;
  }
  return out + canonical.slice(last);
}

