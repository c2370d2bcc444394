/**
 * The fields of an X.509 certificate that `node:crypto`'s X509Certificate does not expose: key usage bits,
 * basic constraints, key identifiers, extension criticality, names as structures and the validity as dates.
 * Read once per certificate from its DER and cached.
 */
import type { X509Certificate } from 'node:crypto';
import { PostfachError } from '../errors.js';
import { type Asn1, bytesOf, child, children, isContext, isUniversal, oidOf, parseDer, TAG, timeOf, toDer } from './asn1-reader.js';
import { type DistinguishedName, readName } from './distinguished-name.js';
import { EXTENSION } from './oids.js';

export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

export interface X509Extension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Buffer;
}

export interface X509Fields {
  readonly der: Buffer;
  readonly subject: DistinguishedName;
  readonly subjectDer: Buffer;
  readonly issuer: DistinguishedName;
  readonly issuerDer: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly signatureAlgorithmOid: string;
  readonly extensions: readonly X509Extension[];
  /** Absent extension: `null` (RFC 5280: the key may then be used for any purpose). */
  readonly keyUsage: readonly KeyUsage[] | null;
  /** Dotted OIDs; `null` when the extension is absent. */
  readonly extendedKeyUsage: readonly string[] | null;
  readonly basicConstraints: { readonly ca: boolean; readonly pathLength: number | undefined } | null;
  readonly subjectKeyId: string | undefined;
  readonly authorityKeyId: string | undefined;
}

function readKeyUsage(value: Buffer): KeyUsage[] {
  const bits = bytesOf(parseDer(value)); // first byte: number of unused bits
  const usages: KeyUsage[] = [];
  KEY_USAGES.forEach((name, bit) => {
    const byte = bits[1 + (bit >> 3)];
    if (byte !== undefined && (byte & (0x80 >> (bit & 7))) !== 0) usages.push(name);
  });
  return usages;
}

function readBasicConstraints(value: Buffer): { ca: boolean; pathLength: number | undefined } {
  let ca = false;
  let pathLength: number | undefined;
  for (const c of children(parseDer(value))) {
    if (isUniversal(c, TAG.BOOLEAN)) ca = bytesOf(c)[0] !== 0;
    if (isUniversal(c, TAG.INTEGER)) pathLength = bytesOf(c).readUIntBE(0, Math.min(bytesOf(c).length, 6));
  }
  return { ca, pathLength };
}

function readExtensions(tbs: Asn1[]): X509Extension[] {
  const container = tbs.find((n) => isContext(n, 3));
  if (!container) return [];
  return children(child(container, 0)).map((ext) => {
    const parts = children(ext);
    const oid = oidOf(child(ext, 0));
    const criticalNode = parts.find((p) => isUniversal(p, TAG.BOOLEAN));
    const valueNode = parts.find((p) => isUniversal(p, TAG.OCTETSTRING));
    if (!valueNode) throw new Error('ASN.1: extension without value');
    return { oid, critical: criticalNode ? bytesOf(criticalNode)[0] !== 0 : false, value: bytesOf(valueNode) };
  });
}

function parseFields(der: Buffer): X509Fields {
  const certificate = parseDer(der);
  const tbsNode = child(certificate, 0);
  const tbs = children(tbsNode);
  // version [0] is optional (v1 certificates): fields are located relative to it
  const offset = tbs[0] && isContext(tbs[0], 0) ? 1 : 0;
  const field = (i: number): Asn1 => child(tbsNode, offset + i);
  const issuerNode = field(2);
  const validity = field(3);
  const subjectNode = field(4);
  const extensions = readExtensions(tbs);
  const ext = (oid: string): X509Extension | undefined => extensions.find((e) => e.oid === oid);

  const ku = ext(EXTENSION.keyUsage);
  const eku = ext(EXTENSION.extKeyUsage);
  const bc = ext(EXTENSION.basicConstraints);
  const ski = ext(EXTENSION.subjectKeyIdentifier);
  const aki = ext(EXTENSION.authorityKeyIdentifier);
  const akiKeyId = aki ? children(parseDer(aki.value)).find((n) => isContext(n, 0)) : undefined;

  return {
    der,
    subject: readName(subjectNode),
    subjectDer: toDer(subjectNode),
    issuer: readName(issuerNode),
    issuerDer: toDer(issuerNode),
    notBefore: timeOf(child(validity, 0)),
    notAfter: timeOf(child(validity, 1)),
    signatureAlgorithmOid: oidOf(child(child(certificate, 1), 0)),
    extensions,
    keyUsage: ku ? readKeyUsage(ku.value) : null,
    extendedKeyUsage: eku ? children(parseDer(eku.value)).map(oidOf) : null,
    basicConstraints: bc ? readBasicConstraints(bc.value) : null,
    subjectKeyId: ski ? bytesOf(parseDer(ski.value)).toString('hex') : undefined,
    authorityKeyId: akiKeyId ? bytesOf(akiKeyId).toString('hex') : undefined,
  };
}

const cache = new WeakMap<X509Certificate, X509Fields>();

/** The certificate's fields (parsed once per X509Certificate object). */
export function x509Fields(cert: X509Certificate): X509Fields {
  let fields = cache.get(cert);
  if (!fields) {
    try {
      fields = parseFields(cert.raw);
    } catch (cause) {
      throw new PostfachError(
        'certificate-unreadable',
        {
          de: 'Das Zertifikat ist beschädigt oder hat einen unbekannten Aufbau.',
          en: 'The certificate is damaged or has an unknown structure.',
        },
        `X.509 field parse failed: ${(cause as Error).message}`,
        { cause },
      );
    }
    cache.set(cert, fields);
  }
  return fields;
}
