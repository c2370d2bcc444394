/**
 * The sender chooses how many contents, references and signatures a content container has. Which contents each
 * signature covers was found by looking every reference up for every content — quadratic: 4,000 contents under one
 * signature took 0.5 s, 16,000 about 8 s, a 64 MB message many minutes. And a container's signatures are each
 * verified and judged against every content: more than MAX_CONTAINER_SIGNATURES are refused as hostile-xml.
 */
import { describe, expect, it } from 'vitest';
import { bufferSource, readAll } from '../../core/io/byte-source.js';
import { buildContainer, contentPackageXml, type ContentInput } from '../../core/osci/content/build.js';
import { contentCoverage } from '../../core/osci/content/coverage.js';
import { decodeContent, MAX_CONTAINER_SIGNATURES } from '../../core/osci/content/decode.js';
import { decodeMessage } from '../../core/osci/decode.js';
import { buildRequest, newChallenge } from '../../core/osci/messages/build.js';
import { certificateElementId } from '../../core/osci/messages/certificates.js';
import { encryptTransport } from '../../core/osci/transport-encryption.js';
import { vectorKey } from '../helpers/vector-keys.js';

const author = () => vectorKey('bob_signature_4096');
const bob = () => vectorKey('bob_cipher_4096');

/** A StoreDelivery with one signed plain container of `count` small contents; `edit` may change the container's XML. */
async function delivery(count: number, edit: (xml: string) => string = (x) => x): Promise<Buffer> {
  const contents: ContentInput[] = Array.from({ length: count }, (_, i) => ({ kind: 'base64', id: `i${i}`, data: Buffer.from(`Inhalt ${i}`) }));
  const signer = {
    privateKey: author().privateKey,
    certificate: author().certificate,
    certificateId: certificateElementId('SignatureCertificateOriginator', author().certificate),
  };
  const container = await buildContainer({ id: 'antrag', contents, signer });
  const built = await buildRequest({
    type: 'StoreDelivery',
    controlBlock: { sequenceNumber: 0, challenge: newChallenge(), conversationId: undefined, response: undefined },
    messageId: 'm',
    contentPackageXml: contentPackageXml([edit(container.xml)]),
    attachments: [],
    nonIntermediaryCertificates: [
      { role: 'CipherCertificateAddressee', certificate: bob().certificate },
      { role: 'SignatureCertificateOriginator', certificate: author().certificate },
    ],
    signer: { privateKey: author().privateKey, certificate: author().certificate },
  });
  return readAll(encryptTransport(built.mime, bob().certificate), 1e9);
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

describe('content containers the sender made large', () => {
  it('judges 12,000 contents under one signature in time linear in their number, each covered', async () => {
    const decoded = await decodeMessage(bufferSource(await delivery(12_000)), { keys: [bob()] });
    const content = await decodeContent(decoded.message, { keys: [bob()], scope: decoded.scope });
    expect(content.firstError).toBeUndefined();
    const started = process.cpuUsage();
    const coverage = contentCoverage(content);
    const spent = cpuMs(started);
    expect(coverage.items).toHaveLength(12_000);
    expect(coverage.items.every((i) => i.status === 'covered')).toBe(true);
    expect(coverage.signatureFailures).toEqual([]);
    // quadratic, this took ≈ 4 s of CPU; indexed ≈ 30 ms (ten times that as headroom for a loaded machine)
    expect(spent).toBeLessThan(1_000);
    await decoded.release();
  }, 120_000);

  it(`refuses a container with more than ${MAX_CONTAINER_SIGNATURES} signatures as hostile-xml`, async () => {
    // the author's signature again and again (without its Id attributes: duplicate Ids are refused on their own)
    const many = (xml: string): string => {
      const signature = /<ds:Signature[\s\S]*?<\/ds:Signature>/.exec(xml)?.[0];
      if (signature === undefined) throw new Error('the container has no signature');
      const bare = signature.replace(/\sId="[^"]*"/g, '');
      return xml.replace(signature, bare.repeat(MAX_CONTAINER_SIGNATURES + 1));
    };
    const decoded = await decodeMessage(bufferSource(await delivery(3, many)), { keys: [bob()] });
    const error = await decodeContent(decoded.message, { keys: [bob()], scope: decoded.scope }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'hostile-xml', message: expect.stringMatching(/21 signatures, more than 20/) });
    await decoded.release();
  }, 60_000);
});
