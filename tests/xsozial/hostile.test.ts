import { describe, expect, it } from 'vitest';
import { PostfachError } from '../../core/errors.js';
import { readDelivery, summarize } from '../../core/xsozial/index.js';
import type { ByteSource } from '../../core/io/byte-source.js';

const NS = 'https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0';

async function failure(input: Uint8Array | string | ByteSource): Promise<PostfachError> {
  const source = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  try {
    await readDelivery(source);
  } catch (error) {
    expect(error).toBeInstanceOf(PostfachError);
    const e = error as PostfachError;
    expect(e.text.de.length).toBeGreaterThan(20);
    expect(e.text.en.length).toBeGreaterThan(20);
    // no personal data from the content in any text meant for people or logs
    expect(`${e.text.de} ${e.text.en} ${e.detail}`).not.toContain('Musterfrau');
    return e;
  }
  throw new Error('no error thrown');
}

describe('hostile and broken XML', () => {
  it('refuses a DOCTYPE with an entity bomb before expanding anything', async () => {
    const entities = [
      '<!ENTITY a "Musterfrau Musterfrau">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`),
    ].join('\n');
    const e = await failure(`<?xml version="1.0"?>\n<!DOCTYPE x [\n${entities}\n]>\n<x>&j;</x>`);
    expect(e.kind).toBe('hostile-xml');
    expect(e.text.de).toContain('DOCTYPE');
  });

  it('refuses external entities (XXE)', async () => {
    const e = await failure('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>');
    expect(e.kind).toBe('hostile-xml');
  });

  it('refuses a DOCTYPE split across stream chunks', async () => {
    const text = Buffer.from('<?xml version="1.0"?><!DOC' + 'TYPE x><x/>');
    const source: ByteSource = {
      size: text.length,
      async *stream() {
        for (let i = 0; i < text.length; i += 3) yield text.subarray(i, i + 3);
      },
    };
    expect((await failure(source)).kind).toBe('hostile-xml');
  });

  it('reports XML that is not well-formed with line and column, never the content', async () => {
    const e = await failure(`<a xmlns="${NS}"><name>Musterfrau</name>\n<b></c></a>`);
    expect(e.kind).toBe('xml-malformed');
    expect(e.detail).toMatch(/line 2/);
    expect((await failure('<a><b></a>')).kind).toBe('xml-malformed');
    expect((await failure('<a>unclosed')).kind).toBe('xml-malformed');
    expect((await failure('<a x="1" x="2"/>')).kind).toBe('xml-malformed');
    expect((await failure('<a>&unknown;</a>')).kind).toBe('xml-malformed');
    expect((await failure('<p:a>unbound prefix</p:a>')).kind).toBe('xml-malformed');
  });

  it('refuses invalid UTF-8 and other encodings', async () => {
    const invalid = Buffer.concat([Buffer.from('<a>Musterfrau '), Buffer.from([0xc3, 0x28]), Buffer.from('</a>')]);
    expect((await failure(invalid)).kind).toBe('xml-encoding');
    const truncated = Buffer.concat([Buffer.from('<a>x</a>'), Buffer.from([0xe2, 0x82])]);
    expect((await failure(truncated)).kind).toBe('xml-encoding');
    expect((await failure('<?xml version="1.0" encoding="ISO-8859-1"?><a/>')).kind).toBe('xml-encoding');
    expect((await failure(Buffer.from([0xff, 0xfe, 0x3c, 0x00, 0x61, 0x00]))).kind).toBe('xml-encoding');
  });

  it('refuses deep nesting, huge text nodes and empty input', async () => {
    expect((await failure(`${'<a>'.repeat(150)}${'</a>'.repeat(150)}`)).kind).toBe('xml-limit');
    // 2 MB of text in one node
    expect((await failure(`<a>${'Musterfrau! '.repeat(180_000)}</a>`)).kind).toBe('xml-limit');
    expect((await failure(`<a b="${'Musterfrau'.repeat(10_000)}"/>`)).kind).toBe('xml-limit');
    expect((await failure(`<a ${Array.from({ length: 300 }, (_, i) => `a${i}="1"`).join(' ')}/>`)).kind).toBe('xml-limit');
    expect((await failure(`<r>${'<e/>'.repeat(200_001)}</r>`)).kind).toBe('xml-limit');
    expect((await failure(`<a><!--${'Musterfrau '.repeat(200_000)}--></a>`)).kind).toBe('xml-limit');
    expect((await failure('')).kind).toBe('xml-empty');
    expect((await failure('   \n ')).kind).toBe('xml-empty');
  });

  it('summarize fails the same way', async () => {
    await expect(summarize(Buffer.from('<!DOCTYPE x><x/>'))).rejects.toMatchObject({ kind: 'hostile-xml' });
  });

  it('refuses characters XML 1.0 does not allow (U+0000 and other controls), wherever they stand', async () => {
    for (const xml of [
      `<a xmlns="${NS}"><name>Muster\u0000frau</name></a>`,
      '<a b="Muster\u0001frau"/>',
      '<a><!-- Musterfrau \u0000 --></a>',
      '<a>Musterfrau\u001F</a>',
      '<a>Musterfrau\uFFFF</a>',
      '<a>&#0;</a>',
    ]) {
      const e = await failure(xml);
      expect(e.kind).toBe('xml-malformed');
      expect(e.text.de).toContain('kein gültiges XML');
      expect(e.text.en).toContain('not valid XML');
    }
    const nul = await failure(`<a xmlns="${NS}"><name>Muster\u0000frau</name></a>`);
    expect(nul.detail).toMatch(/U\+0000 .*\(byte \d+\)/);
    // a NUL split from its neighbours across stream chunks, deep in a large message
    const big = Buffer.from(`<a><b>${'Musterfrau '.repeat(50_000)}</b><c>x\u0000y</c></a>`);
    const source: ByteSource = {
      size: big.length,
      async *stream() {
        for (let i = 0; i < big.length; i += 4093) yield big.subarray(i, i + 4093);
      },
    };
    expect((await failure(source)).kind).toBe('xml-malformed');
    // tab, line feed and carriage return are XML characters
    expect((await readDelivery(Buffer.from('<a>\t\n\r</a>'))).kind).toBe('generic-xml');
  });

  it('decodes base64 only in document content (inhalt): a long text elsewhere is refused, even of base64 letters', async () => {
    // 56 MB of letters and spaces outside any document element: refused after the first MiB, not read to the end
    const piece = Buffer.from('Musterfrau wohnt hier '.repeat(3000));
    const total = 56 * 1024 * 1024;
    let pulled = 0;
    const letters: ByteSource = {
      size: total + 40,
      async *stream() {
        const head = Buffer.from('<nachricht xmlns="urn:example"><daten>');
        pulled += head.length;
        yield head;
        for (let sent = 0; sent < total; sent += piece.length) {
          pulled += piece.length;
          yield piece;
        }
        yield Buffer.from('</daten></nachricht>');
      },
    };
    const e = await failure(letters);
    expect(e.kind).toBe('xml-limit');
    expect(e.detail).toContain('text node longer than');
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
    // the same for real base64 outside inhalt: 3 MB of a file in <daten> is a text, and too long
    const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
    expect((await failure(`<nachricht xmlns="urn:example"><anhang><daten>${bytes.toString('base64')}</daten></anhang></nachricht>`)).kind).toBe('xml-limit');
    // shorter base64 outside inhalt is shown as the text it is, not taken for a document
    const small = Buffer.alloc(200_000, 7).toString('base64');
    const shown = await readDelivery(Buffer.from(`<nachricht xmlns="urn:example"><daten>${small}</daten></nachricht>`));
    expect(shown.documents).toHaveLength(0);
    expect(shown.tree.children[0]!.value?.raw).toBe(small);
    // in inhalt, the same 3 MB is a document, streamed from its byte range
    const doc = await readDelivery(Buffer.from(`<nachricht xmlns="urn:example"><anhang><inhalt>${bytes.toString('base64')}</inhalt></anhang></nachricht>`));
    expect(doc.documents).toHaveLength(1);
    expect(doc.documents[0]!.size).toBe(bytes.length);
    expect(doc.documents[0]!.location.kind).toBe('range');
  });
});
