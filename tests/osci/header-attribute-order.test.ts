/**
 * The header blocks we build write their unqualified attributes (Id, ConversationId, SequenceNumber, LanguagesList,
 * Quality, Service) in the order canonical XML puts them (C14N 1.0: by code point of the name), so the text as
 * built and its canonical form agree attribute for attribute. The order comes from a plain code-unit comparison
 * (build.ts `byCodePoint`), not from a locale's collation.
 */
import { describe, expect, it } from 'vitest';
import { buildRequest, buildResponse, newChallenge } from '../../core/osci/messages/build.js';
import { canonicalize } from '../../core/osci/xml/c14n.js';
import { childElements, parseXml } from '../../core/osci/xml/parse.js';
import { NS } from '../../core/osci/xml/namespaces.js';
import { vectorCertificate } from '../helpers/vector-keys.js';

/** The unqualified attribute names of an element's start tag, in the order they are written. */
function attributeOrder(startTag: string): string[] {
  return [...startTag.matchAll(/\s([A-Za-z][\w.-]*)="/g)].map((m) => m[1] as string);
}
const startTagOf = (xml: string): string => xml.slice(0, xml.indexOf('>') + 1);

async function headerBlocks(envelope: string | undefined): Promise<Array<{ name: string; built: string[]; canonical: string[] }>> {
  if (envelope === undefined) throw new Error('no envelope text');
  const { root } = parseXml(envelope);
  const header = childElements(root, NS.soap, 'Header')[0];
  if (!header) throw new Error('no soap:Header');
  return childElements(header).map((el) => {
    const id = el.getAttribute('Id') ?? '';
    // the block as built: its start tag in the envelope's text, found by its Id
    const at = envelope.lastIndexOf('<', envelope.indexOf(` Id="${id}"`));
    return { name: el.tagName, built: attributeOrder(startTagOf(envelope.slice(at))), canonical: attributeOrder(startTagOf(canonicalize(el))) };
  });
}

describe('header blocks: attribute order as canonical XML has it', () => {
  it('StoreDelivery (QualityOfTimestamp, DesiredLanguages, ControlBlock with both ids) and a response', async () => {
    const request = await buildRequest({
      type: 'StoreDelivery',
      controlBlock: { conversationId: 'Dialog-7', sequenceNumber: 3, challenge: newChallenge(), response: 'r' },
      desiredLanguages: 'de en',
      qualityOfTimestamp: { creation: 'cryptographic', reception: 'plain' },
      messageId: 'nachricht-1',
      contentPackageXml: '<osci:ContentPackage xmlns:osci="http://www.osci.de/2002/04/osci"></osci:ContentPackage>',
      nonIntermediaryCertificates: [{ role: 'CipherCertificateAddressee', certificate: vectorCertificate('bob_cipher_4096') }],
    });
    const response = await buildResponse({
      type: 'ResponseToFetchDelivery',
      controlBlock: { conversationId: 'Dialog-7', sequenceNumber: 4, challenge: newChallenge(), response: 'r' },
      feedback: [{ code: '0801', lang: 'de', text: 'Keine Nachricht' }],
    });
    const blocks = [...(await headerBlocks(request.envelope)), ...(await headerBlocks(response.envelope))];
    const names = new Set(blocks.flatMap((b) => b.built));
    // every attribute name build.ts writes in a header block occurs here
    for (const n of ['Id', 'ConversationId', 'SequenceNumber', 'LanguagesList', 'Quality', 'Service']) expect(names).toContain(n);
    for (const b of blocks) {
      expect(b.built, b.name).toEqual(b.canonical);
      expect(b.built, b.name).toEqual([...b.built].sort());
    }
  });
});
