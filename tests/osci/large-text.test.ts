/**
 * Large text runs are kept out of the DOM: the scan finds them across any chunking, markup (attributes with `>`,
 * comments, CDATA, PIs) passes unchanged, and digests/decoding over the elided document equal those over the
 * fully parsed one.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bufferSource, readAll, type ByteSource } from '../../core/io/byte-source.js';
import { digestCanonical, canonicalize } from '../../core/osci/xml/c14n.js';
import { elideLargeText } from '../../core/osci/xml/large-text.js';
import { NS } from '../../core/osci/xml/namespaces.js';
import { base64Source, firstChild, parseXml, parseXmlSource } from '../../core/osci/xml/parse.js';

/** A source that yields tiny chunks, to cross every boundary. */
function chunked(buf: Buffer, size: number): ByteSource {
  return {
    size: buf.length,
    async *stream(range) {
      const r = range ?? { start: 0, end: buf.length };
      for (let i = r.start; i < r.end; i += size) yield buf.subarray(i, Math.min(r.end, i + size));
    },
  };
}

describe('large text elision', () => {
  const payload = Buffer.alloc(300_000, 0x41)
    .toString('base64')
    .replace(/(.{76})/g, '$1\r\n');
  const xml = Buffer.from(
    `<?xml version="1.0"?><r xmlns="urn:r" xmlns:osci="${NS.osci}"><!-- a > b --><a t="x>y" u='&lt;'>small &amp; text</a>` +
      `<![CDATA[ <not a tag> ]]><?pi data > x?><osci:Base64Content Id="c">${payload}</osci:Base64Content><b>${'z'.repeat(2000)}&amp;</b></r>`,
  );

  for (const size of [7, 4096, 1 << 20]) {
    it(`gives the same digests and bytes as a full parse (chunks of ${size})`, async () => {
      const full = parseXml(xml);
      const { xml: reduced, large } = await elideLargeText(chunked(xml, size), 10_000);
      expect(large.runs).toHaveLength(1);
      expect(reduced.length).toBeLessThan(5_000);
      const elided = await parseXmlSource(chunked(xml, size), { largeTextThreshold: 10_000 });
      for (const doc of [full, elided]) expect(doc.ids.get('c')?.localName).toBe('Base64Content');
      const want = createHash('sha256').update(canonicalize(full.root), 'utf8').digest('hex');
      expect((await digestCanonical(elided.root, 'sha256')).toString('hex')).toBe(want);
      const b64 = await base64Source(elided.ids.get('c')!, 'test');
      expect((await readAll(b64, 1e7)).equals(Buffer.alloc(300_000, 0x41))).toBe(true);
      // small text and markup are untouched
      expect(firstChild(elided.root, 'urn:r', 'a')?.getAttribute('t')).toBe('x>y');
      expect(canonicalize(firstChild(elided.root, 'urn:r', 'b')!)).toBe(canonicalize(firstChild(full.root, 'urn:r', 'b')!));
    });
  }

  it('a large run with entities is parsed normally; small documents are parsed directly', async () => {
    const withEntity = Buffer.from(`<r>${'x'.repeat(50_000)}&amp;${'y'.repeat(10)}</r>`);
    const parsed = await parseXmlSource(bufferSource(withEntity), { largeTextThreshold: 1000 });
    expect(parsed.root.textContent?.length).toBe(50_011);
    await expect(parseXmlSource(bufferSource(Buffer.from(`<!DOCTYPE r [<!ENTITY e "x">]><r>${'x'.repeat(5000)}</r>`)), { largeTextThreshold: 100 })).rejects.toMatchObject({
      kind: 'hostile-xml',
    });
  });
});
