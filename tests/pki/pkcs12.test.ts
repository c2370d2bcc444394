import { constants, createHash, privateDecrypt, publicEncrypt, sign, verify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCertificate, loadCertificates, loadPkcs12, type KeyEntry, type Pkcs12Contents } from '../../core/pki/pkcs12.js';
import { VECTOR_PIN, vectorPath } from '../helpers/shared.js';
import { caught, fixture, fixtureP12, FIXTURE_PASSWORD, UMLAUT_PASSWORD } from './helpers.js';
import { fileURLToPath } from 'node:url';

const fixtureP7bPem = () => fileURLToPath(new URL('../fixtures/pki/openssl3-ca-p7b.pem', import.meta.url));

const VECTOR_KEYS = [
  'alice_cipher_4096',
  'alice_signature_4096',
  'bob_cipher_4096',
  'bob_signature_4096',
  'carol_cipher_4096',
  'carol_signature_4096',
  'osci_manager_cipher_4096',
  'osci_manager_signature_4096',
];

/** The key really is the private half of the certificate: a signature verifies, a decryption round-trips. */
function expectWorkingPair(entry: KeyEntry): void {
  const data = Buffer.from('Prüfdaten für den Schlüssel');
  const signature = sign('sha256', data, entry.privateKey);
  expect(verify('sha256', data, entry.certificate.publicKey, signature)).toBe(true);
  if (entry.privateKey.asymmetricKeyType === 'rsa') {
    const secret = Buffer.from('0123456789abcdef0123456789abcdef');
    const encrypted = publicEncrypt({ key: entry.certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, secret);
    expect(privateDecrypt({ key: entry.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, encrypted)).toEqual(secret);
  }
}

describe('PKCS#12 from the reference vectors (legacy 3DES/RC2, SHA-1 MAC)', () => {
  const governikus = ['governikus_ca_8_pn', 'governikus_root_ca_3_pn'].map((n) => readFileSync(vectorPath(`certs/${n}.cer`)));
  const loaded = new Map<string, Pkcs12Contents>();
  const load = (name: string): Pkcs12Contents => {
    let contents = loaded.get(name);
    if (!contents) {
      contents = loadPkcs12(readFileSync(vectorPath(`certs/${name}.p12`)), VECTOR_PIN);
      loaded.set(name, contents);
    }
    return contents;
  };

  it.each(VECTOR_KEYS)('%s.p12 loads: one key, certificate DER equal to the .cer, the two Governikus CAs beside it', (name) => {
    const contents = load(name);
    expect(contents.keys).toHaveLength(1);
    const entry = contents.keys[0] as KeyEntry;
    expect(entry.certificateDer.equals(readFileSync(vectorPath(`certs/${name}.cer`)))).toBe(true);
    expect(entry.certificate.raw.equals(entry.certificateDer)).toBe(true);
    expect(entry.alias).toBe(name.replace(/_/g, ' ').replace('osci manager', 'osci-manager'));
    const others = contents.otherCertificates.map((c) => c.raw);
    expect(others).toHaveLength(2);
    for (const ca of governikus) expect(others.some((o) => o.equals(ca))).toBe(true);
    expectWorkingPair(entry);
  });

  it('the EC P-256 key (alice_signature_ec256.p12) loads with its certificate', () => {
    const contents = load('alice_signature_ec256');
    expect(contents.keys).toHaveLength(1);
    const entry = contents.keys[0] as KeyEntry;
    expect(entry.privateKey.asymmetricKeyType).toBe('ec');
    expect(entry.certificateDer.equals(readFileSync(vectorPath('certs/alice_signature_ec256.cer')))).toBe(true);
    expect(contents.otherCertificates).toHaveLength(0);
    expectWorkingPair(entry);
  });

  it('a wrong PIN is reported as wrong password', () => {
    const error = caught(() => loadPkcs12(readFileSync(vectorPath('certs/bob_cipher_4096.p12')), '654321'));
    expect(error.kind).toBe('pkcs12-wrong-password');
    expect(error.text.de).toMatch(/Passwort/);
  });
});

describe('PKCS#12 from OpenSSL 3 and Java keytool (fixtures)', () => {
  it('OpenSSL 3 defaults (PBES2/AES-256-CBC, HMAC-SHA256 MAC): key, certificate and CA', () => {
    const contents = fixtureP12('openssl3.p12');
    expect(contents.keys).toHaveLength(1);
    const entry = contents.keys[0] as KeyEntry;
    expect(entry.alias).toBe('sozialamt beispielhausen');
    expect(entry.certificateDer.equals(fixture('openssl3.cer'))).toBe(true);
    expect(contents.otherCertificates.map((c) => c.raw)).toEqual([fixture('openssl3-ca.cer')]);
    expectWorkingPair(entry);
  });

  it('a password with umlauts opens OpenSSL 3 (UTF-8 for PBKDF2) and legacy (BMPString) files', () => {
    for (const name of ['openssl3-umlaut.p12', 'openssl-legacy-umlaut.p12']) {
      const entry = loadPkcs12(fixture(name), UMLAUT_PASSWORD).keys[0] as KeyEntry;
      expect(entry.certificateDer.equals(fixture('openssl3.cer'))).toBe(true);
      expectWorkingPair(entry);
      expect(caught(() => loadPkcs12(fixture(name), 'Grusse-aus-Koln-2026')).kind).toBe('pkcs12-wrong-password');
    }
  });

  it('keytool keystore with two key entries: both keys with their own certificates and aliases', () => {
    const contents = fixtureP12('keytool-two-keys.p12');
    expect(contents.keys.map((k) => k.alias).sort()).toEqual(['signatur', 'verschluesselung']);
    for (const entry of contents.keys) expectWorkingPair(entry);
    expect(contents.keys[0]?.certificateDer.equals(contents.keys[1]?.certificateDer ?? Buffer.alloc(0))).toBe(false);
  });

  it('keytool keystore with a key and a trusted certificate entry', () => {
    const contents = fixtureP12('keytool-one-key.p12');
    expect(contents.keys.map((k) => k.alias)).toEqual(['sozialamt']);
    expect(contents.otherCertificates.map((c) => c.raw)).toEqual([fixture('openssl3-ca.cer')]);
    expectWorkingPair(contents.keys[0] as KeyEntry);
  });
});

describe('PKCS#12 errors', () => {
  const p12 = fixture('openssl3.p12');

  it('wrong password (OpenSSL 3 and keytool files)', () => {
    for (const name of ['openssl3.p12', 'keytool-two-keys.p12']) {
      const error = caught(() => loadPkcs12(fixture(name), 'falsch'));
      expect(error.kind).toBe('pkcs12-wrong-password');
      expect(error.text.en).toMatch(/password/);
    }
  });

  it('an altered byte in the MAC-protected content is damage, not a wrong password', () => {
    // the alias (friendlyName, BMPString) lies in unencrypted bag attributes covered by the MAC
    const alias = Buffer.from('sozialamt beispielhausen', 'utf16le').swap16();
    const at = p12.indexOf(alias);
    expect(at).toBeGreaterThan(0);
    const altered = Buffer.from(p12);
    altered[at + 3] = (altered[at + 3] ?? 0) ^ 0x20;
    const error = caught(() => loadPkcs12(altered, FIXTURE_PASSWORD));
    expect(error.kind).toBe('pkcs12-corrupt');
    expect(error.detail).toMatch(/MAC mismatch/);
  });

  it.each([1, 10, 100, 1000, -1])('a file truncated to %i bytes (negative: from the end) is reported as damaged', (length) => {
    const cut = p12.subarray(0, length > 0 ? length : p12.length + length);
    const error = caught(() => loadPkcs12(cut, FIXTURE_PASSWORD));
    expect(error.kind).toBe('pkcs12-corrupt');
    if (cut.length > 4) expect(error.detail).toMatch(/truncated/);
  });

  it('empty files, text and random bytes are reported as damaged, not as a crash', () => {
    for (const data of [Buffer.alloc(0), Buffer.from('Das ist keine Schlüsseldatei.\n'), createHash('sha512').update('x').digest()]) {
      expect(caught(() => loadPkcs12(data, FIXTURE_PASSWORD)).kind).toBe('pkcs12-corrupt');
    }
  });

  it('a certificate given instead of a key file says so (DER and PEM)', () => {
    const der = fixture('openssl3.cer');
    const pem = Buffer.from(new X509Certificate(der).toString());
    for (const data of [der, pem, readFileSync(vectorPath('certs/bob_cipher_4096.cer'))]) {
      const error = caught(() => loadPkcs12(data, FIXTURE_PASSWORD));
      expect(error.kind).toBe('pkcs12-is-certificate');
      expect(error.text.de).toMatch(/Zertifikat/);
    }
  });

  it('a file with certificates only has no private key', () => {
    const error = caught(() => loadPkcs12(fixture('openssl3-nokey.p12'), FIXTURE_PASSWORD));
    expect(error.kind).toBe('pkcs12-no-private-key');
    expect(error.detail).toMatch(/2 certificate bag/);
  });

  it('a private key without its certificate is refused', () => {
    expect(caught(() => loadPkcs12(fixture('openssl3-nocert.p12'), FIXTURE_PASSWORD)).kind).toBe('pkcs12-key-without-certificate');
  });

  it('error texts and details carry no subject or alias (no personal data)', () => {
    const errors = [
      caught(() => loadPkcs12(p12, 'falsch')),
      caught(() => loadPkcs12(fixture('openssl3-nokey.p12'), FIXTURE_PASSWORD)),
      caught(() => loadPkcs12(fixture('openssl3-nocert.p12'), FIXTURE_PASSWORD)),
      caught(() => loadPkcs12(fixture('openssl3.cer'), FIXTURE_PASSWORD)),
    ];
    for (const e of errors) expect(`${e.text.de} ${e.text.en} ${e.detail}`).not.toMatch(/Beispielhausen|Musterland|sozialamt/i);
  });
});

describe('certificate files', () => {
  it('loadCertificate reads DER and PEM', () => {
    const der = fixture('openssl3.cer');
    expect(loadCertificate(der).raw.equals(der)).toBe(true);
    expect(loadCertificate(Buffer.from(new X509Certificate(der).toString())).raw.equals(der)).toBe(true);
  });

  it('loadCertificates reads every certificate of a PEM chain', () => {
    const chain = [fixture('openssl3.cer'), fixture('openssl3-ca.cer')];
    const pem = Buffer.from(chain.map((d) => new X509Certificate(d).toString()).join('\n'));
    expect(loadCertificates(pem).map((c) => c.raw)).toEqual(chain);
  });

  it('loadCertificates reads PKCS#7 bundles made by OpenSSL (.p7b DER with the chain, PEM with the CA)', () => {
    expect(loadCertificates(fixture('openssl3-chain.p7b')).map((c) => c.raw)).toEqual([fixture('openssl3-ca.cer'), fixture('openssl3.cer')]);
    expect(loadCertificates(fixture('openssl3-ca-p7b.pem')).map((c) => c.raw)).toEqual([fixture('openssl3-ca.cer')]);
    expect(loadCertificates(fixture('openssl3-ca.pem')).map((c) => c.raw)).toEqual([fixture('openssl3-ca.cer')]);
  });

  it('a broken or empty PKCS#7 bundle is unreadable, with a German message naming .p7b', () => {
    const bundle = fixture('openssl3-chain.p7b');
    const cut = caught(() => loadCertificates(bundle.subarray(0, 900)));
    expect(cut.kind).toBe('certificate-unreadable');
    expect(cut.text.de).toBe('Die Zertifikatsdatei ist beschädigt oder kein X.509-Zertifikat (.cer/.crt/.pem/.p7b).');
    // a SignedData without certificates (only the outer structure)
    const empty = Buffer.from('3023' + '06092a864886f70d010702' + 'a016' + '3014' + '020101' + '3100' + '300b06092a864886f70d010701' + '3100', 'hex');
    expect(caught(() => loadCertificates(empty)).detail).toBe('PKCS#7 bundle without certificates');
    const pem = readFileSync(fixtureP7bPem(), 'latin1').replace(/[A-Za-z]{20}/, 'AAAAAAAAAAAAAAAAAAAA');
    expect(caught(() => loadCertificates(Buffer.from(pem, 'latin1'))).kind).toBe('certificate-unreadable');
  });

  it('a key file given as certificate says so; garbage is unreadable', () => {
    expect(caught(() => loadCertificate(fixture('openssl3.p12'))).kind).toBe('certificate-is-pkcs12');
    expect(caught(() => loadCertificate(Buffer.from('kein Zertifikat'))).kind).toBe('certificate-unreadable');
    expect(caught(() => loadCertificate(fixture('openssl3.cer').subarray(0, 500))).kind).toBe('certificate-unreadable');
  });
});
