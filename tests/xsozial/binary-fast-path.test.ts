/**
 * The XML reader hands the base64 text of `inhalt` elements to the binary reader without sax reading it character
 * by character (issue 14). Whatever the chunking of the source, the result must be what the text says: the
 * decoded size and SHA-256, the exact byte range of the base64 text in the source, invalid content marked as such
 * (entities, CDATA, stray characters), `inhalt` look-alikes in comments and attribute values ignored, and the line
 * and column of a later error still right.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Base64Decoder } from '../../core/io/base64.js';
import type { ByteSource } from '../../core/io/byte-source.js';
import { parseXmlSource, type BinaryContent } from '../../core/xsozial/xml-stream.js';

function chunked(bytes: Buffer, size: number): ByteSource {
  return {
    size: bytes.length,
    async *stream(range) {
      const start = range?.start ?? 0;
      const end = range?.end ?? bytes.length;
      for (let i = start; i < end; i += size) yield bytes.subarray(i, Math.min(end, i + size));
    },
  };
}

const CHUNKINGS = [1, 3, 7, 64, 1000, 65536, 1 << 24];

/** base64 with line breaks every 76 characters (CRLF or LF), as senders write it. */
function wrapped(data: Buffer, eol = '\n'): string {
  return data.toString('base64').replace(/.{76}/g, (line) => `${line}${eol}`);
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function binariesOf(xml: Buffer, size: number): Promise<readonly BinaryContent[]> {
  return (await parseXmlSource(chunked(xml, size))).binaries;
}

describe('base64 text of inhalt elements taken past sax', () => {
  const first = randomBytes(150_000);
  const second = randomBytes(4_000);
  const xml = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<x:antrag xmlns:x="urn:test" titel="a > b">\n' +
      '  <!-- <x:inhalt>QUJD</x:inhalt> is only a comment -->\n' +
      '  <x:name>Łukasiewicz, Zofia</x:name>\n' +
      `  <x:dokument><x:inhalt typ="pdf">${wrapped(first, '\r\n')}</x:inhalt></x:dokument>\n` +
      `  <x:dokument><inhalt>${wrapped(second)}</inhalt></x:dokument>\n` +
      '  <x:dokument><x:inhalt>QU&#x4A;D</x:inhalt></x:dokument>\n' +
      '  <x:dokument><x:inhalt><![CDATA[QUJD]]></x:inhalt></x:dokument>\n' +
      '  <x:dokument><x:inhalt>QUJD!</x:inhalt><x:inhalt/></x:dokument>\n' +
      '</x:antrag>\n',
    'utf8',
  );

  it('gives sizes, digests and byte ranges that match the source, for every chunking', async () => {
    for (const size of CHUNKINGS) {
      const b = await binariesOf(xml, size);
      expect(b.map((x) => x.ordinal)).toEqual([0, 1, 2, 3, 4]); // a self-closing inhalt holds no document
      expect(b[0]).toMatchObject({ size: first.length, sha256: sha(first) });
      expect(b[1]).toMatchObject({ size: second.length, sha256: sha(second) });
      // the byte range is exactly the base64 text (the document can be streamed again from it)
      expect(xml.subarray(b[0]!.range!.start, b[0]!.range!.end).toString()).toBe(wrapped(first, '\r\n'));
      expect(xml.subarray(b[1]!.range!.start, b[1]!.range!.end).toString()).toBe(wrapped(second));
      // an entity or CDATA: the text is still read (QU&#x4A;D and the CDATA are both QUJD = ABC), but there is no raw
      // range to stream from
      expect(b[2]).toMatchObject({ size: 3, sha256: sha(Buffer.from('ABC')) });
      expect(b[2]!.range).toBeUndefined();
      expect(b[3]).toMatchObject({ size: 3, sha256: sha(Buffer.from('ABC')) });
      expect(b[3]!.range).toBeUndefined();
      expect(b[4]!.invalid).toBe('invalid character in base64 data');
    }
  });

  it('keeps line and column of a later error right', async () => {
    const bad = Buffer.from(`<a><inhalt>${wrapped(randomBytes(3000))}</inhalt>\n<b>x</c></a>`, 'utf8');
    const line = bad.toString().slice(0, bad.indexOf('</c>')).split('\n').length;
    for (const size of [1, 5, 100, 1 << 20]) {
      await expect(parseXmlSource(chunked(bad, size))).rejects.toThrow(new RegExp(`\\(line ${line}, column \\d+\\)`));
    }
  });

  it('reads the elements after a document as before (text, attributes, nesting)', async () => {
    for (const size of [2, 4096]) {
      const { root } = await parseXmlSource(chunked(xml, size));
      expect(root.attributes[0]).toMatchObject({ name: 'titel', value: 'a > b' });
      expect(root.children.map((c) => c.local)).toEqual(['name', 'dokument', 'dokument', 'dokument', 'dokument', 'dokument']);
      expect(root.children[0]!.text).toBe('Łukasiewicz, Zofia');
      expect(root.children[5]!.children.map((c) => c.local)).toEqual(['inhalt', 'inhalt']);
    }
  });
});

describe('bytes in the base64 text of a document: the checks of all text hold there too', () => {
  const doc = (inner: Buffer): Buffer =>
    Buffer.concat([Buffer.from(`<a><x>Größe</x><inhalt>${wrapped(randomBytes(2001))}`, 'utf8'), inner, Buffer.from('QUJD</inhalt><y>ü</y></a>', 'utf8')]);

  it('a byte that is not UTF-8 in a document refuses the whole XML (xml-encoding), for every chunking', async () => {
    const xml = doc(Buffer.from([0x51, 0xff, 0x51]));
    for (const size of CHUNKINGS) await expect(parseXmlSource(chunked(xml, size))).rejects.toMatchObject({ kind: 'xml-encoding' });
  });

  it('a character XML does not allow (U+0001) in a document refuses the whole XML (xml-malformed)', async () => {
    const xml = doc(Buffer.from([0x51, 0x01, 0x51]));
    for (const size of CHUNKINGS) {
      await expect(parseXmlSource(chunked(xml, size))).rejects.toMatchObject({ kind: 'xml-malformed', detail: expect.stringContaining('U+0001') });
    }
  });

  it('a valid character that is not base64 (ä) marks only that document invalid; the text around it reads as before', async () => {
    const xml = doc(Buffer.from('QäQ', 'utf8'));
    for (const size of CHUNKINGS) {
      const { root, binaries } = await parseXmlSource(chunked(xml, size));
      expect(binaries[0]!.invalid).toBe('invalid character in base64 data');
      expect(root.children.map((c) => c.text)).toEqual(['Größe', '', 'ü']);
    }
  });

  it('several documents in one piece: each is read from the bytes with its exact range', async () => {
    const parts = [randomBytes(30_000), randomBytes(7), randomBytes(12_345)];
    const xml = Buffer.from(`<a>${parts.map((p, i) => `<t>ö${i}</t><d:inhalt xmlns:d="urn:d">${wrapped(p)}</d:inhalt>`).join('')}</a>`, 'utf8');
    for (const size of CHUNKINGS) {
      const b = await binariesOf(xml, size);
      expect(b.map((x) => x.sha256)).toEqual(parts.map(sha));
      b.forEach((x, i) => expect(xml.subarray(x.range!.start, x.range!.end).toString()).toBe(wrapped(parts[i]!)));
    }
  });
});

describe('the base64 decoder (core/io) of inline documents', () => {
  it('decodes the same whatever the pieces, the padding split between two of them included', () => {
    for (const data of [randomBytes(4000), randomBytes(4001), randomBytes(4002)]) {
      const text = wrapped(data);
      for (const size of [1, 2, 3, 5, 77]) {
        const decoder = new Base64Decoder();
        const out: Buffer[] = [];
        for (let i = 0; i < text.length; i += size) out.push(decoder.push(text.slice(i, i + size)));
        decoder.end();
        expect(decoder.invalid).toBeUndefined();
        expect(Buffer.concat(out).equals(data)).toBe(true);
      }
    }
  });

  it('still refuses padding in the wrong place, split or not', () => {
    for (const pieces of [['QQ=', 'A'], ['QQ=', '=QUJD'], ['Q', '==='], ['QQ=']]) {
      const decoder = new Base64Decoder();
      for (const p of pieces) decoder.push(p);
      decoder.end();
      expect(decoder.invalid).toBeDefined();
    }
  });
});
