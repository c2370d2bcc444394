/**
 * Content key transports off the main thread (issue 14): unwrapKeyConcurrently gives exactly what unwrapKey gives —
 * the key, or the one error — for every key transport method, and two operations at once take two key objects (Node
 * runs one key object's operations one after the other); with two encrypted containers decodeContent starts the
 * second one's RSA operation on the pool while it opens the first, and takes it (no second operation); a container
 * whose key transport fails — started ahead or not — reports the same error in its turn, the other container stays
 * readable, and when several fail the first error is the first container's in document order.
 */
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bufferSource, readAll } from '../../core/io/byte-source.js';
import { buildContainer, contentPackageXml, encryptContainer } from '../../core/osci/content/build.js';
import { decodeContent, MAX_ENCRYPTED_CONTAINERS } from '../../core/osci/content/decode.js';
import { DIGEST, KEY_TRANSPORT, MGF } from '../../core/osci/crypto/algorithms.js';
import { unwrapKey, unwrapKeyConcurrently, wrapKey, type KeyTransportMethod } from '../../core/osci/crypto/rsa-key-transport.js';
import { decodeMessage } from '../../core/osci/decode.js';
import { buildRequest, newChallenge } from '../../core/osci/messages/build.js';
import { certificateElementId } from '../../core/osci/messages/certificates.js';
import { encryptTransport } from '../../core/osci/transport-encryption.js';
import { vectorKey } from '../helpers/vector-keys.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The key, or the error's kind and message. */
async function outcome(run: () => Buffer | Promise<Buffer>): Promise<string> {
  try {
    return (await run()).toString('hex');
  } catch (error) {
    return `${(error as { kind?: string }).kind}: ${(error as Error).message}`;
  }
}

describe('unwrapKeyConcurrently', () => {
  it('gives what unwrapKey gives, key or error, for every method, label, length and damage', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const key = Buffer.alloc(32, 7);
    const methods: KeyTransportMethod[] = [
      { algorithm: KEY_TRANSPORT.rsaOaep, digest: DIGEST.sha256, mgf: MGF.sha256 },
      { algorithm: KEY_TRANSPORT.rsaOaep, digest: DIGEST.sha512, mgf: MGF.sha512 },
      { algorithm: KEY_TRANSPORT.rsaOaep, digest: DIGEST.sha256, mgf: MGF.sha256, oaepParams: Buffer.from('label') },
      { algorithm: KEY_TRANSPORT.rsaOaepMgf1p },
      { algorithm: KEY_TRANSPORT.rsaOaepMgf1p, digest: DIGEST.sha256 },
      { algorithm: KEY_TRANSPORT.rsaOaep, digest: DIGEST.sha512, mgf: MGF.sha1 },
      { algorithm: KEY_TRANSPORT.rsa15 },
    ];
    const decrypt = vi.spyOn(webcrypto.subtle, 'decrypt');
    for (const method of methods) {
      const wrapped = wrapKey(publicKey, method, key);
      const broken = Buffer.from(wrapped);
      broken[10] = broken[10]! ^ 1;
      const cases: Array<[Buffer, number, typeof privateKey]> = [
        [wrapped, 32, privateKey],
        [wrapped, 24, privateKey],
        [broken, 32, privateKey],
        [wrapped.subarray(1), 32, privateKey],
        [wrapped, 32, other],
      ];
      for (const [cipherValue, length, pk] of cases) {
        const want = await outcome(() => unwrapKey(pk, method, cipherValue, length, 'content-decryption', 't'));
        expect(await outcome(() => unwrapKeyConcurrently(pk, method, cipherValue, length, 'content-decryption', 't')), JSON.stringify(method)).toBe(want);
      }
      expect(await outcome(() => unwrapKeyConcurrently(privateKey, method, wrapped, 32, 'content-decryption', 't'))).toBe(key.toString('hex'));
    }
    // the four methods WebCrypto has (one digest for OAEP and MGF1) went to the pool — each with its five calls but
    // the ciphertext of the wrong length (refused before) —, the others (mixed digests, RSA-1.5) stayed here
    expect(decrypt).toHaveBeenCalledTimes(4 * (5 - 1 + 1));
  });
});

describe('two key transports at once', () => {
  it('take two WebCrypto key objects of the same private key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const method: KeyTransportMethod = { algorithm: KEY_TRANSPORT.rsaOaep, digest: DIGEST.sha256, mgf: MGF.sha256 };
    const keys = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    const decrypt = vi.spyOn(webcrypto.subtle, 'decrypt');
    const run = () => Promise.all(keys.map((k) => unwrapKeyConcurrently(privateKey, method, wrapKey(publicKey, method, k), 32, 'content-decryption', 't')));
    expect(await run()).toEqual(keys);
    expect(decrypt).toHaveBeenCalledTimes(2);
    expect(decrypt.mock.calls[0]![1]).not.toBe(decrypt.mock.calls[1]![1]);
    // one after the other: the same (idle) key object again
    await unwrapKeyConcurrently(privateKey, method, wrapKey(publicKey, method, keys[0]!), 32, 'content-decryption', 't');
    expect(decrypt.mock.calls[2]![1]).toBe(decrypt.mock.calls[0]![1]);
  });
});

describe('content key transports of several containers', () => {
  const client = () => vectorKey('bob_signature_4096');
  const bob = () => vectorKey('bob_cipher_4096');

  type Damage = 'none' | 'first' | 'second' | 'both' | 'first-ciphertext and second';

  /**
   * A StoreDelivery with two containers encrypted for bob, transport-encrypted for `transportFor` (bob);
   * `damaged`: whose EncryptedKey is broken (or, for the first, its ciphertext: its key transport succeeds).
   */
  async function twoContainers(damaged: Damage, ids = ['first', 'second'], afterFirst = '', transportFor = bob()): Promise<Buffer> {
    const readers = [{ certificate: bob().certificate, certificateId: certificateElementId('CipherCertificateAddressee', bob().certificate) }];
    const encrypted: string[] = [];
    for (const id of ids) {
      const container = await buildContainer({ id, contents: [{ kind: 'base64', id: `${id}-0`, data: Buffer.from(`Inhalt ${id}`) }] });
      encrypted.push(await encryptContainer(container, readers, { id: `enc-${id}` }));
    }
    const flip = (c: string) => (c === 'A' ? 'B' : 'A');
    const keyBroken = { none: [], first: [0], second: [1], both: [0, 1], 'first-ciphertext and second': [1] }[damaged];
    for (const at of keyBroken) {
      // one base64 character of the EncryptedKey's CipherValue changed: the RSA-OAEP decoding fails
      encrypted[at] = encrypted[at]!.replace(/(<xenc:EncryptedKey[\s\S]*?<xenc:CipherValue>)(.)/, (_m, head: string, c: string) => head + flip(c));
    }
    if (damaged === 'first-ciphertext and second') {
      // the 21st base64 character of the container's own CipherValue (after the EncryptedKey): past the IV, so the
      // GCM tag does not verify
      encrypted[0] = encrypted[0]!.replace(/(<\/xenc:EncryptedKey>[\s\S]*?<xenc:CipherValue>[^<]{20})(.)/, (_m, head: string, c: string) => head + flip(c));
    }
    const built = await buildRequest({
      type: 'StoreDelivery',
      controlBlock: { sequenceNumber: 0, challenge: newChallenge(), conversationId: undefined, response: undefined },
      messageId: 'm',
      contentPackageXml: contentPackageXml([encrypted[0]!, afterFirst, ...encrypted.slice(1)]),
      attachments: [],
      nonIntermediaryCertificates: [
        { role: 'CipherCertificateAddressee', certificate: bob().certificate },
        { role: 'SignatureCertificateOriginator', certificate: client().certificate },
      ],
      signer: { privateKey: client().privateKey, certificate: client().certificate },
    });
    return readAll(encryptTransport(built.mime, transportFor.certificate), 1e9);
  }

  it('opens at most MAX_ENCRYPTED_CONTAINERS containers of one message; those past it are refused without their RSA operation', async () => {
    const ids = Array.from({ length: MAX_ENCRYPTED_CONTAINERS + 3 }, (_, i) => `c${i}`);
    const decoded = await decodeMessage(bufferSource(await twoContainers('none', ids)), { keys: [bob()] });
    const decrypt = vi.spyOn(webcrypto.subtle, 'decrypt');
    const content = await decodeContent(decoded.message, { keys: [bob()], scope: decoded.scope });
    const outcomes = content.items.map((i) => (i.kind === 'encrypted' ? (i.error?.kind ?? i.container?.id) : undefined));
    expect(outcomes.slice(0, MAX_ENCRYPTED_CONTAINERS)).toEqual(ids.slice(0, MAX_ENCRYPTED_CONTAINERS));
    expect(outcomes.slice(MAX_ENCRYPTED_CONTAINERS)).toEqual(['hostile-xml', 'hostile-xml', 'hostile-xml']);
    expect(content.firstError?.message).toMatch(/more than 100 encrypted containers in one message/);
    // every other container's operation went to the pool (one ahead), none for those past the budget
    expect(decrypt.mock.calls.length).toBeLessThanOrEqual(MAX_ENCRYPTED_CONTAINERS);
    await decoded.release();
  }, 60_000);

  it('decodeContent starts the second container on the pool while it opens the first, and takes it', async () => {
    const body = await twoContainers('none');
    const decrypt = vi.spyOn(webcrypto.subtle, 'decrypt');
    const decoded = await decodeMessage(bufferSource(body), { keys: [bob()], anchors: { pinned: [client().certificate] } });
    expect(decoded.signature.valid).toBe(true);
    // the transport layer's own key transport runs here (everything else is inside it)
    expect(decrypt).toHaveBeenCalledTimes(0);
    const content = await decodeContent(decoded.message, { keys: [bob()], scope: decoded.scope });
    // the first container here, the second on the pool
    expect(decrypt).toHaveBeenCalledTimes(1);
    expect(content.firstError).toBeUndefined();
    expect(content.allContainers.map((c) => c.id)).toEqual(['first', 'second']);
    const texts = content.allContainers.map((c) => c.contents[0]!).map((item) => ('data' in item ? item.data : undefined));
    expect(await Promise.all(texts.map(async (d) => (d ? (await readAll(d, 100)).toString() : '')))).toEqual(['Inhalt first', 'Inhalt second']);
    await decoded.release();
  });

  it('a failing key transport, here or started ahead, is the same error, reported by its container in its turn', async () => {
    for (const damaged of ['first', 'second'] as const) {
      const decoded = await decodeMessage(bufferSource(await twoContainers(damaged)), { keys: [bob()] });
      const content = await decodeContent(decoded.message, { keys: [bob()], scope: decoded.scope });
      const other = damaged === 'first' ? 'second' : 'first';
      expect(content.items.map((i) => (i.kind === 'encrypted' ? [i.encryptedDataId, i.error?.kind, i.container?.id] : []))).toEqual(
        damaged === 'first'
          ? [
              ['enc-first', 'content-decryption', undefined],
              ['enc-second', undefined, other],
            ]
          : [
              ['enc-first', undefined, other],
              ['enc-second', 'content-decryption', undefined],
            ],
      );
      expect(content.firstError?.message).toMatch(new RegExp(`EncryptedData enc-${damaged}: the symmetric key could not be unwrapped`));
      await decoded.release();
    }
  });

  it("when both key transports fail, each container reports its own error and the first error is the first container's", async () => {
    for (let round = 0; round < 3; round++) {
      const decoded = await decodeMessage(bufferSource(await twoContainers('both')), { keys: [bob()] });
      const content = await decodeContent(decoded.message, { keys: [bob()], scope: decoded.scope });
      expect(content.items.map((i) => (i.kind === 'encrypted' ? [i.encryptedDataId, i.error?.kind, i.container?.id] : []))).toEqual([
        ['enc-first', 'content-decryption', undefined],
        ['enc-second', 'content-decryption', undefined],
      ]);
      expect(content.firstError?.message).toMatch(/EncryptedData enc-first: the symmetric key could not be unwrapped/);
      await decoded.release();
    }
  });

  it('a container that fails after its key transport (damaged ciphertext) comes first before a later key transport failure', async () => {
    for (const keys of [[bob()], [client()]]) {
      // the transport layer opened with the content key and with another
      const body = await twoContainers('first-ciphertext and second', undefined, undefined, keys[0]);
      const decoded = await decodeMessage(bufferSource(body), { keys });
      const content = await decodeContent(decoded.message, { keys: [bob()], scope: decoded.scope });
      expect(content.items.map((i) => (i.kind === 'encrypted' ? [i.encryptedDataId, i.error?.kind] : []))).toEqual([
        ['enc-first', 'content-decryption'],
        ['enc-second', 'content-decryption'],
      ]);
      expect(content.firstError?.message).toMatch(/EncryptedData enc-first: GCM/);
      expect(content.firstError?.message).not.toMatch(/could not be unwrapped/);
      await decoded.release();
    }
  });

  it('starts only the next container ahead: a package that turns out broken leaves at most one operation behind', async () => {
    // a plain container with a Content href that is not cid: between the first and the two others ends decodeContent
    const broken = await buildContainer({ id: 'broken', contents: [{ kind: 'base64', id: 'b-0', data: Buffer.from('x') }] });
    const brokenXml = broken.xml.replace('<osci:Content>', '<osci:Content href="http://example.invalid/x">');
    expect(brokenXml).not.toBe(broken.xml);
    const body = await twoContainers('none', ['first', 'second', 'third'], brokenXml);
    const decoded = await decodeMessage(bufferSource(body), { keys: [bob()] });
    const decrypt = vi.spyOn(webcrypto.subtle, 'decrypt');
    await expect(decodeContent(decoded.message, { keys: [bob()], scope: decoded.scope })).rejects.toMatchObject({ kind: 'malformed' });
    expect(decrypt).toHaveBeenCalledTimes(1);
    await decoded.release();
  });

  it('a single encrypted container is opened on this thread after the message signature, as before', async () => {
    const body = await twoContainers('none', ['only']);
    const decrypt = vi.spyOn(webcrypto.subtle, 'decrypt');
    const decoded = await decodeMessage(bufferSource(body), { keys: [bob()] });
    const content = await decodeContent(decoded.message, { keys: [bob()], scope: decoded.scope });
    expect(decrypt).toHaveBeenCalledTimes(0);
    expect(content.firstError).toBeUndefined();
    expect(content.allContainers.map((c) => c.id)).toEqual(['only']);
    await decoded.release();
  });
});
