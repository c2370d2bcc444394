/**
 * Distinguished names (subject, issuer) read from the certificate's DER, in two forms:
 * RFC 2253 (most specific RDN first, escaped; what directory tools and IT compare) and a readable one for people.
 */
import { type Asn1, children, CLASS, isUniversal, oidOf, stringOf, TAG, toDer } from './asn1-reader.js';
import { NAME_ATTRIBUTES, OID_COMMON_NAME, OID_ORGANIZATION } from './oids.js';

export interface NameAttribute {
  /** Dotted OID of the attribute type. */
  readonly oid: string;
  /** Short name (CN, O, ...) or the dotted OID where none is known. */
  readonly type: string;
  readonly value: string;
}

export interface DistinguishedName {
  /** RFC 2253 / RFC 4514 string, e.g. `CN=Sozialamt Musterstadt,O=Stadt Musterstadt,C=DE`. */
  readonly rfc2253: string;
  /** For people: `CN=Sozialamt Musterstadt, O=Stadt Musterstadt, C=DE` (common name first, unescaped, types by name). */
  readonly readable: string;
  readonly commonName: string | undefined;
  readonly organization: string | undefined;
  /** RDNs in certificate order (least specific first), each with its attributes. */
  readonly rdns: readonly (readonly NameAttribute[])[];
}

interface RawAttribute extends NameAttribute {
  readonly valueDer: Buffer;
  readonly isString: boolean;
}

function escapeRfc2253(value: string): string {
  let out = value.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

const STRING_TYPES = new Set<number>([12, 19, 20, 22, 26, 28, 30, TAG.PRINTABLESTRING, TAG.IA5STRING, TAG.UTF8, TAG.BMPSTRING]);

function readAttribute(node: Asn1): RawAttribute {
  const [typeNode, valueNode] = children(node);
  if (!typeNode || !valueNode) throw new Error('ASN.1: attribute without type or value');
  const oid = oidOf(typeNode);
  const isString = valueNode.tagClass === CLASS.UNIVERSAL && STRING_TYPES.has(valueNode.type) && !valueNode.constructed;
  const valueDer = toDer(valueNode);
  return {
    oid,
    type: NAME_ATTRIBUTES[oid]?.short ?? oid,
    value: isString ? stringOf(valueNode) : `#${valueDer.toString('hex')}`,
    valueDer,
    isString,
  };
}

/** Reads a Name (SEQUENCE OF RelativeDistinguishedName). */
export function readName(node: Asn1): DistinguishedName {
  if (!isUniversal(node, TAG.SEQUENCE)) throw new Error('ASN.1: a Name must be a SEQUENCE');
  const rdns = children(node).map((set) => children(set).map(readAttribute));
  const reversed = [...rdns].reverse();
  const rfc2253 = reversed
    .map((rdn) =>
      rdn
        .map((a) => {
          const known = NAME_ATTRIBUTES[a.oid];
          // RFC 2253 §2.4: types without a registered short name are written dotted with the BER value in hex
          if (!known?.rfc4514 || !a.isString) return `${a.oid}=#${a.valueDer.toString('hex')}`;
          return `${known.short}=${escapeRfc2253(a.value)}`;
        })
        .join('+'),
    )
    .join(',');
  // readable: the common name first, whichever order the issuing CA encoded the RDNs in
  const cnFirstInEncoding = rdns[0]?.some((a) => a.oid === OID_COMMON_NAME) === true && rdns.length > 1;
  const readable = (cnFirstInEncoding ? rdns : reversed).map((rdn) => rdn.map((a) => `${a.type}=${a.value}`).join(' + ')).join(', ');
  const first = (oid: string): string | undefined => rdns.flat().find((a) => a.oid === oid)?.value;
  return {
    rfc2253,
    readable,
    commonName: first(OID_COMMON_NAME),
    organization: first(OID_ORGANIZATION),
    rdns: rdns.map((rdn) => rdn.map(({ oid, type, value }) => ({ oid, type, value }))),
  };
}

/**
 * Whether two names are the same for chain building: equal DER, or equal after the RFC 5280 §7.1 style
 * normalisation of string values (case and inner whitespace folded).
 */
export function sameName(a: { readonly der: Buffer; readonly name: DistinguishedName }, b: { readonly der: Buffer; readonly name: DistinguishedName }): boolean {
  if (a.der.equals(b.der)) return true;
  const norm = (n: DistinguishedName): string => JSON.stringify(n.rdns.map((rdn) => rdn.map((x) => `${x.oid}=${x.value.trim().replace(/\s+/g, ' ').toLowerCase()}`).sort()));
  return norm(a.name) === norm(b.name);
}
