import { describe, expect, it } from 'vitest';
import { authorTrustStatus, evaluateTrust } from '../../core/osci/signature/trust.js';
import { vectorCertificate } from '../helpers/vector-keys.js';

// The trust words of DESIGN.md "Policies", decided by core/pki's chain validation.
describe('signer trust', () => {
  const alice = vectorCertificate('alice_signature_4096');
  const ca = vectorCertificate('governikus_ca_8_pn');
  const root = vectorCertificate('governikus_root_ca_3_pn');
  const ec = vectorCertificate('alice_signature_ec256');
  const at = new Date('2026-11-29T12:00:00Z');

  it('an author chaining to a configured CA is trusted, an unconfigured one an unknown issuer', () => {
    expect(authorTrustStatus(alice, { cas: [root], intermediates: [ca] }, at)).toBe('trusted');
    expect(authorTrustStatus(alice, { cas: [] }, at)).toBe('unknown-issuer');
    expect(authorTrustStatus(ec, { cas: [root], intermediates: [ca] }, at)).toBe('unknown-issuer');
  });

  it('an author certificate outside its validity at the judged time is invalid', () => {
    expect(authorTrustStatus(alice, { cas: [root], intermediates: [ca] }, new Date('2040-01-01T00:00:00Z'))).toBe('invalid');
  });

  it('message signers are pinned by certificate or chained to a CA, never trusted by default', () => {
    expect(evaluateTrust(alice, undefined, at)).toBe('untrusted');
    expect(evaluateTrust(alice, { pinned: [alice] }, at)).toBe('pinned');
    expect(evaluateTrust(alice, { cas: [ca] }, at)).toBe('chained');
    expect(evaluateTrust(alice, { cas: [ca] }, new Date('2040-01-01T00:00:00Z'))).toBe('untrusted');
    expect(evaluateTrust(ec, { cas: [ca] }, at)).toBe('untrusted');
  });
});
