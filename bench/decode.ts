/**
 * Warm decode of one delivery beside the raw cryptography it needs, both in the same process and interleaved run
 * by run (the machine may be shared: what slows one slows the other alike):
 *
 *  - the realistic delivery of issue 14 (bench/delivery-sample.ts: about 950 KB, a 290 KB XSozial-basis
 *    application with inline documents and two 200 KB encrypted attachments, RSA-3072, AES-256-GCM);
 *  - the reference vector exchange/06 (40 KB, RSA-4096, two encrypted containers).
 *
 * A decode is what a fetch does with a response before it stores it: transport decryption, the SupplierSignature
 * (every reference, coverage, pinned signer), content decryption, attachments, the author signature, and every
 * content read once and SHA-256'd. The raw cryptography is the same work done back to back with node:crypto on
 * byte arrays of the same sizes: one RSA-OAEP decryption per key transported for us, one signature check per
 * signature, AES-256-GCM over every ciphertext byte, SHA-256 over the inner message and every content once.
 *
 *   node dist/bench/decode.js [--runs N] [--json]
 *   node --cpu-prof --cpu-prof-dir=DIR dist/bench/decode.js --profile-child SAMPLE_DIR   (what --profile runs)
 */
import { constants, createCipheriv, createDecipheriv, createHash, privateDecrypt, publicEncrypt, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bufferSource } from '../core/io/byte-source.js';
import { SpoolScope } from '../core/io/sink.js';
import { decodeContent, type ContentResult } from '../core/osci/content/decode.js';
import { decodeMessage, type DecodedMessage } from '../core/osci/decode.js';
import { loadCertificate, loadPkcs12, type KeyEntry } from '../core/pki/pkcs12.js';
import { loadTestPki } from '../core/pki/test-pki.js';
import { deliverySample } from './delivery-sample.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Project root, from bench/ (tsx) and from dist/bench/ (built). */
export const projectRoot = path.basename(path.dirname(here)) === 'dist' ? path.resolve(here, '..', '..') : path.resolve(here, '..');
export const vectorsDir = path.resolve(projectRoot, '..', 'shared', 'osci', 'vectors');

export interface DecodeCase {
  readonly name: string;
  readonly body: Buffer;
  readonly key: KeyEntry;
  readonly signer: import('node:crypto').X509Certificate;
}

export interface CryptoWork {
  readonly rsaDecryptions: number;
  readonly signatureChecks: number;
  readonly aesBytes: number;
  readonly sha256Bytes: number;
}

export interface DecodeFigure {
  readonly name: string;
  readonly bytes: number;
  readonly runs: number;
  readonly decodeMs: { readonly min: number; readonly median: number };
  readonly cryptoMs: { readonly min: number; readonly median: number };
  /**
   * CPU time (process.cpuUsage: user + system, every thread of the process) of one run, median: on a shared
   * machine the wall figures grow with the load, these much less.
   */
  readonly decodeCpuMs: number;
  readonly cryptoCpuMs: number;
  /** median decode / median raw cryptography */
  readonly ratio: number;
  readonly work: CryptoWork;
  readonly keyBits: number;
}

/** One decode as a fetch does it; throws unless every check passed. */
export async function decodeOnce(c: DecodeCase): Promise<{ decoded: DecodedMessage; content: ContentResult }> {
  const scope = new SpoolScope();
  const decoded = await decodeMessage(bufferSource(c.body), { keys: [c.key], anchors: { pinned: [c.signer] }, requireEncryption: true, scope });
  try {
    if (!decoded.signature.valid || decoded.signature.trust !== 'pinned') throw new Error(`${c.name}: SupplierSignature not valid and pinned`);
    const content = await decodeContent(decoded.message, { keys: [c.key], scope });
    if (content.firstError) throw content.firstError;
    for (const container of content.allContainers) {
      if (!container.signatures.every((s) => s.valid)) throw new Error(`${c.name}: author signature not valid`);
      // decodeContent has read every content and taken its SHA-256 (the manifest the store keeps)
      for (const item of container.contents) if ('data' in item && !/^[0-9a-f]{64}$/.test(item.sha256)) throw new Error(`${c.name}: content without SHA-256`);
    }
    return { decoded, content };
  } finally {
    await decoded.release();
  }
}

/** What the cryptography of one decode is, counted from a decoded delivery. */
function workOf(decoded: DecodedMessage, content: ContentResult): CryptoWork {
  let rsa = decoded.transport ? 1 : 0;
  let checks = decoded.signature.present ? 1 : 0;
  let aes = decoded.transport ? decoded.inner.size : 0;
  let sha = decoded.inner.size;
  for (const container of content.allContainers) {
    if (container.origin === 'encrypted' && container.plaintext) {
      rsa++;
      aes += container.plaintext.size;
    }
    checks += container.signatures.length;
    for (const item of container.contents) {
      if (item.kind === 'attachment' && item.encrypted) aes += item.length;
      if ('length' in item) sha += item.length;
    }
  }
  return { rsaDecryptions: rsa, signatureChecks: checks, aesBytes: aes, sha256Bytes: sha };
}

/** The raw cryptography of `work`, back to back (RSA-OAEP-SHA256 with `key`, RSA-SHA256 checks, AES-256-GCM, SHA-256). */
function cryptoOnce(
  work: CryptoWork,
  key: KeyEntry,
  wrapped: Buffer,
  signed: { data: Buffer; signature: Buffer; publicKey: KeyObject },
  aes: { key: Buffer; iv: Buffer; ciphertext: Buffer; tag: Buffer },
  plain: Buffer,
): void {
  for (let i = 0; i < work.rsaDecryptions; i++) privateDecrypt({ key: key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, wrapped);
  for (let i = 0; i < work.signatureChecks; i++) verify('sha256', signed.data, signed.publicKey, signed.signature);
  const d = createDecipheriv('aes-256-gcm', aes.key, aes.iv);
  d.setAuthTag(aes.tag);
  d.update(aes.ciphertext.subarray(0, work.aesBytes));
  if (work.aesBytes === aes.ciphertext.length) d.final();
  createHash('sha256').update(plain.subarray(0, work.sha256Bytes)).digest();
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;
const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d;

export async function measureCase(c: DecodeCase, runs: number): Promise<DecodeFigure> {
  const first = await decodeOnce(c);
  const work = workOf(first.decoded, first.content);
  const wrapped = publicEncrypt({ key: c.key.certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, randomBytes(32));
  const data = randomBytes(32);
  const signed = { data, signature: sign('sha256', data, c.key.privateKey), publicKey: c.key.certificate.publicKey };
  const aesKey = randomBytes(32);
  const iv = randomBytes(12);
  const enc = createCipheriv('aes-256-gcm', aesKey, iv);
  const ciphertext = Buffer.concat([enc.update(randomBytes(work.aesBytes)), enc.final()]);
  const aes = { key: aesKey, iv, ciphertext, tag: enc.getAuthTag() };
  const plain = randomBytes(work.sha256Bytes);
  for (let i = 0; i < 10; i++) {
    await decodeOnce(c);
    cryptoOnce(work, c.key, wrapped, signed, aes, plain);
  }
  const decodeTimes: number[] = [];
  const cryptoTimes: number[] = [];
  const decodeCpu: number[] = [];
  const cryptoCpu: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    let cpu = process.cpuUsage();
    await decodeOnce(c);
    decodeTimes.push(performance.now() - t);
    decodeCpu.push(cpuMs(cpu));
    t = performance.now();
    cpu = process.cpuUsage();
    cryptoOnce(work, c.key, wrapped, signed, aes, plain);
    cryptoTimes.push(performance.now() - t);
    cryptoCpu.push(cpuMs(cpu));
  }
  const decodeMs = { min: round(Math.min(...decodeTimes)), median: round(median(decodeTimes)) };
  const cryptoMs = { min: round(Math.min(...cryptoTimes)), median: round(median(cryptoTimes)) };
  const keyBits = c.key.certificate.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  return {
    name: c.name,
    bytes: c.body.length,
    runs,
    decodeMs,
    cryptoMs,
    decodeCpuMs: round(median(decodeCpu)),
    cryptoCpuMs: round(median(cryptoCpu)),
    ratio: round(decodeMs.median / cryptoMs.median, 2),
    work,
    keyBits,
  };
}

/** The two cases: the realistic delivery (made in `sampleDir` once) and exchange/06. */
export async function decodeCases(sampleDir: string): Promise<DecodeCase[]> {
  const sample = await deliverySample(sampleDir);
  const pki = loadTestPki(sample.pkiDir);
  const bob = loadPkcs12(readFileSync(path.join(vectorsDir, 'certs', 'bob_cipher_4096.p12')), '123456').keys[0]!;
  return [
    { name: 'realistic delivery', body: readFileSync(sample.responseFile), key: pki.municipality, signer: pki.intermediary.certificate },
    {
      name: 'exchange/06',
      body: readFileSync(path.join(vectorsDir, 'exchange', '06-FetchDelivery.response.http-body')),
      key: bob,
      signer: loadCertificate(readFileSync(path.join(vectorsDir, 'certs', 'osci_manager_signature_4096.cer'))),
    },
  ];
}

export async function runDecodeBench(options: { runs?: number; sampleDir?: string } = {}): Promise<DecodeFigure[]> {
  const dir = options.sampleDir ?? mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-decode-'));
  try {
    const figures: DecodeFigure[] = [];
    for (const c of await decodeCases(dir)) figures.push(await measureCase(c, options.runs ?? 60));
    return figures;
  } finally {
    if (!options.sampleDir) rmSync(dir, { recursive: true, force: true });
  }
}

export function formatDecodeFigure(f: DecodeFigure): string[] {
  const w = f.work;
  return [
    `  ${f.name} (${round(f.bytes / 1024, 0)} KB, RSA-${f.keyBits}): decode min ${f.decodeMs.min} ms, median ${f.decodeMs.median} ms; raw cryptography min ${f.cryptoMs.min} ms, median ${f.cryptoMs.median} ms; ratio ${f.ratio}`,
    `    CPU per run (median, process.cpuUsage): decode ${f.decodeCpuMs} ms, raw cryptography ${f.cryptoCpuMs} ms; ratio ${round(f.decodeCpuMs / f.cryptoCpuMs, 2)}`,
    `    raw cryptography = ${w.rsaDecryptions} RSA-OAEP decryptions, ${w.signatureChecks} signature checks, AES-256-GCM over ${round(w.aesBytes / 1024, 0)} KB, SHA-256 over ${round(w.sha256Bytes / 1024, 0)} KB`,
  ];
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  if (args[0] === '--profile-child') {
    // the process --profile starts under node --cpu-prof: many decodes of each case, nothing else
    const runs = Number(args[2] ?? 200);
    for (const c of await decodeCases(args[1]!)) for (let i = 0; i < runs; i++) await decodeOnce(c);
  } else {
    const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 60;
    const figures = await runDecodeBench({ runs });
    process.stdout.write(args.includes('--json') ? `${JSON.stringify(figures, null, 2)}\n` : `${['Warm decode:', ...figures.flatMap(formatDecodeFigure)].join('\n')}\n`);
  }
}
