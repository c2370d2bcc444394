/**
 * Negative vectors fail with the error kind their expectation names, SOAP faults parse with their codes, the
 * chunked messages reassemble to the published files, and the recorded dialogs chain (Response = Challenge of
 * the previous response, ConversationId, SequenceNumber) exactly as the manifest lists them.
 */
import { describe, expect, it } from 'vitest';
import { PostfachError } from '../../core/errors.js';
import { bufferSource, concatSources, readAll } from '../../core/io/byte-source.js';
import { decodeContent } from '../../core/osci/content/decode.js';
import { decodeMessage } from '../../core/osci/decode.js';
import { inspectMessage } from '../../core/osci/inspect.js';
import { readMultipart } from '../../core/osci/mime/reader.js';
import { vectorCertificate } from '../helpers/vector-keys.js';
import { allCipherKeys, expectedKind, keyFor, manifest, readVector, sha256, type Json } from './manifest.js';

describe('negative vectors', () => {
  for (const n of manifest.negative as Json[]) {
    it(`${n.id} fails with ${expectedKind(n)}`, async () => {
      const bytes = readVector(n.file);
      expect(sha256(bytes)).toBe(n.sha256);
      const key = keyFor(n.decrypt_with);
      const kind = expectedKind(n);
      if (kind === 'transport-decryption') {
        await expect(decodeMessage(bufferSource(bytes), { keys: [key] })).rejects.toMatchObject({ name: 'PostfachError', kind });
      } else {
        const d = await decodeMessage(bufferSource(bytes), { keys: [key] });
        try {
          expect(sha256(await readAll(d.inner, 1e8))).toBe(n.inner_sha256);
          expect(d.signature.present).toBe(true);
          expect(d.signature.valid).toBe(false);
          expect(d.signature.failure?.kind).toBe(kind);
          if (kind === 'digest-mismatch') {
            const failing = /reference (#\w+)/.exec(n.expected.message_signature)![1];
            expect(d.signature.references.filter((r) => !r.ok).map((r) => r.uri)).toEqual([failing]);
          } else {
            expect(d.signature.references.every((r) => r.ok)).toBe(true);
          }
          if (n.expected.content_layer) {
            // neg04: encdata_2 fails its GCM tag, encdata_0 still decrypts and verifies
            const content = await decodeContent(d.message, { keys: [keyFor('certs/bob_cipher_4096.p12')], scope: d.scope });
            const e2 = content.items.find((i) => i.kind === 'encrypted' && i.encryptedDataId === 'encdata_2');
            const e0 = content.items.find((i) => i.kind === 'encrypted' && i.encryptedDataId === 'encdata_0');
            expect(e2?.kind === 'encrypted' && e2.error?.kind).toBe('content-decryption');
            expect(e0?.kind === 'encrypted' && e0.container?.signatures[0]?.valid).toBe(true);
            expect(content.firstError?.kind).toBe('content-decryption');
          }
        } finally {
          await d.release();
        }
      }
      const report = await inspectMessage(bufferSource(bytes), { keys: allCipherKeys() });
      expect(report.ok).toBe(false);
      expect(report.error?.kind).toBe(kind);
    });
  }
});

describe('SOAP faults', () => {
  for (const f of manifest.faults as Json[]) {
    it(`${f.id}: ${f.faultcode} ${f.osci_code}`, async () => {
      const bytes = readVector(f.file);
      expect(sha256(bytes)).toBe(f.sha256);
      const entity = await readMultipart(bufferSource(bytes));
      expect(entity.leadingCrlfs > 0).toBe(f.leading_crlf);
      expect(entity.boundary).toBe(f.mime_boundary);
      const d = await decodeMessage(bufferSource(bytes), { keys: [], requireEncryption: true });
      expect(d.message.type).toBe('SOAPFault');
      expect(d.transport).toBeUndefined();
      expect(d.signature.present).toBe(false);
      expect(d.message.fault).toEqual({ faultCode: f.faultcode, faultString: f.faultstring, osciCode: f.osci_code });
      const report = await inspectMessage(bufferSource(bytes), { keys: [] });
      expect(report).toMatchObject({ messageType: 'SOAPFault', ok: false, error: { kind: 'fault', osciCode: f.osci_code } });
    });
  }
});

describe('EFFI chunk reassembly', () => {
  for (const r of manifest.chunked.reassembled as Json[]) {
    it(`${r.id} = concatenation of the chunk attachments`, async () => {
      const keys = allCipherKeys();
      const chunks = [];
      for (const c of [...r.from_chunks].sort((a: Json, b: Json) => a.ChunkNumber - b.ChunkNumber)) {
        const d = await decodeMessage(bufferSource(readVector(c.file)), { keys });
        const part = d.message.attachments.get('ChunkBlobStoreDelivery')!;
        const blob = await readAll(await part.decoded(), 1e8);
        expect(blob.length).toBe(c.length);
        expect(sha256(blob)).toBe(c.sha256);
        expect(d.message.order.chunkInformation?.chunkNumber).toBe(c.ChunkNumber);
        chunks.push(bufferSource(Buffer.from(blob)));
        await d.release();
      }
      const whole = await readAll(concatSources(chunks), 1e8);
      expect(whole.length).toBe(r.length);
      expect(sha256(whole)).toBe(r.sha256);
      expect(whole.equals(readVector(r.file))).toBe(true);
      const expected = manifest.chunked.expected_reassembled[r.id];
      expect(sha256(whole)).toBe(expected.sha256);
      expect(r.from_chunks.length).toBe(expected.total_chunk_numbers);
    });
  }
});

describe('recorded dialogs chain as listed', () => {
  const dialogs: Json[] = [manifest.dialogs.A, manifest.dialogs.B, manifest.dialogs.C, manifest.chunked.dialogs.D, manifest.chunked.dialogs.E, manifest.chunked.dialogs.F];
  for (const dialog of dialogs) {
    it(dialog.title, async () => {
      const keys = allCipherKeys();
      let previousResponseChallenge: string | undefined;
      let lastRequest: { challenge?: string; seq?: number; conv?: string } = {};
      for (const msg of dialog.messages as Json[]) {
        const d = await decodeMessage(bufferSource(readVector(msg.file)), { keys });
        const cb = d.message.controlBlock!;
        try {
          expect(d.message.type).toBe(msg.type);
          expect(cb.conversationId ?? null).toBe(msg.ConversationId);
          expect(cb.sequenceNumber === undefined ? null : String(cb.sequenceNumber)).toBe(msg.SequenceNumber);
          expect(cb.challenge ?? null).toBe(msg.Challenge);
          expect(cb.response ?? null).toBe(msg.Response);
          if (msg.feedback) expect(d.message.feedback.map((f) => f.code)).toEqual(msg.feedback);
          const isRequest = !msg.type.startsWith('ResponseTo');
          if (isRequest) {
            // inside an explicit dialog every request after InitDialog answers the previous response's Challenge
            if (msg.type !== 'InitDialog' && cb.conversationId !== undefined) expect(cb.response).toBe(previousResponseChallenge);
            lastRequest = { challenge: cb.challenge, seq: cb.sequenceNumber, conv: cb.conversationId };
          } else {
            expect(cb.response).toBe(lastRequest.challenge);
            expect(cb.sequenceNumber).toBe(lastRequest.seq);
            if (lastRequest.conv !== undefined) expect(cb.conversationId).toBe(lastRequest.conv);
            previousResponseChallenge = cb.challenge;
          }
        } finally {
          await d.release();
        }
      }
    });
  }
});

describe('key selection by certificate', () => {
  it('a key that is not the recipient is refused with no-matching-key', async () => {
    const body = readVector('exchange/06-FetchDelivery.response.http-body');
    const err = await decodeMessage(bufferSource(body), { keys: [keyFor('certs/alice_cipher_4096.p12')] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PostfachError);
    expect((err as PostfachError).kind).toBe('no-matching-key');
  });
  it('pinning: the response signer must be the configured certificate or chain to a configured CA', async () => {
    const body = readVector('exchange/06-FetchDelivery.response.http-body');
    const bob = keyFor('certs/bob_cipher_4096.p12');
    const pinned = await decodeMessage(bufferSource(body), { keys: [bob], anchors: { pinned: [vectorCertificate('osci_manager_signature_4096')] } });
    expect(pinned.signature.trust).toBe('pinned');
    const wrong = await decodeMessage(bufferSource(body), { keys: [bob], anchors: { pinned: [vectorCertificate('alice_signature_4096')] } });
    expect(wrong.signature.valid).toBe(true);
    expect(wrong.signature.trust).toBe('untrusted');
    const viaCa = await decodeMessage(bufferSource(body), { keys: [bob], anchors: { cas: [vectorCertificate('governikus_ca_8_pn')] } });
    expect(viaCa.signature.trust).toBe('chained');
    const selfSignedCa = await decodeMessage(bufferSource(body), { keys: [bob], anchors: { cas: [vectorCertificate('alice_signature_ec256')] } });
    expect(selfSignedCa.signature.trust).toBe('untrusted');
  });
});
