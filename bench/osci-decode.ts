/**
 * OSCI decode benchmark: peak RSS and time of the fetching side for one large ResponseToFetchDelivery, decoded
 * end to end in a fresh child process (transport decryption, MIME split, SupplierSignature over every part,
 * content decryption, author signature, attachment decryption and SHA-256) from a file as it would arrive.
 *
 *   npx tsx bench/osci-decode.ts [--attachment-mb 200] [--base64-mb 0] [--http] [--json] [--keep DIR]
 *
 *   --attachment-mb N  one OSCI attachment (Content href="cid:…") of N MB, content-encrypted (default 200)
 *   --base64-mb N      a Base64Content of N MB inline in the encrypted container (the Sozialplattform's way of
 *                      carrying evidence documents), 0 = a small XML document only (default 0)
 *   --http             the decoding process receives the message as an HTTP response body over loopback and
 *                      spools it as the fetch dialog does (instead of reading the file)
 *
 * The message is generated first (signed by the reference vectors' intermediary key, content signed by alice,
 * encrypted for bob; keys from ../shared/osci/vectors/certs), written to a temporary file (ciphertext only), then
 * decoded by a child process that reports its own peak RSS (process.resourceUsage().maxRSS). A second child that
 * only loads the modules and keys gives the baseline. runOsciDecodeBench() is exported for `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { peakRssKiB } from './peak-rss.js';
import { bufferSource, fileSource, transformedSource, writeSourceToFile, type ByteSource } from '../core/io/byte-source.js';
import { buildContainer, contentPackageXml, encryptContainer } from '../core/osci/content/build.js';
import { decodeContent } from '../core/osci/content/decode.js';
import { decodeMessage } from '../core/osci/decode.js';
import { buildResponse, newChallenge } from '../core/osci/messages/build.js';
import { certificateElementId } from '../core/osci/messages/certificates.js';
import { feedbackEntry } from '../core/osci/messages/feedback-codes.js';
import { encryptTransport } from '../core/osci/transport-encryption.js';
import { loadPkcs12, type KeyEntry } from '../core/pki/pkcs12.js';
import { SpoolScope } from '../core/io/sink.js';
import { httpPost } from '../intermediary/sender/http-post.js';
import http from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

const here = path.dirname(fileURLToPath(import.meta.url));
function vectorsDir(): string {
  // works from bench/ (tsx) and from dist/bench/ (built)
  for (const up of ['..', path.join('..', '..')]) {
    const dir = path.resolve(here, up, '..', 'shared', 'osci', 'vectors', 'certs');
    try {
      readFileSync(path.join(dir, 'bob_cipher_4096.p12'));
      return dir;
    } catch {
      // try the next
    }
  }
  throw new Error('reference vector keys not found (../shared/osci/vectors/certs beside the project root)');
}

function key(name: string): KeyEntry {
  const k = loadPkcs12(readFileSync(path.join(vectorsDir(), `${name}.p12`)), '123456').keys[0];
  if (!k) throw new Error(`no key in ${name}.p12`);
  return k;
}

/** Deterministic pseudo-random bytes generated on demand (never held whole). */
function generated(size: number, seed: string): ByteSource {
  return transformedSource(size, async function* () {
    let counter = 0;
    for (let off = 0; off < size; off += 1024 * 1024) {
      const n = Math.min(1024 * 1024, size - off);
      const block = Buffer.allocUnsafe(n);
      const h = createHash('sha256').update(`${seed}:${counter++}`).digest();
      for (let i = 0; i < n; i += 32) {
        h.copy(block, i, 0, Math.min(32, n - i));
        h[0] = (h[0]! + 1) & 0xff;
      }
      yield block;
    }
  });
}

async function sha256Of(src: ByteSource): Promise<string> {
  const h = createHash('sha256');
  for await (const c of src.stream()) h.update(c);
  return h.digest('hex');
}

export interface OsciDecodeBenchResult {
  readonly attachmentBytes: number;
  readonly base64ContentBytes: number;
  readonly messageBytes: number;
  readonly generateSeconds: number;
  readonly decodeSeconds: number;
  readonly peakRssMiB: number;
  readonly baselineRssMiB: number;
  readonly verified: boolean;
  /** Message signature check of the reference vector sd01 (9 references incl. one attachment), ms per message. */
  readonly signatureVerifyMs: number;
}

/** Time of the manual reference loop on sd01's ClientSignature (LIBRARIES.md: ~1.2 ms on an idle machine). */
async function signatureTiming(): Promise<number> {
  const { readMultipart } = await import('../core/osci/mime/reader.js');
  const { parseRootPart } = await import('../core/osci/transport-encryption.js');
  const { parseMessage } = await import('../core/osci/messages/parse.js');
  const { verifyMessageSignature } = await import('../core/osci/signature/message-signature.js');
  const file = path.join(vectorsDir(), '..', 'storedelivery', 'sd01-gcm12-oaep-binary.request.inner.mime');
  const entity = await readMultipart(bufferSource(readFileSync(file)));
  const message = parseMessage(entity, await parseRootPart(entity, 'sd01'));
  for (let i = 0; i < 30; i++) await verifyMessageSignature(message);
  const runs = 200;
  const t = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) {
    const r = await verifyMessageSignature(message);
    if (!r.valid) throw new Error('sd01 signature does not verify');
  }
  return Number(process.hrtime.bigint() - t) / 1e6 / runs;
}

async function generate(file: string, attachmentBytes: number, base64Bytes: number): Promise<{ attachmentSha256: string; documentSha256: string }> {
  const alice = key('alice_signature_4096');
  const bob = key('bob_cipher_4096');
  const imSig = key('osci_manager_signature_4096');
  const aliceCipher = key('alice_cipher_4096');
  const authorId = certificateElementId('SignatureCertificateOriginator', alice.certificate);
  const readerId = certificateElementId('CipherCertificateAddressee', bob.certificate);
  const attachment = generated(attachmentBytes, 'anlage');
  const blob = base64Bytes > 0 ? (await readAllSmall(generated(base64Bytes, 'dokument'))).toString('base64') : '';
  const document = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<antrag><person>Erfundene Testperson</person><dokument>${blob}</dokument></antrag>\n`);
  const container = await buildContainer({
    id: 'contentcontainer0',
    contents: [
      { kind: 'base64', id: 'content0', data: document },
      ...(attachmentBytes > 0 ? [{ kind: 'attachment' as const, id: 'content1', contentId: 'scan.pdf', data: attachment }] : []),
    ],
    signer: { privateKey: alice.privateKey, certificate: alice.certificate, certificateId: authorId },
  });
  const encrypted = await encryptContainer(container, [{ certificate: bob.certificate, certificateId: readerId }], { id: 'encdata_0' });
  const built = await buildResponse({
    type: 'ResponseToFetchDelivery',
    controlBlock: { conversationId: '1', sequenceNumber: 0, response: newChallenge(), challenge: newChallenge() },
    feedback: [feedbackEntry('0801')],
    processCards: [{ messageId: 'bench-1', creation: '2026-11-29T10:00:00Z', forwarding: '2026-11-29T10:00:01Z', subject: 'Benchmark' }],
    contentPackageXml: contentPackageXml([encrypted]),
    attachments: container.attachments,
    nonIntermediaryCertificates: [
      { role: 'CipherCertificateOriginator', certificate: aliceCipher.certificate },
      { role: 'CipherCertificateAddressee', certificate: bob.certificate },
      { role: 'SignatureCertificateOriginator', certificate: alice.certificate },
    ],
    intermediaryCertificates: [{ role: 'SignatureCertificateIntermediary', certificate: imSig.certificate }],
    signer: { privateKey: imSig.privateKey, certificate: imSig.certificate },
  });
  await writeSourceToFile(encryptTransport(built.mime, bob.certificate), file);
  return { attachmentSha256: attachmentBytes > 0 ? await sha256Of(attachment) : '', documentSha256: createHash('sha256').update(document).digest('hex') };
}

async function readAllSmall(src: ByteSource): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of src.stream()) parts.push(c);
  return Buffer.concat(parts);
}

/**
 * Child process: receive the message (from the file, or as an HTTP response body from `url`, spooled as the
 * fetch dialog does), decode and verify it, and print one JSON line.
 */
async function child(file: string | undefined, expected: { attachmentSha256: string; documentSha256: string }, url?: string): Promise<void> {
  const bob = key('bob_cipher_4096');
  const imSig = key('osci_manager_signature_4096');
  let verified = true;
  const start = process.hrtime.bigint();
  if (file) {
    const scope = new SpoolScope();
    const body = url ? await scope.receive(await httpPost(url)(bufferSource(Buffer.from('request')))) : await fileSource(file);
    const d = await decodeMessage(body, { keys: [bob], anchors: { pinned: [imSig.certificate] }, requireEncryption: true, scope });
    verified &&= d.signature.valid && d.signature.trust === 'pinned';
    const content = await decodeContent(d.message, { keys: [bob], scope: d.scope });
    verified &&= content.firstError === undefined;
    const c = content.allContainers[0]!;
    verified &&= c.signatures[0]?.valid === true;
    for (const item of c.contents) {
      if (item.kind === 'attachment') verified &&= (await sha256Of(item.data)) === expected.attachmentSha256;
      if (item.kind === 'Base64Content') verified &&= (await sha256Of(item.data)) === expected.documentSha256;
    }
    await d.release();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(`${JSON.stringify({ seconds, maxRssKiB: peakRssKiB(), verified })}\n`);
}

function runChild(args: string[]): Promise<{ seconds: number; maxRssKiB: number; verified: boolean }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; maxRssKiB: number; verified: boolean })
        : reject(new Error(`decode child exited with ${code}`)),
    );
  });
}

export async function runOsciDecodeBench(options: { attachmentMiB?: number; base64MiB?: number; keep?: string; viaHttp?: boolean } = {}): Promise<OsciDecodeBenchResult> {
  const attachmentBytes = Math.round((options.attachmentMiB ?? 200) * 1024 * 1024);
  const base64ContentBytes = Math.round((options.base64MiB ?? 0) * 1024 * 1024);
  const dir = options.keep ?? mkdtempSync(path.join(os.tmpdir(), 'osci-bench-'));
  const file = path.join(dir, 'response.http-body');
  try {
    const t0 = process.hrtime.bigint();
    const expected = await generate(file, attachmentBytes, base64ContentBytes);
    const generateSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const exp = JSON.stringify(expected);
    const baseline = await runChild(['--child', '', exp]);
    let run: Awaited<ReturnType<typeof runChild>>;
    if (options.viaHttp) {
      // the response travels over loopback HTTP and is spooled by the receiving process, as in a fetch
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': String(statSync(file).size) });
          createReadStream(file).pipe(res);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        run = await runChild(['--child', file, exp, `http://127.0.0.1:${(server.address() as AddressInfo).port}/osci`]);
      } finally {
        server.close();
      }
    } else {
      run = await runChild(['--child', file, exp]);
    }
    return {
      attachmentBytes,
      base64ContentBytes,
      messageBytes: (await fileSource(file)).size,
      generateSeconds,
      decodeSeconds: run.seconds,
      peakRssMiB: Math.round(run.maxRssKiB / 1024),
      baselineRssMiB: Math.round(baseline.maxRssKiB / 1024),
      verified: run.verified,
      signatureVerifyMs: Math.round((await signatureTiming()) * 100) / 100,
    };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await child(args[1] || undefined, JSON.parse(args[2]!) as { attachmentSha256: string; documentSha256: string }, args[3]);
  } else {
    const value = (name: string) => {
      const i = args.indexOf(name);
      return i >= 0 ? args[i + 1] : undefined;
    };
    const result = await runOsciDecodeBench({
      attachmentMiB: Number(value('--attachment-mb') ?? 200),
      base64MiB: Number(value('--base64-mb') ?? 0),
      ...(value('--keep') ? { keep: value('--keep')! } : {}),
      viaHttp: args.includes('--http'),
    });
    if (args.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      process.stdout.write(
        `OSCI decode: message ${(result.messageBytes / 1048576).toFixed(1)} MiB (attachment ${(result.attachmentBytes / 1048576).toFixed(0)} MiB, ` +
          `Base64Content ${(result.base64ContentBytes / 1048576).toFixed(0)} MiB)\n` +
          `  generated in ${result.generateSeconds.toFixed(1)} s; decoded and verified in ${result.decodeSeconds.toFixed(1)} s (${result.verified ? 'all checks passed' : 'CHECKS FAILED'})\n` +
          `  peak RSS of the decoding process: ${result.peakRssMiB} MiB (baseline with modules and keys loaded: ${result.baselineRssMiB} MiB)\n` +
          `  message signature check (sd01, 9 references): ${result.signatureVerifyMs} ms\n`,
      );
    }
    if (!result.verified) process.exitCode = 1;
  }
}
