/**
 * Issue 14: the PBE decryption of PKCS#12 bags on node:crypto (core/pki/native-pbe.ts). Every legacy reference
 * key (3DES key bag, RC2-40 certificate bag, SHA-1 MAC) and every fixture loads to exactly the bytes node-forge
 * alone gives (key as PKCS#8 DER, every certificate DER); a file whose key AND certificate bags are 3DES goes
 * through OpenSSL for both and loads to forge's bytes; a wrong password stays a wrong password, a damaged bag a
 * damaged file; RC2 is left to forge (OpenSSL 3's default provider has no RC2).
 */
import { createDecipheriv, generateKeyPairSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { parseDer, children } from '../../core/pki/asn1-reader.js';
import { nativePkcs12PbeCipher, nativePrivateKeyInfo } from '../../core/pki/native-pbe.js';
import { loadPkcs12 } from '../../core/pki/pkcs12.js';
import { VECTOR_PIN, vectorPath } from '../helpers/shared.js';
import { caught, fixture, FIXTURE_PASSWORD, UMLAUT_PASSWORD } from './helpers.js';

const der = (node: forge.asn1.Asn1): Buffer => Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');

/** What node-forge alone (its own KDF and ciphers, nothing of core/pki in between) reads from a file. */
function forgeAlone(file: Buffer, password: string): { keys: string[]; certs: string[] } {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(file.toString('binary')), false, password);
  const keyBag = forge.pki.oids.pkcs8ShroudedKeyBag as string;
  const certBag = forge.pki.oids.certBag as string;
  const keys = (p12.getBags({ bagType: keyBag })[keyBag] ?? []).map((bag) =>
    (bag.key ? der(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))) : der(bag.asn1)).toString('hex'),
  );
  const certs = (p12.getBags({ bagType: certBag })[certBag] ?? []).map((bag) => (bag.cert ? der(forge.pki.certificateToAsn1(bag.cert)) : der(bag.asn1)).toString('hex'));
  return { keys, certs };
}

function ours(file: Buffer, password: string): { keys: string[]; certs: string[] } {
  const r = loadPkcs12(file, password);
  return {
    keys: r.keys.map((k) => k.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('hex')),
    certs: [...r.keys.map((k) => k.certificateDer), ...r.otherCertificates.map((c) => c.raw)].map((d) => d.toString('hex')),
  };
}

function sameAsForge(file: Buffer, password: string): void {
  const want = forgeAlone(file, password);
  const got = ours(file, password);
  expect(got.keys).toEqual(want.keys);
  expect([...got.certs].sort()).toEqual([...want.certs].sort());
  expect(got.keys.length).toBeGreaterThan(0);
}

/**
 * A PKCS#12 file with the key bag AND the certificate bag under pbeWithSHAAnd3-KeyTripleDES-CBC, made by the
 * OpenSSL command line (as an older Windows export writes them); with a SHA-1 MAC or none.
 */
function tripleDesFile(password: string, options: { useMac?: boolean } = {}): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'postfach-3des-'));
  try {
    const run = (args: string[]): void => {
      const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, P12_PASSWORD: password } });
      if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
    };
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '30', '-subj', '/CN=Sozialamt Beispielhausen (erfunden)']);
    run([
      'pkcs12',
      '-export',
      '-inkey',
      'key.pem',
      '-in',
      'cert.pem',
      '-keypbe',
      'PBE-SHA1-3DES',
      '-certpbe',
      'PBE-SHA1-3DES',
      '-iter',
      '2048',
      ...(options.useMac === false ? ['-nomac'] : ['-macalg', 'sha1']),
      '-passout',
      'env:P12_PASSWORD',
      '-out',
      'file.p12',
    ]);
    return readFileSync(path.join(dir, 'file.p12'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('PKCS#12 bags decrypted on node:crypto', () => {
  const vectorFiles = readdirSync(vectorPath('certs')).filter((n) => n.endsWith('.p12'));

  it.each(vectorFiles)('%s (legacy 3DES/RC2) loads to the bytes forge alone reads', (name) => {
    sameAsForge(readFileSync(vectorPath(`certs/${name}`)), VECTOR_PIN);
  });

  // PBES2 files with an ASCII password only: forge turns a PBES2 password into Latin-1 bytes, OpenSSL, keytool and
  // core/pki into UTF-8 (openssl3-umlaut.p12 is read by pkcs12.test.ts); the PKCS#12 KDF's BMPString agrees
  it.each([
    ['openssl3.p12', FIXTURE_PASSWORD],
    ['keytool-two-keys.p12', FIXTURE_PASSWORD],
    ['openssl-legacy-umlaut.p12', UMLAUT_PASSWORD],
  ])('fixture %s loads to the key and certificates forge reads', (name, password) => {
    sameAsForge(fixture(name), password);
  });

  it("a file with 3DES key AND certificate bags goes through OpenSSL for both and gives forge's bytes", () => {
    const file = tripleDesFile('Muster-Passwort-2026');
    sameAsForge(file, 'Muster-Passwort-2026');
    // the certificates really are in an EncryptedData under 3DES (so nativePkcs12PbeCipher read them)
    const pfx = parseDer(file);
    const authSafe = parseDer(Buffer.from(children(children(children(pfx)[1]!)[1]!)[0]!.value as string, 'binary'));
    const encrypted = children(authSafe).find((ci) => forge.asn1.derToOid(children(ci)[0]!.value as string) === forge.pki.oids.encryptedData);
    expect(encrypted).toBeDefined();
    const algorithm = children(children(children(children(encrypted!)[1]!)[0]!)[1]!)[1]!;
    expect(forge.asn1.derToOid(children(algorithm)[0]!.value as string)).toBe(forge.pki.oids['pbeWithSHAAnd3-KeyTripleDES-CBC']);
  });

  it('wrong password: refused as such, with and without a MAC', () => {
    for (const useMac of [true, false]) {
      const file = tripleDesFile('Richtig-2026', { useMac });
      expect(caught(() => loadPkcs12(file, 'Falsch-2026')).kind, `useMac ${useMac}`).toBe('pkcs12-wrong-password');
      expect(loadPkcs12(file, 'Richtig-2026').keys).toHaveLength(1);
    }
  });

  it("a shrouded key bag: OpenSSL decrypts it to forge's PrivateKeyInfo; a wrong password gives null; charged to the budget", () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = forge.pki.privateKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs1' }).toString());
    const info = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key));
    for (const algorithm of ['3des', 'aes256'] as const) {
      const encrypted = forge.pki.encryptPrivateKeyInfo(info, 'Grüße-2026', { algorithm, count: 1000, ...(algorithm === 'aes256' ? { prfAlgorithm: 'sha256' } : {}) });
      const charged: number[] = [];
      const got = nativePrivateKeyInfo(encrypted, algorithm === '3des' ? 'Grüße-2026' : 'Gruesse-2026', (n) => charged.push(n));
      if (algorithm === '3des') {
        expect(got?.equals(der(forge.pki.decryptPrivateKeyInfo(encrypted, 'Grüße-2026')))).toBe(true);
        expect(charged).toEqual([1000, 1000]);
      } else {
        expect(got).toBeNull(); // wrong password for the AES one
        expect(charged).toEqual([1000]);
      }
    }
    // an algorithm OpenSSL is not asked for (forge's 'des' is PBES2 with single DES): left to forge, nothing charged
    const des = forge.pki.encryptPrivateKeyInfo(info, 'x', { algorithm: 'des', count: 10 } as unknown as forge.pki.EncryptionOptions);
    const charged: number[] = [];
    expect(nativePrivateKeyInfo(des, 'x', (n) => charged.push(n))).toBeUndefined();
    expect(charged).toEqual([]);
  });

  it("a SafeContents under PKCS#12 PBE 3DES decrypts with des-ede3-cbc to forge's bytes; RC2 is left to forge", () => {
    const { asn1 } = forge;
    const salt = Buffer.from('0102030405060708', 'hex');
    const params = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, salt.toString('binary')),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(2048).getBytes()),
    ]);
    const plain = Buffer.from('Erfundene Sicherheitsdaten '.repeat(40));
    // encrypted by forge alone: its key derivation and its 3DES
    const kdf = (forge as unknown as { pbe: { generatePkcs12Key: (pw: string, s: forge.util.ByteStringBuffer, id: number, it: number, n: number) => forge.util.ByteStringBuffer } })
      .pbe.generatePkcs12Key;
    const key = kdf('Geheim-2026', forge.util.createBuffer(salt.toString('binary')), 1, 2048, 24);
    const iv = kdf('Geheim-2026', forge.util.createBuffer(salt.toString('binary')), 2, 2048, 8);
    const des = (forge as unknown as { des: { startEncrypting(key: forge.util.ByteStringBuffer, iv: forge.util.ByteStringBuffer, output: null): forge.cipher.BlockCipher } }).des;
    const encrypt = des.startEncrypting(key, iv, null);
    encrypt.update(forge.util.createBuffer(plain.toString('binary')));
    expect(encrypt.finish()).toBe(true);
    const ciphertext = encrypt.output.bytes();

    const oid3des = forge.pki.oids['pbeWithSHAAnd3-KeyTripleDES-CBC'] as string;
    const charged: number[] = [];
    const native = nativePkcs12PbeCipher(oid3des, params, 'Geheim-2026', (n) => charged.push(n))!;
    expect(charged).toEqual([2048, 2048]);
    native.update(forge.util.createBuffer(ciphertext));
    expect(native.finish()).toBe(true);
    expect(Buffer.from(native.output.bytes(), 'binary').equals(plain)).toBe(true);
    // another password: the padding does not fit, finish() says no, as forge's cipher does
    const wrong = nativePkcs12PbeCipher(oid3des, params, 'Falsch-2026', () => undefined)!;
    wrong.update(forge.util.createBuffer(ciphertext));
    expect(wrong.finish()).toBe(false);
    expect(nativePkcs12PbeCipher(forge.pki.oids['pbewithSHAAnd40BitRC2-CBC'] as string, params, 'Geheim-2026', () => undefined)).toBeUndefined();
  });

  it('RC2 is not in the OpenSSL Node loads by default (why RC2 bags stay with forge)', () => {
    expect(() => createDecipheriv('rc2-40-cbc', Buffer.alloc(5), Buffer.alloc(8))).toThrow(/unsupported/i);
  });
});
