/**
 * Issue 16 "Bounded work on any file": a PKCS#12 file chooses the iteration counts of its key derivations (MAC,
 * PBES2/PBKDF2 of the key bag, the legacy PKCS#12 PBE). A file asking for 10^9 iterations kept forge busy for hours
 * before "wrong password"; now it is refused before the derivation runs (`pkcs12-too-costly`), per derivation and
 * for the file as a whole.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { KDF_ITERATION_BUDGET, MAX_KDF_ITERATIONS } from '../../core/pki/forge-native-pbkdf2.js';
import { loadPkcs12 } from '../../core/pki/pkcs12.js';
import { VECTOR_PIN, vectorPath } from '../helpers/shared.js';
import { caught, fixture, FIXTURE_PASSWORD } from './helpers.js';

const { asn1 } = forge;

type Which = 'mac' | 'bags';

/**
 * The file with its iteration counts set to `iterations`: the MacData's, or every PBE/PBKDF2 parameter reachable
 * in clear (an INTEGER right after the salt OCTET STRING, inside nested DER in OCTET STRINGs). Lengths re-encoded.
 */
function withIterations(der: Buffer, which: Which, iterations: number | { readonly rawInteger: string }): Buffer {
  const root = asn1.fromDer(der.toString('binary'), true);
  const integer = (n: typeof iterations) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, typeof n === 'number' ? asn1.integerToDer(n).getBytes() : n.rawInteger);
  let changed = 0;
  const visit = (node: forge.asn1.Asn1): void => {
    if (!Array.isArray(node.value)) {
      if (node.type !== asn1.Type.OCTETSTRING || node.tagClass !== asn1.Class.UNIVERSAL || typeof node.value !== 'string' || node.value.length < 2) return;
      // an OCTET STRING holding DER (authSafe, SafeContents): rewrite inside it
      let inner: forge.asn1.Asn1;
      try {
        inner = asn1.fromDer(node.value, true);
        if (asn1.toDer(inner).length() !== node.value.length) return;
      } catch {
        return;
      }
      const before = changed;
      visit(inner);
      if (changed > before) node.value = asn1.toDer(inner).getBytes();
      return;
    }
    const children = node.value;
    for (let i = 1; i < children.length; i++) {
      const prev = children[i - 1]!;
      const here = children[i]!;
      if (here.type === asn1.Type.INTEGER && here.tagClass === asn1.Class.UNIVERSAL && prev.type === asn1.Type.OCTETSTRING && prev.tagClass === asn1.Class.UNIVERSAL) {
        const isMac = node === root.value[2];
        if ((which === 'mac') === isMac) {
          children[i] = integer(iterations);
          changed++;
        }
      }
    }
    children.forEach(visit);
  };
  visit(root);
  if (changed === 0) throw new Error(`no ${which} iteration count found`);
  return Buffer.from(asn1.toDer(root).getBytes(), 'binary');
}

function refusedQuickly(file: Buffer, password: string): { kind: string; detail: string; ms: number } {
  const started = performance.now();
  const error = caught(() => loadPkcs12(file, password));
  return { kind: error.kind, detail: error.detail, ms: performance.now() - started };
}

describe('PKCS#12 key derivations chosen by the file', () => {
  const openssl3 = fixture('openssl3.p12');
  const legacy = readFileSync(vectorPath('certs/alice_cipher_4096.p12'));

  it('the files as they are still load (the rewrite keeps them intact)', () => {
    expect(loadPkcs12(withIterations(openssl3, 'mac', 2048), FIXTURE_PASSWORD).keys).toHaveLength(1);
  });

  it('10^9 MAC iterations: refused before the MAC is computed', () => {
    const r = refusedQuickly(withIterations(openssl3, 'mac', 1_000_000_000), FIXTURE_PASSWORD);
    expect(r.kind).toBe('pkcs12-too-costly');
    expect(r.detail).toMatch(/1000000000 iterations \(per-derivation/);
    expect(r.ms).toBeLessThan(500);
  });

  it('10^9 PBKDF2 iterations in the key bag (PBES2, OpenSSL 3): refused, also on the retry without MAC', () => {
    const r = refusedQuickly(withIterations(openssl3, 'bags', 1_000_000_000), FIXTURE_PASSWORD);
    expect(r.kind).toBe('pkcs12-too-costly');
    expect(r.ms).toBeLessThan(500);
  });

  it('10^9 iterations of the legacy PKCS#12 PBE (3DES key bag, RC2 certificates): refused', () => {
    const r = refusedQuickly(withIterations(legacy, 'bags', 1_000_000_000), VECTOR_PIN);
    expect(r.kind).toBe('pkcs12-too-costly');
    // the MAC (legacy: 100000 rounds of forge's KDF) runs first and fails on the altered content
    expect(r.ms).toBeLessThan(3_000);
  });

  it('a count no derivation should run with (2^64, zero, an INTEGER too long for forge) is refused, not looped on', () => {
    const huge = { rawInteger: `\x01${'\x00'.repeat(8)}` };
    const mac = refusedQuickly(withIterations(openssl3, 'mac', huge), FIXTURE_PASSWORD);
    expect(mac.kind).toBe('pkcs12-too-costly');
    expect(mac.ms).toBeLessThan(500);
    // forge reads a long INTEGER in a bag into 32 bits; whatever comes out is bounded or refused too
    const bag = refusedQuickly(withIterations(openssl3, 'bags', huge), FIXTURE_PASSWORD);
    expect(['pkcs12-too-costly', 'pkcs12-corrupt', 'pkcs12-wrong-password']).toContain(bag.kind);
    expect(bag.ms).toBeLessThan(3_000);
    // forge itself refuses a MAC count below 1
    expect(refusedQuickly(withIterations(openssl3, 'mac', 0), FIXTURE_PASSWORD).kind).toBe('pkcs12-corrupt');
  });

  it('many derivations under the per-derivation bound still meet the budget of the file', () => {
    expect(KDF_ITERATION_BUDGET).toBeLessThan(2 * MAX_KDF_ITERATIONS);
    const each = Math.floor(KDF_ITERATION_BUDGET / 2) + 1;
    const file = withIterations(withIterations(openssl3, 'mac', each), 'bags', each);
    const r = refusedQuickly(file, FIXTURE_PASSWORD);
    expect(r.kind).toBe('pkcs12-too-costly');
    expect(r.detail).toMatch(/\(budget/);
  }, 30_000);

  it('says so in German, without personal data', () => {
    const error = caught(() => loadPkcs12(withIterations(openssl3, 'mac', 1_000_000_000), FIXTURE_PASSWORD));
    expect(error.text.de).toMatch(/^Die Schlüsseldatei verlangt für die Passwortprüfung weit mehr Rechenaufwand als üblich/);
    expect(error.text.en.length).toBeGreaterThan(40);
  });
});
