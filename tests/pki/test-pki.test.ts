import { spawnSync } from 'node:child_process';
import { constants, privateDecrypt, publicEncrypt, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostfachError } from '../../core/errors.js';
import { describeCertificate } from '../../core/pki/certificate-facts.js';
import { loadPkcs12 } from '../../core/pki/pkcs12.js';
import { createTestPki, loadTestPki, TEST_PKI_ROLES, testPkiFiles, type CreatedTestPki } from '../../core/pki/test-pki.js';
import { validateChain } from '../../core/pki/trust.js';
import { DAY } from './helpers.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
if (!hasOpenssl) console.warn('openssl not found: the interoperability check of the test PKI with OpenSSL is skipped');

const root = mkdtempSync(path.join(tmpdir(), 'postfach-test-pki-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('createTestPki / loadTestPki', () => {
  const dir = path.join(root, 'pki');
  const files = testPkiFiles(dir);
  let created: CreatedTestPki;
  let password: string;

  beforeAll(async () => {
    created = await createTestPki(dir);
    password = readFileSync(files.password, 'utf8').replace(/\n$/, '');
  });

  it('writes ca.cer, {intermediary,sender,municipality}.p12/.cer and password with restrictive permissions', () => {
    expect(created.files.map((f) => path.basename(f)).sort()).toEqual(['ca.cer', 'password', ...TEST_PKI_ROLES.flatMap((r) => [`${r}.p12`, `${r}.cer`])].sort());
    const mode = (f: string): number => statSync(f).mode & 0o777;
    expect(mode(files.password)).toBe(0o600);
    for (const role of TEST_PKI_ROLES) {
      expect(mode(files[role].p12)).toBe(0o600);
      expect(mode(files[role].cer)).toBe(0o644);
    }
    expect(mode(dir)).toBe(0o700);
  });

  it('the password file holds the random password alone on one line', () => {
    const text = readFileSync(files.password, 'utf8');
    expect(text).toMatch(/^[A-Za-z0-9_-]{32}\n$/);
  });

  it('every p12 opens with that password, holds one key whose certificate equals the .cer, and the CA', () => {
    const ca = readFileSync(files.ca);
    for (const role of TEST_PKI_ROLES) {
      const contents = loadPkcs12(readFileSync(files[role].p12), password);
      expect(contents.keys).toHaveLength(1);
      expect(contents.keys[0]?.alias).toBe(role);
      expect(contents.keys[0]?.certificateDer.equals(readFileSync(files[role].cer))).toBe(true);
      expect(contents.otherCertificates.map((c) => c.raw)).toEqual([ca]);
      expect(() => loadPkcs12(readFileSync(files[role].p12), `${password}x`)).toThrow(PostfachError);
    }
  });

  it('certificates: invented subjects, RSA 3072, all four key usages, chain to ca.cer, no warnings', () => {
    const pki = loadTestPki(dir);
    expect(describeCertificate(pki.ca).subject.rfc2253).toBe('CN=OSCI-Postfach Test-CA,O=OSCI-Postfach Übungsumgebung,C=DE');
    expect(describeCertificate(pki.municipality.certificate).subject.rfc2253).toBe('CN=Sozialamt Musterstadt,OU=Sozialamt,O=Stadt Musterstadt,L=Musterstadt,C=DE');
    expect(describeCertificate(pki.sender.certificate).subject.commonName).toBe('Sozialplattform (Test)');
    for (const role of TEST_PKI_ROLES) {
      const entry = pki[role];
      const facts = describeCertificate(entry.certificate, { roles: ['cipher', 'signature'] });
      expect(facts.key).toEqual({ algorithm: 'RSA', bits: 3072 });
      expect(facts.keyUsage).toEqual(['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment']);
      expect(facts.warnings).toEqual([]);
      const days = (Date.parse(facts.validTo) - Date.parse(facts.validFrom)) / DAY;
      expect(days).toBe(730);
      expect(Date.parse(facts.validFrom)).toBeLessThan(Date.now());
      expect(validateChain(entry.certificate, { trustAnchors: [pki.ca] }).status).toBe('trusted');
      // the key pair works for both roles
      const secret = Buffer.alloc(32, 7);
      const oaep = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' };
      expect(privateDecrypt({ key: entry.privateKey, ...oaep }, publicEncrypt({ key: entry.certificate.publicKey, ...oaep }, secret))).toEqual(secret);
      expect(verify('sha256', secret, entry.certificate.publicKey, sign('sha256', secret, entry.privateKey))).toBe(true);
    }
    const ca = describeCertificate(pki.ca);
    expect(ca.isCa && ca.selfSigned).toBe(true);
    expect(ca.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
  });

  it.skipIf(!hasOpenssl)('OpenSSL 3 reads the p12 (without -legacy) and verifies the chain', () => {
    const leafPem = path.join(root, 'municipality.pem');
    const caPem = path.join(root, 'ca.pem');
    writeFileSync(leafPem, new X509Certificate(readFileSync(files.municipality.cer)).toString());
    writeFileSync(caPem, new X509Certificate(readFileSync(files.ca)).toString());
    const info = spawnSync('openssl', ['pkcs12', '-in', files.municipality.p12, '-passin', `file:${files.password}`, '-noout'], { encoding: 'utf8' });
    expect(info.stderr).not.toMatch(/error/i);
    expect(info.status).toBe(0);
    const verified = spawnSync('openssl', ['verify', '-CAfile', caPem, leafPem], { encoding: 'utf8' });
    expect(verified.stdout).toContain(': OK');
  });

  it('refuses to overwrite an existing test PKI; --force replaces it', async () => {
    const before = readFileSync(files.municipality.p12);
    const error = await createTestPki(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PostfachError);
    expect((error as PostfachError).kind).toBe('test-pki-exists');
    expect(readFileSync(files.municipality.p12).equals(before)).toBe(true);

    const replaced = await createTestPki(dir, { force: true });
    expect(readFileSync(files.municipality.p12).equals(before)).toBe(false);
    const pki = loadTestPki(dir);
    expect(pki.municipality.certificateDer.equals(replaced.certificates.municipality.raw)).toBe(true);
    expect(validateChain(pki.municipality.certificate, { trustAnchors: [pki.ca] }).status).toBe('trusted');
    expect(statSync(files.password).mode & 0o777).toBe(0o600);
  });

  it('loadTestPki names a missing folder or file clearly', () => {
    let error: unknown;
    try {
      loadTestPki(path.join(root, 'gibt-es-nicht'));
    } catch (e) {
      error = e;
    }
    expect((error as PostfachError).kind).toBe('test-pki-missing');
    expect((error as PostfachError).detail).toMatch(/password: ENOENT/);
  });
});

describe('test PKI variants', () => {
  it('--expired: end-entity certificates expired yesterday, the CA valid; valid during their period', async () => {
    const dir = path.join(root, 'expired');
    const created = await createTestPki(dir, { expired: true, validDays: 30 });
    const pki = loadTestPki(dir);
    for (const role of TEST_PKI_ROLES) {
      const facts = describeCertificate(pki[role].certificate);
      expect(facts.warnings.map((w) => w.code)).toEqual(['expired']);
      expect(facts.warnings[0]?.days).toBe(1);
      const now = validateChain(pki[role].certificate, { trustAnchors: [pki.ca] });
      expect(now.status).toBe('invalid');
      expect(now.reasons.map((r) => r.code)).toEqual(['expired']);
      const during = new Date(Date.parse(facts.validTo) - 10 * DAY);
      expect(validateChain(pki[role].certificate, { trustAnchors: [pki.ca], at: during }).status).toBe('trusted');
    }
    expect(describeCertificate(created.certificates.ca).warnings).toEqual([]);
  });

  it('a folder that cannot be created is a clear error', async () => {
    const file = path.join(root, 'eine-datei');
    writeFileSync(file, 'x');
    await expect(createTestPki(path.join(file, 'pki'))).rejects.toMatchObject({ kind: 'test-pki-write-failed', detail: 'ENOTDIR writing pki' });
    await expect(createTestPki(file)).rejects.toMatchObject({ kind: 'invalid-argument' });
  });

  it('rejects key sizes and validity outside the documented range', async () => {
    const dir = path.join(root, 'invalid');
    for (const options of [{ keySize: 2048 as 3072 }, { validDays: 0 }, { validDays: 1.5 }, { validDays: 5000 }]) {
      await expect(createTestPki(dir, options)).rejects.toMatchObject({ kind: 'invalid-argument' });
    }
  });
});
