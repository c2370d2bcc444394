/**
 * The certificates of a PKCS#7 "certs-only" bundle (.p7b/.p7c, RFC 2315 / RFC 5652 SignedData without signers, as
 * CAs publish their chains and Windows exports them), DER or PEM (`-----BEGIN PKCS7-----`). Only the structure is
 * read (ContentInfo → SignedData → certificates [0]) with node-forge's DER parser; each certificate is handed to
 * node:crypto as it is, so RSA and EC certificates alike are taken (forge's own PKCS#7 reader knows RSA keys only).
 * Attribute certificates and other choices in the set are skipped; CRLs and signer infos are not looked at.
 */
import { X509Certificate } from 'node:crypto';
import { CLASS, TAG, children, isContext, isUniversal, oidOf, parseDer, toDer } from './asn1-reader.js';

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const PEM_PKCS7 = /-----BEGIN (?:PKCS7|CERTIFICATE CHAIN)-----([\s\S]+?)-----END (?:PKCS7|CERTIFICATE CHAIN)-----/;

/** Whether the bytes are a PKCS#7 bundle (PEM block, or DER ContentInfo of type signedData). */
export function looksLikePkcs7(data: Uint8Array): boolean {
  if (PEM_PKCS7.test(Buffer.from(data).toString('latin1'))) return true;
  try {
    const first = children(parseDer(data))[0];
    return first !== undefined && oidOf(first) === OID_SIGNED_DATA;
  } catch {
    return false;
  }
}

/**
 * The certificates of a PKCS#7 bundle, in the order they are stored. Throws a plain Error on anything that is not
 * a SignedData bundle; the caller turns it into the certificate error it reports.
 */
export function certificatesFromPkcs7(data: Uint8Array): X509Certificate[] {
  const pem = PEM_PKCS7.exec(Buffer.from(data).toString('latin1'));
  const der = pem ? Buffer.from((pem[1] ?? '').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64') : Buffer.from(data);
  const contentInfo = children(parseDer(der));
  const type = contentInfo[0];
  if (type === undefined || oidOf(type) !== OID_SIGNED_DATA) throw new Error('PKCS#7: not a SignedData ContentInfo');
  const explicit = contentInfo[1];
  if (explicit === undefined || !isContext(explicit, 0)) throw new Error('PKCS#7: SignedData content missing');
  const signedData = children(explicit)[0];
  if (signedData === undefined || !isUniversal(signedData, TAG.SEQUENCE)) throw new Error('PKCS#7: SignedData is not a SEQUENCE');
  // version, digestAlgorithms, encapContentInfo, then the optional [0] IMPLICIT certificates
  const set = children(signedData).find((node, index) => index >= 3 && isContext(node, 0));
  if (set === undefined) return [];
  const certificates: X509Certificate[] = [];
  for (const node of children(set)) {
    // CertificateChoices: a plain Certificate is a SEQUENCE; [0]..[3] are extended/attribute/other forms
    if (node.tagClass !== CLASS.UNIVERSAL || node.type !== TAG.SEQUENCE) continue;
    certificates.push(new X509Certificate(toDer(node)));
  }
  return certificates;
}
