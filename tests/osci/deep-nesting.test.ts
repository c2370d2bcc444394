/**
 * Deep nesting is refused while the XML streams in, before any tree is built, with the one limit every XML reader
 * shares (core/xml/nesting.ts, MAX_XML_DEPTH): a 200,000-level document once drove `postfach inspect` to 406–479 MB
 * before the depth check on the finished DOM refused it. Here: the scanner's counting (comments, CDATA, PIs,
 * quoted `>` and `/>`, any chunking), the refusal at each entry point (OSCI message and its inner MIME part,
 * decrypted content container, XSozial content, parseXml/parseXmlSource) with the streamed source read only up to
 * the limit, and the peak RSS of a real `postfach inspect` child process on the 200,000-level case.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, describe, expect, it } from 'vitest';
import { PostfachError } from '../../core/errors.js';
import { bufferSource, readAll, type ByteSource } from '../../core/io/byte-source.js';
import { SpoolScope } from '../../core/io/sink.js';
import { contentPackageXml, encryptContainer } from '../../core/osci/content/build.js';
import { decodeContent } from '../../core/osci/content/decode.js';
import { decodeMessage } from '../../core/osci/decode.js';
import { feedbackEntry } from '../../core/osci/messages/feedback-codes.js';
import { buildResponse } from '../../core/osci/messages/build.js';
import { certificateElementId } from '../../core/osci/messages/certificates.js';
import { buildMultipart, soapPart } from '../../core/osci/mime/writer.js';
import { encryptTransport } from '../../core/osci/transport-encryption.js';
import { FIVE_NS_DECLS } from '../../core/osci/xml/namespaces.js';
import { parseXml, parseXmlSource } from '../../core/osci/xml/parse.js';
import { MAX_XML_DEPTH, NestingScanner, nestingWithin } from '../../core/xml/nesting.js';
import { readDelivery } from '../../core/xsozial/read-delivery.js';
import { ensureCliBuilt } from '../helpers/build.js';
import { projectRoot } from '../helpers/shared.js';
import { vectorKey } from '../helpers/vector-keys.js';

const DEEP = 200_000;
const deep = (n: number, inner = '') => `${'<a>'.repeat(n)}${inner}${'</a>'.repeat(n)}`;

/** A source that hands out 64 KiB chunks and counts what was read. */
function countingSource(bytes: Buffer): ByteSource & { read: number } {
  const s = {
    size: bytes.length,
    read: 0,
    async *stream(range?: { start: number; end: number }) {
      const start = range?.start ?? 0;
      const end = range?.end ?? bytes.length;
      for (let i = start; i < end; i += 65_536) {
        const chunk = bytes.subarray(i, Math.min(end, i + 65_536));
        s.read += chunk.length;
        yield chunk;
      }
    },
  };
  return s;
}

async function failure(run: () => Promise<unknown>): Promise<PostfachError> {
  const e = await run().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(PostfachError);
  return e as PostfachError;
}

describe('the nesting scanner', () => {
  it('counts element depth; markup inside comments, CDATA, processing instructions and attribute values does not count', () => {
    expect(nestingWithin('<a><b><c/></b><d></d></a>')).toBe(3);
    expect(nestingWithin('<?xml version="1.0"?><!-- <x><y><z> --><a><![CDATA[<b><c><d>]]></a>')).toBe(1);
    expect(nestingWithin('<a x="<b>" y=\'/>\' z="a/"><b/></a>')).toBe(2);
    expect(nestingWithin('<a><b></b><b></b><b><c></c></b></a>')).toBe(3);
    expect(nestingWithin('<a><?pi <b><c>?><!---->x</a>')).toBe(1);
    expect(nestingWithin('<!DOCTYPE a [<!ELEMENT a ANY><!ATTLIST a b CDATA "<x>">]><a/>')).toBe(1);
    expect(nestingWithin(deep(MAX_XML_DEPTH))).toBe(MAX_XML_DEPTH);
    expect(nestingWithin(deep(MAX_XML_DEPTH + 1))).toBeUndefined();
    expect(nestingWithin(Buffer.from(deep(3)), 2)).toBeUndefined();
  });

  it('gives the same answer for any chunking, byte by byte included', () => {
    const doc = Buffer.from(`<?xml version="1.0"?><r a="1>2" b='/>'><!-- <no> --><x><![CDATA[<no>]]></x><y/><z><w>t</w></z></r>`);
    const whole = nestingWithin(doc);
    expect(whole).toBe(3);
    for (let size = 1; size <= 8; size++) {
      const s = new NestingScanner();
      for (let i = 0; i < doc.length; i += size) expect(s.feed(doc.subarray(i, i + size))).toBe(true);
      expect(s.maxSeen, `chunks of ${size}`).toBe(whole);
    }
  });

  it('agrees with the depth of the DOM on every vector message and a generated mix', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { vectorsRoot } = await import('../helpers/shared.js');
    const domDepth = (xml: string): number => {
      const walk = (n: { childNodes: ArrayLike<unknown> }, d: number): number => {
        let max = d;
        for (const c of Array.from(n.childNodes) as Array<{ nodeType: number; childNodes: ArrayLike<unknown> }>) if (c.nodeType === 1) max = Math.max(max, walk(c, d + 1));
        return max;
      };
      return walk(new DOMParser().parseFromString(xml, 'text/xml'), 0);
    };
    let checked = 0;
    for (const dir of ['exchange', 'storedelivery', 'chunked']) {
      for (const name of readdirSync(path.join(vectorsRoot, dir))) {
        if (!name.endsWith('.container.xml')) continue;
        const xml = readFileSync(path.join(vectorsRoot, dir, name), 'utf8');
        expect(nestingWithin(xml), name).toBe(domDepth(xml));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});

describe(`${DEEP.toLocaleString('en')}-level nesting is refused before a tree is built, at every XML entry point`, () => {
  const deepXml = Buffer.from(deep(DEEP));

  it('parseXml and parseXmlSource (in memory and streamed): hostile-xml, the stream read only up to the limit', async () => {
    expect(() => parseXml(deepXml, { what: 'test' })).toThrow(expect.objectContaining({ kind: 'hostile-xml', detail: `test: nesting deeper than ${MAX_XML_DEPTH} levels` }));
    expect(() => parseXml(deepXml.toString('latin1'))).toThrow(expect.objectContaining({ kind: 'hostile-xml' }));
    // below the large-text threshold (read whole, scanned before parsing)
    const small = Buffer.from(deep(100_000));
    expect(small.length).toBeLessThan(1024 * 1024);
    expect((await failure(() => parseXmlSource(bufferSource(small)))).kind).toBe('hostile-xml');
    // above it: refused during the streaming pass, after the first chunk
    const source = countingSource(deepXml);
    expect((await failure(() => parseXmlSource(source, { what: 'streamed' }))).detail).toBe(`streamed: nesting deeper than ${MAX_XML_DEPTH} levels`);
    expect(source.read).toBe(65_536);
    // within the limit: parsed as before
    expect(parseXml(deep(MAX_XML_DEPTH)).root.localName).toBe('a');
  });

  it('an OSCI message: the SOAP part, and the inner message behind transport encryption', async () => {
    const bob = vectorKey('bob_cipher_4096');
    const envelope = `<soap:Envelope ${FIVE_NS_DECLS}><soap:Header></soap:Header><soap:Body Id="body">${deep(DEEP)}</soap:Body></soap:Envelope>`;
    const mime = await readAll(buildMultipart([soapPart(envelope)]), 1e8);
    expect((await failure(() => decodeMessage(bufferSource(mime), { keys: [] }))).kind).toBe('hostile-xml');
    const encrypted = await readAll(encryptTransport(bufferSource(mime), bob.certificate), 1e8);
    const e = await failure(() => decodeMessage(bufferSource(encrypted), { keys: [bob] }));
    expect({ kind: e.kind, detail: e.detail }).toEqual({ kind: 'hostile-xml', detail: `inner message: nesting deeper than ${MAX_XML_DEPTH} levels` });
  });

  it('a decrypted content container', async () => {
    const bob = vectorKey('bob_cipher_4096');
    const xml = `<osci:ContentContainer ${FIVE_NS_DECLS} Id="c0"><osci:Content Id="x">${deep(DEEP)}</osci:Content></osci:ContentContainer>`;
    const encrypted = await encryptContainer(
      { xml, attachments: [] },
      [{ certificate: bob.certificate, certificateId: certificateElementId('CipherCertificateAddressee', bob.certificate) }],
      { id: 'encdata_0' },
    );
    const built = await buildResponse({
      type: 'ResponseToFetchDelivery',
      controlBlock: { conversationId: '1', sequenceNumber: 0, response: 'r', challenge: 'c' },
      feedback: [feedbackEntry('0801')],
      contentPackageXml: contentPackageXml([encrypted]),
      nonIntermediaryCertificates: [{ role: 'CipherCertificateAddressee', certificate: bob.certificate }],
    });
    const d = await decodeMessage(bufferSource(await readAll(built.mime, 1e8)), { keys: [bob], scope: new SpoolScope() });
    try {
      const content = await decodeContent(d.message, { keys: [bob], scope: d.scope });
      const item = content.items[0]!;
      expect(item.kind === 'encrypted' && { kind: item.error?.kind, detail: item.error?.detail }).toEqual({
        kind: 'hostile-xml',
        detail: `decrypted container encdata_0: nesting deeper than ${MAX_XML_DEPTH} levels`,
      });
    } finally {
      await d.release();
    }
  });

  it('XSozial content (streamed with sax, the same limit): xml-limit, the stream read only up to the limit', async () => {
    const source = countingSource(deepXml);
    const e = await failure(() => readDelivery(source));
    expect(e.kind).toBe('xml-limit');
    expect(e.detail).toContain(`deeper than ${MAX_XML_DEPTH} levels`);
    expect(source.read).toBe(65_536);
  });
});

describe('postfach inspect on the 200,000-level message (a real child process measures its own peak RSS)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'postfach-deep-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const LIMIT_MB = 250;

  it(`is refused as hostile-xml with a peak RSS below ${LIMIT_MB} MB`, async () => {
    ensureCliBuilt(['inspect.js']);
    const file = path.join(dir, 'deep.body');
    const envelope = `<soap:Envelope ${FIVE_NS_DECLS}><soap:Header></soap:Header><soap:Body Id="body">${deep(DEEP)}</soap:Body></soap:Envelope>`;
    writeFileSync(file, await readAll(buildMultipart([soapPart(envelope)]), 1e8));
    const small = path.join(dir, 'small.body');
    writeFileSync(small, await readAll(buildMultipart([soapPart(`<soap:Envelope ${FIVE_NS_DECLS}><soap:Body Id="body"><a/></soap:Body></soap:Envelope>`)]), 1e8));
    const run = async (input: string) => {
      const r = await promisify(execFile)(
        process.execPath,
        ['-r', path.join(projectRoot, 'tests', 'helpers', 'peak-rss-on-exit.cjs'), path.join(projectRoot, 'dist', 'cli', 'main.js'), 'inspect', '--json', input],
        { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      ).catch((error: { stdout: string; stderr: string; code: number }) => error);
      const peak = /PEAK_RSS_KIB=(\d+)/.exec(r.stderr)?.[1];
      expect(peak, r.stderr).toBeDefined();
      return { report: JSON.parse(r.stdout) as { ok: boolean; error?: { kind: string; detail: string } }, peakMb: Number(peak) / 1024 };
    };
    const baseline = await run(small);
    const refused = await run(file);
    expect(refused.report.ok).toBe(false);
    expect(refused.report.error).toMatchObject({ kind: 'hostile-xml', detail: `message: nesting deeper than ${MAX_XML_DEPTH} levels` });
    // the measured figures, for the record (the refusal used to cost 406-479 MB)
    console.log(
      `postfach inspect, ${DEEP.toLocaleString('en')}-level nesting (${(refused.report as { size?: number }).size ?? '?'} bytes): refused as hostile-xml, peak RSS ${refused.peakMb.toFixed(0)} MB (a 1-element message: ${baseline.peakMb.toFixed(0)} MB)`,
    );
    expect(refused.peakMb).toBeLessThan(LIMIT_MB);
    // the refusal costs little more than loading the program does
    expect(refused.peakMb - baseline.peakMb).toBeLessThan(60);
  });
});
