/**
 * Fetch throughput against the cryptography of the same workload. The mailbox: N generated XSozial-basis
 * applications (five different ones, about 290 KB of XML with inline documents) each with two evidence files as
 * content-encrypted OSCI attachments, stored at the local intermediary. It is made once and kept in the temporary
 * folder (postfach-bench-fetch-*; made again when the intermediary's or core/osci's built code changes), and every
 * run fetches a fresh copy of it: the intermediary in its own process, the fetch in another (core/mailbox runFetch:
 * one dialog, every delivery decrypted, verified, read and committed to the encrypted store with fsync before the
 * next request). Reported: deliveries/s, MB/s, the CPU time of both processes per delivery, and the raw
 * cryptography (RSA private-key operations, signature checks, AES-GCM, SHA-256) the fetch needs for these bytes,
 * done back to back with node:crypto in the same run, and the ratio.
 *
 *   node dist/bench/fetch.js [--count 100] [--attachment-kb 300] [--profile DIR] [--pg] [--rtt MS] [--json]
 *
 * --pg: the same fetch committed to PostgreSQL (core/store-pg, a throw-away cluster with fsync on) instead of SQLite.
 * --rtt: every request waits MS milliseconds before it is sent — the network round trip to a real intermediary,
 *   which is not on the same machine (the local one answers within the machine).
 */
import { spawn } from 'node:child_process';
import { constants, createCipheriv, createDecipheriv, createHash, privateDecrypt, publicEncrypt, randomBytes, sign, verify } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFetch, transportFor } from '../core/mailbox/fetch-engine.js';
import { identityFromFiles, type MailboxIdentity } from '../core/mailbox/identity.js';
import { createTestPki, loadTestPki, testPkiFiles } from '../core/pki/test-pki.js';
import { PostfachStore } from '../core/store/index.js';
import { PgMailboxStore, startLocalCluster, type LocalCluster } from '../core/store-pg/index.js';
import { generateApplication } from '../intermediary/generator/index.js';
import { loadSenderSetup, sendApplications } from '../intermediary/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);
const cli = path.resolve(here, '..', 'cli', 'main.js');
const STORE_PASSWORD = 'Bench-Passwort-2026';
const MB = 1_000_000;
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

export interface FetchFigures {
  /** Where the deliveries were committed: the encrypted SQLite store, or PostgreSQL (sealed, durable commits). */
  readonly backend?: 'sqlite' | 'postgresql';
  /** Simulated network round trip (ms) before every request, if any. */
  readonly rttMs?: number;
  readonly applications: number;
  readonly attachmentBytes: number;
  readonly xmlBytesAverage: number;
  readonly mailboxMadeSeconds: number;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  readonly megabytesPerSecond: number;
  readonly responseBytes: number;
  readonly storedBytes: number;
  /** CPU time per delivery (user + system): the fetching process and the intermediary's. */
  readonly cpuMsPerDelivery: { readonly fetch: number; readonly intermediary: number | undefined };
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
  readonly profiles: readonly string[];
}

/** CPU time (ms) a process has used so far (Linux /proc); undefined elsewhere. */
function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** The local intermediary as its own process (the CLI); `nodeArgs` e.g. --cpu-prof. */
export async function startIntermediaryProcess(pkiDir: string, dataDir: string, nodeArgs: readonly string[] = []): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...nodeArgs, cli, 'intermediary', '--port', '0', '--data', dataDir, '--pki', pkiDir], { stdio: ['ignore', 'pipe', 'ignore'] });
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
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const ended = new Promise((r) => child.once('exit', r));
      // SIGINT lets node write its --cpu-prof file
      child.kill('SIGINT');
      await ended;
    },
  };
}

/** Hash of the built files that decide what the cached mailbox holds. */
function producerHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.js')) h.update(entry.name).update(readFileSync(p));
    }
  };
  for (const dir of ['intermediary', path.join('core', 'osci'), path.join('core', 'pki')]) walk(path.resolve(here, '..', dir));
  h.update(readFileSync(self));
  return h.digest('hex').slice(0, 12);
}

/**
 * The mailbox of `count` deliveries (test PKI + intermediary data), made once per producer code and kept in the
 * temporary folder. Returns its folder and how long making it took now (0 when reused).
 */
export async function cachedMailbox(
  count: number,
  attachmentBytes: number,
  log: (line: string) => void = () => undefined,
): Promise<{ dir: string; seconds: number; xmlBytesAverage: number }> {
  const dir = path.join(os.tmpdir(), `postfach-bench-fetch-${count}x${attachmentBytes}-${producerHash()}`);
  const documents = await Promise.all(
    ['hzl', 'grusi', 'but', 'asylblg', 'wbs'].map(async (service, i) => (await generateApplication({ service: service as 'hzl', seed: `bench-${i}` })).bytes()),
  );
  const xmlBytesAverage = Math.round(documents.reduce((n, d) => n + d.length, 0) / documents.length);
  if (existsSync(path.join(dir, 'complete'))) return { dir, seconds: 0, xmlBytesAverage };
  const building = `${dir}.${process.pid}.tmp`;
  rmSync(building, { recursive: true, force: true });
  const started = performance.now();
  log(`  making the mailbox of ${count} deliveries once (kept in ${dir}) …`);
  const pkiDir = path.join(building, 'pki');
  await createTestPki(pkiDir, { force: true });
  const intermediary = await startIntermediaryProcess(pkiDir, path.join(building, 'intermediary'));
  try {
    const setup = loadSenderSetup({ pkiDir });
    let next = 0;
    // three senders side by side: the intermediary answers them concurrently
    await Promise.all(
      [0, 1, 2].map(async () => {
        for (let i = next++; i < count; i = next++) {
          await sendApplications({
            intermediaryUrl: intermediary.url,
            setup,
            content: documents[i % documents.length]!,
            attachments: 2,
            attachmentSize: attachmentBytes,
            seed: `bench-${i}`,
          });
          if ((i + 1) % 50 === 0) log(`    sent ${i + 1}/${count} (${round((performance.now() - started) / 1000)} s)`);
        }
      }),
    );
  } finally {
    await intermediary.stop();
  }
  writeFileSync(path.join(building, 'complete'), `${count} deliveries\n`);
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another run finished first
  }
  return { dir, seconds: (performance.now() - started) / 1000, xmlBytesAverage };
}

interface ChildConfig {
  readonly pkiDir: string;
  readonly url: string;
  readonly storePath: string;
  readonly intermediaryPid: number;
  /** Simulated network round trip (ms) added before every request. */
  readonly rttMs?: number;
  /** Fetch into PostgreSQL instead (a throw-away cluster with durable settings) with this data key. */
  readonly pg?: { readonly connection: { host: string; port: number; user: string; password: string; database: string }; readonly dataKeyHex: string };
}

interface ChildResult {
  readonly seconds: number;
  readonly cpuMs: number;
  readonly intermediaryCpuMs: number | undefined;
  readonly newMessages: number;
  readonly outcome: string;
  readonly error: string | undefined;
  readonly bytes: number;
  readonly storedBytes: number;
}

/** The test PKI's municipality as the fetching mailbox, against the intermediary at `intermediaryUrl`. */
export function municipalityIdentity(pkiDir: string, intermediaryUrl: string): MailboxIdentity {
  const f = testPkiFiles(pkiDir);
  return identityFromFiles({
    keyFile: f.municipality.p12,
    password: readFileSync(f.password, 'utf8').replace(/\r?\n$/, ''),
    intermediaryUrl,
    intermediaryCertificateFile: f.intermediary.cer,
    trustedCaFiles: [f.ca],
  });
}

/** The fetching process: opens the store, fetches everything, reports. */
async function child(config: ChildConfig): Promise<void> {
  const identity = municipalityIdentity(config.pkiDir, config.url);
  const store = config.pg
    ? await PgMailboxStore.open({ connection: config.pg.connection, dataKey: Buffer.from(config.pg.dataKeyHex, 'hex') })
    : await PostfachStore.open(config.storePath, { password: STORE_PASSWORD });
  const cpu = process.cpuUsage();
  const imCpu = processCpuMs(config.intermediaryPid);
  const start = performance.now();
  let received = 0;
  const rtt = config.rttMs ?? 0;
  const http = transportFor(identity, (n) => (received += n));
  const result = await runFetch({
    store,
    identity,
    ...(rtt > 0
      ? {
          post: async (body: Parameters<typeof http>[0]) => {
            await new Promise((r) => setTimeout(r, rtt));
            return http(body);
          },
        }
      : {}),
  });
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const imCpuEnd = processCpuMs(config.intermediaryPid);
  let storedBytes = 0;
  for (let offset = 0; ; offset += 1000) {
    const page = (await store.list({ limit: 1000, offset })).items;
    for (const item of page) {
      const record = await store.getDelivery(item.id);
      storedBytes += record.content.size + record.attachments.reduce((n, a) => n + a.size, 0);
    }
    if (page.length < 1000) break;
  }
  await store.close();
  const out: ChildResult = {
    seconds,
    cpuMs: (used.user + used.system) / 1000,
    intermediaryCpuMs: imCpu !== undefined && imCpuEnd !== undefined ? imCpuEnd - imCpu : undefined,
    newMessages: result.newMessages,
    outcome: result.outcome,
    error: result.error ? `${result.error.kind}: ${result.error.detail}` : undefined,
    bytes: rtt > 0 ? received : result.bytes,
    storedBytes,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function runChild(config: ChildConfig, nodeArgs: readonly string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...nodeArgs, self, '--child', JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildResult) : reject(new Error(`fetch child exited with ${code}`))));
  });
}

/** AES-256-GCM decryption of `total` bytes in 4 MiB pieces. */
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
  for (let done = 0; done < total; done += piece.length)
    createHash('sha256')
      .update(piece.subarray(0, Math.min(piece.length, total - done)))
      .digest();
  return (performance.now() - start) / 1000;
}

/** Profile files newer than `since` in `dir`, renamed to `<label>-<name>` (node names them CPU.<date>.<time>.<pid>.…). */
function collectProfiles(dir: string, since: number, label: (name: string) => string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.cpuprofile') || name.includes('-CPU.') || statSync(path.join(dir, name)).mtimeMs < since) continue;
    const target = path.join(dir, `${label(name)}-${name}`);
    renameSync(path.join(dir, name), target);
    out.push(target);
  }
  return out;
}

export async function runFetchBench(options: {
  count: number;
  attachmentBytes?: number;
  profileDir?: string;
  log?: (line: string) => void;
  /** postgresql: the same fetch committed to PostgreSQL (a throw-away cluster, fsync on) instead of SQLite. */
  backend?: 'sqlite' | 'postgresql';
  /** Simulated network round trip (ms) before every request. */
  rttMs?: number;
}): Promise<FetchFigures> {
  const count = options.count;
  const attachmentBytes = options.attachmentBytes ?? 300_000;
  const log = options.log ?? (() => undefined);
  const mailbox = await cachedMailbox(count, attachmentBytes, log);
  const work = mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-fetch-run-'));
  let cluster: LocalCluster | undefined;
  try {
    if (options.backend === 'postgresql') cluster = await startLocalCluster({ durable: true });
    const pg = cluster
      ? {
          connection: { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database: cluster.database },
          dataKeyHex: randomBytes(32).toString('hex'),
        }
      : undefined;
    cpSync(mailbox.dir, work, { recursive: true });
    const pkiDir = path.join(work, 'pki');
    const storePath = path.join(work, 'store', 'postfach.db');
    const { store } = await PostfachStore.create(storePath, { password: STORE_PASSWORD });
    store.close();
    const profileArgs = (dir: string | undefined) => (dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);
    const since = Date.now() - 1000;
    const intermediary = await startIntermediaryProcess(pkiDir, path.join(work, 'intermediary'), profileArgs(options.profileDir));
    let r: ChildResult;
    try {
      log(`  fetching ${count} …`);
      r = await runChild(
        { pkiDir, url: intermediary.url, storePath, intermediaryPid: intermediary.pid, ...(pg ? { pg } : {}), ...(options.rttMs ? { rttMs: options.rttMs } : {}) },
        profileArgs(options.profileDir),
      );
    } finally {
      await intermediary.stop();
    }
    if (r.outcome !== 'complete' || r.newMessages !== count) throw new Error(`fetch ended ${r.outcome} with ${r.newMessages} of ${count}: ${r.error ?? ''}`);
    const profiles = options.profileDir ? collectProfiles(options.profileDir, since, (name) => (name.includes(`.${intermediary.pid}.`) ? 'intermediary' : 'fetch')) : [];

    // the cryptography this workload needs, done back to back
    const requests = count + 1 + Math.ceil(count / 50) + 2; // FetchDelivery per delivery + the 9803 one, FetchProcessCard batches, Init/Exit
    const pki = loadTestPki(pkiDir);
    const rsaPrivateOps = requests /* transport key of each response */ + count /* content key */ + requests; /* ClientSignature */
    const rsaVerifyOps = requests /* SupplierSignature */ + count /* author signature */ + requests; /* request key for the intermediary (public op) */
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
    // transport layer over every response, content layer over every plaintext byte; digests over both
    const aesDecryptBytes = r.bytes + r.storedBytes;
    const aesDecryptSeconds = timeAesDecrypt(aesDecryptBytes);
    const sha256Bytes = r.bytes + r.storedBytes;
    const sha256Seconds = timeSha256(sha256Bytes);
    const totalSeconds = rsaPrivateSeconds + rsaVerifySeconds + aesDecryptSeconds + sha256Seconds;
    return {
      backend: options.backend ?? 'sqlite',
      ...(options.rttMs ? { rttMs: options.rttMs } : {}),
      applications: count,
      attachmentBytes,
      xmlBytesAverage: mailbox.xmlBytesAverage,
      mailboxMadeSeconds: round(mailbox.seconds),
      seconds: round(r.seconds, 2),
      messagesPerSecond: round(count / r.seconds),
      megabytesPerSecond: round(r.bytes / MB / r.seconds),
      responseBytes: r.bytes,
      storedBytes: r.storedBytes,
      cpuMsPerDelivery: { fetch: round(r.cpuMs / count), intermediary: r.intermediaryCpuMs === undefined ? undefined : round(r.intermediaryCpuMs / count) },
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
      ratio: round(r.seconds / totalSeconds, 2),
      profiles,
    };
  } finally {
    await cluster?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export function formatFetchFigures(r: FetchFigures): string[] {
  return [
    `Fetch: ${r.applications} applications (XML ~${round(r.xmlBytesAverage / 1024, 0)} KB with inline documents + 2 OSCI attachments of ${r.attachmentBytes / 1000} KB)${r.rttMs ? `, ${r.rttMs} ms simulated round trip per request,` : ''} one dialog into ${r.backend === 'postgresql' ? 'PostgreSQL (sealed, durable commits)' : 'the encrypted store'}${r.mailboxMadeSeconds > 0 ? ` (mailbox made in ${r.mailboxMadeSeconds} s, kept)` : ''}`,
    `  ${r.seconds} s: ${r.messagesPerSecond} deliveries/s (target ≥ 40), ${r.megabytesPerSecond} MB/s (${round(r.responseBytes / MB)} MB received, ${round(r.storedBytes / MB)} MB stored)`,
    `  CPU per delivery: fetching process ${r.cpuMsPerDelivery.fetch} ms, intermediary ${r.cpuMsPerDelivery.intermediary ?? '?'} ms`,
    `  raw cryptography of the same workload: ${r.crypto.totalSeconds} s = ${round((1000 * r.crypto.totalSeconds) / r.applications)} ms per delivery`,
    `    RSA-3072 private-key operations (transport and content key, request signatures): ${r.crypto.rsaPrivateOps} in ${r.crypto.rsaPrivateSeconds} s`,
    `    RSA signature checks and public-key operations: ${r.crypto.rsaVerifyOps} in ${r.crypto.rsaVerifySeconds} s`,
    `    AES-256-GCM decryption: ${round(r.crypto.aesDecryptBytes / MB)} MB in ${r.crypto.aesDecryptSeconds} s`,
    `    SHA-256 digests: ${round(r.crypto.sha256Bytes / MB)} MB in ${r.crypto.sha256Seconds} s`,
    `  ratio fetch / cryptography: ${r.ratio} (target ≤ 2)`,
  ];
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === self;
if (isMain) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await child(JSON.parse(args[1]!) as ChildConfig);
  } else {
    const value = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
    const figures = await runFetchBench({
      count: Number(value('--count') ?? 100),
      attachmentBytes: Number(value('--attachment-kb') ?? 300) * 1000,
      ...(value('--profile') ? { profileDir: path.resolve(value('--profile')!) } : {}),
      log: (line) => process.stderr.write(`${line}\n`),
      ...(args.includes('--pg') ? { backend: 'postgresql' as const } : {}),
      ...(value('--rtt') ? { rttMs: Number(value('--rtt')) } : {}),
    });
    process.stdout.write(args.includes('--json') ? `${JSON.stringify(figures, null, 2)}\n` : `${formatFetchFigures(figures).join('\n')}\n`);
  }
}
