/**
 * What the intermediary does with a stored delivery: the StoreDelivery requests of the reference vectors are
 * decoded with the intermediary key, their ContentPackage and attachments carried byte-exact into a new
 * ResponseToFetchDelivery signed by the intermediary and encrypted for the addressee; the addressee then decrypts
 * every container and every content signature of the original author still verifies (including sd11's nested
 * containers and quirk Q10, and sd06's plain container with a plain attachment). Also the supplier-side
 * ControlBlock check.
 */
import { describe, expect, it } from 'vitest';
import { bufferSource, readAll } from '../../core/io/byte-source.js';
import {
  buildResponse,
  checkRequestControlBlock,
  contentPackageXmlOf,
  decodeContent,
  decodeMessage,
  encryptTransport,
  feedbackEntry,
  newChallenge,
} from '../../core/osci/index.js';
import { vectorCertificate, vectorKey } from '../helpers/vector-keys.js';
import { manifest, readVector, type Json } from './manifest.js';

describe('re-delivery of stored deliveries', () => {
  for (const id of ['sd01', 'sd04', 'sd06', 'sd10', 'sd11']) {
    it(`${id}: content survives re-signing and re-encryption`, async () => {
      const entry: Json = manifest.vectors.find((v: Json) => v.id === id);
      const stored = await decodeMessage(bufferSource(readVector(entry.file)), { keys: [vectorKey('osci_manager_cipher_4096')] });
      expect(stored.signature.valid).toBe(true);
      const m = stored.message;
      const attachments = [];
      for (const [contentId, part] of m.attachments) attachments.push({ contentId, data: await part.decoded(), transferEncoding: '8-bit' });
      const built = await buildResponse({
        type: 'ResponseToFetchDelivery',
        controlBlock: { conversationId: '1', sequenceNumber: 0, response: newChallenge(), challenge: newChallenge() },
        feedback: [feedbackEntry('0801')],
        processCards: [{ messageId: m.order.messageId!, creation: '2026-11-29T10:00:00Z', forwarding: '2026-11-29T10:00:05Z', subject: m.order.subject! }],
        contentPackageXml: await contentPackageXmlOf(m),
        attachments,
        nonIntermediaryCertificates: m.nonIntermediaryCertificates.map((c) => ({ role: c.role, certificate: c.certificate, ...(c.id ? { id: c.id } : {}) })),
        intermediaryCertificates: [{ role: 'SignatureCertificateIntermediary', certificate: vectorCertificate('osci_manager_signature_4096') }],
        signer: { privateKey: vectorKey('osci_manager_signature_4096').privateKey, certificate: vectorCertificate('osci_manager_signature_4096') },
      });
      const body = await readAll(encryptTransport(built.mime, vectorCertificate('bob_cipher_4096')), 1e8);
      const fetched = await decodeMessage(bufferSource(body), {
        keys: [vectorKey('bob_cipher_4096')],
        anchors: { pinned: [vectorCertificate('osci_manager_signature_4096')] },
        requireEncryption: true,
      });
      expect(fetched.message.type).toBe('ResponseToFetchDelivery');
      expect(fetched.signature).toMatchObject({ valid: true, allPartsSigned: true, trust: 'pinned' });
      expect(fetched.message.order.messageId).toBe(entry.message_id);
      const content = await decodeContent(fetched.message, { keys: [vectorKey('bob_cipher_4096')], scope: fetched.scope });
      expect(content.firstError).toBeUndefined();
      const signatures = content.allContainers.flatMap((c) => c.signatures);
      expect(signatures.length).toBeGreaterThan(0);
      expect(signatures.every((s) => s.valid)).toBe(true);
      // every content item of the manifest arrives with its SHA-256
      const hashes = new Set(content.allContainers.flatMap((c) => c.contents.map((i) => ('sha256' in i ? i.sha256 : ''))));
      const want: string[] = [];
      const collect = (c: Json) => {
        for (const i of c.contents ?? []) {
          if (i.kind === 'nested-container') collect(i.container);
          else want.push(i.sha256);
        }
        for (const n of c.nested_encrypted_data ?? []) collect(n.container);
      };
      for (const e of entry.encrypted_data ?? []) collect(e.container);
      for (const p of entry.plain_containers ?? []) collect(p);
      for (const h of want) expect(hashes.has(h)).toBe(true);
      await stored.release();
      await fetched.release();
    });
  }
});

describe('supplier-side ControlBlock check', () => {
  const dialog = { conversationId: '7', lastChallenge: 'c1', nextSequenceNumber: 2 };
  it('accepts the expected request and names 9400 / 9802 otherwise', () => {
    const ok = { conversationId: '7', sequenceNumber: 2, response: 'c1', challenge: 'n' };
    expect(checkRequestControlBlock('FetchDelivery', ok, dialog)).toBeUndefined();
    expect(checkRequestControlBlock('FetchDelivery', { ...ok, sequenceNumber: 3 }, dialog)).toBe('9400');
    expect(checkRequestControlBlock('FetchDelivery', { ...ok, response: 'old' }, dialog)).toBe('9400');
    expect(checkRequestControlBlock('FetchDelivery', { ...ok, conversationId: '8' }, dialog)).toBe('9400');
    expect(checkRequestControlBlock('FetchDelivery', { ...ok, conversationId: undefined }, undefined)).toBe('9802');
    expect(checkRequestControlBlock('InitDialog', { conversationId: undefined, sequenceNumber: undefined, response: undefined, challenge: 'x' }, undefined)).toBeUndefined();
    expect(checkRequestControlBlock('GetMessageId', { conversationId: undefined, sequenceNumber: 0, response: undefined, challenge: 'x' }, undefined)).toBeUndefined();
    expect(checkRequestControlBlock('InitDialog', { conversationId: '1', sequenceNumber: undefined, response: undefined, challenge: 'x' }, undefined)).toBe('9400');
  });
});
