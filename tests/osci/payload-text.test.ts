/**
 * The payload rule of the large-text pass (xml/large-text.ts): the text of xenc:CipherValue and osci:Base64Content
 * is kept out of the DOM from 16 KiB on (any prefix, across any chunking), other text only from 1 MiB on; whatever
 * is elided, digests, decoded bytes and canonical text equal those of a full parse.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bufferSource, readAll, type ByteSource } from '../../core/io/byte-source.js';
import { canonicalize, digestCanonical, withLargeText } from '../../core/osci/xml/c14n.js';
import { PAYLOAD_TEXT_THRESHOLD } from '../../core/osci/xml/large-text.js';
import { NS } from '../../core/osci/xml/namespaces.js';
import { base64Source, base64Text, parseXml, parseXmlSource } from '../../core/osci/xml/parse.js';

function chunked(buf: Buffer, size: number): ByteSource {
  return {
    size: buf.length,
    async *stream(range) {
      const r = range ?? { start: 0, end: buf.length };
      for (let i = r.start; i < r.end; i += size) yield buf.subarray(i, Math.min(r.end, i + size));
    },
  };
}

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/(.{76})/g, '$1\n');

describe('payload text kept out of the DOM', () => {
  const cipher = randomBytes(30_000);
  const content = randomBytes(20_000);
  const small = randomBytes(3_000);
  const other = 'Freitext '.repeat(4_000); // 36 KB of text in an element that is no payload
  const longName = `p${'x'.repeat(70)}:CipherValue`;
  const xml = Buffer.from(
    `<r xmlns="urn:r" xmlns:osci="${NS.osci}" xmlns:xenc="${NS.xenc}" xmlns:${longName.split(':')[0]}="urn:long">` +
      `<xenc:CipherData><xenc:CipherValue>${b64(cipher)}</xenc:CipherValue></xenc:CipherData>` +
      `<osci:Content><osci:Base64Content Id="c" a="x>y">${b64(content)}</osci:Base64Content></osci:Content>` +
      `<CipherValue>${b64(small)}</CipherValue>` +
      `<xenc:CipherValue/><o>${other}</o>` +
      `<${longName}>${b64(cipher)}</${longName}>` +
      `<MyCipherValue>${b64(cipher)}</MyCipherValue>` +
      `</r>`,
  );

  for (const size of [7, 1000, 1 << 20]) {
    it(`elides payload elements above ${PAYLOAD_TEXT_THRESHOLD} bytes only, with the same results as a full parse (chunks of ${size})`, async () => {
      const full = parseXml(xml);
      const elided = await parseXmlSource(chunked(xml, size));
      const [cv, , smallCv, , , long, lookalike] = Array.from(elided.root.childNodes).filter((n) => n.nodeType === 1) as unknown as import('@xmldom/xmldom').Element[];
      const cvEl = cv!.firstChild as unknown as import('@xmldom/xmldom').Element;
      // elided: the payloads (a long prefix too); kept: the small CipherValue, the free text and the element whose
      // name only ends like one
      expect(cvEl.textContent!.length).toBeLessThan(100);
      expect(elided.ids.get('c')!.textContent!.length).toBeLessThan(100);
      expect(long!.textContent!.length).toBeLessThan(100);
      expect(smallCv!.textContent).toBe(b64(small));
      expect((elided.root.getElementsByTagName('o')[0]!.textContent ?? '').length).toBe(other.length);
      expect(lookalike!.textContent!.length).toBe(b64(cipher).length);
      // the same digests, decoded bytes and canonical text
      const want = createHash('sha256').update(canonicalize(full.root), 'utf8').digest('hex');
      expect((await digestCanonical(elided.root, 'sha256')).toString('hex')).toBe(want);
      expect(await withLargeText(canonicalize(elided.root), elided.root)).toBe(canonicalize(full.root));
      expect((await readAll(await base64Source(cvEl, 'cv'), 1e6)).equals(cipher)).toBe(true);
      // base64Text (synchronous) reads elided text only from memory; from anything else it refuses, never guesses
      expect(() => base64Text(cvEl, 'cv')).toThrow(/cv: text too large/);
      expect((await readAll(await base64Source(elided.ids.get('c')!, 'c'), 1e6)).equals(content)).toBe(true);
    });
  }

  it('base64Text decodes elided text held in memory', async () => {
    const parsed = await parseXmlSource(bufferSource(xml));
    const cvEl = parsed.root.getElementsByTagNameNS(NS.xenc, 'CipherValue')[0]!;
    expect(cvEl.textContent!.length).toBeLessThan(100);
    expect(base64Text(cvEl, 'cv').equals(cipher)).toBe(true);
  });

  it('small documents are parsed whole', async () => {
    const doc = Buffer.from(`<r xmlns:xenc="${NS.xenc}"><xenc:CipherValue>${b64(small)}</xenc:CipherValue></r>`);
    const parsed = await parseXmlSource(chunked(doc, 64));
    expect(parsed.root.textContent).toBe(b64(small));
  });
});
