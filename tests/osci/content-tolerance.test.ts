/**
 * The content layer tolerates what the schema allows beyond the library's own output: inline XML inside
 * osci:Content (the canonical subtree is the payload) and an author signature carrying a XAdES SignedProperties
 * object with an extra reference.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bufferSource, readAll } from '../../core/io/byte-source.js';
import { buildRequest, contentPackageXml, decodeContent, decodeMessage, encryptTransport, newChallenge } from '../../core/osci/index.js';
import { certificateElementId } from '../../core/osci/messages/certificates.js';
import { createSignatureXml } from '../../core/osci/signature/sign.js';
import { FIVE_NS_DECLS, NS } from '../../core/osci/xml/namespaces.js';
import { parseXml } from '../../core/osci/xml/parse.js';
import { vectorCertificate, vectorKey } from '../helpers/vector-keys.js';

describe('content tolerance', () => {
  it('inline XML content and a XAdES signing-time object in the author signature', async () => {
    const alice = vectorKey('alice_signature_4096');
    const certId = certificateElementId('SignatureCertificateOriginator', alice.certificate);
    const inline = '<x:antrag xmlns:x="urn:beispiel"><x:name>Erfundene Person</x:name></x:antrag>';
    const xades =
      `<ds:Object><xades:QualifyingProperties xmlns:xades="${NS.xades}"><xades:SignedProperties Id="sp">` +
      '<xades:SignedSignatureProperties><xades:SigningTime>2026-11-29T10:00:00Z</xades:SigningTime></xades:SignedSignatureProperties>' +
      '</xades:SignedProperties></xades:QualifyingProperties></ds:Object>';
    const contents = `<osci:Content Id="inline1">${inline}</osci:Content>`;
    // digests are taken where the elements will live: in the container, the SignedProperties inside ds:Signature
    const skeleton = parseXml(`<osci:ContentContainer ${FIVE_NS_DECLS} Id="cc"><ds:Signature>${xades}</ds:Signature>${contents}</osci:ContentContainer>`);
    const signature = await createSignatureXml(
      [
        { uri: '#inline1', kind: 'xml', element: skeleton.ids.get('inline1')! },
        { uri: '#sp', kind: 'xml', element: skeleton.ids.get('sp')! },
      ],
      { privateKey: alice.privateKey, certificate: alice.certificate },
      certId,
      FIVE_NS_DECLS,
    );
    const withObject = signature.replace('</ds:Signature>', `${xades}</ds:Signature>`);
    const container = `<osci:ContentContainer ${FIVE_NS_DECLS} Id="cc">${withObject}${contents}</osci:ContentContainer>`;
    const built = await buildRequest({
      type: 'StoreDelivery',
      controlBlock: { conversationId: undefined, sequenceNumber: 0, response: undefined, challenge: newChallenge() },
      messageId: 'inline-1',
      contentPackageXml: contentPackageXml([], [{ xml: container, attachments: [] }]),
      nonIntermediaryCertificates: [
        { role: 'CipherCertificateAddressee', certificate: vectorCertificate('bob_cipher_4096') },
        { role: 'SignatureCertificateOriginator', certificate: alice.certificate },
      ],
      signer: { privateKey: alice.privateKey, certificate: alice.certificate },
    });
    const d = await decodeMessage(bufferSource(await readAll(encryptTransport(built.mime, vectorCertificate('osci_manager_cipher_4096')), 1e8)), {
      keys: [vectorKey('osci_manager_cipher_4096')],
    });
    expect(d.signature.valid).toBe(true);
    const content = await decodeContent(d.message, { keys: [], scope: d.scope });
    expect(content.firstError).toBeUndefined();
    const c = content.allContainers[0]!;
    expect(c.signatures[0]).toMatchObject({ valid: true });
    expect(c.signatures[0]!.references.map((r) => r.uri)).toEqual(['#inline1', '#sp']);
    const item = c.contents[0]!;
    expect(item.kind).toBe('inline-xml');
    const expected = inline; // standalone canonical form: only the namespace the payload uses
    expect(item.kind === 'inline-xml' && item.sha256).toBe(createHash('sha256').update(expected, 'utf8').digest('hex'));
    await d.release();
  });
});
