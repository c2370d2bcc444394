/**
 * The PKCS#12 key derivation on node:crypto (core/pki/pkcs12-kdf.ts) that replaces node-forge's for legacy files:
 * its iterated SHA-1 equals node:crypto's SHA-1 applied as often, and the derivation gives forge's own bytes for
 * every purpose, digest, salt, password (none, empty, non-Latin, longer than a block) and length; a legacy vector
 * file loads to the same key and certificate as with forge's derivation.
 */
import { hash, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { bmpPassword, pkcs12Kdf, sha1Iterated } from '../../core/pki/pkcs12-kdf.js';
import { loadPkcs12 } from '../../core/pki/pkcs12.js';
import { readFileSync } from 'node:fs';
import { VECTOR_PIN, vectorPath } from '../helpers/shared.js';

type ForgeKdf = (password: string | null, salt: forge.util.ByteStringBuffer, id: number, iterations: number, n: number, md?: forge.md.MessageDigest) => forge.util.ByteStringBuffer;
const forgeKdf = (forge as unknown as { pbe: { generatePkcs12Key: ForgeKdf } }).pbe.generatePkcs12Key;

const MD: Record<string, () => forge.md.MessageDigest> = {
  sha1: () => forge.md.sha1.create(),
  sha256: () => forge.md.sha256.create(),
  sha512: () => forge.md.sha512.create(),
};

describe('PKCS#12 key derivation on node:crypto', () => {
  it('iterated SHA-1 equals node:crypto SHA-1 applied as often', () => {
    for (const times of [0, 1, 2, 3, 64, 1000, 4097]) {
      const start = randomBytes(20);
      let want = start;
      for (let i = 0; i < times; i++) want = hash('sha1', want, 'buffer');
      expect(sha1Iterated(start, times).toString('hex')).toBe(want.toString('hex'));
    }
    expect(() => sha1Iterated(randomBytes(19), 1)).toThrow(RangeError);
  });

  it("gives forge's bytes for every purpose, digest, salt, password and length", () => {
    const passwords: Array<string | null> = [null, '', '123456', 'Grüße-€-ßß', 'x'.repeat(70), '\u{1F600}emoji'];
    let cases = 0;
    for (const digest of ['sha1', 'sha256', 'sha512']) {
      for (const id of [1, 2, 3]) {
        for (const password of passwords) {
          for (const [saltLength, iterations, length] of [
            [8, 1, 24],
            [20, 2, 8],
            [1, 17, 5],
            [65, 100, 40],
            [8, 2048, 32],
            [16, 3, 64],
          ] as const) {
            const salt = randomBytes(saltLength);
            const want = forgeKdf(password, forge.util.createBuffer(salt.toString('binary')), id, iterations, length, MD[digest]!()).bytes();
            const got = pkcs12Kdf(bmpPassword(password), salt, id, iterations, length, digest);
            expect(got.toString('binary'), `${digest} id ${id} ${JSON.stringify(password)} salt ${saltLength} it ${iterations} n ${length}`).toBe(want);
            cases++;
          }
        }
      }
    }
    expect(cases).toBe(3 * 3 * passwords.length * 6);
  });

  it('refuses what RFC 7292 does not define: no iterations, an unknown digest', () => {
    expect(() => pkcs12Kdf(bmpPassword('a'), randomBytes(8), 1, 0, 24, 'sha1')).toThrow(/iteration count/);
    expect(() => pkcs12Kdf(bmpPassword('a'), randomBytes(8), 1, 1, 24, 'md4')).toThrow(/not supported/);
  });

  it('a legacy vector file (3DES key bag, RC2 certificate bag, SHA-1 MAC) loads to the same key and certificate', () => {
    const file = readFileSync(vectorPath('certs/bob_cipher_4096.p12'));
    const ours = loadPkcs12(file, VECTOR_PIN).keys[0]!;
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(file.toString('binary')), false, VECTOR_PIN);
    const keyBag = forge.pki.oids.pkcs8ShroudedKeyBag as string;
    const bag = p12.getBags({ bagType: keyBag })[keyBag]![0]!;
    const forgeDer = Buffer.from(forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key!))).getBytes(), 'binary');
    expect(ours.privateKey.export({ format: 'der', type: 'pkcs8' }).equals(forgeDer)).toBe(true);
    expect(ours.certificateDer.equals(readFileSync(vectorPath('certs/bob_cipher_4096.cer')))).toBe(true);
  });
});
