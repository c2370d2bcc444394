/**
 * core/pki timings: PKCS#12 load per file format, the effect of native PBKDF2, the PKCS#12-KDF alternative that was
 * measured and not taken, and the test PKI's creation. Run: `npm run build && node dist/bench/pki.js`
 * (reads the reference vectors from ../shared and the fixtures from tests/fixtures/pki).
 */
import { hash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';
import { loadPkcs12 } from '../core/pki/pkcs12.js';
import { createTestPki } from '../core/pki/test-pki.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// works from bench/ (tsx) and from dist/bench/ (built)
const projectRoot = path.basename(path.dirname(here)) === 'dist' ? path.resolve(here, '..', '..') : path.resolve(here, '..');
const vectors = path.resolve(projectRoot, '..', 'shared', 'osci', 'vectors', 'certs');
const fixtures = path.join(projectRoot, 'tests', 'fixtures', 'pki');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Median time of each variant; the variants run interleaved, so that load from other processes hits all alike. */
function timeEach(variants: readonly (() => unknown)[], rounds: number): number[] {
  for (const run of variants) run(); // warm-up
  const samples = variants.map((): number[] => []);
  for (let i = 0; i < rounds; i++) {
    variants.forEach((run, v) => {
      const start = performance.now();
      run();
      samples[v]?.push(performance.now() - start);
    });
  }
  return samples.map(median);
}

/** forge alone, without the native PBKDF2 of core/pki (what the loader cost before). */
function forgeOnly(data: Buffer, password: string): void {
  forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(data.toString('binary')), false, password);
}

type Kdf = (
  password: string,
  salt: forge.util.ByteStringBuffer,
  id: number,
  iterations: number,
  length: number,
  md?: { algorithm: string; digestLength: number; blockLength: number },
) => forge.util.ByteStringBuffer;

/** RFC 7292 appendix B with node:crypto hashes: the alternative measured against forge's pure-JS KDF. */
const nativePkcs12Kdf: Kdf = (password, salt, id, iterations, length, md) => {
  const algorithm = md?.algorithm ?? 'sha1';
  const u = md?.digestLength ?? 20;
  const v = md?.blockLength ?? 64;
  const bmp = Buffer.alloc((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) bmp.writeUInt16BE(password.charCodeAt(i), i * 2);
  const repeat = (b: Buffer): Buffer => {
    const out = Buffer.alloc(v * Math.ceil(b.length / v));
    for (let i = 0; i < out.length; i++) out[i] = b[i % b.length] ?? 0;
    return out;
  };
  const I = Buffer.concat([repeat(Buffer.from(salt.bytes(), 'binary')), repeat(bmp)]);
  const D = Buffer.alloc(v, id);
  const blocks: Buffer[] = [];
  for (let n = 0; n * u < length; n++) {
    let A = hash(algorithm, Buffer.concat([D, I]), 'buffer');
    for (let r = 1; r < iterations; r++) A = hash(algorithm, A, 'buffer');
    blocks.push(A);
    const B = Buffer.alloc(v);
    for (let k = 0; k < v; k++) B[k] = A[k % u] ?? 0;
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const x = (I[j + k] ?? 0) + (B[k] ?? 0) + carry;
        I[j + k] = x & 0xff;
        carry = x >>> 8;
      }
    }
  }
  return forge.util.createBuffer(Buffer.concat(blocks).subarray(0, length).toString('binary'));
};

function withNativePkcs12Kdf<T>(run: () => T): T {
  const pbe = (forge.pki as unknown as { pbe: { generatePkcs12Key: Kdf } }).pbe;
  const p12 = forge.pkcs12 as unknown as { generateKey: Kdf };
  const original = pbe.generatePkcs12Key;
  pbe.generatePkcs12Key = nativePkcs12Kdf;
  p12.generateKey = nativePkcs12Kdf;
  try {
    return run();
  } finally {
    pbe.generatePkcs12Key = original;
    p12.generateKey = original;
  }
}

async function main(): Promise<void> {
  const rows: [string, string][] = [];
  const files: [string, Buffer, string][] = [
    ['legacy 3DES/RC2, SHA-1 MAC, 100000/50000 it. (bob_cipher_4096.p12)', readFileSync(path.join(vectors, 'bob_cipher_4096.p12')), '123456'],
    ['legacy, EC P-256 (alice_signature_ec256.p12)', readFileSync(path.join(vectors, 'alice_signature_ec256.p12')), '123456'],
    ['OpenSSL 3 defaults, 2048 it. (openssl3.p12)', readFileSync(path.join(fixtures, 'openssl3.p12')), 'Muster-Passwort-2026'],
    ['keytool, two keys, 10000 it. (keytool-two-keys.p12)', readFileSync(path.join(fixtures, 'keytool-two-keys.p12')), 'Muster-Passwort-2026'],
  ];
  const legacy = files[0] as [string, Buffer, string];
  const sameResult = withNativePkcs12Kdf(() => loadPkcs12(legacy[1], legacy[2])).keys[0]?.certificateDer.equals(
    new X509Certificate(readFileSync(path.join(vectors, 'bob_cipher_4096.cer'))).raw,
  );
  for (const [name, data, password] of files) {
    const variants = [() => loadPkcs12(data, password), () => forgeOnly(data, password)];
    if (data === legacy[1]) variants.push(() => withNativePkcs12Kdf(() => loadPkcs12(data, password)));
    const [ours, forgeAlone, nativeKdf] = timeEach(variants, data === legacy[1] ? 7 : 15);
    rows.push([`loadPkcs12: ${name}`, `${ours?.toFixed(0)} ms`]);
    rows.push(['  forge alone (no native PBKDF2)', `${forgeAlone?.toFixed(0)} ms`]);
    if (nativeKdf !== undefined) rows.push([`  with a node:crypto PKCS#12 KDF (not taken; same result: ${sameResult})`, `${nativeKdf.toFixed(0)} ms`]);
  }

  for (const keySize of [3072, 4096] as const) {
    const dir = mkdtempSync(path.join(tmpdir(), 'postfach-bench-pki-'));
    const start = performance.now();
    await createTestPki(dir, { keySize });
    rows.push([`createTestPki, 4 × RSA ${keySize}`, `${(performance.now() - start).toFixed(0)} ms`]);
    rmSync(dir, { recursive: true, force: true });
  }

  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) process.stdout.write(`${label.padEnd(width)}  ${value}\n`);
}

await main();
