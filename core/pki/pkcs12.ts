/**
 * Reading PKCS#12 files as they come from the field: legacy PBE (3DES key bags, RC2-40 certificate bags,
 * SHA-1 MAC — the reference implementation's sample keys and most municipal keys), OpenSSL 3 defaults
 * (PBES2/AES-256-CBC, HMAC-SHA256 MAC) and Java keytool files. Node's own crypto has no PKCS#12 parser and its
 * `tls` pfx option rejects the legacy files, so node-forge decodes the container (with PBKDF2 done natively, see
 * forge-native-pbkdf2.ts); keys and certificates are then handed to `node:crypto` as KeyObject / X509Certificate,
 * which do all further cryptography.
 *
 * Cost: loading is synchronous. A legacy reference key (100000 + 4 × 50000 iterations) costs about 120 ms of CPU
 * cold: its key bag is decrypted by OpenSSL (native-pbe.ts), the MAC's and the RC2 certificate bag's derivations
 * (200000 SHA-1 iterations) run in pkcs12-kdf.ts; OpenSSL 3 / keytool files 20–100 ms. Load each file once per
 * process, in the thread that uses the keys (the mailbox worker, the CLI command), never in a UI thread, and keep
 * the KeyObjects.
 *
 * The password is used for this call only and never stored or logged.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import type * as Forge from 'node-forge';
import forge from './forge.js';
import { PostfachError } from '../errors.js';
import { KDF_ITERATION_BUDGET, KdfTooCostly, kdfBudget, MAX_KDF_ITERATIONS, withNativePbkdf2, type KdfBudget } from './forge-native-pbkdf2.js';
import { certificatesFromPkcs7, looksLikePkcs7 } from './pkcs7-certificates.js';

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

/** Key files are a few KB; anything far larger is not one (and would make the pure-JS parser crawl). */
const MAX_PKCS12_BYTES = 4 * 1024 * 1024;

const oids = forge.pki.oids as Record<'pkcs8ShroudedKeyBag' | 'keyBag' | 'certBag', string>;

type Pkcs12ErrorKind =
  'pkcs12-wrong-password' | 'pkcs12-corrupt' | 'pkcs12-unsupported' | 'pkcs12-is-certificate' | 'pkcs12-no-private-key' | 'pkcs12-key-without-certificate' | 'pkcs12-too-costly';

const TEXTS: Readonly<Record<Pkcs12ErrorKind, { de: string; en: string }>> = {
  'pkcs12-wrong-password': {
    de: 'Das Passwort für die Schlüsseldatei ist falsch.',
    en: 'The password for the key file is wrong.',
  },
  'pkcs12-corrupt': {
    de: 'Die Schlüsseldatei ist beschädigt oder keine PKCS#12-Datei (.p12/.pfx).',
    en: 'The key file is damaged or not a PKCS#12 file (.p12/.pfx).',
  },
  'pkcs12-unsupported': {
    de: 'Die Schlüsseldatei ist mit einem Verfahren geschützt, das nicht unterstützt wird. Bitte die Datei mit AES-256 oder 3DES neu exportieren.',
    en: 'The key file is protected with a method that is not supported. Please export it again with AES-256 or 3DES.',
  },
  'pkcs12-is-certificate': {
    de: 'Die Datei ist ein Zertifikat (.cer/.crt/.pem), keine Schlüsseldatei. Bitte die Schlüsseldatei (.p12/.pfx) mit dem privaten Schlüssel angeben.',
    en: 'The file is a certificate (.cer/.crt/.pem), not a key file. Please give the key file (.p12/.pfx) with the private key.',
  },
  'pkcs12-no-private-key': {
    de: 'Die Datei enthält keinen privaten Schlüssel, nur Zertifikate. Bitte die vollständige Schlüsseldatei (.p12) verwenden.',
    en: 'The file holds no private key, only certificates. Please use the complete key file (.p12).',
  },
  'pkcs12-too-costly': {
    de: 'Die Schlüsseldatei verlangt für die Passwortprüfung weit mehr Rechenaufwand als üblich und wird deshalb nicht geöffnet. Bitte die Datei mit den üblichen Einstellungen neu exportieren (z. B. AES-256, 2048–100000 Durchläufe).',
    en: 'The key file asks for far more computing effort to check the password than usual and is therefore not opened. Please export it again with the usual settings (e.g. AES-256, 2048–100000 iterations).',
  },
  'pkcs12-key-without-certificate': {
    de: 'Die Schlüsseldatei enthält einen privaten Schlüssel ohne das zugehörige Zertifikat. Bitte die Datei mit Zertifikat neu exportieren.',
    en: 'The key file holds a private key without its certificate. Please export the file again including the certificate.',
  },
};

function fail(kind: Pkcs12ErrorKind, detail: string, cause?: unknown): never {
  throw new PostfachError(kind, TEXTS[kind], detail, cause === undefined ? {} : { cause });
}

function derOf(asn1: Forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function bagAttribute(bag: Forge.pkcs12.Bag, name: 'friendlyName' | 'localKeyId'): string | undefined {
  // node-forge types a bag's attributes as any
  const values = (bag.attributes as Readonly<Record<string, unknown>>)[name];
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

function keyFromBag(bag: Forge.pkcs12.Bag): KeyObject {
  // the parse leaves keys as raw PrivateKeyInfo ASN.1 (rawBags); a forge key (`bag.key`) only if forge decoded one
  const der = bag.key ? derOf(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))) : bag.asn1 ? derOf(bag.asn1) : fail('pkcs12-corrupt', 'key bag without key data');
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

function certFromBag(bag: Forge.pkcs12.Bag): { cert: X509Certificate; der: Buffer } {
  const der = bag.cert ? derOf(forge.pki.certificateToAsn1(bag.cert)) : bag.asn1 ? derOf(bag.asn1) : fail('pkcs12-corrupt', 'certificate bag without certificate data');
  return { cert: new X509Certificate(der), der };
}

function isCertificate(data: Buffer): boolean {
  try {
    new X509Certificate(data);
    return true;
  } catch {
    return false;
  }
}

/** Classifies input that is not DER at all, or DER whose outer length does not fit the file. */
function describeNonDer(data: Buffer): string {
  if (data.length === 0) return 'empty file';
  if (data.subarray(0, 64).toString('latin1').includes('-----BEGIN')) return 'PEM text, not a binary PKCS#12 file';
  if (data[0] !== 0x30) return `not a DER SEQUENCE (first byte 0x${data[0]?.toString(16).padStart(2, '0')})`;
  const first = data[1] ?? 0;
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    length = n > 0 && n <= 4 && data.length >= 2 + n ? data.readUIntBE(2, n) : -1;
    header = 2 + n;
  }
  if (length >= 0 && header + length > data.length) return `truncated: the DER header announces ${header + length} bytes, the file has ${data.length}`;
  return 'not a well-formed DER structure';
}

function withoutMac(pfx: Forge.asn1.Asn1): Forge.asn1.Asn1 {
  const parts = pfx.value as Forge.asn1.Asn1[];
  return forge.asn1.create(pfx.tagClass, pfx.type, pfx.constructed, parts.slice(0, 2));
}

/** forge's decoder of a bag's key or certificate (as pkcs12.js calls it). */
type BagDecoder = (asn1: Forge.asn1.Asn1, computeHash?: boolean) => unknown;

/**
 * Runs forge's PKCS#12 parse with its decoders of a bag's private key and certificate refused: forge then keeps
 * the bag's PrivateKeyInfo or Certificate as raw ASN.1 (its own fallback for key and certificate types it does not
 * know, `bag.asn1`), and node:crypto parses that DER once (keyFromBag, certFromBag), with the same checks. forge's
 * decoding of a 4096-bit RSA key into big integers and of every certificate with its extensions — re-encoded to
 * DER right after — cost about 15 ms of every cold start with a key file (issue 14). forge looks both up at call
 * time; they are swapped only for one synchronous parse.
 */
function withRawBags<T>(run: () => T): T {
  const pki = forge.pki as unknown as { privateKeyFromAsn1: BagDecoder; certificateFromAsn1: BagDecoder };
  const original = { key: pki.privateKeyFromAsn1, cert: pki.certificateFromAsn1 };
  const refuse: BagDecoder = () => {
    throw new Error('left to node:crypto');
  };
  pki.privateKeyFromAsn1 = refuse;
  pki.certificateFromAsn1 = refuse;
  try {
    return run();
  } finally {
    pki.privateKeyFromAsn1 = original.key;
    pki.certificateFromAsn1 = original.cert;
  }
}

function decodeWith(asn1: Forge.asn1.Asn1, password: string, budget: KdfBudget): Forge.pkcs12.Pkcs12Pfx {
  try {
    return withNativePbkdf2(() => withRawBags(() => forge.pkcs12.pkcs12FromAsn1(asn1, false, password)), budget);
  } catch (cause) {
    if (cause instanceof KdfTooCostly) {
      fail(
        'pkcs12-too-costly',
        `PKCS#12 asks for a key derivation of ${cause.iterations} iterations (${cause.reason}; at most ${MAX_KDF_ITERATIONS} per derivation, ${KDF_ITERATION_BUDGET} per file)`,
        cause,
      );
    }
    throw cause;
  }
}

function decodeContainer(data: Buffer, password: string): Forge.pkcs12.Pkcs12Pfx {
  if (data.length > MAX_PKCS12_BYTES) fail('pkcs12-corrupt', `file of ${data.length} bytes is far larger than a key file`);
  if (isCertificate(data)) fail('pkcs12-is-certificate', 'the file parses as an X.509 certificate');
  let asn1: Forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(data.toString('binary'), true);
  } catch (cause) {
    fail('pkcs12-corrupt', `${describeNonDer(data)} (${(cause as Error).message})`, cause);
  }
  const hasMac = Array.isArray(asn1.value) && asn1.value.length >= 3;
  // one budget for the whole load: the retry without MAC below draws on the same iterations
  const budget = kdfBudget();
  try {
    return decodeWith(asn1, password, budget);
  } catch (cause) {
    if (cause instanceof PostfachError) throw cause;
    const message = (cause as Error).message ?? String(cause);
    if (/MAC could not be verified/i.test(message)) {
      // The MAC covers the whole content: a wrong password and a damaged file both break it. If the content
      // decrypts without the MAC, the password was right and the file was altered.
      let decryptsWithoutMac: boolean;
      try {
        decodeWith(withoutMac(asn1), password, budget);
        decryptsWithoutMac = true;
      } catch (retry) {
        if (retry instanceof PostfachError && retry.kind === 'pkcs12-too-costly') throw retry;
        decryptsWithoutMac = false;
      }
      if (decryptsWithoutMac) fail('pkcs12-corrupt', 'PKCS#12 MAC mismatch although the content decrypts: the file was altered or damaged', cause);
      fail('pkcs12-wrong-password', 'PKCS#12 MAC verification failed (wrong password)', cause);
    }
    if (/unsupported|not supported|unknown/i.test(message)) fail('pkcs12-unsupported', `PKCS#12: ${message}`, cause);
    if (/decrypt|pad block/i.test(message)) {
      if (hasMac) {
        // the MAC (password as BMPString) was verified, so the password is right: the content is damaged or
        // encrypted with another encoding of the password than UTF-8
        fail('pkcs12-corrupt', `PKCS#12 MAC verified but the content does not decrypt: ${message}`, cause);
      }
      // files without a MAC: a wrong password surfaces as a failed decryption of the bags
      fail('pkcs12-wrong-password', `PKCS#12 bag decryption failed (no MAC in the file): ${message}`, cause);
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
 * Errors (PostfachError kinds): pkcs12-wrong-password, pkcs12-corrupt (also truncated or altered files),
 * pkcs12-unsupported, pkcs12-is-certificate (.cer given), pkcs12-no-private-key, pkcs12-key-without-certificate,
 * pkcs12-too-costly (the file asks for more key-derivation iterations than forge-native-pbkdf2.ts allows).
 */
export function loadPkcs12(data: Uint8Array, password: string): Pkcs12Contents {
  const p12 = decodeContainer(Buffer.from(data.buffer, data.byteOffset, data.byteLength), password);

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
    if (!match) {
      fail('pkcs12-key-without-certificate', `private key #${index + 1} of ${keys.length} has no matching certificate among ${certs.length} certificate bag(s)`);
    }
    used.add(match);
    return { privateKey: k.key, certificate: match.cert, certificateDer: match.der, alias: k.alias ?? match.alias };
  });
  return { keys: entries, otherCertificates: certs.filter((c) => !used.has(c)).map((c) => c.cert) };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function certificateError(detail: string, cause?: unknown, isKeyFile = false): PostfachError {
  return new PostfachError(
    isKeyFile ? 'certificate-is-pkcs12' : 'certificate-unreadable',
    isKeyFile
      ? {
          de: 'Die Datei ist eine Schlüsseldatei (.p12/.pfx), kein Zertifikat. Bitte das Zertifikat (.cer) angeben.',
          en: 'The file is a key file (.p12/.pfx), not a certificate. Please give the certificate (.cer).',
        }
      : {
          de: 'Die Zertifikatsdatei ist beschädigt oder kein X.509-Zertifikat (.cer/.crt/.pem/.p7b).',
          en: 'The certificate file is damaged or not an X.509 certificate (.cer/.crt/.pem/.p7b).',
        },
    detail,
    cause === undefined ? {} : { cause },
  );
}

/**
 * Whether the bytes start like a PKCS#12 PFX: SEQUENCE { INTEGER 3, ... }. Only the first bytes are looked at,
 * so a truncated key file is still recognised as one.
 */
export function looksLikePkcs12(data: Uint8Array): boolean {
  if (data[0] !== 0x30) return false;
  const lengthBytes = (data[1] ?? 0) & 0x80 ? (data[1] ?? 0) & 0x7f : 0;
  const at = 2 + lengthBytes;
  return data[at] === 0x02 && data[at + 1] === 0x01 && data[at + 2] === 0x03;
}

/** Reads a certificate file: DER or PEM (the first certificate of a PEM file). */
export function loadCertificate(data: Uint8Array): X509Certificate {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  try {
    return new X509Certificate(buffer);
  } catch (cause) {
    if (looksLikePkcs12(buffer)) throw certificateError('the file is a PKCS#12 PFX', cause, true);
    throw certificateError(`X.509 parse failed: ${(cause as Error).message}`, cause);
  }
}

/**
 * Reads every certificate of a file: one DER certificate, all certificates of a PEM file (a chain), or those of a
 * PKCS#7 bundle (.p7b, DER or PEM).
 */
export function loadCertificates(data: Uint8Array): X509Certificate[] {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (looksLikePkcs7(buffer)) {
    let bundled: X509Certificate[];
    try {
      bundled = certificatesFromPkcs7(buffer);
    } catch (cause) {
      throw certificateError(`PKCS#7 bundle: ${(cause as Error).message}`, cause);
    }
    if (bundled.length === 0) throw certificateError('PKCS#7 bundle without certificates');
    return bundled;
  }
  const pem = buffer.toString('latin1').match(PEM_CERTIFICATE);
  if (!pem) return [loadCertificate(buffer)];
  return pem.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch (cause) {
      throw certificateError(`PEM certificate #${index + 1} of ${pem.length}: ${(cause as Error).message}`, cause);
    }
  });
}

/** The public key of a certificate as KeyObject (for verification and encryption). */
export function publicKeyOf(cert: X509Certificate): KeyObject {
  return createPublicKey(cert.publicKey.export({ format: 'der', type: 'spki' }));
}
