/**
 * Shared pieces of the intermediary tests: the fixture test PKI (loaded once per test file), an in-process
 * intermediary on 127.0.0.1 with a temporary data folder, client options for core/osci's dialog, and raw
 * request/response exchanges for crafted (broken) requests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { X509Certificate } from 'node:crypto';
import { bufferSource, readAll, type ByteSource } from '../../core/io/byte-source.js';
import { SpoolScope } from '../../core/io/sink.js';
import { httpTransport } from '../../core/mailbox/transport.js';
import { httpPost } from '../../intermediary/sender/http-post.js';
import type { TestClientOptions } from '../helpers/dialog-loop.js';
import { decodeMessage, type DecodedMessage } from '../../core/osci/decode.js';
import { buildRequest, type RequestSpec } from '../../core/osci/messages/build.js';
import { encryptTransport } from '../../core/osci/transport-encryption.js';
import { loadTestPki, type TestPki } from '../../core/pki/test-pki.js';
import type { KeyEntry } from '../../core/pki/pkcs12.js';
import { loadIntermediaryKeys } from '../../intermediary/keys.js';
import { startIntermediary, type IntermediaryOptions, type RunningIntermediary } from '../../intermediary/server.js';
import { loadSenderSetup, type SenderSetup } from '../../intermediary/sender/send.js';
import type { IntermediaryKeys } from '../../intermediary/supplier.js';
import { projectRoot } from '../helpers/shared.js';

export const fixturePkiDir = path.join(projectRoot, 'tests', 'fixtures', 'intermediary-pki');

let pki: TestPki | undefined;
let imKeys: IntermediaryKeys | undefined;
let senderSetup: SenderSetup | undefined;

/** The fixture test PKI (keys of intermediary, sender, municipality; the CA). */
export function fixturePki(): TestPki {
  pki ??= loadTestPki(fixturePkiDir);
  return pki;
}

export function fixtureIntermediaryKeys(): IntermediaryKeys {
  imKeys ??= loadIntermediaryKeys({ pkiDir: fixturePkiDir });
  return imKeys;
}

export function fixtureSenderSetup(): SenderSetup {
  senderSetup ??= loadSenderSetup({ pkiDir: fixturePkiDir });
  return senderSetup;
}

export interface TestIntermediary extends RunningIntermediary {
  readonly dataDir: string;
  /** Stops and removes the data folder. */
  dispose(): Promise<void>;
}

export async function startTestIntermediary(options: IntermediaryOptions = {}, dataDir?: string, keys?: IntermediaryKeys): Promise<TestIntermediary> {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'postfach-im-'));
  const running = await startIntermediary({ port: 0, dataDir: dir, keys: keys ?? fixtureIntermediaryKeys(), options });
  return {
    ...running,
    dataDir: dir,
    async dispose() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Options for core/osci's ExplicitDialog / fetchAll as the municipality of `p` (default: the fixture PKI). */
export function municipalityClient(url: string, over: Partial<TestClientOptions> = {}, p: TestPki = fixturePki()): TestClientOptions {
  return {
    post: httpTransport({ url, proxy: { mode: 'direct' } }),
    cipherKey: p.municipality,
    signatureKey: p.municipality,
    intermediaryCertificate: p.intermediary.certificate,
    intermediarySigner: { pinned: [p.intermediary.certificate] },
    authorAnchors: { cas: [p.ca] },
    ...over,
  };
}

/** Posts a body and returns the raw answer (the sender's plain post: any body, any status, no retries). */
export async function post(url: string, body: ByteSource | Buffer): Promise<Buffer> {
  const stream = await httpPost(url)(Buffer.isBuffer(body) ? bufferSource(body) : body);
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** Decodes an answer with the given key (a SOAP fault decodes without one). */
export async function decodeAnswer(answer: Buffer, key: KeyEntry): Promise<DecodedMessage> {
  return decodeMessage(bufferSource(answer), { keys: [key], anchors: { pinned: [fixturePki().intermediary.certificate] }, scope: new SpoolScope() });
}

/** Builds a request, optionally changes its inner bytes, encrypts it for `recipient` (default: the intermediary). */
export async function craftRequest(spec: RequestSpec, options: { recipient?: X509Certificate; changeInner?: (inner: string) => string } = {}): Promise<Buffer> {
  const built = await buildRequest(spec);
  let inner: ByteSource = built.mime;
  if (options.changeInner) {
    const text = (await readAll(built.mime, 64 * 1024 * 1024)).toString('utf8');
    inner = bufferSource(Buffer.from(options.changeInner(text), 'utf8'));
  }
  return readAll(encryptTransport(inner, options.recipient ?? fixturePki().intermediary.certificate), 256 * 1024 * 1024);
}

/** The municipality as signer and certificate holder of crafted requests. */
export function municipalitySigner() {
  const m = fixturePki().municipality;
  return { privateKey: m.privateKey, certificate: m.certificate };
}

export function municipalityCertificates(withCipher: boolean): RequestSpec['nonIntermediaryCertificates'] {
  const m = fixturePki().municipality;
  return [
    ...(withCipher ? [{ role: 'CipherCertificateOriginator' as const, certificate: m.certificate }] : []),
    { role: 'SignatureCertificateOriginator' as const, certificate: m.certificate },
  ];
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}
