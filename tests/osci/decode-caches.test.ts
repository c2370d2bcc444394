/**
 * What a delivery's decode computes once: the digest of a byte source per algorithm (the content manifest and the
 * author signature hash the same decrypted attachment), and a parsed certificate per DER (every delivery of a
 * fetch carries the same ones). Both must give exactly what computing again would.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestOf, type ByteSource } from '../../core/io/byte-source.js';
import { parseCertificate } from '../../core/osci/signature/verify.js';
import { readVector } from './manifest.js';

describe('decode caches', () => {
  it('digestOf reads a source once per algorithm and hands out copies', async () => {
    const bytes = randomBytes(100_000);
    let reads = 0;
    const source: ByteSource = {
      size: bytes.length,
      async *stream() {
        reads++;
        yield bytes;
      },
    };
    const first = await digestOf(source, 'sha256');
    expect(first.toString('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    first.fill(0);
    expect((await digestOf(source, 'sha256')).toString('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(reads).toBe(1);
    expect((await digestOf(source, 'sha512')).toString('hex')).toBe(createHash('sha512').update(bytes).digest('hex'));
    expect(reads).toBe(2);
  });

  it('a source that fails is read again next time (no failure is remembered)', async () => {
    let fail = true;
    const source: ByteSource = {
      size: 1,
      async *stream() {
        if (fail) throw new Error('gone');
        yield Buffer.from('x');
      },
    };
    await expect(digestOf(source, 'sha256')).rejects.toThrow('gone');
    fail = false;
    expect((await digestOf(source, 'sha256')).toString('hex')).toBe(createHash('sha256').update('x').digest('hex'));
  });

  it('parseCertificate returns the certificate parsed before for the same DER, and refuses broken DER every time', () => {
    const der = readVector('certs/bob_cipher_4096.cer');
    const a = parseCertificate(der);
    const b = parseCertificate(Buffer.from(der));
    expect(b).toBe(a);
    expect(a.raw.equals(der)).toBe(true);
    const broken = Buffer.from(der.subarray(0, 100));
    for (let i = 0; i < 2; i++) expect(() => parseCertificate(broken)).toThrow(expect.objectContaining({ kind: 'malformed' }));
  });
});
