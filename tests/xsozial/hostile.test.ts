import { describe, expect, it } from 'vitest';
import { PostfachError } from '../../core/errors.js';
import { readDelivery, readDocumentBytes, summarize, type XmlByteSource } from '../../core/xsozial/index.js';

const NS = 'https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0';

async function failure(input: Uint8Array | string | XmlByteSource): Promise<PostfachError> {
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
    const entities = ['<!ENTITY a "Musterfrau Musterfrau">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`)].join('\n');
    const e = await failure(`<?xml version="1.0"?>\n<!DOCTYPE x [\n${entities}\n]>\n<x>&j;</x>`);
    expect(e.kind).toBe('xml-hostile');
    expect(e.text.de).toContain('DOCTYPE');
  });

  it('refuses external entities (XXE)', async () => {
    const e = await failure('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>');
    expect(e.kind).toBe('xml-hostile');
  });

  it('refuses a DOCTYPE split across stream chunks', async () => {
    const text = Buffer.from('<?xml version="1.0"?><!DOC' + 'TYPE x><x/>');
    const source: XmlByteSource = {
      size: text.length,
      async *stream() {
        for (let i = 0; i < text.length; i += 3) yield text.subarray(i, i + 3);
      },
    };
    expect((await failure(source)).kind).toBe('xml-hostile');
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
    // 2 MB of text that is not base64 (a base64 blob of that size would be treated as binary content)
    expect((await failure(`<a>${'Musterfrau! '.repeat(180_000)}</a>`)).kind).toBe('xml-limit');
    expect((await failure(`<a b="${'Musterfrau'.repeat(10_000)}"/>`)).kind).toBe('xml-limit');
    expect((await failure(`<a ${Array.from({ length: 300 }, (_, i) => `a${i}="1"`).join(' ')}/>`)).kind).toBe('xml-limit');
    expect((await failure(`<r>${'<e/>'.repeat(200_001)}</r>`)).kind).toBe('xml-limit');
    expect((await failure(`<a><!--${'Musterfrau '.repeat(200_000)}--></a>`)).kind).toBe('xml-limit');
    expect((await failure('')).kind).toBe('xml-empty');
    expect((await failure('   \n ')).kind).toBe('xml-empty');
  });

  it('summarize fails the same way', async () => {
    await expect(summarize(Buffer.from('<!DOCTYPE x><x/>'))).rejects.toMatchObject({ kind: 'xml-hostile' });
  });

  it('keeps a large base64 text as binary content instead of refusing it', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
    const xml = Buffer.from(`<nachricht xmlns="urn:example"><anhang><daten>${bytes.toString('base64')}</daten></anhang></nachricht>`);
    const view = await readDelivery(xml);
    expect(view.kind).toBe('generic-xml');
    expect(view.documents).toHaveLength(1);
    expect(view.documents[0]!.size).toBe(bytes.length);
    // recognised late (after 64 KiB of text): read again by parsing, and the bytes are the same
    expect(view.documents[0]!.location.kind).toBe('reparse');
    expect((await readDocumentBytes(xml, view.documents[0]!)).equals(bytes)).toBe(true);
  });
});
