/**
 * `postfach send` sends every algorithm variant the reference implementation offers (intermediary/sender/
 * algorithms.ts): each variant goes through our intermediary, our fetch decodes it, and the algorithms found on
 * the wire are the ones chosen — the StoreDelivery's transport layer, ClientSignature and attachment part
 * encoding (decoded as our intermediary receives it), the content EncryptedKey / EncryptedData, the attachment
 * encryption and the author signature (decoded by our fetch). Every message of these exchanges validates against
 * the OSCI schemas (tests/helpers/osci-xsd.ts). The CLI maps its option names to the same choices.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../core/io/byte-source.js';
import { SpoolScope } from '../../core/io/sink.js';
import { ExplicitDialog } from '../../core/osci/client/dialog.js';
import { withContent, type DeliveryWithContent } from '../helpers/dialog-loop.js';
import { DIGEST, KEY_TRANSPORT, MGF, SIG, SYM, symmetricAlgorithm } from '../../core/osci/crypto/algorithms.js';
import { decodeMessage } from '../../core/osci/decode.js';
import { resolveSendAlgorithms, type SendAlgorithmNames } from '../../intermediary/sender/algorithms.js';
import { sendApplications, type SentApplication } from '../../intermediary/sender/send.js';
import { projectRoot, VECTOR_PIN, vectorPath } from '../helpers/shared.js';
import { vectorKey } from '../helpers/vector-keys.js';
import { ensureCliBuilt } from '../helpers/build.js';
import { fixturePki, fixturePkiDir, fixtureSenderSetup, municipalityClient, startTestIntermediary, type TestIntermediary } from './helpers.js';
import { invalid, recording, validateExchanges, type Exchange } from './xsd-exchanges.js';

interface Variant {
  readonly name: string;
  readonly names: SendAlgorithmNames;
  /** Sign with the reference vectors' ECDSA P-256 key instead of the sender's RSA key. */
  readonly ec?: boolean;
}

const VARIANTS: readonly Variant[] = [
  { name: 'defaults', names: {} },
  { name: 'aes192-gcm, IV 16 (no IvLength)', names: { cipher: 'aes192-gcm', ivLength: 16 } },
  { name: 'aes128-gcm', names: { cipher: 'aes128-gcm' } },
  { name: 'aes256-cbc', names: { cipher: 'aes256-cbc' } },
  { name: 'aes192-cbc', names: { cipher: 'aes192-cbc' } },
  { name: 'aes128-cbc', names: { cipher: 'aes128-cbc' } },
  { name: '3des', names: { cipher: '3des' } },
  { name: 'OAEP SHA-512', names: { oaepDigest: 'sha512' } },
  { name: 'OAEP SHA-512 / MGF1-SHA-384', names: { oaepDigest: 'sha512', mgf1Digest: 'sha384' } },
  { name: 'OAEP SHA-256 / MGF1-SHA-1 (no MGF element)', names: { oaepDigest: 'sha256', mgf1Digest: 'sha1' } },
  { name: 'OAEP SHA-1 (no parameters)', names: { oaepDigest: 'sha1' } },
  { name: 'RSA-1.5 with 3DES and base64 transport part', names: { keyTransport: 'rsa-1_5', cipher: '3des', transportEncoding: 'base64' } },
  { name: 'RSA-1.5 with AES-256-GCM', names: { keyTransport: 'rsa-1_5' } },
  { name: 'rsa-sha512', names: { signature: 'rsa-sha512' } },
  { name: 'rsa-pss-sha256', names: { signature: 'rsa-pss-sha256' } },
  { name: 'rsa-pss-sha512', names: { signature: 'rsa-pss-sha512' } },
  { name: 'rsa-pss-sha3-256', names: { signature: 'rsa-pss-sha3-256' } },
  { name: 'rsa-pss-sha3-384', names: { signature: 'rsa-pss-sha3-384' } },
  { name: 'rsa-pss-sha3-512', names: { signature: 'rsa-pss-sha3-512' } },
  { name: 'ecdsa-sha256 (EC key)', names: { signature: 'ecdsa-sha256' }, ec: true },
  { name: 'ecdsa-sha512 (EC key)', names: { signature: 'ecdsa-sha512' }, ec: true },
  { name: 'digest sha512', names: { digest: 'sha512' } },
  { name: 'digest sha3-256', names: { digest: 'sha3-256' } },
  { name: 'digest sha3-384', names: { digest: 'sha3-384' } },
  { name: 'digest sha3-512', names: { digest: 'sha3-512' } },
  { name: 'attachments 8-bit', names: { attachmentEncoding: '8-bit' } },
  { name: 'attachments binary', names: { attachmentEncoding: 'binary' } },
  { name: 'attachments base64', names: { attachmentEncoding: 'base64' } },
  { name: 'transport part base64', names: { transportEncoding: 'base64' } },
];

describe('postfach send: every algorithm variant through our intermediary, decoded by our fetch', () => {
  let im: TestIntermediary;
  const log: Exchange[] = [];
  const sent = new Map<string, { variant: Variant; app: SentApplication; request: Buffer }>();
  const fetched = new Map<string, DeliveryWithContent>();
  const received = new Map<string, { sha: string; attachments: string[] }>();

  beforeAll(async () => {
    // the CLI test below runs dist/cli: build it first if the sources are newer (may take a while)
    ensureCliBuilt(['send.js']);
    im = await startTestIntermediary();
    const pki = fixturePki();
    const base = fixtureSenderSetup();
    for (const variant of VARIANTS) {
      const setup = variant.ec ? { ...base, signatureKey: vectorKey('alice_signature_ec256') } : base;
      const before = log.length;
      const [app] = await sendApplications({
        intermediaryUrl: im.url,
        setup,
        seed: `variante-${variant.name}`,
        attachments: 1,
        attachmentSize: 3000,
        algorithms: resolveSendAlgorithms(variant.names),
        post: recording(im.url, base.sender, log),
      });
      // the second exchange of the run is the StoreDelivery
      sent.set(app!.messageId, { variant, app: app!, request: log[before + 1]!.request });
    }
    const client = municipalityClient(im.url, { post: recording(im.url, pki.municipality, log) });
    const dialog = await ExplicitDialog.open(client);
    for (;;) {
      const fetchedDelivery = await dialog.fetchDelivery();
      if (!fetchedDelivery) break;
      const d = await withContent(fetchedDelivery, client);
      fetched.set(d.messageId!, d);
      // keep what is needed after the spools are gone
      const container = d.content.allContainers[0]!;
      const doc = container.contents.find((c) => c.kind === 'Base64Content');
      received.set(d.messageId!, {
        sha: doc && doc.kind === 'Base64Content' ? doc.sha256 : '',
        attachments: container.contents.flatMap((c) => (c.kind === 'attachment' ? [c.sha256] : [])),
      });
      dialog.confirmPersisted();
    }
    await dialog.exit();
    await dialog.release();
  }, 600_000);
  afterAll(() => im.dispose());

  it('every variant arrives and decodes to the content and attachment sent', () => {
    expect(fetched.size).toBe(VARIANTS.length);
    for (const [id, { app, variant }] of sent) {
      const r = received.get(id);
      expect(r, variant.name).toBeDefined();
      expect(r!.sha, variant.name).toBe(app.content.sha256);
      expect(r!.attachments, variant.name).toEqual(app.attachments.map((a) => a.sha256));
    }
  });

  it('the content layer carries the chosen algorithms (EncryptedKey, EncryptedData, attachment, author signature)', () => {
    for (const [id, { variant }] of sent) {
      const want = resolveSendAlgorithms(variant.names);
      const alg = symmetricAlgorithm(want.symmetric);
      const d = fetched.get(id)!;
      const item = d.content.items[0]!;
      expect(item.kind === 'encrypted' && item.error, variant.name).toBeUndefined();
      const container = d.content.allContainers[0]!;
      const enc = container.encryption!;
      expect(
        { symmetric: enc.symmetric, ivLength: enc.ivLength, ivLengthElement: enc.ivLengthElement, keyTransport: enc.keyTransport, oaepDigest: enc.oaepDigest, mgf: enc.mgf },
        variant.name,
      ).toEqual({
        symmetric: want.symmetric,
        ivLength: alg.mode === 'gcm' ? want.ivLength : alg.blockSize,
        // the library's rule: IvLength written whenever the configured length is not 16, CBC included
        ivLengthElement: alg.mode === 'gcm' ? (want.ivLength === 16 ? undefined : 12) : 12,
        keyTransport: want.keyTransport.algorithm,
        oaepDigest: want.keyTransport.digest,
        mgf: want.keyTransport.mgf,
      });
      const attachment = container.contents.find((c) => c.kind === 'attachment');
      expect(attachment?.kind === 'attachment' && attachment.encryption?.symmetric, variant.name).toBe(want.symmetric);
      const sig = container.signatures[0]!;
      expect(sig.valid, variant.name).toBe(true);
      expect(sig.signatureMethod, variant.name).toBe(want.signatureMethod ?? (variant.ec ? SIG.ecdsaSha256 : SIG.rsaSha256));
      expect(new Set(sig.references.map((r) => r.digestMethod)), variant.name).toEqual(new Set([want.digestMethod]));
      // the sender's RSA key chains to the fixture CA; the EC key of the vectors is self-signed
      expect(sig.trust, variant.name).toBe(variant.ec ? 'unknown-issuer' : 'trusted');
    }
  });

  it('the StoreDelivery request carries the chosen transport layer, ClientSignature and attachment encoding', async () => {
    const pki = fixturePki();
    for (const { variant, request } of sent.values()) {
      const want = resolveSendAlgorithms(variant.names);
      const alg = symmetricAlgorithm(want.symmetric);
      const d = await decodeMessage(bufferSource(request), { keys: [pki.intermediary], scope: new SpoolScope() });
      try {
        expect(d.message.type).toBe('StoreDelivery');
        const t = d.transport!.algorithms;
        expect(
          { symmetric: t.symmetric, ivLength: t.ivLength, keyTransport: t.keyTransport, oaepDigest: t.oaepDigest, mgf: t.mgf, partBase64: t.partBase64 },
          variant.name,
        ).toEqual({
          symmetric: want.symmetric,
          ivLength: alg.mode === 'gcm' ? want.ivLength : alg.blockSize,
          keyTransport: want.keyTransport.algorithm,
          oaepDigest: want.keyTransport.digest,
          mgf: want.keyTransport.mgf,
          partBase64: want.transportBase64,
        });
        expect(d.signature.valid, variant.name).toBe(true);
        expect(d.signature.signatureMethod, variant.name).toBe(want.signatureMethod ?? (variant.ec ? SIG.ecdsaSha256 : SIG.rsaSha256));
        expect(new Set(d.signature.references.map((r) => r.digestMethod)), variant.name).toEqual(new Set([want.digestMethod]));
        expect(
          [...d.message.attachments.values()].map((p) => p.transferEncoding),
          variant.name,
        ).toEqual([want.attachmentEncoding]);
      } finally {
        await d.release();
      }
    }
  });

  it('every message of these exchanges validates against the OSCI schemas', async () => {
    const { findings, types } = await validateExchanges(log, [fixturePki().municipality]);
    expect(invalid(findings)).toEqual([]);
    expect(types).toEqual(
      new Set([
        'GetMessageId',
        'ResponseToGetMessageId',
        'StoreDelivery',
        'ResponseToStoreDelivery',
        'InitDialog',
        'ResponseToInitDialog',
        'FetchDelivery',
        'ResponseToFetchDelivery',
        'ExitDialog',
        'ResponseToExitDialog',
      ]),
    );
    // every variant's wrapper and content were among them
    expect(findings.filter((f) => / request \(MessageEncrypted\)$/.test(f.what)).length).toBeGreaterThanOrEqual(2 * VARIANTS.length);
    expect(findings.filter((f) => / container /.test(f.what)).length).toBeGreaterThanOrEqual(2 * VARIANTS.length);
  });

  it('refuses what the reference cannot send: unknown names, OAEP digests with RSA-1.5, ECDSA with an RSA key', async () => {
    expect(() => resolveSendAlgorithms({ cipher: 'aes512-gcm' })).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
    expect(() => resolveSendAlgorithms({ digest: 'sha1' })).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
    expect(() => resolveSendAlgorithms({ signature: 'rsa-sha1' })).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
    expect(() => resolveSendAlgorithms({ keyTransport: 'rsa-1_5', oaepDigest: 'sha512' })).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
    expect(() => resolveSendAlgorithms({ ivLength: 8 })).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
    const before = log.length;
    await expect(
      sendApplications({
        intermediaryUrl: im.url,
        setup: fixtureSenderSetup(),
        algorithms: resolveSendAlgorithms({ signature: 'ecdsa-sha256' }),
        post: recording(im.url, fixtureSenderSetup().sender, log),
      }),
    ).rejects.toMatchObject({ kind: 'invalid-argument' });
    expect(log.length).toBe(before); // refused before anything went out
    // the names resolve to the URIs of PROTOCOL.md §7.1
    expect(resolveSendAlgorithms({ cipher: '3des', keyTransport: 'rsa-1_5', signature: 'rsa-pss-sha512', digest: 'sha3-384' })).toMatchObject({
      symmetric: SYM.tripledes,
      keyTransport: { algorithm: KEY_TRANSPORT.rsa15 },
      signatureMethod: SIG.pssSha512,
      digestMethod: DIGEST.sha3_384,
    });
    expect(resolveSendAlgorithms({ oaepDigest: 'sha512' }).keyTransport).toEqual({ algorithm: KEY_TRANSPORT.rsaOaep, digest: DIGEST.sha512, mgf: MGF.sha512 });
  });

  it('the command line takes the same options (ECDSA with --signature-p12, 3DES/RSA-1.5, base64 parts) and our fetch decodes them', async () => {
    const cli = path.join(projectRoot, 'dist', 'cli', 'main.js');
    // asynchronously: the intermediary answers from this process
    const exec = promisify(execFile);
    const run = async (args: string[]) =>
      JSON.parse(
        (
          await exec(process.execPath, [cli, 'send', '--intermediary', im.url, '--pki', fixturePkiDir, '--attachments', '1', '--attachment-size', '1000', '--json', ...args], {
            env: { ...process.env, POSTFACH_P12_PASSWORD: VECTOR_PIN },
            encoding: 'utf8',
          })
        ).stdout,
      ) as { ok: boolean; sent: SentApplication[] };
    const ec = await run([
      '--signature',
      'ecdsa-sha512',
      '--signature-p12',
      vectorPath('certs/alice_signature_ec256.p12'),
      '--digest',
      'sha3-512',
      '--cipher',
      'aes128-gcm',
      '--iv-length',
      '16',
    ]);
    const legacy = await run([
      '--cipher',
      '3des',
      '--key-transport',
      'rsa-1_5',
      '--attachment-encoding',
      'base64',
      '--transport-encoding',
      'base64',
      '--signature',
      'rsa-pss-sha256',
    ]);
    const oaep = await run(['--oaep-digest', 'sha512', '--mgf1-digest', 'sha256', '--cipher', 'aes192-cbc']);
    const got = new Map<string, DeliveryWithContent>();
    const client = municipalityClient(im.url);
    const dialog = await ExplicitDialog.open(client);
    for (;;) {
      const fetchedDelivery = await dialog.fetchDelivery();
      if (!fetchedDelivery) break;
      const d = await withContent(fetchedDelivery, client);
      const c = d.content.allContainers[0]!;
      const doc = c.contents.find((x) => x.kind === 'Base64Content');
      expect(doc?.kind === 'Base64Content' && doc.sha256).toBe([ec, legacy, oaep].flatMap((r) => r.sent).find((s) => s.messageId === d.messageId)!.content.sha256);
      got.set(d.messageId!, d);
      expect({
        method: c.signatures[0]!.signatureMethod,
        valid: c.signatures[0]!.valid,
        enc: c.encryption!.symmetric,
        kt: c.encryption!.keyTransport,
        digest: c.encryption!.oaepDigest,
        mgf: c.encryption!.mgf,
      }).toEqual(
        d.messageId === ec.sent[0]!.messageId
          ? { method: SIG.ecdsaSha512, valid: true, enc: SYM.aes128gcm, kt: KEY_TRANSPORT.rsaOaep, digest: DIGEST.sha256, mgf: MGF.sha256 }
          : d.messageId === legacy.sent[0]!.messageId
            ? { method: SIG.pssSha256, valid: true, enc: SYM.tripledes, kt: KEY_TRANSPORT.rsa15, digest: undefined, mgf: undefined }
            : { method: SIG.rsaSha256, valid: true, enc: SYM.aes192cbc, kt: KEY_TRANSPORT.rsaOaep, digest: DIGEST.sha512, mgf: MGF.sha256 },
      );
      dialog.confirmPersisted();
    }
    await dialog.exit();
    await dialog.release();
    expect(got.size).toBe(3);
    // a name that is not offered is refused by the option parser before anything is sent
    const wrong = await exec(process.execPath, [cli, 'send', '--intermediary', im.url, '--pki', fixturePkiDir, '--cipher', 'rc4']).then(
      () => 0,
      (error: { code: number }) => error.code,
    );
    expect(wrong).toBe(2); // wrong usage
  }, 300_000);
});
