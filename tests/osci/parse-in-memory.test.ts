/**
 * parseXmlSource of a document held in memory with nothing to elide (issue 14: the inner message of exchange/06, 34
 * KB, was copied piece by piece by the large-text pass only to come back unchanged): it is parsed as it is, and the
 * result is the one the large-text pass gives — which runs are kept out of the DOM, the tree, the Ids, the
 * canonical text — for text runs just under, at and over the payload threshold, at the document's start and end,
 * in payload elements and elsewhere, beside comments, CDATA and quoted `<`/`>`; and the errors are the same (size,
 * nesting, DOCTYPE, not well-formed).
 */
import { describe, expect, it } from 'vitest';
import { bufferSource, type ByteSource } from '../../core/io/byte-source.js';
import type { PostfachError } from '../../core/errors.js';
import { canonicalize, withLargeText } from '../../core/osci/xml/c14n.js';
import { largeTextsOf, PAYLOAD_TEXT_THRESHOLD } from '../../core/osci/xml/large-text.js';
import { NS } from '../../core/osci/xml/namespaces.js';
import { parseXmlSource } from '../../core/osci/xml/parse.js';

/** The same bytes, but not in memory as far as parseXmlSource can tell: it takes the large-text pass. */
function streamed(buf: Buffer): ByteSource {
  return {
    size: buf.length,
    async *stream(range) {
      const r = range ?? { start: 0, end: buf.length };
      for (let i = r.start; i < r.end; i += 4096) yield buf.subarray(i, Math.min(r.end, i + 4096));
    },
  };
}

/** What a parse gave: elided runs, canonical text (with the runs put back), Ids; or the error. */
async function outcome(source: ByteSource, maxBytes?: number): Promise<string> {
  try {
    const parsed = await parseXmlSource(source, { what: 'doc', ...(maxBytes !== undefined ? { maxBytes } : {}) });
    const runs = largeTextsOf(parsed.document)?.runs.map((r) => r.size) ?? [];
    const canonical = await withLargeText(canonicalize(parsed.root), parsed.root);
    return JSON.stringify({ runs, canonical, ids: [...parsed.ids.keys()] });
  } catch (error) {
    return `${(error as PostfachError).kind}: ${(error as Error).message}`;
  }
}

const text = (n: number) => 'A'.repeat(n);

describe('parseXmlSource in memory', () => {
  const T = PAYLOAD_TEXT_THRESHOLD;
  const head = `<r xmlns="urn:r" xmlns:osci="${NS.osci}" xmlns:xenc="${NS.xenc}">`;
  const documents: Record<string, string> = {};
  for (const n of [T - 3, T - 2, T - 1, T, T + 1, 2 * T]) {
    documents[`payload ${n}`] = `${head}<xenc:CipherValue>${text(n)}</xenc:CipherValue><a Id="x"/></r>`;
    documents[`other element ${n}`] = `${head}<b>${text(n)}</b><osci:Base64Content Id="y">QUJD</osci:Base64Content></r>`;
    documents[`at the end ${n}`] = `${head}<osci:Base64Content>QUJD</osci:Base64Content></r>${' '.repeat(n)}`;
    documents[`at the start ${n}`] = `${' '.repeat(n)}${head}<a/></r>`;
    documents[`comment ${n}`] = `${head}<!--${text(n)}--><xenc:CipherValue>QUJD</xenc:CipherValue></r>`;
    documents[`CDATA ${n}`] = `${head}<xenc:CipherValue><![CDATA[${text(n)}]]></xenc:CipherValue></r>`;
    documents[`quoted > ${n}`] = `${head}<xenc:CipherValue a=">">${text(n)}</xenc:CipherValue></r>`;
    documents[`entity in run ${n}`] = `${head}<xenc:CipherValue>${text(n)}&amp;</xenc:CipherValue></r>`;
    documents[`split by markup ${n}`] = `${head}<xenc:CipherValue>${text(n >> 1)}<!---->${text(n >> 1)}</xenc:CipherValue></r>`;
  }
  documents['DOCTYPE'] = `<!DOCTYPE r [<!ENTITY e "x">]>${head}<xenc:CipherValue>${text(T + 5)}</xenc:CipherValue></r>`;
  documents['DOCTYPE, small text'] = `<!DOCTYPE r>${head}<b>${text(T)}</b></r>`;
  documents['deep'] = `${head}${'<d>'.repeat(150)}${text(T)}${'</d>'.repeat(150)}</r>`;
  documents['not well-formed'] = `${head}<b>${text(T)}</c></r>`;
  documents['duplicate Id'] = `${head}<a Id="x"/><b Id="x">${text(T)}</b></r>`;

  it('gives what the large-text pass gives, document by document', async () => {
    for (const [name, xml] of Object.entries(documents)) {
      const bytes = Buffer.from(xml, 'utf8');
      expect(bytes.length, name).toBeGreaterThan(T);
      expect(await outcome(bufferSource(bytes)), name).toBe(await outcome(streamed(bytes)));
    }
  });

  it('keeps the size limit and its error', async () => {
    const bytes = Buffer.from(documents[`other element ${T}`]!, 'utf8');
    for (const maxBytes of [bytes.length - 1, bytes.length]) {
      expect(await outcome(bufferSource(bytes), maxBytes)).toBe(await outcome(streamed(bytes), maxBytes));
    }
    expect(await outcome(bufferSource(bytes), bytes.length - 1)).toMatch(/^hostile-xml: /);
  });

  it('still keeps large payload text out of the DOM', async () => {
    const parsed = await parseXmlSource(bufferSource(Buffer.from(documents[`payload ${T + 1}`]!, 'utf8')));
    expect(largeTextsOf(parsed.document)?.runs.map((r) => r.size)).toEqual([T + 1]);
  });
});
