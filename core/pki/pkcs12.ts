/**
 * Reading PKCS#12 files as they come from the field: legacy PBE (3DES key bags, RC2-40 certificate bags,
 * SHA-1 MAC — the reference implementation's sample keys and most municipal keys), OpenSSL 3 defaults
 * (PBES2/AES-256-CBC, HMAC-SHA256 MAC) and Java keytool files. Node's own crypto has no PKCS#12 parser and its
 * `tls` pfx option rejects the legacy files, so node-forge decodes the container; keys and certificates are then
 * handed to `node:crypto` as KeyObject / X509Certificate, which do all further cryptography.
 *
 * The password is used for this call only and never stored or logged.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { PostfachError } from '../errors.js';

/** One private key with its own certificate (and the chain certificates found beside it). */
export interface KeyEntry {
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
  /** DER bytes of the certificate, for byte-for-byte comparison (key selection, pinning). */
  readonly certificateDer: Buffer;
  /** The bag's friendlyName attribute (alias), where present. */
  readonly alias: string | undefined;
}

export interface Pkcs12Contents {
  readonly keys: readonly KeyEntry[];
  /** Every certificate in the file that belongs to none of the keys (CA and chain certificates). */
  readonly otherCertificates: readonly X509Certificate[];
}

const oids = forge.pki.oids as Record<'pkcs8ShroudedKeyBag' | 'keyBag' | 'certBag', string>;

function fail(kind: 'pkcs12-wrong-password' | 'pkcs12-corrupt' | 'pkcs12-no-private-key', detail: string, cause?: unknown): never {
  const text = {
    'pkcs12-wrong-password': {
      de: 'Das Passwort für die Schlüsseldatei ist falsch.',
      en: 'The password for the key file is wrong.',
    },
    'pkcs12-corrupt': {
      de: 'Die Schlüsseldatei ist beschädigt oder keine PKCS#12-Datei (.p12/.pfx).',
      en: 'The key file is damaged or not a PKCS#12 file (.p12/.pfx).',
    },
    'pkcs12-no-private-key': {
      de: 'Die Datei enthält keinen privaten Schlüssel, nur Zertifikate. Bitte die vollständige Schlüsseldatei (.p12) verwenden.',
      en: 'The file holds no private key, only certificates. Please use the complete key file (.p12).',
    },
  }[kind];
  throw new PostfachError(kind, text, detail, cause === undefined ? {} : { cause });
}

function derOf(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function bagAttribute(bag: forge.pkcs12.Bag, name: 'friendlyName' | 'localKeyId'): string | undefined {
  const values = bag.attributes[name] as unknown;
  return Array.isArray(values) && typeof values[0] === 'string' ? values[0] : undefined;
}

interface RawKey {
  readonly key: KeyObject;
  readonly localKeyId: string | undefined;
  readonly alias: string | undefined;
}
interface RawCert {
  readonly cert: X509Certificate;
  readonly der: Buffer;
  readonly localKeyId: string | undefined;
  readonly alias: string | undefined;
}

function keyFromBag(bag: forge.pkcs12.Bag): KeyObject {
  // RSA keys are decoded by forge (`bag.key`); other key types (EC) are left as raw PrivateKeyInfo ASN.1.
  const der = bag.key
    ? derOf(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)))
    : bag.asn1
      ? derOf(bag.asn1)
      : fail('pkcs12-corrupt', 'key bag without key data');
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

function certFromBag(bag: forge.pkcs12.Bag): { cert: X509Certificate; der: Buffer } {
  const der = bag.cert
    ? derOf(forge.pki.certificateToAsn1(bag.cert))
    : bag.asn1
      ? derOf(bag.asn1)
      : fail('pkcs12-corrupt', 'certificate bag without certificate data');
  return { cert: new X509Certificate(der), der };
}

function decodeContainer(data: Uint8Array, password: string): forge.pkcs12.Pkcs12Pfx {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(Buffer.from(data).toString('binary'));
  } catch (cause) {
    fail('pkcs12-corrupt', `not DER-encoded ASN.1: ${(cause as Error).message}`, cause);
  }
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (cause) {
    const message = (cause as Error).message ?? String(cause);
    if (/MAC could not be verified|Invalid password/i.test(message)) {
      fail('pkcs12-wrong-password', 'PKCS#12 MAC verification failed (wrong password)', cause);
    }
    if (/pad block|decrypt/i.test(message)) {
      // files without a MAC: a wrong password surfaces as a failed decryption of the bags
      fail('pkcs12-wrong-password', `PKCS#12 bag decryption failed: ${message}`, cause);
    }
    fail('pkcs12-corrupt', `PKCS#12 structure not readable: ${message}`, cause);
  }
}

function sameKeyPair(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    // checkPrivateKey throws for mismatching key types (EC certificate, RSA key)
    return false;
  }
}

/**
 * Loads a PKCS#12 file. Every private key is paired with its own certificate (by localKeyId, confirmed by
 * comparing the public keys; by public key alone where the file carries no localKeyId).
 */
export function loadPkcs12(data: Uint8Array, password: string): Pkcs12Contents {
  const p12 = decodeContainer(data, password);

  const keys: RawKey[] = [];
  const certs: RawCert[] = [];
  try {
    for (const bagType of [oids.pkcs8ShroudedKeyBag, oids.keyBag] as const) {
      for (const bag of p12.getBags({ bagType })[bagType] ?? []) {
        keys.push({ key: keyFromBag(bag), localKeyId: bagAttribute(bag, 'localKeyId'), alias: bagAttribute(bag, 'friendlyName') });
      }
    }
    for (const bag of p12.getBags({ bagType: oids.certBag })[oids.certBag] ?? []) {
      const { cert, der } = certFromBag(bag);
      certs.push({ cert, der, localKeyId: bagAttribute(bag, 'localKeyId'), alias: bagAttribute(bag, 'friendlyName') });
    }
  } catch (cause) {
    if (cause instanceof PostfachError) throw cause;
    fail('pkcs12-corrupt', `PKCS#12 content not readable: ${(cause as Error).message}`, cause);
  }
  if (keys.length === 0) fail('pkcs12-no-private-key', `no key bag among ${certs.length} certificate bag(s)`);

  const used = new Set<RawCert>();
  const entries: KeyEntry[] = keys.map((k, index) => {
    const byId = k.localKeyId === undefined ? undefined : certs.find((c) => c.localKeyId === k.localKeyId && sameKeyPair(c.cert, k.key));
    const match = byId ?? certs.find((c) => !used.has(c) && sameKeyPair(c.cert, k.key));
    if (!match) fail('pkcs12-corrupt', `private key #${index + 1} has no matching certificate in the file`);
    used.add(match);
    return { privateKey: k.key, certificate: match.cert, certificateDer: match.der, alias: k.alias ?? match.alias };
  });
  return { keys: entries, otherCertificates: certs.filter((c) => !used.has(c)).map((c) => c.cert) };
}

/** Reads a certificate file: DER or PEM (one certificate). */
export function loadCertificate(data: Uint8Array): X509Certificate {
  try {
    return new X509Certificate(Buffer.from(data));
  } catch (cause) {
    throw new PostfachError(
      'certificate-unreadable',
      {
        de: 'Die Zertifikatsdatei ist beschädigt oder kein X.509-Zertifikat (.cer/.crt/.pem).',
        en: 'The certificate file is damaged or not an X.509 certificate (.cer/.crt/.pem).',
      },
      `X.509 parse failed: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/** The public key of a certificate as KeyObject (for verification and encryption). */
export function publicKeyOf(cert: X509Certificate): KeyObject {
  return createPublicKey(cert.publicKey.export({ format: 'der', type: 'spki' }) as Buffer);
}
