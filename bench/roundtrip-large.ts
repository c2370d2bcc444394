/**
 * Round trip of one large delivery over loopback HTTP, each party in its own process with its own peak RSS:
 * the local intermediary, the Sozialplattform-like sender (`sendApplications`, one evidence file of N MB as a
 * content-encrypted OSCI attachment, produced as a stream), and the fetching municipality (the dialog loop of tests/helpers/dialog-loop.ts over core/osci's dialog and the production transport:
 * transport decryption, SupplierSignature, content decryption, author signature, attachment decryption), which
 * hashes the attachment it received and compares it with what was sent.
 *
 *   npx tsx bench/roundtrip-large.ts [--attachment-mb 200] [--chunk-kb N] [--json] [--keep DIR]
 *
 *   --attachment-mb N  size of the attachment (default 200)
 *   --chunk-kb N       fetch with PartialFetchDelivery in chunks of N KB (intermediary and client), default: one
 *                      FetchDelivery
 *   --keep DIR         use DIR for the test PKI and the intermediary's data (kept afterwards)
 *
 * Peak RSS is VmHWM from /proc/self/status on Linux (getrusage's maxRSS elsewhere). A baseline child that only
 * loads the modules and the key shows what the code itself costs. The requirement: the fetching process stays
 * under 300 MB. runRoundtripLargeBench() is exported for `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { peakRssKiB } from './peak-rss.js';
import { httpTransport } from '../core/mailbox/transport.js';
import { fetchAll } from '../tests/helpers/dialog-loop.js';
import { createTestPki, loadTestPki } from '../core/pki/test-pki.js';
import { loadIntermediaryKeys } from '../intermediary/keys.js';
import { startIntermediary } from '../intermediary/server.js';
import { loadSenderSetup, sendApplications } from '../intermediary/sender/send.js';

const self = fileURLToPath(import.meta.url);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// child roles

async function intermediaryRole(pkiDir: string, dataDir: string, chunkKb: number | undefined): Promise<void> {
  const running = await startIntermediary({
    port: 0,
    dataDir,
    keys: loadIntermediaryKeys({ pkiDir }),
    options: chunkKb ? { chunkSize: chunkKb * 1024 } : {},
  });
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
  await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  await running.close();
  process.stdout.write(`${JSON.stringify({ maxRssKiB: peakRssKiB() })}\n`);
}

async function senderRole(pkiDir: string, url: string, bytes: number): Promise<void> {
  const start = process.hrtime.bigint();
  const [sent] = await sendApplications({ intermediaryUrl: url, setup: loadSenderSetup({ pkiDir }), count: 1, seed: 'bench-gross', attachments: 1, attachmentSize: bytes });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(`${JSON.stringify({ seconds, maxRssKiB: peakRssKiB(), attachment: sent!.attachments[0], document: sent!.content })}\n`);
}

async function fetchRole(pkiDir: string, url: string, chunkKb: number | undefined, baselineOnly: boolean): Promise<void> {
  const pki = loadTestPki(pkiDir);
  if (baselineOnly) {
    process.stdout.write(`${JSON.stringify({ seconds: 0, maxRssKiB: peakRssKiB(), deliveries: [] })}\n`);
    return;
  }
  const start = process.hrtime.bigint();
  const deliveries: Array<{ attachmentSha256: string; attachmentLength: number; documentSha256: string; signatureValid: boolean; chunks: number }> = [];
  await fetchAll(
    {
      post: httpTransport({ url, proxy: { mode: 'direct' } }),
      cipherKey: pki.municipality,
      signatureKey: pki.municipality,
      intermediaryCertificate: pki.intermediary.certificate,
      intermediarySigner: { pinned: [pki.intermediary.certificate] },
      authorAnchors: { cas: [pki.ca] },
    },
    {
      ...(chunkKb ? { chunkSizeKb: chunkKb } : {}),
      onDelivery: async (d) => {
        const container = d.content?.allContainers[0];
        let attachmentSha256 = '';
        let attachmentLength = 0;
        let documentSha256 = '';
        for (const item of container?.contents ?? []) {
          if (item.kind !== 'attachment' && item.kind !== 'Base64Content') continue;
          const hash = createHash('sha256');
          let n = 0;
          for await (const chunk of item.data.stream()) {
            hash.update(chunk);
            n += chunk.length;
          }
          if (item.kind === 'attachment') {
            attachmentSha256 = hash.digest('hex');
            attachmentLength = n;
          } else documentSha256 = hash.digest('hex');
        }
        deliveries.push({ attachmentSha256, attachmentLength, documentSha256, signatureValid: container?.signatures[0]?.valid === true, chunks: d.chunks });
      },
    },
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(`${JSON.stringify({ seconds, maxRssKiB: peakRssKiB(), deliveries })}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// orchestration

interface ChildHandle {
  readonly lines: Array<Record<string, unknown>>;
  next(): Promise<Record<string, unknown>>;
  done: Promise<number | null>;
  kill(): void;
}

function child(args: string[]): ChildHandle {
  const p = spawn(process.execPath, [...process.execArgv, self, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<(v: Record<string, unknown>) => void> = [];
  let buffer = '';
  p.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      const value = JSON.parse(line) as Record<string, unknown>;
      const waiter = waiters.shift();
      if (waiter) waiter(value);
      else lines.push(value);
    }
  });
  const done = new Promise<number | null>((resolve) => p.on('close', (code) => resolve(code)));
  return {
    lines,
    next: () =>
      lines.length
        ? Promise.resolve(lines.shift()!)
        : new Promise((resolve, reject) => {
            waiters.push(resolve);
            void done.then((code) => reject(new Error(`child ${args[1]} exited with ${code}`)));
          }),
    done,
    kill: () => p.kill('SIGTERM'),
  };
}

export interface RoundtripLargeResult {
  readonly attachmentBytes: number;
  readonly chunkKb: number | undefined;
  readonly verified: boolean;
  readonly send: { readonly seconds: number; readonly maxRssMiB: number };
  readonly fetch: { readonly seconds: number; readonly maxRssMiB: number; readonly baselineMiB: number; readonly chunks: number };
  readonly intermediary: { readonly maxRssMiB: number };
}

const mib = (kib: unknown) => Math.round((Number(kib) / 1024) * 10) / 10;

export async function runRoundtripLargeBench(options: { attachmentMiB?: number; chunkKb?: number; keep?: string } = {}): Promise<RoundtripLargeResult> {
  const bytes = Math.round((options.attachmentMiB ?? 200) * 1024 * 1024);
  const dir = options.keep ?? mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-roundtrip-'));
  const pkiDir = path.join(dir, 'pki');
  const dataDir = path.join(dir, 'data');
  try {
    await createTestPki(pkiDir, { force: true });
    const chunkArgs = options.chunkKb ? ['--chunk-kb', String(options.chunkKb)] : [];
    const im = child(['--role', 'intermediary', '--pki', pkiDir, '--data', dataDir, ...chunkArgs]);
    const { url } = (await im.next()) as { url: string };
    try {
      const sender = child(['--role', 'send', '--pki', pkiDir, '--url', url, '--bytes', String(bytes)]);
      const sent = (await sender.next()) as { seconds: number; maxRssKiB: number; attachment: { sha256: string; length: number }; document: { sha256: string } };
      const baseline = (await child(['--role', 'fetch', '--pki', pkiDir, '--url', url, '--baseline']).next()) as { maxRssKiB: number };
      const fetched = (await child(['--role', 'fetch', '--pki', pkiDir, '--url', url, ...chunkArgs]).next()) as {
        seconds: number;
        maxRssKiB: number;
        deliveries: Array<{ attachmentSha256: string; attachmentLength: number; documentSha256: string; signatureValid: boolean; chunks: number }>;
      };
      im.kill();
      const imEnd = (await im.next()) as { maxRssKiB: number };
      const d = fetched.deliveries[0];
      const verified =
        fetched.deliveries.length === 1 &&
        d !== undefined &&
        d.signatureValid &&
        d.attachmentSha256 === sent.attachment.sha256 &&
        d.attachmentLength === sent.attachment.length &&
        d.documentSha256 === sent.document.sha256;
      return {
        attachmentBytes: sent.attachment.length,
        chunkKb: options.chunkKb,
        verified,
        send: { seconds: sent.seconds, maxRssMiB: mib(sent.maxRssKiB) },
        fetch: { seconds: fetched.seconds, maxRssMiB: mib(fetched.maxRssKiB), baselineMiB: mib(baseline.maxRssKiB), chunks: d?.chunks ?? 0 },
        intermediary: { maxRssMiB: mib(imEnd.maxRssKiB) },
      };
    } finally {
      im.kill();
      await im.done;
    }
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const role = arg('--role');
  const chunkKb = arg('--chunk-kb') ? Number(arg('--chunk-kb')) : undefined;
  if (role === 'intermediary') return intermediaryRole(arg('--pki')!, arg('--data')!, chunkKb);
  if (role === 'send') return senderRole(arg('--pki')!, arg('--url')!, Number(arg('--bytes')));
  if (role === 'fetch') return fetchRole(arg('--pki')!, arg('--url')!, chunkKb, process.argv.includes('--baseline'));
  const result = await runRoundtripLargeBench({
    attachmentMiB: Number(arg('--attachment-mb') ?? 200),
    ...(chunkKb ? { chunkKb } : {}),
    ...(arg('--keep') ? { keep: arg('--keep')! } : {}),
  });
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const r = result;
    process.stdout.write(
      [
        `Round trip of one delivery with a ${(r.attachmentBytes / 1024 / 1024).toFixed(1)} MB attachment over loopback${r.chunkKb ? ` (PartialFetchDelivery, ${r.chunkKb} KB chunks: ${r.fetch.chunks})` : ''}`,
        `  send (generate, sign, encrypt, StoreDelivery): ${r.send.seconds.toFixed(1)} s, peak RSS ${r.send.maxRssMiB} MiB`,
        `  fetch (decrypt, verify, hash the attachment):  ${r.fetch.seconds.toFixed(1)} s, peak RSS ${r.fetch.maxRssMiB} MiB (baseline ${r.fetch.baselineMiB} MiB)`,
        `  intermediary process:                          peak RSS ${r.intermediary.maxRssMiB} MiB`,
        `  attachment and document arrived intact, author signature valid: ${r.verified ? 'yes' : 'NO'}`,
        `  requirement: fetching process under 300 MB: ${r.fetch.maxRssMiB * 1.048576 < 300 ? 'met' : 'NOT MET'}`,
        '',
      ].join('\n'),
    );
  }
  if (!result.verified) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
