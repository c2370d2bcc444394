import { describe, expect, it } from 'vitest';
import { AmbiguousKeyError, resolveMailboxKeys } from '../../core/pki/key-selection.js';
import type { KeyEntry, Pkcs12Contents } from '../../core/pki/pkcs12.js';
import { vectorKey } from '../helpers/vector-keys.js';
import { caught, fixtureP12 } from './helpers.js';

const file = (...keys: KeyEntry[]): Pkcs12Contents => ({ keys, otherCertificates: [] });
const byAlias = (contents: Pkcs12Contents, alias: string): KeyEntry => {
  const key = contents.keys.find((k) => k.alias === alias);
  if (!key) throw new Error(`no key ${alias}`);
  return key;
};

describe('mailbox keys (DESIGN.md "Policies" → Keys)', () => {
  it('one key for encryption and signature: the same entry serves both roles', () => {
    const primary = fixtureP12('keytool-one-key.p12');
    const keys = resolveMailboxKeys({ primary });
    expect(keys.cipher.alias).toBe('sozialamt');
    expect(keys.signature).toBe(keys.cipher);
  });

  it('two keys in one file, one per role by key usage', () => {
    const keys = resolveMailboxKeys({ primary: fixtureP12('keytool-two-keys.p12') });
    expect(keys.cipher.alias).toBe('verschluesselung');
    expect(keys.signature.alias).toBe('signatur');
  });

  it('two files (--p12 and --signature-p12), as the reference keys come', () => {
    const bobCipher = vectorKey('bob_cipher_4096');
    const bobSignature = vectorKey('bob_signature_4096');
    const keys = resolveMailboxKeys({ primary: file(bobCipher), signature: file(bobSignature) });
    expect(keys.cipher).toBe(bobCipher);
    expect(keys.signature).toBe(bobSignature);
    // the reference keys serve both roles: without a second file the cipher key also signs
    const single = resolveMailboxKeys({ primary: file(bobCipher) });
    expect(single.signature).toBe(bobCipher);
  });

  it('a key dedicated to a role wins over one that serves both', () => {
    const both = byAlias(fixtureP12('keytool-one-key.p12'), 'sozialamt');
    const signOnly = byAlias(fixtureP12('keytool-two-keys.p12'), 'signatur');
    const cipherOnly = byAlias(fixtureP12('keytool-two-keys.p12'), 'verschluesselung');
    expect(resolveMailboxKeys({ primary: file(both, signOnly) })).toEqual({ cipher: both, signature: signOnly });
    expect(resolveMailboxKeys({ primary: file(cipherOnly, both) })).toEqual({ cipher: cipherOnly, signature: both });
  });

  it('two keys that both fit both roles: an error that names the candidates', () => {
    const primary = fixtureP12('keytool-ambiguous.p12');
    const error = caught(() => resolveMailboxKeys({ primary }));
    expect(error).toBeInstanceOf(AmbiguousKeyError);
    const ambiguous = error as AmbiguousKeyError;
    expect(ambiguous.kind).toBe('pkcs12-ambiguous-key');
    expect(ambiguous.role).toBe('cipher');
    expect(ambiguous.candidates.map((c) => c.alias).sort()).toEqual(['postfach-a', 'postfach-b']);
    expect(ambiguous.candidates.map((c) => c.subject).sort()).toEqual([
      'CN=Sozialamt Musterdorf A,OU=Sozialamt,O=Gemeinde Musterdorf,C=DE',
      'CN=Sozialamt Musterdorf B,OU=Sozialamt,O=Gemeinde Musterdorf,C=DE',
    ]);
    for (const k of primary.keys) expect(ambiguous.detail).toContain(k.certificate.fingerprint256);
    // text and detail name no alias or subject (they may name persons); the candidates carry them
    expect(`${ambiguous.text.de} ${ambiguous.detail}`).not.toMatch(/postfach-a|Musterdorf/);
    expect(ambiguous.text.de).toMatch(/2 Schlüssel/);
  });

  it('an explicit selector resolves the ambiguity; the other key then takes the other role', () => {
    const primary = fixtureP12('keytool-ambiguous.p12');
    const a = byAlias(primary, 'postfach-a');
    const b = byAlias(primary, 'postfach-b');
    expect(resolveMailboxKeys({ primary, select: { cipher: { alias: 'postfach-a' } } })).toEqual({ cipher: a, signature: b });
    const fingerprint = b.certificate.fingerprint256.toLowerCase();
    expect(resolveMailboxKeys({ primary, select: { cipher: { fingerprintSha256: fingerprint } } })).toEqual({ cipher: b, signature: a });
    expect(resolveMailboxKeys({ primary, select: { cipher: { certificate: a.certificate }, signature: { alias: 'postfach-a' } } })).toEqual({
      cipher: a,
      signature: a,
    });
    expect(resolveMailboxKeys({ primary, select: { signature: { alias: 'postfach-a' } } })).toEqual({ cipher: b, signature: a });
  });

  it('a selector that matches nothing is an error', () => {
    const primary = fixtureP12('keytool-ambiguous.p12');
    expect(caught(() => resolveMailboxKeys({ primary, select: { cipher: { alias: 'gibt-es-nicht' } } })).kind).toBe('pkcs12-selected-key-missing');
    const other = vectorKey('bob_cipher_4096').certificate;
    expect(caught(() => resolveMailboxKeys({ primary, select: { cipher: { certificate: other } } })).kind).toBe('pkcs12-selected-key-missing');
  });

  it('no key fits a role: signature file with an encryption-only key, an EC key as cipher key', () => {
    const cipherOnly = byAlias(fixtureP12('keytool-two-keys.p12'), 'verschluesselung');
    const both = byAlias(fixtureP12('keytool-one-key.p12'), 'sozialamt');
    const error = caught(() => resolveMailboxKeys({ primary: file(both), signature: file(cipherOnly) }));
    expect(error.kind).toBe('pkcs12-no-suitable-key');
    expect(error.text.de).toMatch(/Signatur/);
    const ec = vectorKey('alice_signature_ec256');
    const ecError = caught(() => resolveMailboxKeys({ primary: file(ec) }));
    expect(ecError.kind).toBe('pkcs12-no-suitable-key');
    expect(ecError.text.de).toMatch(/Verschlüsselung/);
    // but the EC key is a valid separate signature key
    expect(resolveMailboxKeys({ primary: file(both), signature: file(ec) }).signature).toBe(ec);
    // and a selector cannot force a key into a role its certificate forbids
    const forced = caught(() => resolveMailboxKeys({ primary: fixtureP12('keytool-two-keys.p12'), select: { cipher: { alias: 'signatur' } } }));
    expect(forced.kind).toBe('pkcs12-no-suitable-key');
  });
});
