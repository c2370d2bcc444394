/**
 * Whether independent RSA private-key operations gain from running at the same time (issue 14, warm decode of
 * exchange/06). Its three RSA-4096 OAEP decryptions: the transport key must come first (the rest of the message is
 * inside it); the two content containers' key transports are independent of each other. Each variant does the same
 * three decryptions, run by run interleaved:
 *
 *  - serial: all three with `privateDecrypt` on this thread (what the decoder does);
 *  - pool: the first here, the two independent ones at once through WebCrypto (`subtle.decrypt` runs on libuv's pool);
 *  - pool+main: the first here, one on the pool while this thread does the third;
 *  - worker+main: the first here, one on a warm worker thread (KeyObject and ciphertext posted) while this thread
 *    does the third.
 *
 * Wall time and CPU time (`process.cpuUsage`: every thread of the process) per variant, median and min.
 *
 *   node dist/bench/rsa-concurrency.js [--rounds 60]
 */
import { constants, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort } = require('node:worker_threads');
const { privateDecrypt, constants } = require('node:crypto');
parentPort.on('message', ({ id, key, ct }) => {
  parentPort.postMessage({ id, out: privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, ct) });
});`;

const median = (v: readonly number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;
const round2 = (n: number): number => Math.round(n * 100) / 100;

export interface ConcurrencyFigure {
  readonly variant: string;
  readonly wallMs: { readonly median: number; readonly min: number };
  readonly cpuMs: { readonly median: number; readonly min: number };
}

export async function runRsaConcurrencyBench(rounds = 60): Promise<{ load: readonly number[]; figures: ConcurrencyFigure[] }> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 4096 });
  const oaep = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' };
  const cts = [0, 1, 2].map(() => publicEncrypt({ key: publicKey, ...oaep }, randomBytes(32)));
  const [c0, c1, c2] = cts as [Buffer, Buffer, Buffer];
  const decrypt = (ct: Buffer): Buffer => privateDecrypt({ key: privateKey, ...oaep }, ct);
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const cryptoKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']);
  const onPool = (ct: Buffer): Promise<ArrayBuffer> => webcrypto.subtle.decrypt({ name: 'RSA-OAEP' }, cryptoKey, ct);
  const worker = new Worker(WORKER, { eval: true });
  let next = 0;
  const pending = new Map<number, () => void>();
  worker.on('message', ({ id }: { id: number }) => {
    pending.get(id)?.();
    pending.delete(id);
  });
  const onWorker = (key: KeyObject, ct: Buffer): Promise<void> =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      worker.postMessage({ id, key, ct });
    });
  const variants: ReadonlyArray<readonly [string, () => Promise<unknown>]> = [
    ['serial', () => Promise.resolve([decrypt(c0), decrypt(c1), decrypt(c2)])],
    ['pool', async () => (decrypt(c0), await Promise.all([onPool(c1), onPool(c2)]))],
    [
      'pool+main',
      async () => {
        decrypt(c0);
        const p = onPool(c1);
        decrypt(c2);
        await p;
      },
    ],
    [
      'worker+main',
      async () => {
        decrypt(c0);
        const p = onWorker(privateKey, c1);
        decrypt(c2);
        await p;
      },
    ],
  ];
  try {
    for (const [, run] of variants) for (let i = 0; i < 5; i++) await run(); // warm-up
    const wall = variants.map((): number[] => []);
    const cpu = variants.map((): number[] => []);
    for (let r = 0; r < rounds; r++) {
      for (const [v, [, run]] of variants.entries()) {
        const c = process.cpuUsage();
        const t = performance.now();
        await run();
        wall[v]!.push(performance.now() - t);
        const u = process.cpuUsage(c);
        cpu[v]!.push((u.user + u.system) / 1000);
      }
    }
    return {
      load: os.loadavg(),
      figures: variants.map(([variant], v) => ({
        variant,
        wallMs: { median: round2(median(wall[v]!)), min: round2(Math.min(...wall[v]!)) },
        cpuMs: { median: round2(median(cpu[v]!)), min: round2(Math.min(...cpu[v]!)) },
      })),
    };
  } finally {
    await worker.terminate();
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 60;
  const r = await runRsaConcurrencyBench(rounds);
  const lines = [`3 RSA-4096 OAEP decryptions, ${rounds} rounds (load ${r.load.map((l) => l.toFixed(1)).join(' ')}):`];
  for (const f of r.figures) lines.push(`  ${f.variant}: wall median ${f.wallMs.median} ms, min ${f.wallMs.min} ms; CPU median ${f.cpuMs.median} ms, min ${f.cpuMs.min} ms`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
