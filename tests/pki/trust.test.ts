import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { matchesPinnedSigner, trustResultJson, validateChain, type TrustResult } from '../../core/pki/trust.js';
import { vectorCertificate } from '../helpers/vector-keys.js';
import { DAY, fixture, issue, makeCa, tamper } from './helpers.js';

const LEAVES = [
  'alice_cipher_4096',
  'alice_signature_4096',
  'bob_cipher_4096',
  'bob_signature_4096',
  'carol_cipher_4096',
  'carol_signature_4096',
  'osci_manager_cipher_4096',
  'osci_manager_signature_4096',
];

const reasonCodes = (r: TrustResult): string[] => r.reasons.map((x) => x.code);

describe('chain validation of the reference certificates', () => {
  const root = vectorCertificate('governikus_root_ca_3_pn');
  const ca8 = vectorCertificate('governikus_ca_8_pn');
  const at = new Date('2030-06-01T00:00:00Z');

  it.each(LEAVES)('%s chains to Governikus Root CA 3:PN through CA 8:PN', (name) => {
    const cert = vectorCertificate(name);
    const result = validateChain(cert, { trustAnchors: [root], intermediates: [ca8], at });
    expect(result.status).toBe('trusted');
    expect(result.reasons).toEqual([]);
    expect(result.chain.map((c) => c.fingerprint256)).toEqual([cert, ca8, root].map((c) => c.fingerprint256));
    expect(result.revocation).toBe('not-checked');
    expect(result.checkedAt).toBe(at.toISOString());
  });

  it('an intermediate CA configured as trusted is enough', () => {
    const result = validateChain(vectorCertificate('bob_cipher_4096'), { trustAnchors: [ca8], at });
    expect(result.status).toBe('trusted');
    expect(result.chain).toHaveLength(2);
  });

  it('without the intermediate, or with another CA configured, the issuer is unknown', () => {
    const bob = vectorCertificate('bob_cipher_4096');
    const missingIntermediate = validateChain(bob, { trustAnchors: [root], at });
    expect(missingIntermediate.status).toBe('unknown-issuer');
    expect(reasonCodes(missingIntermediate)).toEqual(['issuer-not-found']);
    const otherCa = new X509Certificate(fixture('openssl3-ca.cer'));
    const untrustedRoot = validateChain(bob, { trustAnchors: [otherCa], intermediates: [ca8, root], at });
    expect(untrustedRoot.status).toBe('unknown-issuer');
    expect(reasonCodes(untrustedRoot)).toEqual(['untrusted-root']);
    expect(untrustedRoot.chain).toHaveLength(3);
  });

  it('the self-signed EC certificate has an unknown issuer, unless it is itself configured as trusted', () => {
    const ec = vectorCertificate('alice_signature_ec256');
    const result = validateChain(ec, { trustAnchors: [root], intermediates: [ca8], at });
    expect(result.status).toBe('unknown-issuer');
    expect(reasonCodes(result)).toEqual(['issuer-not-found']);
    expect(validateChain(ec, { trustAnchors: [ec], at }).status).toBe('trusted');
  });

  it('a tampered certificate is invalid (signature value and signed content)', () => {
    const bob = vectorCertificate('bob_cipher_4096');
    const signatureTampered = new X509Certificate(tamper(bob.raw, -10));
    const r1 = validateChain(signatureTampered, { trustAnchors: [root], intermediates: [ca8], at });
    expect(r1.status).toBe('invalid');
    expect(reasonCodes(r1)).toEqual(['bad-signature']);
    expect(r1.reasons[0]?.position).toBe(0);
    // a byte of the subject's common name inside the signed part
    const at0 = bob.raw.indexOf(Buffer.from('Bob Cipher'));
    const contentTampered = new X509Certificate(tamper(bob.raw, at0));
    expect(validateChain(contentTampered, { trustAnchors: [root], intermediates: [ca8], at }).status).toBe('invalid');
    // a tampered self-signed certificate fails its own signature
    const ec = vectorCertificate('alice_signature_ec256');
    const ecTampered = new X509Certificate(tamper(ec.raw, -5));
    const r3 = validateChain(ecTampered, { trustAnchors: [root], at });
    expect(r3.status).toBe('invalid');
    expect(reasonCodes(r3)).toContain('bad-signature');
  });

  it('is evaluated at the time asked for: before and after the validity it is invalid', () => {
    const bob = vectorCertificate('bob_cipher_4096');
    const before = validateChain(bob, { trustAnchors: [root], intermediates: [ca8], at: new Date('2021-01-01T00:00:00Z') });
    expect(before.status).toBe('invalid');
    expect(reasonCodes(before)).toEqual(['not-yet-valid']);
    const after = validateChain(bob, { trustAnchors: [root], intermediates: [ca8], at: new Date('2040-01-01T00:00:00Z') });
    expect(after.status).toBe('invalid');
    // leaf and CA 8 expired in 2036; the root is valid until 2044
    expect(after.reasons.map((r) => [r.code, r.position])).toEqual([
      ['expired', 0],
      ['expired', 1],
    ]);
  });

  it('JSON form names the chain by subject and fingerprint', () => {
    const json = trustResultJson(validateChain(vectorCertificate('bob_cipher_4096'), { trustAnchors: [root], intermediates: [ca8], at }));
    expect(json.status).toBe('trusted');
    expect(json.chain.map((c) => c.subject)).toEqual([
      'C=de,O=Governikus KG,OU=Testcertificate Governikus,CN=Bob Cipher 4096',
      'C=DE,L=Bremen,O=Governikus KG,OU=Governikus CA,CN=Governikus CA 8:PN',
      'C=DE,L=Bremen,O=Governikus KG,CN=Governikus Root CA 3:PN',
    ]);
    expect(json.revocation).toBe('not-checked');
  });
});

describe('chain rules on generated certificates', () => {
  it('a certificate issued by an end-entity is invalid (issuer not a CA, not allowed to sign)', () => {
    const ca = makeCa('Test-CA Regeln');
    const endEntity = issue(ca, 'Sachbearbeitung');
    const forged = issue(endEntity, 'Untergeschoben');
    const result = validateChain(forged.certificate, { trustAnchors: [ca.certificate], intermediates: [endEntity.certificate] });
    expect(result.status).toBe('invalid');
    expect(reasonCodes(result)).toEqual(['issuer-not-ca', 'issuer-not-allowed-to-sign']);
  });

  it('path length constraint of the root', () => {
    const root = makeCa('Wurzel-CA', { pathLength: 0 });
    const sub = issue(root, 'Unter-CA', { ca: true, keyUsage: ['keyCertSign', 'cRLSign'] });
    const leaf = issue(sub, 'Sozialamt Pfadlänge');
    const result = validateChain(leaf.certificate, { trustAnchors: [root.certificate], intermediates: [sub.certificate] });
    expect(result.status).toBe('invalid');
    expect(reasonCodes(result)).toEqual(['path-too-long']);
    const rootAllowing = makeCa('Wurzel-CA', { pathLength: 1, keys: root });
    expect(validateChain(leaf.certificate, { trustAnchors: [rootAllowing.certificate], intermediates: [sub.certificate] }).status).toBe('trusted');
  });

  it('an expired intermediate makes the chain invalid at that time', () => {
    const root = makeCa('Wurzel-CA Zeit');
    const now = Date.now();
    const sub = issue(root, 'Unter-CA Zeit', {
      ca: true,
      keyUsage: ['keyCertSign'],
      notBefore: new Date(now - 300 * DAY),
      notAfter: new Date(now - DAY),
    });
    const leaf = issue(sub, 'Sozialamt Zeit', { notBefore: new Date(now - 200 * DAY), notAfter: new Date(now + 100 * DAY) });
    const today = validateChain(leaf.certificate, { trustAnchors: [root.certificate], intermediates: [sub.certificate] });
    expect(today.status).toBe('invalid');
    expect(today.reasons.map((r) => [r.code, r.position])).toEqual([['expired', 1]]);
    // a message created while everything was valid (e.g. an old delivery's Creation time)
    const then = validateChain(leaf.certificate, { trustAnchors: [root.certificate], intermediates: [sub.certificate], at: new Date(now - 100 * DAY) });
    expect(then.status).toBe('trusted');
  });

  it('an expired certificate of an unknown issuer is invalid, not merely of unknown issuer', () => {
    const stranger = makeCa('Fremde CA');
    const expired = issue(stranger, 'Abgelaufen', { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
    const result = validateChain(expired.certificate, { trustAnchors: [makeCa('Eigene CA').certificate] });
    expect(result.status).toBe('invalid');
    expect(reasonCodes(result)).toEqual(['expired', 'issuer-not-found']);
  });

  it('CA key rollover: two CAs with the same name are told apart by key identifier', () => {
    const oldCa = makeCa('Test-CA Wechsel');
    const newCa = makeCa('Test-CA Wechsel');
    const leaf = issue(newCa, 'Sozialamt neu');
    expect(validateChain(leaf.certificate, { trustAnchors: [oldCa.certificate, newCa.certificate] }).status).toBe('trusted');
    expect(validateChain(leaf.certificate, { trustAnchors: [oldCa.certificate] }).status).toBe('unknown-issuer');
  });

  it('a CA that is not allowed to sign certificates', () => {
    const ca = makeCa('Test-CA ohne keyCertSign', { keyUsage: ['cRLSign', 'digitalSignature'] });
    const leaf = issue(ca, 'Sozialamt Verwendung');
    expect(reasonCodes(validateChain(leaf.certificate, { trustAnchors: [ca.certificate] }))).toEqual(['issuer-not-allowed-to-sign']);
  });
});

describe('pinned signer (intermediary SupplierSignature)', () => {
  const signer = vectorCertificate('osci_manager_signature_4096');
  const ca8 = vectorCertificate('governikus_ca_8_pn');
  const root = vectorCertificate('governikus_root_ca_3_pn');

  it('equal to the pinned certificate', () => {
    expect(matchesPinnedSigner(signer, [signer])).toBe(true);
    expect(matchesPinnedSigner(signer, [vectorCertificate('bob_signature_4096')])).toBe(false);
  });

  it('chains to a pinned CA (with the intermediates the message carries)', () => {
    expect(matchesPinnedSigner(signer, [ca8])).toBe(true);
    expect(matchesPinnedSigner(signer, [root], [ca8])).toBe(true);
    expect(matchesPinnedSigner(signer, [root])).toBe(false);
    expect(matchesPinnedSigner(signer, [new X509Certificate(fixture('openssl3-ca.cer'))], [ca8, root])).toBe(false);
  });

  it('a pinned end-entity certificate is no CA for others; a tampered signer never matches', () => {
    expect(matchesPinnedSigner(vectorCertificate('bob_signature_4096'), [signer])).toBe(false);
    expect(matchesPinnedSigner(new X509Certificate(tamper(signer.raw, -10)), [ca8])).toBe(false);
  });

  it('evaluated at the given time', () => {
    expect(matchesPinnedSigner(signer, [ca8], [], new Date('2040-01-01T00:00:00Z'))).toBe(false);
    // equality does not depend on time
    expect(matchesPinnedSigner(signer, [signer], [], new Date('2040-01-01T00:00:00Z'))).toBe(true);
  });
});
