/**
 * A few typed helpers over node-forge's DER parser, for reading the parts of a certificate that
 * `node:crypto`'s X509Certificate does not expose (key usage bits, extension criticality, raw names).
 * Every accessor throws a plain Error on unexpected structure; callers turn it into a PostfachError.
 */
import type * as Forge from 'node-forge';
import forge from './forge.js';

export type Asn1 = Forge.asn1.Asn1;

export const TAG = forge.asn1.Type;
export const CLASS = forge.asn1.Class;

/** Parses DER strictly; bit strings are kept as bytes (forge would otherwise try to decode them as ASN.1). */
export function parseDer(der: Uint8Array): Asn1 {
  const parse = forge.asn1.fromDer as unknown as (bytes: string, options: { strict: boolean; decodeBitStrings: boolean }) => Asn1;
  return parse(Buffer.from(der).toString('binary'), { strict: true, decodeBitStrings: false });
}

export function toDer(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

export function children(node: Asn1): Asn1[] {
  if (!Array.isArray(node.value)) throw new Error(`ASN.1: expected a constructed value (tag ${node.type})`);
  return node.value;
}

export function child(node: Asn1, index: number): Asn1 {
  const c = children(node)[index];
  if (!c) throw new Error(`ASN.1: element ${index} missing`);
  return c;
}

export function bytesOf(node: Asn1): Buffer {
  if (typeof node.value !== 'string') throw new Error(`ASN.1: expected a primitive value (tag ${node.type})`);
  return Buffer.from(node.value, 'binary');
}

export function oidOf(node: Asn1): string {
  if (node.tagClass !== CLASS.UNIVERSAL || node.type !== TAG.OID) throw new Error('ASN.1: expected an OID');
  return forge.asn1.derToOid(node.value as string);
}

export function isContext(node: Asn1, tag: number): boolean {
  const type: number = node.type;
  return node.tagClass === CLASS.CONTEXT_SPECIFIC && type === tag;
}

export function isUniversal(node: Asn1, tag: number): boolean {
  const type: number = node.type;
  return node.tagClass === CLASS.UNIVERSAL && type === tag;
}

/** Decodes a directory string (UTF8String, PrintableString, IA5String, BMPString, UniversalString, T61String). */
export function stringOf(node: Asn1): string {
  const raw = bytesOf(node);
  switch (node.type as number) {
    case 12: // UTF8String
      return raw.toString('utf8');
    case 30: // BMPString: UTF-16BE
      return Buffer.from(raw).swap16().toString('utf16le');
    case 28: {
      // UniversalString: UTF-32BE
      let out = '';
      for (let i = 0; i + 3 < raw.length; i += 4) out += String.fromCodePoint(raw.readUInt32BE(i));
      return out;
    }
    default: // PrintableString, IA5String, NumericString, VisibleString; T61String read as Latin-1 (common practice)
      return raw.toString('latin1');
  }
}

/** UTCTime or GeneralizedTime. */
export function timeOf(node: Asn1): Date {
  if (isUniversal(node, TAG.UTCTIME)) return forge.asn1.utcTimeToDate(node.value as string);
  if (isUniversal(node, TAG.GENERALIZEDTIME)) return forge.asn1.generalizedTimeToDate(node.value as string);
  throw new Error('ASN.1: expected a time value');
}
