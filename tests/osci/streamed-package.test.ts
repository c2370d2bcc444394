/**
 * A ContentPackage streamed from a source into a message (what the intermediary does with a stored delivery,
 * issue 14: never as one string) gives the same message, byte for byte, as the same package given as text; and a
 * received message's package taken out as a stream (contentPackageSource: canonical markup, large text runs
 * streamed and normalised) equals the text form (contentPackageXmlOf) — CRLF line breaks in a large run included.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bufferSource, readAll, type ByteSource } from '../../core/io/byte-source.js';
import { SpoolScope } from '../../core/io/sink.js';
import { buildContainer, contentPackageXml, encryptContainer } from '../../core/osci/content/build.js';
import { decodeContent } from '../../core/osci/content/decode.js';
import { decodeMessage } from '../../core/osci/decode.js';
import { buildResponse, newChallenge, responseBodySha256, type ResponseSpec } from '../../core/osci/messages/build.js';
import { certificateElementId } from '../../core/osci/messages/certificates.js';
import { contentPackageSource, contentPackageXmlOf } from '../../core/osci/messages/content-package.js';
import { feedbackEntry } from '../../core/osci/messages/feedback-codes.js';
import { parseMessage } from '../../core/osci/messages/parse.js';
import { readMultipart } from '../../core/osci/mime/reader.js';
import { parseRootPart } from '../../core/osci/transport-encryption.js';
import { vectorKey } from '../helpers/vector-keys.js';

/** A source that hands its bytes out in small pieces, as a file would. */
function trickle(bytes: Buffer, size = 4096): ByteSource {
  return {
    size: bytes.length,
    async *stream(range) {
      const r = range ?? { start: 0, end: bytes.length };
      for (let i = r.start; i < r.end; i += size) yield bytes.subarray(i, Math.min(r.end, i + size));
    },
  };
}

describe('a streamed ContentPackage', () => {
  const alice = vectorKey('alice_signature_4096');
  const bob = vectorKey('bob_cipher_4096');
  const imSig = vectorKey('osci_manager_signature_4096');

  async function packageXml(document: Buffer): Promise<{ xml: string; attachments: ResponseSpec extends { attachments?: infer A } ? A : never }> {
    const container = await buildContainer({
      id: 'cc0',
      contents: [
        { kind: 'base64', id: 'c0', data: document },
        { kind: 'attachment', id: 'c1', contentId: 'anlage.bin', data: bufferSource(randomBytes(5000)) },
      ],
      signer: { privateKey: alice.privateKey, certificate: alice.certificate, certificateId: certificateElementId('SignatureCertificateOriginator', alice.certificate) },
    });
    const encrypted = await encryptContainer(container, [{ certificate: bob.certificate, certificateId: certificateElementId('CipherCertificateAddressee', bob.certificate) }], {
      id: 'encdata_0',
    });
    return { xml: contentPackageXml([encrypted]), attachments: container.attachments };
  }

  function spec(contentPackage: string | ByteSource, attachments: ResponseSpec['attachments'], challenge: string): ResponseSpec {
    return {
      type: 'ResponseToFetchDelivery',
      controlBlock: { conversationId: '7', sequenceNumber: 1, response: 'r', challenge },
      feedback: [feedbackEntry('0801')],
      processCards: [{ messageId: 'm-1', creation: '2026-11-29T10:00:00Z', forwarding: '2026-11-29T10:00:01Z' }],
      contentPackageXml: contentPackage,
      ...(attachments ? { attachments } : {}),
      nonIntermediaryCertificates: [
        { role: 'CipherCertificateAddressee', certificate: bob.certificate },
        { role: 'SignatureCertificateOriginator', certificate: alice.certificate },
      ],
      intermediaryCertificates: [{ role: 'SignatureCertificateIntermediary', certificate: imSig.certificate }],
      signer: { privateKey: imSig.privateKey, certificate: imSig.certificate },
      boundary: 'MIME_boundary_fest',
    };
  }

  it('gives the same message as the package given as text, and decodes with every check passing', async () => {
    const { xml, attachments } = await packageXml(randomBytes(300_000));
    const challenge = newChallenge();
    const asText = await buildResponse(spec(xml, attachments, challenge));
    const streamed = await buildResponse(spec(trickle(Buffer.from(xml, 'utf8')), attachments, challenge));
    expect(asText.envelope).toBeDefined();
    expect(streamed.envelope).toBeUndefined(); // never assembled as one string
    expect(streamed.mime.size).toBe(asText.mime.size);
    expect((await readAll(streamed.mime, 1e8)).equals(await readAll(asText.mime, 1e8))).toBe(true);

    const scope = new SpoolScope();
    const decoded = await decodeMessage(streamed.mime, { keys: [bob], anchors: { pinned: [imSig.certificate] }, scope });
    expect(decoded.signature).toMatchObject({ valid: true, allPartsSigned: true, trust: 'pinned' });
    const content = await decodeContent(decoded.message, { keys: [bob], scope });
    expect(content.firstError).toBeUndefined();
    expect(content.allContainers[0]!.signatures[0]!.valid).toBe(true);
    await decoded.release();
  });

  it('signs with the digests an intermediary kept at intake: the same message, byte for byte; a wrong one fails the check', async () => {
    const { xml, attachments } = await packageXml(randomBytes(300_000));
    const challenge = newChallenge();
    const hashed = await buildResponse(spec(trickle(Buffer.from(xml, 'utf8')), attachments, challenge));
    // what the intermediary keeps at intake: each attachment's SHA-256
    const withDigests = await Promise.all(
      (attachments ?? []).map(async (a) => ({
        ...a,
        sha256: createHash('sha256')
          .update(await readAll(a.data, 1e8))
          .digest(),
      })),
    );
    const kept = (bodySha256: Buffer) =>
      buildResponse({ ...spec(trickle(Buffer.from(xml, 'utf8')), withDigests, challenge), contentPackageBodySha256: bodySha256 } as ResponseSpec);
    const fromIntake = await kept(await responseBodySha256(trickle(Buffer.from(xml, 'utf8'))));
    expect((await readAll(fromIntake.mime, 1e8)).equals(await readAll(hashed.mime, 1e8))).toBe(true);

    // a digest that does not belong to this package: the response's own signature check fails at the client
    const wrong = await kept(createHash('sha256').update('another package').digest());
    const scope = new SpoolScope();
    const decoded = await decodeMessage(wrong.mime, { keys: [bob], anchors: { pinned: [imSig.certificate] }, scope });
    expect(decoded.signature.valid).toBe(false);
    await decoded.release();
  });

  it('contentPackageSource equals contentPackageXmlOf, a large run with CRLF line breaks included', async () => {
    const { xml, attachments } = await packageXml(randomBytes(200_000));
    // the CipherValue's lines broken with CRLF, as some senders write them (C14N renders them as LF)
    const crlf = xml.replace(/(<xenc:CipherValue>)([^<]*)(<\/xenc:CipherValue>)/g, (_m, a: string, b: string, c: string) => `${a}${b.replace(/\n/g, '\r\n')}${c}`);
    const built = await buildResponse(spec(crlf, attachments, newChallenge()));
    const entity = await readMultipart(built.mime);
    const message = parseMessage(entity, await parseRootPart(entity, 'test'));
    const text = await contentPackageXmlOf(message);
    const source = await contentPackageSource(message);
    expect(source.size).toBe(Buffer.byteLength(text));
    expect((await readAll(source, 1e8)).toString('utf8')).toBe(text);
    expect(text).not.toContain('\r');
  });
});
