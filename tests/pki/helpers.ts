import { generateKeyPairSync, type KeyObject, type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { PostfachError } from '../../core/errors.js';
import { issueCertificate, type CertificateRequest, type NameSpec } from '../../core/pki/certificate-builder.js';
import { loadPkcs12, type Pkcs12Contents } from '../../core/pki/pkcs12.js';
import type { KeyUsage } from '../../core/pki/x509-fields.js';
import { projectRoot } from '../helpers/shared.js';

export const fixturesDir = path.join(projectRoot, 'tests', 'fixtures', 'pki');
/** Password of the fixtures (see tests/fixtures/pki/README.md). */
export const FIXTURE_PASSWORD = 'Muster-Passwort-2026';
export const UMLAUT_PASSWORD = 'Grüße-aus-Köln-2026';

export function fixture(name: string): Buffer {
  return readFileSync(path.join(fixturesDir, name));
}

const loaded = new Map<string, Pkcs12Contents>();
/** A fixture p12, loaded once per test file. */
export function fixtureP12(name: string, password = FIXTURE_PASSWORD): Pkcs12Contents {
  let contents = loaded.get(name);
  if (!contents) {
    contents = loadPkcs12(fixture(name), password);
    loaded.set(name, contents);
  }
  return contents;
}

export const DAY = 24 * 60 * 60 * 1000;

export interface Issued {
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** EC P-256 keys: generated in a millisecond, enough for chain and key-usage tests. */
export function ecKeys(curve = 'prime256v1'): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: curve });
}

export function cn(name: string): NameSpec {
  return [
    { type: 'C', value: 'DE' },
    { type: 'O', value: 'Testbehörde Musterland' },
    { type: 'CN', value: name },
  ];
}

type IssueOptions = Partial<Omit<CertificateRequest, 'publicKey' | 'issuer' | 'selfSigningKey'>> & {
  readonly keys?: { publicKey: KeyObject; privateKey: KeyObject };
};

/** A self-signed CA (EC unless keys are given), valid from a year ago for ten years. */
export function makeCa(name: string, { keys: given, ...options }: IssueOptions = {}): Issued {
  const keys = given ?? ecKeys();
  const now = Date.now();
  const certificate = issueCertificate({
    subject: cn(name),
    notBefore: new Date(now - 365 * DAY),
    notAfter: new Date(now + 3650 * DAY),
    keyUsage: ['keyCertSign', 'cRLSign'] as KeyUsage[],
    ca: true,
    ...options,
    publicKey: keys.publicKey,
    selfSigningKey: keys.privateKey,
  });
  return { certificate, publicKey: keys.publicKey, privateKey: keys.privateKey };
}

/** A certificate issued by `issuer` (EC unless keys are given), valid from a day ago for a year. */
export function issue(issuer: Issued, name: string, { keys: given, ...options }: IssueOptions = {}): Issued {
  const keys = given ?? ecKeys();
  const now = Date.now();
  const certificate = issueCertificate({
    subject: cn(name),
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    keyUsage: ['digitalSignature', 'nonRepudiation'] as KeyUsage[],
    ...options,
    publicKey: keys.publicKey,
    issuer: { certificate: issuer.certificate, privateKey: issuer.privateKey },
  });
  return { certificate, publicKey: keys.publicKey, privateKey: keys.privateKey };
}

/** The DER of a certificate with one byte changed (offset counted from the end when negative). */
export function tamper(der: Buffer, offset: number): Buffer {
  const copy = Buffer.from(der);
  const at = offset < 0 ? copy.length + offset : offset;
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

/** Runs `run` and returns the PostfachError it throws (fails the test when it throws nothing or something else). */
export function caught(run: () => unknown): PostfachError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PostfachError);
    return error as PostfachError;
  }
  throw new Error('expected a PostfachError, nothing was thrown');
}
