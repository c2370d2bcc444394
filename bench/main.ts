/**
 * `npm run bench`: what this machine does, measured against the cost of the cryptography itself.
 *
 *   npm run bench [-- --quick] [--all] [--only fetch,large,store,pki,decode,export] [--json]
 *
 * Sections (default: fetch, large, store; --all adds pki, decode, export):
 *  fetch   500 applications (--quick: 100), each a generated XSozial-basis application (about 330 KB of XML with its
 *          inline application PDF and evidence) and two evidence files of 300 KB as content-encrypted OSCI attachments
 *          (a scanned PDF and a phone photo are typically 200–500 KB), fetched by the engine (core/mailbox runFetch:
 *          one dialog, every delivery decrypted, verified, read and committed to the encrypted store with fsync)
 *          from the local intermediary running in its own process: messages/s and MB/s. Then the raw cryptography
 *          of the same workload in the same run (the RSA private-key operations, RSA signature checks, AES-GCM
 *          decryption and SHA-256 digests that fetch needs for these bytes, done back to back with node:crypto)
 *          and the ratio between the two.
 *  large   one delivery with a 200 MB attachment (--quick: 50 MB): peak RSS of the `postfach fetch` process (engine in
 *          its worker, store) and of bench/roundtrip-large.ts's protocol-only fetch.
 *  store   bench/store.ts: list and search latency with 100,000 stored messages (--quick: 20,000).
 *  pki, decode, export   bench/pki.ts, bench/osci-decode.ts (200 MB attachment; --quick 50), bench/export-large.ts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { constants, createCipheriv, createDecipheriv, createHash, privateDecrypt, publicEncrypt, randomBytes, sign, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFetch } from '../core/mailbox/fetch-engine.js';
import { identityFromFiles } from '../core/mailbox/identity.js';
import { createTestPki, loadTestPki, testPkiFiles } from '../core/pki/test-pki.js';
import { PostfachStore } from '../core/store/index.js';
import { generateApplication } from '../intermediary/generator/index.js';
import { loadSenderSetup, sendApplications } from '../intermediary/index.js';
import { runOsciDecodeBench } from './osci-decode.js';
import { runRoundtripLargeBench } from './roundtrip-large.js';
import { runStoreBench } from './store.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '..', 'cli', 'main.js');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const sections = new Set((onlyArg ?? (args.includes('--all') ? 'fetch,large,store,pki,decode,export' : 'fetch,large,store')).split(','));
const log = (line: string): void => {
  if (!json) process.stderr.write(`${line}\n`);
};
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const MB = 1_000_000;

/** The local intermediary as its own process (the CLI), so its work is not counted as the fetcher's. */
async function startIntermediaryProcess(pkiDir: string, dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [cli, 'intermediary', '--port', '0', '--data', dataDir, '--pki', pkiDir], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/osci/.exec(out);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`intermediary exited with ${code}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const ended = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await ended;
    },
  };
}

// ---- fetch throughput and the cryptography of the same workload ----

interface FetchFigures {
  readonly applications: number;
  readonly attachmentBytes: number;
  readonly xmlBytesAverage: number;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  readonly megabytesPerSecond: number;
  readonly responseBytes: number;
  readonly storedBytes: number;
  readonly crypto: {
    readonly rsaPrivateOps: number;
    readonly rsaPrivateSeconds: number;
    readonly rsaVerifyOps: number;
    readonly rsaVerifySeconds: number;
    readonly aesDecryptBytes: number;
    readonly aesDecryptSeconds: number;
    readonly sha256Bytes: number;
    readonly sha256Seconds: number;
    readonly totalSeconds: number;
  };
  readonly ratio: number;
}

/** AES-256-GCM decryption of `total` bytes in 4 MiB pieces (what fetch does for the transport and content layers). */
function timeAesDecrypt(total: number): number {
  const key = randomBytes(32);
  const piece = randomBytes(4 * 1024 * 1024);
  const iv = randomBytes(12);
  const enc = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([enc.update(piece), enc.final()]);
  const tag = enc.getAuthTag();
  const start = performance.now();
  for (let done = 0; done < total; done += piece.length) {
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAuthTag(tag);
    const n = Math.min(piece.length, total - done);
    d.update(ciphertext.subarray(0, n));
    if (n === piece.length) d.final();
  }
  return (performance.now() - start) / 1000;
}

function timeSha256(total: number): number {
  const piece = randomBytes(4 * 1024 * 1024);
  const start = performance.now();
  for (let done = 0; done < total; done += piece.length) createHash('sha256').update(piece.subarray(0, Math.min(piece.length, total - done))).digest();
  return (performance.now() - start) / 1000;
}

async function fetchSection(work: string): Promise<FetchFigures> {
  const count = quick ? 100 : 500;
  const attachmentBytes = 300_000;
  const pkiDir = path.join(work, 'pki');
  await createTestPki(pkiDir, { force: true });
  const intermediary = await startIntermediaryProcess(pkiDir, path.join(work, 'intermediary'));
  try {
    // five different applications, each sent count/5 times with new message ids and its own evidence files
    const documents = await Promise.all(['hzl', 'grusi', 'but', 'asylblg', 'wbs'].map(async (service, i) => (await generateApplication({ service: service as 'hzl', seed: `bench-${i}` })).bytes()));
    const setup = loadSenderSetup({ pkiDir });
    const sendStart = performance.now();
    for (let i = 0; i < count; i++) {
      await sendApplications({ intermediaryUrl: intermediary.url, setup, content: documents[i % documents.length]!, attachments: 2, attachmentSize: attachmentBytes, seed: `bench-${i}` });
      if ((i + 1) % 50 === 0) log(`  sent ${i + 1}/${count} (${round((performance.now() - sendStart) / 1000)} s)`);
    }
    const f = testPkiFiles(pkiDir);
    const password = readFileSync(f.password, 'utf8').replace(/\r?\n$/, '');
    const identity = identityFromFiles({ keyFile: f.municipality.p12, password, intermediaryUrl: intermediary.url, intermediaryCertificateFile: f.intermediary.cer, trustedCaFiles: [f.ca] });
    const { store } = await PostfachStore.create(path.join(work, 'store', 'postfach.db'), { password: 'Bench-Passwort-2026' });
    log(`  fetching ${count} …`);
    const start = performance.now();
    const result = await runFetch({ store, identity });
    const seconds = (performance.now() - start) / 1000;
    if (result.outcome !== 'complete' || result.newMessages !== count) throw new Error(`fetch ended ${result.outcome} with ${result.newMessages} of ${count}: ${result.error?.detail ?? ''}`);
    let storedBytes = 0;
    for (let offset = 0; offset < count; offset += 1000) {
      for (const item of store.list({ limit: 1000, offset }).items) {
        const record = store.getDelivery(item.id);
        storedBytes += record.content.size + record.attachments.reduce((n, a) => n + a.size, 0);
      }
    }
    store.close();

    // the cryptography this workload needs, done back to back
    const requests = count + 1 + Math.ceil(count / 50) + 2; // FetchDelivery per delivery + the 9803 one, FetchProcessCard batches, Init/Exit
    const pki = loadTestPki(pkiDir);
    const rsaPrivateOps = requests /* transport key of each response */ + count /* content key */ + requests /* ClientSignature */;
    const rsaVerifyOps = requests /* SupplierSignature */ + count /* author signature */ + requests /* request key for the intermediary (public op) */;
    const wrapped = publicEncrypt({ key: pki.municipality.certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, randomBytes(32));
    const data = randomBytes(32);
    let t = performance.now();
    for (let i = 0; i < rsaPrivateOps; i++) {
      if (i % 3 === 2) sign('sha256', data, pki.municipality.privateKey);
      else privateDecrypt({ key: pki.municipality.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, wrapped);
    }
    const rsaPrivateSeconds = (performance.now() - t) / 1000;
    const signature = sign('sha256', data, pki.intermediary.privateKey);
    t = performance.now();
    for (let i = 0; i < rsaVerifyOps; i++) verify('sha256', data, pki.intermediary.certificate.publicKey, signature);
    const rsaVerifySeconds = (performance.now() - t) / 1000;
    // transport layer over every response, content layer over every plaintext byte
    const aesDecryptBytes = result.bytes + storedBytes;
    const aesDecryptSeconds = timeAesDecrypt(aesDecryptBytes);
    // message signature digests (body and attachments of every response) and author signature digests (plaintext)
    const sha256Bytes = result.bytes + storedBytes;
    const sha256Seconds = timeSha256(sha256Bytes);
    const totalSeconds = rsaPrivateSeconds + rsaVerifySeconds + aesDecryptSeconds + sha256Seconds;
    return {
      applications: count,
      attachmentBytes,
      xmlBytesAverage: Math.round(documents.reduce((n, d) => n + d.length, 0) / documents.length),
      seconds: round(seconds, 2),
      messagesPerSecond: round(count / seconds),
      megabytesPerSecond: round(result.bytes / MB / seconds),
      responseBytes: result.bytes,
      storedBytes,
      crypto: {
        rsaPrivateOps,
        rsaPrivateSeconds: round(rsaPrivateSeconds, 2),
        rsaVerifyOps,
        rsaVerifySeconds: round(rsaVerifySeconds, 2),
        aesDecryptBytes,
        aesDecryptSeconds: round(aesDecryptSeconds, 2),
        sha256Bytes,
        sha256Seconds: round(sha256Seconds, 2),
        totalSeconds: round(totalSeconds, 2),
      },
      ratio: round(seconds / totalSeconds),
    };
  } finally {
    await intermediary.stop();
  }
}

// ---- one large delivery: peak memory of the fetching process ----

/** Polls a child's peak RSS (VmHWM, Linux) until it exits. */
function watchPeak(child: ChildProcess): Promise<{ code: number | null; peakKiB: number }> {
  let peak = 0;
  const read = (): void => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch {
      // exited between polls
    }
  };
  const timer = setInterval(read, 50);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ code, peakKiB: peak });
    });
  });
}

interface LargeFigures {
  readonly attachmentMiB: number;
  readonly engine: { readonly seconds: number; readonly peakRssMiB: number; readonly megabytesPerSecond: number };
  readonly protocolOnly: { readonly seconds: number; readonly peakRssMiB: number; readonly baselineMiB: number; readonly verified: boolean };
}

async function largeSection(work: string): Promise<LargeFigures> {
  const attachmentMiB = quick ? 50 : 200;
  const pkiDir = path.join(work, 'pki-large');
  await createTestPki(pkiDir, { force: true });
  const intermediary = await startIntermediaryProcess(pkiDir, path.join(work, 'intermediary-large'));
  let engine: LargeFigures['engine'];
  try {
    log(`  sending one delivery with a ${attachmentMiB} MB attachment …`);
    await sendApplications({ intermediaryUrl: intermediary.url, setup: loadSenderSetup({ pkiDir }), service: 'hzl', seed: 'gross', attachments: 1, attachmentSize: attachmentMiB * 1024 * 1024 });
    const f = testPkiFiles(pkiDir);
    const dbPath = path.join(work, 'store-large', 'postfach.db');
    const { store } = await PostfachStore.create(dbPath, { password: 'Bench-Passwort-2026', scrypt: { N: 1024, r: 8, p: 1 } });
    store.close();
    log('  fetching it with postfach fetch …');
    const start = performance.now();
    const child = spawn(
      process.execPath,
      [cli, 'fetch', '--store', dbPath, '--intermediary', intermediary.url, '--intermediary-cert', f.intermediary.cer, '--p12', f.municipality.p12, '--password-env', 'BENCH_P12', '--json'],
      { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, BENCH_P12: readFileSync(f.password, 'utf8').trim(), POSTFACH_STORE_PASSWORD: 'Bench-Passwort-2026' } },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const { code, peakKiB } = await watchPeak(child);
    const seconds = (performance.now() - start) / 1000;
    const result = JSON.parse(out) as { newMessages: number; bytes: number };
    if (code !== 0 || result.newMessages !== 1) throw new Error(`postfach fetch exited with ${code}: ${out.slice(0, 300)}`);
    engine = { seconds: round(seconds), peakRssMiB: round(peakKiB / 1024), megabytesPerSecond: round(result.bytes / MB / seconds) };
  } finally {
    await intermediary.stop();
  }
  log(`  protocol-only round trip (bench/roundtrip-large.ts) …`);
  const r = await runRoundtripLargeBench({ attachmentMiB });
  return { attachmentMiB, engine, protocolOnly: { seconds: round(r.fetch.seconds), peakRssMiB: r.fetch.maxRssMiB, baselineMiB: r.fetch.baselineMiB, verified: r.verified } };
}

function runScript(script: string, scriptArgs: string[]): string {
  const file = path.join(here, script);
  if (!existsSync(file)) return `(${script} is not built)`;
  const r = spawnSync(process.execPath, [file, ...scriptArgs], { encoding: 'utf8', timeout: 30 * 60_000 });
  return `${r.stdout}${r.status === 0 ? '' : `\n(exit ${r.status}) ${r.stderr.slice(-500)}`}`.trim();
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-'));
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${os.platform()}`;
  const report: Record<string, unknown> = { machine, quick };
  const text: string[] = [`OSCI-Postfach benchmark${quick ? ' (--quick)' : ''} — ${machine}`, ''];
  try {
    if (sections.has('fetch')) {
      log('fetch throughput …');
      const r = await fetchSection(work);
      report.fetch = r;
      text.push(
        `Fetch: ${r.applications} applications (XML ~${round(r.xmlBytesAverage / 1024, 0)} KB with inline documents + 2 OSCI attachments of ${r.attachmentBytes / 1000} KB), one dialog into the encrypted store`,
        `  ${r.seconds} s: ${r.messagesPerSecond} messages/s, ${r.megabytesPerSecond} MB/s (${round(r.responseBytes / MB)} MB received, ${round(r.storedBytes / MB)} MB stored)`,
        `  raw cryptography of the same workload: ${r.crypto.totalSeconds} s`,
        `    RSA-3072 private-key operations (transport and content key, request signatures): ${r.crypto.rsaPrivateOps} in ${r.crypto.rsaPrivateSeconds} s`,
        `    RSA signature checks and public-key operations: ${r.crypto.rsaVerifyOps} in ${r.crypto.rsaVerifySeconds} s`,
        `    AES-256-GCM decryption: ${round(r.crypto.aesDecryptBytes / MB)} MB in ${r.crypto.aesDecryptSeconds} s`,
        `    SHA-256 digests: ${round(r.crypto.sha256Bytes / MB)} MB in ${r.crypto.sha256Seconds} s`,
        `  ratio fetch / cryptography: ${r.ratio}`,
        '',
      );
    }
    if (sections.has('large')) {
      log('large delivery …');
      const r = await largeSection(work);
      report.large = r;
      text.push(
        `One delivery with a ${r.attachmentMiB} MB attachment:`,
        `  postfach fetch (engine in its worker, encrypted store): ${r.engine.seconds} s, ${r.engine.megabytesPerSecond} MB/s, peak RSS ${r.engine.peakRssMiB} MiB`,
        `  protocol only (bench/roundtrip-large.ts): ${r.protocolOnly.seconds} s, peak RSS ${r.protocolOnly.peakRssMiB} MiB (baseline ${r.protocolOnly.baselineMiB} MiB), intact: ${r.protocolOnly.verified ? 'yes' : 'NO'}`,
        `  requirement (fetching process under 300 MB): ${r.engine.peakRssMiB * 1.048576 < 300 && r.protocolOnly.peakRssMiB * 1.048576 < 300 ? 'met' : 'NOT MET'}`,
        '',
      );
    }
    if (sections.has('store')) {
      const count = quick ? 20_000 : 100_000;
      log(`store with ${count} messages …`);
      const r = await runStoreBench({ count, runs: quick ? 10 : 20, dir: path.join(work, 'store-bench'), progress: (line) => log(`  ${line}`) });
      report.store = r;
      text.push(
        `Store: ${r.count.toLocaleString('en')} messages (${r.databaseMiB} MiB), opened in ${r.openSeconds} s, durable save p50 ${r.durableSave.p50Ms} ms`,
        ...r.queries.map((q) => `  ${q.name.padEnd(58)} p50 ${String(q.p50Ms).padStart(7)} ms  p95 ${String(q.p95Ms).padStart(7)} ms${q.hits === undefined ? '' : `  (${q.hits} hits)`}`),
        '',
      );
    }
    if (sections.has('pki')) {
      log('pki …');
      const out = runScript('pki.js', []);
      report.pki = out;
      text.push('PKI (bench/pki.ts):', out, '');
    }
    if (sections.has('decode')) {
      log('osci decode …');
      const r = await runOsciDecodeBench({ attachmentMiB: quick ? 50 : 200 });
      report.decode = r;
      text.push(`OSCI decode (bench/osci-decode.ts): ${round(r.messageBytes / 1048576)} MiB message decoded in ${round(r.decodeSeconds)} s, peak RSS ${r.peakRssMiB} MiB (baseline ${r.baselineRssMiB} MiB)`, '');
    }
    if (sections.has('export')) {
      log('export …');
      const out = runScript('export-large.js', ['--mb', quick ? '10' : '50']);
      report.export = out;
      text.push('Export (bench/export-large.ts):', out, '');
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${text.join('\n')}\n`);
}

await main();
