/**
 * The XML reader decodes its bytes in pieces of 16 KiB (xml-stream.ts): ASCII pieces as Latin-1, the others with
 * the strict UTF-8 decoder, a piece never ending inside a character. Whatever the chunking of the source and
 * wherever a character of 2, 3 or 4 bytes falls against a piece's end, the text read must be the document's; a
 * broken UTF-8 sequence or a character XML forbids must be refused wherever it lies, the latter with its byte.
 */
import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../core/io/byte-source.js';
import { parseXmlSource, type RawElement } from '../../core/xsozial/xml-stream.js';

const PIECE = 16 * 1024;
const CHUNKINGS = [1, 5, 1000, 16_383, 16_385, 65_536, 1 << 24];

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

/** A document whose `name` elements put `char` so that its first byte lies 1…4 bytes before each piece's end. */
function straddling(chars: readonly string[]): { xml: Buffer; names: string[] } {
  let xml = '<?xml version="1.0" encoding="UTF-8"?>\n<a>';
  const names: string[] = [];
  for (let piece = 1; piece <= 2 * chars.length * 4; piece++) {
    const char = chars[piece % chars.length] as string;
    const back = 1 + (piece % 4);
    const open = '<name>';
    // ASCII filler up to the spot, in an element of its own
    const filler = piece * PIECE - back - Buffer.byteLength(xml) - '<f></f>'.length - open.length;
    xml += `<f>${'x'.repeat(filler)}</f>${open}`;
    const name = `${char}ber${char}`;
    names.push(name);
    xml += `${name}</name>`;
  }
  xml += '</a>\n';
  return { xml: Buffer.from(xml, 'utf8'), names };
}

const namesOf = (root: RawElement): string[] => root.children.filter((c) => c.local === 'name').map((c) => c.text);

describe('the XML reader decodes in pieces', () => {
  it('reads characters of 2, 3 and 4 bytes across every piece end exactly, for every chunking', async () => {
    const { xml, names } = straddling(['ü', '€', '𝄞', 'Ł']);
    // the construction does what it says: lead bytes right before piece ends
    const leads = [1, 2, 3, 4].map((back) => xml[PIECE * back - 1 - (back % 4)]);
    expect(leads.every((b) => b !== undefined && b >= 0xc0)).toBe(true);
    for (const size of CHUNKINGS) {
      const { root } = await parseXmlSource(chunked(xml, size));
      expect(namesOf(root), `chunks of ${size}`).toEqual(names);
    }
  });

  it('refuses a broken UTF-8 sequence wherever it lies against a piece', async () => {
    for (const at of [PIECE - 1, PIECE, PIECE + 1, 3 * PIECE - 2]) {
      for (const bad of [[0x80], [0xc3, 0x41], [0xe2, 0x82], [0xf0, 0x9d, 0x84, 0x41], [0xff]]) {
        const head = Buffer.from(`<a><f>${'x'.repeat(at - 6)}`);
        const xml = Buffer.concat([head, Buffer.from(bad), Buffer.from(`${'y'.repeat(2 * PIECE)}</f></a>`)]);
        for (const size of [1 << 24, 1000, 7]) {
          await expect(parseXmlSource(chunked(xml, size)), `byte ${at}, ${bad.join(',')}, chunks of ${size}`).rejects.toMatchObject({ kind: 'xml-encoding' });
        }
      }
    }
  });

  it('refuses a character XML forbids in an ASCII piece after a wide one, naming its byte', async () => {
    const head = `<a><n>Müller</n><f>${'x'.repeat(2 * PIECE + 17)}`;
    const xml = Buffer.from(`${head}\u0001${'y'.repeat(PIECE)}</f></a>`, 'utf8');
    for (const size of CHUNKINGS) {
      await expect(parseXmlSource(chunked(xml, size))).rejects.toMatchObject({
        kind: 'xml-malformed',
        detail: expect.stringContaining(`U+0001 is not allowed in XML 1.0 (byte ${Buffer.byteLength(head)})`),
      });
    }
  });
});
