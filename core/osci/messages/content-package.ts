/**
 * Carrying a stored delivery's ContentPackage into another message (the intermediary re-creates the message for
 * the fetching client): the canonical form of the ContentPackage in its envelope context keeps every content
 * signature valid (inclusive C14N renders the same namespace declarations), encrypted containers stay opaque.
 * Large text runs kept out of the DOM are put back from their source — as a stream: a ContentPackage of hundreds
 * of MB (a large Base64Content, a large encrypted container) is never held as one string.
 */
import type { Element } from '@xmldom/xmldom';
import { bufferSource, concatSources, transformedSource, type ByteSource } from '../../io/byte-source.js';
import { canonicalize, withLargeText } from '../xml/c14n.js';
import { largeTextsOf, normalizedRun } from '../xml/large-text.js';
import { el } from '../xml/write.js';
import type { OsciMessage } from './model.js';

/** The ContentPackage as text (small packages; tests). */
export async function contentPackageXmlOf(message: OsciMessage): Promise<string> {
  const pkg: Element | undefined = message.contentPackage;
  if (!pkg) return el('osci:ContentPackage');
  return withLargeText(canonicalize(pkg), pkg);
}

/** Bytes of a large-text run as C14N renders it (CR and CRLF as LF): its size from one counting pass. */
async function normalizedRunSource(run: ByteSource): Promise<ByteSource> {
  let size = 0;
  for await (const chunk of normalizedRun(run)) size += chunk.length;
  return transformedSource(size, () => normalizedRun(run));
}

/** The ContentPackage as a source: the canonical markup with the large text runs streamed from where they lie. */
export async function contentPackageSource(message: OsciMessage): Promise<ByteSource> {
  const pkg: Element | undefined = message.contentPackage;
  if (!pkg) return bufferSource(Buffer.from(el('osci:ContentPackage'), 'utf8'));
  const canonical = canonicalize(pkg);
  const large = largeTextsOf(pkg);
  if (!large || !canonical.includes(large.token)) return bufferSource(Buffer.from(canonical, 'utf8'));
  const pieces: ByteSource[] = [];
  let last = 0;
  for (const m of canonical.matchAll(new RegExp(`${large.token}(\\d+)Z`, 'g'))) {
    pieces.push(bufferSource(Buffer.from(canonical.slice(last, m.index), 'utf8')));
    const run = large.runs[Number(m[1])];
    if (!run) throw new Error('unknown large-text marker');
    pieces.push(await normalizedRunSource(run));
    last = m.index + m[0].length;
  }
  pieces.push(bufferSource(Buffer.from(canonical.slice(last), 'utf8')));
  return concatSources(pieces);
}
