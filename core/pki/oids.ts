/**
 * Names for the object identifiers that certificate facts show (attribute types of distinguished names,
 * extended key usages, signature algorithms, curves). Unknown OIDs are shown dotted.
 */

/** Attribute types of distinguished names: RFC 4514 short names where RFC 4514 defines one. */
export const NAME_ATTRIBUTES: Readonly<Record<string, { readonly short: string; readonly rfc4514: boolean }>> = {
  '2.5.4.3': { short: 'CN', rfc4514: true },
  '2.5.4.6': { short: 'C', rfc4514: true },
  '2.5.4.7': { short: 'L', rfc4514: true },
  '2.5.4.8': { short: 'ST', rfc4514: true },
  '2.5.4.9': { short: 'STREET', rfc4514: true },
  '2.5.4.10': { short: 'O', rfc4514: true },
  '2.5.4.11': { short: 'OU', rfc4514: true },
  '0.9.2342.19200300.100.1.25': { short: 'DC', rfc4514: true },
  '0.9.2342.19200300.100.1.1': { short: 'UID', rfc4514: true },
  // not in RFC 4514's table: written dotted (with a #hex value) in the RFC 2253 form, by name in the readable one
  '2.5.4.4': { short: 'SN', rfc4514: false },
  '2.5.4.5': { short: 'SERIALNUMBER', rfc4514: false },
  '2.5.4.12': { short: 'T', rfc4514: false },
  '2.5.4.42': { short: 'GN', rfc4514: false },
  '2.5.4.97': { short: 'organizationIdentifier', rfc4514: false },
  '2.5.4.17': { short: 'postalCode', rfc4514: false },
  '1.2.840.113549.1.9.1': { short: 'E', rfc4514: false },
};

export const OID_COMMON_NAME = '2.5.4.3';
export const OID_ORGANIZATION = '2.5.4.10';

export const EXTENSION = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
} as const;

export const EXTENDED_KEY_USAGES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '1.3.6.1.4.1.311.10.3.12': 'msDocumentSigning',
  '1.3.6.1.4.1.311.20.2.2': 'msSmartcardLogin',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

export const SIGNATURE_ALGORITHMS: Readonly<Record<string, { readonly name: string; readonly weak: boolean }>> = {
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', weak: true },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', weak: true },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', weak: false },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', weak: false },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', weak: false },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', weak: false },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', weak: true },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', weak: false },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', weak: false },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', weak: false },
  '1.3.101.112': { name: 'Ed25519', weak: false },
};

/** Field sizes in bit of the named curves Node reports (`asymmetricKeyDetails.namedCurve`). */
export const CURVE_BITS: Readonly<Record<string, number>> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp224r1: 224,
  prime192v1: 192,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};
