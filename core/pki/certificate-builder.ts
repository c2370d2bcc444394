/**
 * Issuing X.509 v3 certificates and writing PKCS#12 files, for the test PKI (`postfach pki init`) and tests.
 * The certificate is assembled with node-forge's ASN.1 layer (any key type `node:crypto` can export as SPKI),
 * signed natively with `node:crypto`; the PKCS#12 file is written by node-forge (PBES2/AES-256-CBC with
 * PBKDF2-HMAC-SHA256 for the key, SHA-1 MAC — readable by OpenSSL 3 without -legacy, Java and Windows).
 */
import { createHash, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { parseDer, toDer } from './asn1-reader.js';
import { withNativePbkdf2 } from './forge-native-pbkdf2.js';
import { EXTENSION } from './oids.js';
import { KEY_USAGES, type KeyUsage, x509Fields } from './x509-fields.js';

const { asn1 } = forge;
const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;

export type NameAttributeType = 'C' | 'ST' | 'L' | 'O' | 'OU' | 'CN';

/** A distinguished name in encoding order (least specific first), e.g. C, O, OU, CN. */
export type NameSpec = readonly { readonly type: NameAttributeType; readonly value: string }[];

const NAME_OIDS: Readonly<Record<NameAttributeType, string>> = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
};

export interface CertificateRequest {
  readonly subject: NameSpec;
  readonly publicKey: KeyObject;
  /** The issuing CA; absent: self-signed with `selfSigningKey`. */
  readonly issuer?: { readonly certificate: X509Certificate; readonly privateKey: KeyObject };
  readonly selfSigningKey?: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly keyUsage: readonly KeyUsage[];
  /** Dotted OIDs. */
  readonly extendedKeyUsage?: readonly string[];
  readonly ca?: boolean;
  readonly pathLength?: number;
  /** Default: 16 random bytes. */
  readonly serialNumber?: Buffer;
}

const oid = (dotted: string): forge.asn1.Asn1 => asn1.create(U, T.OID, false, asn1.oidToDer(dotted).getBytes());
const seq = (items: forge.asn1.Asn1[]): forge.asn1.Asn1 => asn1.create(U, T.SEQUENCE, true, items);
const octets = (bytes: Buffer): forge.asn1.Asn1 => asn1.create(U, T.OCTETSTRING, false, bytes.toString('binary'));
const fromDer = (der: Buffer): forge.asn1.Asn1 => parseDer(der);

function nameAsn1(name: NameSpec): forge.asn1.Asn1 {
  return seq(
    name.map(({ type, value }) =>
      asn1.create(U, T.SET, true, [
        seq([
          oid(NAME_OIDS[type]),
          // countries as PrintableString (RFC 5280), everything else as UTF8String
          type === 'C' ? asn1.create(U, T.PRINTABLESTRING, false, value) : asn1.create(U, T.UTF8, false, Buffer.from(value, 'utf8').toString('binary')),
        ]),
      ]),
    ),
  );
}

function timeAsn1(date: Date): forge.asn1.Asn1 {
  // RFC 5280 §4.1.2.5: UTCTime up to 2049, GeneralizedTime from 2050
  return date.getUTCFullYear() < 2050 ? asn1.create(U, T.UTCTIME, false, asn1.dateToUtcTime(date)) : asn1.create(U, T.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

function integerAsn1(bytes: Buffer): forge.asn1.Asn1 {
  return asn1.create(U, T.INTEGER, false, bytes.toString('binary'));
}

function keyUsageBits(usages: readonly KeyUsage[]): Buffer {
  const indices = usages.map((u) => KEY_USAGES.indexOf(u));
  const highest = Math.max(...indices);
  const bytes = Buffer.alloc((highest >> 3) + 1);
  for (const i of indices) bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (0x80 >> (i & 7));
  // DER: a named bit list drops trailing zero bits; the first content byte counts the unused bits
  return Buffer.concat([Buffer.from([7 - (highest & 7)]), bytes]);
}

function extension(id: string, critical: boolean, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return seq([oid(id), ...(critical ? [asn1.create(U, T.BOOLEAN, false, '\xff')] : []), octets(toDer(value))]);
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(spkiDer: Buffer): Buffer {
  const spki = fromDer(spkiDer);
  const bits = (spki.value as forge.asn1.Asn1[])[1] as forge.asn1.Asn1;
  const raw = Buffer.from(bits.value as string, 'binary').subarray(1); // without the unused-bits byte
  return createHash('sha1').update(raw).digest();
}

function signatureAlgorithm(key: KeyObject): { asn1: forge.asn1.Asn1; digest: string } {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { asn1: seq([oid('1.2.840.113549.1.1.11'), asn1.create(U, T.NULL, false, '')]), digest: 'sha256' };
    case 'ec':
      // RFC 5758: ecdsa-with-SHA256 has no parameters
      return { asn1: seq([oid('1.2.840.10045.4.3.2')]), digest: 'sha256' };
    default:
      throw new Error(`certificate signing with ${key.asymmetricKeyType ?? 'unknown'} keys is not supported`);
  }
}

function randomSerial(): Buffer {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40; // positive, no leading zero byte
  return serial;
}

/** Issues a certificate (RSA or EC keys; SHA-256 signature). */
export function issueCertificate(request: CertificateRequest): X509Certificate {
  const signingKey = request.issuer?.privateKey ?? request.selfSigningKey;
  if (!signingKey) throw new Error('issueCertificate: neither an issuer nor a self-signing key given');
  const spkiDer = request.publicKey.export({ format: 'der', type: 'spki' });
  const subjectKeyId = keyIdentifier(spkiDer);
  const issuerFields = request.issuer ? x509Fields(request.issuer.certificate) : undefined;
  const issuerName = issuerFields ? fromDer(issuerFields.subjectDer) : nameAsn1(request.subject);
  const authorityKeyId = issuerFields ? (issuerFields.subjectKeyId === undefined ? undefined : Buffer.from(issuerFields.subjectKeyId, 'hex')) : subjectKeyId;
  const algorithm = signatureAlgorithm(signingKey);

  const basicConstraints = seq([
    ...(request.ca ? [asn1.create(U, T.BOOLEAN, false, '\xff')] : []),
    ...(request.ca && request.pathLength !== undefined ? [asn1.create(U, T.INTEGER, false, asn1.integerToDer(request.pathLength).getBytes())] : []),
  ]);
  const extensions = [
    extension(EXTENSION.basicConstraints, true, basicConstraints),
    extension(EXTENSION.keyUsage, true, asn1.create(U, T.BITSTRING, false, keyUsageBits(request.keyUsage).toString('binary'))),
    ...(request.extendedKeyUsage?.length ? [extension(EXTENSION.extKeyUsage, false, seq(request.extendedKeyUsage.map(oid)))] : []),
    extension(EXTENSION.subjectKeyIdentifier, false, octets(subjectKeyId)),
    ...(authorityKeyId ? [extension(EXTENSION.authorityKeyIdentifier, false, seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, authorityKeyId.toString('binary'))]))] : []),
  ];

  const tbs = seq([
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(U, T.INTEGER, false, asn1.integerToDer(2).getBytes())]),
    integerAsn1(request.serialNumber ?? randomSerial()),
    algorithm.asn1,
    issuerName,
    seq([timeAsn1(request.notBefore), timeAsn1(request.notAfter)]),
    nameAsn1(request.subject),
    fromDer(spkiDer),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 3, true, [seq(extensions)]),
  ]);
  const tbsDer = toDer(tbs);
  const signature = sign(algorithm.digest, tbsDer, signingKey);
  const certificate = seq([fromDer(tbsDer), fromDer(toDer(algorithm.asn1)), asn1.create(U, T.BITSTRING, false, `\x00${signature.toString('binary')}`)]);
  return new X509Certificate(toDer(certificate));
}

export interface Pkcs12Options {
  /** The bag's friendlyName. */
  readonly alias?: string;
  /** Certificates to put beside the key's own (chain). */
  readonly chain?: readonly X509Certificate[];
  /** PBKDF2 and MAC iterations (default 10000). */
  readonly iterations?: number;
}

/** Writes an RSA key with its certificate (and chain) as PKCS#12. */
export function createPkcs12(privateKey: KeyObject, certificate: X509Certificate, password: string, options: Pkcs12Options = {}): Buffer {
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  const certificates = [certificate, ...(options.chain ?? [])].map((c) => forge.pki.certificateFromAsn1(asn1.fromDer(c.raw.toString('binary'))));
  return withNativePbkdf2(() => {
    // prfAlgorithm is passed on to forge's PBES2 encryption (missing in @types/node-forge)
    const forgeOptions: Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3] & { prfAlgorithm: 'sha256' } = {
      algorithm: 'aes256',
      count: options.iterations ?? 10_000,
      saltSize: 16,
      generateLocalKeyId: true,
      ...(options.alias === undefined ? {} : { friendlyName: options.alias }),
      prfAlgorithm: 'sha256',
    };
    const pfx = forge.pkcs12.toPkcs12Asn1(forgeKey, certificates, password, forgeOptions);
    return Buffer.from(asn1.toDer(pfx).getBytes(), 'binary');
  });
}
