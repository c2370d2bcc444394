/**
 * RSA PKCS#1 v1.5 key transport (receive-only legacy) gives no padding oracle: every malformed padding — bad first
 * byte, bad block type, no zero separator, padding shorter than 8 bytes, a key of the wrong length, a ciphertext of
 * the wrong length — takes the path of a well-formed padding (implicit rejection: a substitute key) and ends in
 * exactly the same error as a correctly padded key that is simply wrong: one kind, one message, one detail. On the
 * content layer (GCM and CBC, as `fetch` and `inspect` decode it) and on the transport layer.
 */
import { constants, publicEncrypt, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { PostfachError } from '../../core/errors.js';
import { bufferSource, readAll } from '../../core/io/byte-source.js';
import { SpoolScope } from '../../core/io/sink.js';
import { buildContainer, contentPackageXml, encryptContainer } from '../../core/osci/content/build.js';
import { decodeContent } from '../../core/osci/content/decode.js';
import { KEY_TRANSPORT, SYM, symmetricAlgorithm } from '../../core/osci/crypto/algorithms.js';
import { unwrapKey } from '../../core/osci/crypto/rsa-key-transport.js';
import { decodeMessage } from '../../core/osci/decode.js';
import { inspectMessage } from '../../core/osci/inspect.js';
import { feedbackEntry } from '../../core/osci/messages/feedback-codes.js';
import { buildResponse } from '../../core/osci/messages/build.js';
import { certificateElementId } from '../../core/osci/messages/certificates.js';
import { encryptTransport } from '../../core/osci/transport-encryption.js';
import type { KeyEntry } from '../../core/pki/pkcs12.js';
import { vectorKey } from '../helpers/vector-keys.js';

let bob: KeyEntry;
let k: number;
beforeAll(() => {
  bob = vectorKey('bob_cipher_4096');
  k = bob.privateKey.asymmetricKeyDetails!.modulusLength! / 8;
});

const nonZero = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => 1 + (i % 255)));

/** EME-PKCS1-v1_5 blocks for a key of `length` bytes: one correct, the rest broken in one way each. */
function blocks(length: number, key: Buffer): Record<string, Buffer> {
  const ps = (n: number) => nonZero(n);
  const good = Buffer.concat([Buffer.from([0, 2]), ps(k - 3 - length), Buffer.from([0]), key]);
  const withByte = (i: number, v: number) => {
    const b = Buffer.from(good);
    b[i] = v;
    return b;
  };
  return {
    good,
    'first byte 01': withByte(0, 1),
    'block type 01 (signature padding)': withByte(1, 1),
    'block type 00': withByte(1, 0),
    'no zero separator': Buffer.concat([Buffer.from([0, 2]), ps(k - 2)]),
    'empty padding (separator right after 00 02)': Buffer.concat([Buffer.from([0, 2, 0]), ps(k - 3)]),
    'padding of 7 bytes': Buffer.concat([Buffer.from([0, 2]), ps(7), Buffer.from([0]), ps(k - 10)]),
    "key shorter than the algorithm's": Buffer.concat([Buffer.from([0, 2]), ps(k - 3 - 16), Buffer.from([0]), key.subarray(0, 16)]),
    "key longer than the algorithm's": Buffer.concat([Buffer.from([0, 2]), ps(k - 3 - length - 8), Buffer.from([0]), randomBytes(8), key]),
    'well padded, but another key': Buffer.concat([Buffer.from([0, 2]), ps(k - 3 - length), Buffer.from([0]), randomBytes(length)]),
  };
}

const rsa = (block: Buffer) => publicEncrypt({ key: bob.certificate.publicKey, padding: constants.RSA_NO_PADDING }, block);

/** The error as the caseworker and IT see it. */
const shape = (e: PostfachError | undefined) => e && { kind: e.kind, de: e.text.de, en: e.text.en, detail: e.detail, osciCode: e.osciCode };

describe('PKCS#1 v1.5 key transport: every unpadding failure looks alike', () => {
  it('unwrapKey never throws for RSA-1.5: a substitute key of the right length, the same for the same ciphertext', () => {
    const key = randomBytes(32);
    const all = blocks(32, key);
    expect(unwrapKey(bob.privateKey, { algorithm: KEY_TRANSPORT.rsa15 }, rsa(all.good!), 32, 'content-decryption', 't')).toEqual(key);
    const substitutes = new Set<string>();
    for (const [name, block] of Object.entries(all)) {
      if (name === 'good' || name.startsWith('well padded')) continue;
      const ct = rsa(block);
      const a = unwrapKey(bob.privateKey, { algorithm: KEY_TRANSPORT.rsa15 }, ct, 32, 'content-decryption', 't');
      const b = unwrapKey(bob.privateKey, { algorithm: KEY_TRANSPORT.rsa15 }, ct, 32, 'content-decryption', 't');
      expect(a.length, name).toBe(32);
      expect(a.equals(b), name).toBe(true);
      expect(a.equals(key), name).toBe(false);
      substitutes.add(a.toString('hex'));
    }
    for (const ct of [rsa(all.good!).subarray(1), Buffer.concat([rsa(all.good!), Buffer.from([0])]), Buffer.alloc(k, 0xff)]) {
      expect(unwrapKey(bob.privateKey, { algorithm: KEY_TRANSPORT.rsa15 }, ct, 24, 'content-decryption', 't').length).toBe(24);
    }
    // unpredictable: different ciphertexts, different substitutes
    expect(substitutes.size).toBe(Object.keys(all).length - 2);
  });

  for (const symmetric of [SYM.aes256gcm, SYM.aes256cbc, SYM.tripledes]) {
    it(`content layer (${symmetricAlgorithm(symmetric).cipher}): identical error kind, message and detail for every malformed padding`, async () => {
      const author = vectorKey('alice_signature_4096');
      const container = await buildContainer({
        id: 'contentcontainer0',
        contents: [{ kind: 'base64', id: 'content0', data: Buffer.from('<antrag>Erfundene Testperson</antrag>') }],
        signer: { ...author, certificateId: certificateElementId('SignatureCertificateOriginator', author.certificate) },
      });
      const readerId = certificateElementId('CipherCertificateAddressee', bob.certificate);
      const encrypted = await encryptContainer(container, [{ certificate: bob.certificate, certificateId: readerId }], {
        id: 'encdata_0',
        algorithm: symmetric,
        keyTransport: { algorithm: KEY_TRANSPORT.rsa15 },
      });
      // the true content key is not known outside the builder: every block below carries a key of our own, so even
      // "good" decrypts to a wrong key — the control case, "a well-padded key that is wrong"
      const length = symmetricAlgorithm(symmetric).keyLength;
      const results: Record<string, unknown> = {};
      const reports: Record<string, unknown> = {};
      for (const [name, block] of Object.entries(blocks(length, randomBytes(length)))) {
        const ek = rsa(block).toString('base64');
        const xml = encrypted.replace(/(<xenc:EncryptedKey>[\s\S]*?<xenc:CipherValue>)[^<]*(<\/xenc:CipherValue>)/, `$1${ek}$2`);
        expect(xml).not.toBe(encrypted);
        const body = await buildResponse({
          type: 'ResponseToFetchDelivery',
          controlBlock: { conversationId: '1', sequenceNumber: 0, response: 'r', challenge: 'c' },
          feedback: [feedbackEntry('0801')],
          contentPackageXml: contentPackageXml([xml]),
          nonIntermediaryCertificates: [
            { role: 'CipherCertificateAddressee', certificate: bob.certificate },
            { role: 'SignatureCertificateOriginator', certificate: author.certificate },
          ],
        });
        const bytes = await readAll(body.mime, 1e8);
        const d = await decodeMessage(bufferSource(bytes), { keys: [bob], scope: new SpoolScope() });
        try {
          const content = await decodeContent(d.message, { keys: [bob], scope: d.scope });
          const item = content.items[0]!;
          results[name] = shape(item.kind === 'encrypted' ? item.error : undefined);
        } finally {
          await d.release();
        }
        const report = await inspectMessage(bufferSource(bytes), { keys: [bob] });
        reports[name] = { ok: report.ok, error: report.error, container: report.containers[0]?.error };
      }
      const expected = {
        kind: 'content-decryption',
        de: expect.any(String),
        en: expect.any(String),
        detail: `EncryptedData encdata_0: ${symmetricAlgorithm(symmetric).mode.toUpperCase()} decryption failed (${symmetricAlgorithm(symmetric).mode === 'gcm' ? 'authentication tag mismatch or bad key' : 'bad key or padding'})`,
        osciCode: undefined,
      };
      const first = results.good;
      expect(first).toEqual(expected);
      for (const [name, r] of Object.entries(results)) expect(r, name).toEqual(first);
      for (const [name, r] of Object.entries(reports)) expect(r, name).toEqual(reports.good);
    });
  }

  it('transport layer: identical error for every malformed padding of the EncryptedKey (GCM and 3DES)', async () => {
    for (const symmetric of [SYM.aes256gcm, SYM.tripledes]) {
      const inner = await buildResponse({
        type: 'ResponseToExitDialog',
        controlBlock: { conversationId: '1', sequenceNumber: 3, response: 'r', challenge: undefined },
        feedback: [feedbackEntry('0800')],
      });
      const body = (await readAll(encryptTransport(inner.mime, bob.certificate, { symmetric, keyTransport: { algorithm: KEY_TRANSPORT.rsa15 } }), 1e8)).toString('latin1');
      const length = symmetricAlgorithm(symmetric).keyLength;
      const errors: Record<string, unknown> = {};
      for (const [name, block] of Object.entries(blocks(length, randomBytes(length)))) {
        const changed = body.replace(/(<xenc:EncryptedKey>[\s\S]*?<xenc:CipherValue>)[^<]*(<\/xenc:CipherValue>)/, `$1${rsa(block).toString('base64')}$2`);
        expect(changed).not.toBe(body);
        const error = await decodeMessage(bufferSource(Buffer.from(changed, 'latin1')), { keys: [bob] }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, name).toBeInstanceOf(PostfachError);
        errors[name] = shape(error as PostfachError);
      }
      expect(errors.good).toMatchObject({ kind: 'transport-decryption', detail: expect.stringMatching(/^transport layer: (GCM|CBC) decryption failed/) });
      for (const [name, e] of Object.entries(errors)) expect(e, `${symmetric} ${name}`).toEqual(errors.good);
    }
  });
});
