import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, type X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueCertificate } from '../../core/pki/certificate-builder.js';
import { describeCertificate, type CertificateWarning } from '../../core/pki/certificate-facts.js';
import { x509Fields } from '../../core/pki/x509-fields.js';
import { certificateSummary } from '../../core/mailbox/certificates.js';
import { vectorCertificate } from '../helpers/vector-keys.js';
import { DAY, ecKeys, fixtureP12, issue, makeCa } from './helpers.js';
import { certificateWarningWords } from '../../core/domain/words/index.js';
import { officeTime } from '../../core/time/office-time.js';
import type { ShownWarning } from '../../core/mailbox/certificates.js';

/** A shown warning in German words, its days in the office zone (as the UI and the CLI say it). */
const said = (w: ShownWarning | undefined): string | undefined => (w === undefined ? undefined : certificateWarningWords('de', w, (iso) => officeTime('Europe/Berlin').date(iso)));

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
if (!hasOpenssl) console.warn('openssl not found: the cross-check of names and key usages against OpenSSL is skipped');

const VECTOR_CERTIFICATES = [
  'alice_cipher_4096',
  'alice_signature_4096',
  'alice_signature_ec256',
  'bob_cipher_4096',
  'bob_signature_4096',
  'carol_cipher_4096',
  'carol_signature_4096',
  'osci_manager_cipher_4096',
  'osci_manager_signature_4096',
  'governikus_ca_8_pn',
  'governikus_root_ca_3_pn',
];

const codes = (warnings: readonly CertificateWarning[]): string[] => warnings.map((w) => w.code);

describe('facts of the reference certificates', () => {
  const bob = vectorCertificate('bob_cipher_4096');
  const during = new Date('2030-01-01T00:00:00Z');

  it('names, serial, validity, usages, key, fingerprint of bob_cipher_4096', () => {
    const facts = describeCertificate(bob, { at: during });
    expect(facts.subject.rfc2253).toBe('C=de,O=Governikus KG,OU=Testcertificate Governikus,CN=Bob Cipher 4096');
    expect(facts.subject.readable).toBe('CN=Bob Cipher 4096, OU=Testcertificate Governikus, O=Governikus KG, C=de');
    expect(facts.subject.commonName).toBe('Bob Cipher 4096');
    expect(facts.subject.organization).toBe('Governikus KG');
    expect(facts.issuer.rfc2253).toBe('C=DE,L=Bremen,O=Governikus KG,OU=Governikus CA,CN=Governikus CA 8:PN');
    expect(facts.issuer.readable).toBe('CN=Governikus CA 8:PN, OU=Governikus CA, O=Governikus KG, L=Bremen, C=DE');
    expect(facts.serialNumber.hex).toBe(bob.serialNumber.toUpperCase());
    expect(BigInt(facts.serialNumber.decimal)).toBe(BigInt(`0x${bob.serialNumber}`));
    expect(facts.validFrom).toBe('2021-06-04T12:34:30.000Z');
    expect(facts.validTo).toBe('2036-05-03T07:18:12.000Z');
    expect(facts.keyUsage).toEqual(['digitalSignature', 'keyEncipherment', 'dataEncipherment']);
    expect(facts.extendedKeyUsage?.map((e) => e.name ?? e.oid)).toEqual(['clientAuth', 'emailProtection', 'msDocumentSigning', 'msSmartcardLogin', 'serverAuth']);
    expect(facts.key).toEqual({ algorithm: 'RSA', bits: 4096 });
    expect(facts.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    const sha256 = createHash('sha256').update(bob.raw).digest('hex').toUpperCase().match(/../g)?.join(':');
    expect(facts.fingerprintSha256).toBe(sha256);
    expect(facts.selfSigned).toBe(false);
    expect(facts.isCa).toBe(false);
    expect(facts.suitableFor).toEqual({ cipher: true, signature: true });
    expect(facts.warnings).toEqual([]);
    // JSON-serialisable as it is (UI contract, --json)
    expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
  });

  it.skipIf(!hasOpenssl)('names and key usage agree with OpenSSL for every reference certificate', () => {
    for (const name of VECTOR_CERTIFICATES) {
      const cert = vectorCertificate(name);
      const out = execFileSync('openssl', ['x509', '-inform', 'der', '-noout', '-subject', '-issuer', '-nameopt', 'RFC2253', '-ext', 'keyUsage'], {
        input: cert.raw,
        encoding: 'utf8',
      });
      const facts = describeCertificate(cert);
      expect(out).toContain(`subject=${facts.subject.rfc2253}\n`);
      expect(out).toContain(`issuer=${facts.issuer.rfc2253}\n`);
      const opensslUsages = out.split('X509v3 Key Usage: critical\n')[1]?.trim().split(', ') ?? [];
      const names: Record<string, string> = {
        digitalSignature: 'Digital Signature',
        nonRepudiation: 'Non Repudiation',
        keyEncipherment: 'Key Encipherment',
        dataEncipherment: 'Data Encipherment',
        keyCertSign: 'Certificate Sign',
        cRLSign: 'CRL Sign',
      };
      expect(facts.keyUsage?.map((u) => names[u])).toEqual(opensslUsages);
    }
  });

  it('the Governikus CAs: CA flag, keyCertSign, the root self-signed', () => {
    const ca = describeCertificate(vectorCertificate('governikus_ca_8_pn'), { at: during });
    const root = describeCertificate(vectorCertificate('governikus_root_ca_3_pn'), { at: during });
    expect(ca.isCa && root.isCa).toBe(true);
    expect(ca.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    expect(ca.selfSigned).toBe(false);
    expect(root.selfSigned).toBe(true);
    expect(ca.suitableFor).toEqual({ cipher: false, signature: false });
  });

  it('the EC P-256 certificate: EC 256 bit, self-signed, a signature key only', () => {
    const facts = describeCertificate(vectorCertificate('alice_signature_ec256'), { at: during });
    expect(facts.key).toEqual({ algorithm: 'EC', bits: 256, curve: 'prime256v1' });
    expect(facts.selfSigned).toBe(true);
    expect(facts.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(facts.extendedKeyUsage).toBeNull();
    expect(facts.signatureAlgorithm).toBe('ecdsa-with-SHA256');
    expect(facts.suitableFor).toEqual({ cipher: false, signature: true });
    expect(codes(describeCertificate(vectorCertificate('alice_signature_ec256'), { at: during, roles: ['cipher'] }).warnings)).toEqual(['wrong-key-usage']);
  });

  it('validity warnings relative to the time asked for', () => {
    const notAfter = new Date('2036-05-03T07:18:12Z');
    const tenDaysBefore = new Date(notAfter.getTime() - 10 * DAY);
    const soon = describeCertificate(bob, { at: tenDaysBefore }).warnings;
    expect(codes(soon)).toEqual(['expires-soon']);
    expect(soon[0]?.days).toBe(10);
    // the words are said where shown, from the facts (core/mailbox/certificates.ts, core/domain/words)
    expect(said(certificateSummary(bob, { at: tenDaysBefore }).warnings[0])).toMatch(/in 10 Tagen/);
    expect(codes(describeCertificate(bob, { at: new Date(notAfter.getTime() - 61 * DAY) }).warnings)).toEqual([]);
    expect(describeCertificate(bob, { at: new Date(notAfter.getTime() - 60 * DAY) }).warnings[0]?.days).toBe(60);
    const expired = describeCertificate(bob, { at: new Date('2037-05-03T07:18:12Z') }).warnings;
    expect(codes(expired)).toEqual(['expired']);
    expect(expired[0]?.days).toBe(365);
    expect(said(certificateSummary(bob, { at: new Date('2037-05-03T07:18:12Z') }).warnings[0])).toMatch(/abgelaufen.*03\.05\.2036/);
    expect(codes(describeCertificate(bob, { at: new Date('2021-01-01T00:00:00Z') }).warnings)).toEqual(['not-yet-valid']);
  });
});

describe('facts and warnings of generated certificates', () => {
  const ca = makeCa('Test-CA Fakten');
  // one RSA 3072 key for every certificate that needs a strong RSA key (generation takes ~0.5 s)
  const rsa3072 = generateKeyPairSync('rsa', { modulusLength: 3072 });

  it('a 2048-bit RSA key is weak (BSI: at least 3000 bit), 3072 is not', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const facts = describeCertificate(issue(ca, 'Sozialamt Kurzschlüssel', { keys: weak }).certificate);
    expect(facts.key).toEqual({ algorithm: 'RSA', bits: 2048 });
    expect(codes(facts.warnings)).toEqual(['weak-key']);
    expect(facts.warnings[0]).toMatchObject({ bits: 2048, minimum: 3000 });
    expect(said(certificateSummary(issue(ca, 'Sozialamt Kurzschlüssel', { keys: weak }).certificate).warnings[0])).toMatch(/2048 Bit.*3000 Bit/);
    expect(describeCertificate(issue(ca, 'Sozialamt Langschlüssel', { keys: rsa3072 }).certificate).warnings).toEqual([]);
  });

  it('an EC key below 256 bit is weak', () => {
    const facts = describeCertificate(issue(ca, 'Sozialamt P-224', { keys: ecKeys('secp224r1') }).certificate);
    expect(facts.key.bits).toBe(224);
    expect(codes(facts.warnings)).toEqual(['weak-key']);
  });

  it('short-lived, expired and not yet valid certificates', () => {
    const now = Date.now();
    const shortLived = issue(ca, 'Kurzläufer', { notBefore: new Date(now - DAY), notAfter: new Date(now + 5 * DAY + 60_000) }).certificate;
    const soon = describeCertificate(shortLived).warnings;
    expect(codes(soon)).toEqual(['expires-soon']);
    expect(soon[0]?.days).toBe(6);
    const expired = issue(ca, 'Abgelaufen', { notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 3 * DAY) }).certificate;
    expect(codes(describeCertificate(expired).warnings)).toEqual(['expired']);
    const future = issue(ca, 'Zukunft', { notBefore: new Date(now + 3 * DAY), notAfter: new Date(now + 400 * DAY) }).certificate;
    expect(codes(describeCertificate(future).warnings)).toEqual(['not-yet-valid']);
  });

  it('wrong key usage for the intended role', () => {
    const signOnly = issue(ca, 'Nur Signatur', { keyUsage: ['digitalSignature', 'nonRepudiation'], keys: rsa3072 });
    const facts = describeCertificate(signOnly.certificate, { roles: ['cipher', 'signature'] });
    expect(facts.suitableFor).toEqual({ cipher: false, signature: true });
    expect(facts.warnings.map((w) => [w.code, w.role])).toEqual([['wrong-key-usage', 'cipher']]);
    expect(said(certificateSummary(signOnly.certificate, { roles: ['cipher', 'signature'] }).warnings[0])).toMatch(/Verschlüsselung/);
    const cipherOnly = issue(ca, 'Nur Verschlüsselung', { keyUsage: ['keyEncipherment'], keys: rsa3072 });
    expect(describeCertificate(cipherOnly.certificate, { roles: ['signature'] }).warnings.map((w) => w.role)).toEqual(['signature']);
    expect(describeCertificate(cipherOnly.certificate, { roles: ['cipher'] }).warnings).toEqual([]);
  });

  it('RFC 2253 escaping and UTF-8 names', () => {
    const keys = ecKeys();
    const cert: X509Certificate = issueCertificate({
      subject: [
        { type: 'C', value: 'DE' },
        { type: 'O', value: 'Müller, Meier + Söhne' },
        { type: 'CN', value: '#1 Sozialamt "Nord" ' },
      ],
      publicKey: keys.publicKey,
      selfSigningKey: keys.privateKey,
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + 100 * DAY),
      keyUsage: ['digitalSignature'],
    });
    const facts = describeCertificate(cert);
    expect(facts.subject.rfc2253).toBe('CN=\\#1 Sozialamt \\"Nord\\"\\ ,O=Müller\\, Meier \\+ Söhne,C=DE');
    expect(facts.subject.organization).toBe('Müller, Meier + Söhne');
    expect(facts.selfSigned).toBe(true);
    expect(x509Fields(cert).subjectKeyId).toBe(x509Fields(cert).authorityKeyId);
  });

  it('certificates without a key usage extension may serve both roles', () => {
    const fields = x509Fields(fixtureP12('openssl3.p12').otherCertificates[0] as X509Certificate);
    expect(fields.basicConstraints).toEqual({ ca: true, pathLength: undefined });
    // keytool fixture: one key dedicated to each role
    const [a, b] = fixtureP12('keytool-two-keys.p12').keys;
    const byAlias = Object.fromEntries([a, b].map((k) => [k?.alias, describeCertificate(k?.certificate as X509Certificate)]));
    expect(byAlias.verschluesselung?.keyUsage).toEqual(['keyEncipherment', 'dataEncipherment']);
    expect(byAlias.verschluesselung?.suitableFor).toEqual({ cipher: true, signature: false });
    expect(byAlias.signatur?.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(byAlias.signatur?.suitableFor).toEqual({ cipher: false, signature: true });
  });
});
